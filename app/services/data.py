"""Writing and reading measurement data: validated as a whole, upserted as a whole."""

import math
import uuid
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit import record_change
from app.data_io import RATIO_TYPES, PointBatch, raise_if_any
from app.db import upsert
from app.models.audit import AuditAction
from app.models.common import utcnow
from app.models.data import (
    DataPoint,
    DataPointIn,
    DataPointPublic,
    DataWriteResult,
    PointWritten,
    WriteStatus,
)
from app.models.measure import Measure, ValueType
from app.pagination import Page, PageParams, fetch_page
from app.periods import misalignment
from app.principal import Principal
from app.problems import NotFound
from app.revisions import series_changed
from app.tenancy import get_owned

CONFLICT = ("measure_id", "period")
UPSERTED_COLUMNS = ("value", "numerator", "denominator", "annotation", "source", "updated_at")
_IDS_IN_RANGE = select(col(DataPoint.period), col(DataPoint.id)).where(
    col(DataPoint.measure_id) == bindparam("measure_id"),
    col(DataPoint.period) >= bindparam("first"),
    col(DataPoint.period) <= bindparam("last"),
)


def write_points(
    session: Session, principal: Principal, measure: Measure, batch: PointBatch
) -> DataWriteResult:
    """Upsert every point or none: one bad point refuses the request, listing every problem."""
    rows = sorted(_validated_rows(measure, batch), key=lambda row: row["period"])
    created = _upsert(session, measure, rows)
    series_changed(session, measure.id)
    written = [
        PointWritten.model_construct(  # already valid: skip validating 10,000 of them again
            period=row["period"],
            status=WriteStatus.CREATED if row["period"] in created else WriteStatus.UPDATED,
        )
        for row in rows
    ]
    result = DataWriteResult(
        created=sum(p.status is WriteStatus.CREATED for p in written),
        updated=sum(p.status is WriteStatus.UPDATED for p in written),
        points=written,
    )
    _audit(session, principal, measure, AuditAction.UPDATE, _summary(result))
    return result


def list_points(
    session: Session,
    measure: Measure,
    period_from: date | None = None,
    period_to: date | None = None,
) -> list[DataPointPublic]:
    """Every point in the range, in period order."""
    query = _points_query(measure, period_from, period_to).order_by(col(DataPoint.period))
    return [DataPointPublic.model_validate(row) for row in session.exec(query)]


def page_points(
    session: Session,
    measure: Measure,
    paging: PageParams,
    period_from: date | None = None,
    period_to: date | None = None,
) -> Page[DataPointPublic]:
    query = _points_query(measure, period_from, period_to)
    return fetch_page(session, query, paging, DataPointPublic.model_validate, DataPoint.period)


def _points_query(
    measure: Measure, period_from: date | None, period_to: date | None
) -> SelectOfScalar[DataPoint]:
    query = select(DataPoint).where(DataPoint.measure_id == measure.id)
    if period_from is not None:
        query = query.where(DataPoint.period >= period_from)
    if period_to is not None:
        query = query.where(DataPoint.period <= period_to)
    return query


def delete_point(
    session: Session, principal: Principal, measure_id: uuid.UUID, period: date
) -> None:
    measure = get_owned(session, Measure, measure_id)
    point = session.exec(
        select(DataPoint).where(DataPoint.measure_id == measure.id, DataPoint.period == period)
    ).first()
    if point is None:
        raise NotFound("data point", f"for {period} of measure {measure.id}")
    before = DataPointPublic.model_validate(point).model_dump(mode="json")
    series_changed(session, measure.id)
    _audit(session, principal, measure, AuditAction.DELETE, {"point": {"before": before}})
    session.delete(point)
    session.flush()


def _validated_rows(measure: Measure, batch: PointBatch) -> list[dict[str, Any]]:
    errors = list(batch.errors)
    rows: list[dict[str, Any]] = []
    seen: dict[date, dict[str, int]] = {}
    now = utcnow()
    for place, point in zip(batch.places, batch.points, strict=True):
        problems = _problems(measure, point)
        if point.period in seen:
            first = ", ".join(f"{k} {v}" for k, v in seen[point.period].items())
            problems.append(("period", f"{point.period} also appears at {first}"))
        seen.setdefault(point.period, place)
        errors += [{**place, "field": f, "message": m} for f, m in problems]
        if not problems:
            rows.append(_row(measure, point, now))
    raise_if_any(
        sorted(errors, key=lambda e: e.get("index", e.get("row", 0))),
        against_schema=bool(batch.errors) and batch.schema_described,
    )
    return rows


def _problems(measure: Measure, point: DataPointIn) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if reason := misalignment(point.period, measure.frequency):
        problems.append(("period", reason))
    numbers = {"value": point.value, "numerator": point.numerator, "denominator": point.denominator}
    problems += [
        (f, "must be a finite number")
        for f, v in numbers.items()
        if v is not None and not math.isfinite(v)
    ]
    if measure.value_type in RATIO_TYPES:
        problems += _ratio_problems(measure.value_type, point)
    else:
        problems += _value_problems(measure.value_type, point)
    return problems


def _ratio_problems(value_type: ValueType, point: DataPointIn) -> list[tuple[str, str]]:
    takes = f"{value_type.value} measures take numerator and denominator"
    problems = [
        (f, f"is required: {takes}")
        for f in ("numerator", "denominator")
        if getattr(point, f) is None
    ]
    if point.value is not None:
        problems.append(("value", f"is derived: {takes}"))
    if (
        value_type is ValueType.PROPORTION
        and point.numerator is not None
        and point.denominator is not None
        and point.numerator > point.denominator
    ):
        problems.append(("numerator", "is greater than the denominator"))
    return problems


def _value_problems(value_type: ValueType, point: DataPointIn) -> list[tuple[str, str]]:
    takes = f"{value_type.value} measures take a value"
    problems = [
        (f, f"is not accepted: {takes}")
        for f in ("numerator", "denominator")
        if getattr(point, f) is not None
    ]
    if point.value is None:
        problems.append(("value", f"is required: {takes}"))
    elif value_type is ValueType.COUNT and (point.value < 0 or not float(point.value).is_integer()):
        problems.append(("value", "a count is a whole number, zero or more"))
    return problems


def _row(measure: Measure, point: DataPointIn, now: Any) -> dict[str, Any]:
    value = point.value
    if point.numerator is not None and point.denominator is not None:
        value = point.numerator / point.denominator
        if measure.value_type is ValueType.RATE:
            value *= measure.rate_multiplier
    return {
        "id": uuid.uuid4(),
        "organisation_id": measure.organisation_id,
        "measure_id": measure.id,
        "period": point.period,
        "value": value,
        "numerator": point.numerator,
        "denominator": point.denominator,
        "annotation": point.annotation,
        "source": point.source,
        "created_at": now,
        "updated_at": now,
    }


def _upsert(session: Session, measure: Measure, rows: list[dict[str, Any]]) -> set[date]:
    """Insert or replace the rows, and return the periods that were new.

    A replaced row keeps its id, so a period came in new exactly when its row now has the id
    offered: exact even when concurrent writers race for a period (the upsert holds the rows it
    wrote until the commit). Read back by a second statement rather than RETURNING, which would
    turn the driver's pipelined executemany into statements of thousands of parameters. Rows go
    in period order, so concurrent overlapping bulks lock rows in the same order.
    """
    if not rows:
        return set()
    session.execute(upsert(session, DataPoint, CONFLICT, UPSERTED_COLUMNS), rows)
    stored = session.execute(
        _IDS_IN_RANGE,
        {"measure_id": measure.id, "first": rows[0]["period"], "last": rows[-1]["period"]},
    )
    ids = dict(stored.all())
    return {row["period"] for row in rows if ids[row["period"]] == row["id"]}


def _summary(result: DataWriteResult) -> dict[str, Any]:
    periods = [p.period.isoformat() for p in result.points]
    return {
        "points": {
            "before": None,
            "after": {
                "created": result.created,
                "updated": result.updated,
                "first_period": periods[0] if periods else None,
                "last_period": periods[-1] if periods else None,
            },
        }
    }


def _audit(
    session: Session,
    principal: Principal,
    measure: Measure,
    action: AuditAction,
    changes: dict[str, Any],
) -> None:
    record_change(
        session,
        organisation_id=measure.organisation_id,
        principal=principal,
        action=action,
        resource_type="measure_data",
        resource_id=measure.id,
        changes=changes,
    )
