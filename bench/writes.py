"""The writes: one data point with an Idempotency-Key (to one measure, and spread over 32), and
bulks of 10,000 points.

Every request writes new rows: each run posts to measures of its own, with fresh periods and
fresh keys.
"""

import json
import math
import random
import statistics
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.db import new_session
from app.models.common import utcnow
from app.models.measure import Frequency
from app.tenancy import act_for
from bench import wrk
from bench.context import Context, Measured, bearer
from bench.organisation import SEED, new_measure
from bench.rawinsert import insert_seconds
from bench.report import Row, Target, progress
from bench.servers import Server

INSERTING = "bare FastAPI POST inserting one row"
BARE = "bare FastAPI POST"
POINT_SCENARIO = "POST one data point with an Idempotency-Key, 32 connections"
SPREAD = 32  # measures that the spread POSTs take in turn
POINTS = 10_000
FIRST_DAY = date(1990, 1, 1)
THREADS = 2
PATHS_MARGIN = 2  # a bulk run gets twice the measures its first request's pace would need


@dataclass(frozen=True)
class Bulk:
    kind: str
    content_type: str
    body: Path

    @property
    def scenario(self) -> str:
        return f"POST {POINTS:,} points as {self.kind}, 1 connection"


def post_point(context: Context, servers: tuple[Server, Server, Server], spread: int) -> Measured:
    """One point per request, the requests taking `spread` measures in turn, against a bare
    FastAPI POST inserting the point's row (the target's baseline) and one that does not touch
    the database, `servers` being the service and those two. Every load posts to measures of
    its own, created beforehand: a service that stalls may go on holding the database's locks.
    """
    app, inserting, bare = servers
    scenario = f"{POINT_SCENARIO}, {_measures(spread)}"
    loads = len(servers) * (1 + context.plan.runs) + 1  # each one's warm-up and runs, a profile
    measures = iter([new_measures(context, Frequency.WEEK, spread) for _ in range(loads)])

    def load() -> wrk.Load:
        paths = [f"/api/v1/measures/{measure}/data" for measure in next(measures)]
        return wrk.Load(
            paths[0],
            bearer(context.writer),
            "post_point.lua",
            (uuid.uuid4().hex[:12], str(THREADS), *paths),
            threads=THREADS,
        )

    progress(f"{context.backend}: {scenario}")
    results = wrk.interleaved(
        {"service": app, INSERTING: inserting, BARE: bare}, load, context.plan
    )
    ours, base = results["service"], _answered(INSERTING, results[INSERTING])
    backend = context.backend
    return Measured(
        [
            Row(
                scenario,
                backend,
                "requests/s",
                ours.per_second,
                INSERTING,
                base.per_second,
                Target("≥", 0.3),
                failures=ours.failures(),
                refusal=ours.refusal,
            ),
            Row(scenario, backend, "requests/s", ours.per_second, BARE, results[BARE].per_second),
            Row(scenario, backend, "p99 ms", ours.p99_ms, INSERTING, base.p99_ms),
        ],
        load,
    )


def _measures(spread: int) -> str:
    return "one measure" if spread == 1 else f"spread over {spread} measures"


def _answered(baseline: str, result: wrk.Result) -> wrk.Result:
    """`result`, if the baseline answered every request: a ratio to a failing one means nothing."""
    if result.failed:
        raise RuntimeError(f"the {baseline} failed: {result.failures()} ({result.refusal})")
    return result


def bulk_points() -> list[tuple[date, float]]:
    """10,000 daily values: the same rows for the service and for the driver alone."""
    rng = random.Random(SEED)
    return [(FIRST_DAY + timedelta(days=i), round(rng.gauss(50, 5), 2)) for i in range(POINTS)]


def bulk_bodies(points: list[tuple[date, float]], folder: Path) -> list[Bulk]:
    as_json = folder / "bulk.json"
    as_json.write_text(json.dumps([{"period": d.isoformat(), "value": v} for d, v in points]))
    as_csv = folder / "bulk.csv"
    as_csv.write_text("period,value\n" + "".join(f"{d.isoformat()},{v}\n" for d, v in points))
    return [Bulk("JSON", "application/json", as_json), Bulk("CSV", "text/csv", as_csv)]


def raw_insert_seconds(context: Context, points: list[tuple[date, float]]) -> float:
    """The median time of the driver inserting the points' rows, each run into a new measure."""
    return statistics.median(
        insert_seconds(context.engine, _rows(context, points)) for _ in range(context.plan.runs)
    )


def bulk(context: Context, app: Server, body: Bulk, raw_seconds: float) -> Measured:
    progress(f"{context.backend}: {body.scenario}")
    paths = math.ceil(context.plan.duration / _post_once(context, app, body) * PATHS_MARGIN) + 1

    def load() -> wrk.Load:
        measures = [_new_measure(context, Frequency.DAY) for _ in range(paths)]
        return wrk.Load(
            f"/api/v1/measures/{measures[0]}/data",
            bearer(context.writer),
            "post_bulk.lua",
            (str(body.body), body.content_type, *(f"/api/v1/measures/{m}/data" for m in measures)),
            connections=1,
            threads=1,
        )

    ours = wrk.median([_bulk_run(context, app, load(), paths) for _ in range(context.plan.runs)])
    driver = "COPY" if context.backend == "postgresql" else "executemany"
    return Measured(
        [
            Row(
                body.scenario,
                context.backend,
                "points/s",
                POINTS * ours.per_second,
                f"raw driver insert ({driver})",
                POINTS / raw_seconds,
                Target("≥", 0.5),
                failures=ours.failures(),
                refusal=ours.refusal,
            )
        ],
        load,
    )


def _bulk_run(context: Context, app: Server, load: wrk.Load, paths: int) -> wrk.Result:
    result = wrk.run(app, load, context.plan.duration)
    if result.sent >= paths:  # wrk's check of the script took the first path: one wrapped
        raise RuntimeError(f"{paths} empty measures were too few for a run: raise PATHS_MARGIN")
    progress(f"  service: {result.answered} bulks in {context.plan.duration} s")
    return result


def _post_once(context: Context, app: Server, body: Bulk) -> float:
    """Seconds of one bulk POST, which also warms the service's path."""
    request = urllib.request.Request(
        f"{app.url}/api/v1/measures/{_new_measure(context, Frequency.DAY)}/data",
        data=body.body.read_bytes(),
        headers={
            "Authorization": f"Bearer {context.writer.key}",
            "Content-Type": body.content_type,
        },
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def _rows(context: Context, points: list[tuple[date, float]]) -> list[dict[str, Any]]:
    """The rows the service writes for the points (as `app.services.data` builds them)."""
    measure, now = _new_measure(context, Frequency.DAY), utcnow()
    organisation = context.writer.principal.organisation_id
    return [
        {
            "id": uuid.uuid4(),
            "organisation_id": organisation,
            "measure_id": measure,
            "period": period,
            "value": value,
            "numerator": None,
            "denominator": None,
            "annotation": None,
            "source": None,
            "created_at": now,
            "updated_at": now,
        }
        for period, value in points
    ]


def _new_measure(context: Context, frequency: Frequency) -> uuid.UUID:
    (measure_id,) = new_measures(context, frequency, 1)
    return measure_id


def new_measures(context: Context, frequency: Frequency, count: int) -> list[uuid.UUID]:
    """`count` empty measures of the writes' organisation, committed together."""
    with new_session(context.engine) as session:
        principal = act_for(session, context.writer.principal)
        measure_ids = [new_measure(session, principal, frequency) for _ in range(count)]
        session.commit()
    return measure_ids
