"""A mixed load of reads and writes on an organisation of 100 measures and on one of 1,000: how
the service's throughput holds up as an organisation grows tenfold."""

import calendar
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Table, func, select

from app.data_io import RATIO_TYPES
from app.db import new_session
from app.models.measure import Measure
from bench import wrk
from bench.context import Context, Measured, bearer
from bench.organisation import (
    HUNDRED_MEASURES,
    SEED,
    THOUSAND_MEASURES,
    Organisation,
    Scale,
    load_organisation,
)
from bench.rawinsert import TABLE as DATA_POINTS
from bench.report import Row, Target, progress
from bench.servers import Server

CHARTS, SCORECARDS, MATRICES = 60, 10, 5  # percent of the requests; the rest are writes
WRITES = 100 - CHARTS - SCORECARDS - MATRICES
SCENARIO = (
    f"mixed load ({CHARTS}% charts, {SCORECARDS}% scorecards, {MATRICES}% matrices, {WRITES}% "
    "one-point POSTs), 16 connections: 1,000 measures against 100"
)
SMALLER, LARGER = "100 measures", "1,000 measures"
MEASURES: Table = Measure.__table__  # type: ignore[attr-defined]


def mixed(context: Context, app: Server) -> Measured:
    """16 connections, each request drawn at random with a fixed seed: 60% the chart of a random
    measure, 10% the scorecard, 5% the matrix, 25% a POST of one new point (the week after the
    measure's last, no Idempotency-Key) to a random measure; on an organisation of 100 measures
    and on one of 1,000, alike but for their size (loaded here, as only this scenario reads
    them), their runs taking turns. The target is on the larger's throughput against the
    smaller's."""
    smaller = _loaded(context, SMALLER, HUNDRED_MEASURES)
    larger = _loaded(context, LARGER, THOUSAND_MEASURES)
    for organisation in (smaller, larger):
        _warm(context, app, organisation)
    progress(f"{context.backend}: {SCENARIO}")
    results = wrk.alternating(
        {
            SMALLER: (app, lambda: _load(context, smaller)),
            LARGER: (app, lambda: _load(context, larger)),
        },
        context.plan,
    )
    failures = [f"{name}: {found}" for name, r in results.items() if (found := r.failures())]
    ours, base = results[LARGER], results[SMALLER]
    return Measured(
        [
            Row(
                SCENARIO,
                context.backend,
                "requests/s",
                ours.per_second,
                SMALLER,
                base.per_second,
                Target("≥", 0.8),
                failures="; ".join(failures) or None,
                refusal=ours.refusal or base.refusal,
            ),
            Row(SCENARIO, context.backend, "p99 ms", ours.p99_ms, SMALLER, base.p99_ms),
        ],
        lambda: _load(context, larger),
    )


def _loaded(context: Context, name: str, scale: Scale) -> Organisation:
    progress(f"{context.backend}: loading an organisation of {name}")
    started = time.perf_counter()
    with new_session(context.engine) as session:
        organisation = load_organisation(session, f"An organisation of {name}", scale)
    progress(f"  loaded in {time.perf_counter() - started:.0f} s")
    return organisation


def _warm(context: Context, app: Server, organisation: Organisation) -> None:
    """Read every chart, the scorecard and the matrix once, so that the load measures what its
    writes make the service draw again, not a first rendering of everything."""
    progress(f"  warming {len(_measure_ids(context, organisation)):,} charts and the summaries")
    paths = [f"/api/v1/measures/{m}/chart" for m in _measure_ids(context, organisation)]
    for path in [*paths, "/api/v1/scorecard", "/api/v1/matrix"]:
        request = urllib.request.Request(
            app.url + path, headers={"Authorization": f"Bearer {organisation.tenant.key}"}
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def _measure_ids(context: Context, organisation: Organisation) -> list[str]:
    query = select(MEASURES.c.id).where(
        MEASURES.c.organisation_id == organisation.tenant.principal.organisation_id
    )
    with context.engine.connect() as connection:
        return [str(measure_id) for (measure_id,) in connection.execute(query)]


def _load(context: Context, organisation: Organisation) -> wrk.Load:
    """The mixed load of `organisation` as its data stands now (each run adds points)."""
    measures = context.folder / f"mixed-{organisation.tenant.principal.organisation_id}.txt"
    _write_measures(context, organisation, measures)
    return wrk.Load(
        "/api/v1/scorecard",  # the script chooses each request's path
        bearer(organisation.tenant),
        "mixed.lua",
        (str(measures), str(SEED), str(CHARTS), str(SCORECARDS), str(MATRICES)),
        connections=16,
        threads=1,  # mixed.lua counts each measure's new weeks in one thread
    )


def _write_measures(context: Context, organisation: Organisation, path: Path) -> None:
    """Each measure of `organisation` as mixed.lua reads it: its id, the kind of point it takes,
    and the Unix time of the week after its last point."""
    query = (
        select(MEASURES.c.id, MEASURES.c.value_type, func.max(DATA_POINTS.c.period))
        .join(DATA_POINTS, DATA_POINTS.c.measure_id == MEASURES.c.id)
        .where(MEASURES.c.organisation_id == organisation.tenant.principal.organisation_id)
        .group_by(MEASURES.c.id, MEASURES.c.value_type, MEASURES.c.name)
        .order_by(MEASURES.c.name)  # in one order, for the seed to draw the same measures
    )
    with context.engine.connect() as connection:
        measures = connection.execute(query).all()
    path.write_text(
        "".join(
            f"{measure_id} {'ratio' if value_type in RATIO_TYPES else 'value'} "
            f"{_unix_time(last + timedelta(weeks=1))}\n"
            for measure_id, value_type, last in measures
        )
    )


def _unix_time(day: date) -> int:
    return calendar.timegm(day.timetuple())
