"""Concurrent retries: many connections sending the same few Idempotency-Keys at once, while
one more connection checks that the service keeps answering /livez."""

import uuid

from sqlalchemy import func, select

from app.models.measure import Frequency
from bench import wrk
from bench.context import Context, Measured, bearer
from bench.rawinsert import TABLE
from bench.report import Row, Target, progress
from bench.servers import Server
from bench.writes import THREADS, new_measures

KEYS = 4
SCENARIO = f"POST one data point under {KEYS} Idempotency-Keys, retried by 32 connections"
PROBE = wrk.Load("/livez", (), connections=1, threads=1)
ALONE = "/livez alone"


def retries(context: Context, app: Server) -> Measured:
    """32 connections send the POSTs of `KEYS` Idempotency-Keys over and over, each key always
    with the same point (a period of its own) of a measure new to each run, while one
    connection GETs /livez. Every answer must be 200 or 201 (the first, or a replay) or 409
    (the key's first request is still running), the warm-up's included; /livez must keep
    answering quickly (its baseline: the probe alone, in each round); and each key must write
    exactly one point."""
    progress(f"{context.backend}: {SCENARIO}")
    posted: list[uuid.UUID] = []

    def load() -> wrk.Load:
        (measure,) = new_measures(context, Frequency.WEEK, 1)
        posted.append(measure)
        return _retrying(context, measure)

    warm, _ = wrk.together(app, [load(), PROBE], context.plan.warmup)
    alone, retried, probed = [], [warm], []
    for round_number in range(1, context.plan.runs + 1):
        alone.append(wrk.run(app, PROBE, context.plan.duration))
        retry, probe = wrk.together(app, [load(), PROBE], context.plan.duration)
        progress(f"  run {round_number}/{context.plan.runs}: /livez p99 {probe.p99_ms:.1f} ms")
        retried.append(retry)
        probed.append(probe)
    return Measured(
        _rows(context, wrk.median(retried), wrk.median(probed), wrk.median(alone), posted),
        lambda: _retrying(context, new_measures(context, Frequency.WEEK, 1)[0]),
    )


def _retrying(context: Context, measure: uuid.UUID) -> wrk.Load:
    return wrk.Load(
        f"/api/v1/measures/{measure}/data",
        bearer(context.writer),
        "retry.lua",
        (uuid.uuid4().hex[:12], str(KEYS)),
        threads=THREADS,
    )


def _rows(
    context: Context,
    retried: wrk.Result,
    probed: wrk.Result,
    alone: wrk.Result,
    posted: list[uuid.UUID],
) -> list[Row]:
    backend = context.backend
    return [
        Row(
            SCENARIO,
            backend,
            "answers other than 200, 201 or 409",
            retried.refused,
            "requests sent",
            retried.sent,
            Target("=", 0, "answers"),
            failures=retried.failures(),
            refusal=retried.refusal,
        ),
        Row(
            SCENARIO,
            backend,
            "/livez p99 ms",
            probed.p99_ms,
            ALONE,
            alone.p99_ms,
            Target("≤", 50, "ms"),
            failures=probed.failures(),
        ),
        Row(
            SCENARIO,
            backend,
            "data points written",
            _points(context, posted),
            "Idempotency-Keys sent",
            KEYS * len(posted),
            Target("=", 1),
        ),
    ]


def _points(context: Context, measures: list[uuid.UUID]) -> int:
    """The data points of `measures`, counted in SQL (no session: no tenant to act for)."""
    query = select(func.count()).select_from(TABLE).where(TABLE.c.measure_id.in_(measures))
    with context.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())
