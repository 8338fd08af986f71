"""The reads: a chart, the scorecard and the matrix, each against its baselines."""

import json
import urllib.request
from pathlib import Path

from bench.baselines import CHART, CHART_SVG, MATRIX, ROUTES, SCORECARD
from bench.context import Context, Measured, bearer
from bench.organisation import Organisation
from bench.report import Row, Target, progress
from bench.servers import Server
from bench.statements import statements_per_request
from bench.wrk import Load, interleaved

CEILING, LIMIT = "framework ceiling", "raw ASGI limit"
TARGETS = {CHART: Target("≥", 0.5), CHART_SVG: Target("≥", 0.5), SCORECARD: Target("≥", 0.2)}
SCENARIOS = {
    CHART: "GET /api/v1/measures/{id}/chart, 52-point XmR, warm, 32 connections",
    CHART_SVG: "GET /api/v1/measures/{id}/chart.svg, the same chart drawn, warm, 32 connections",
    SCORECARD: "GET /api/v1/scorecard, 100 measures, 4 connections",
    MATRIX: "GET /api/v1/matrix, realistic organisation, 1 connection",
}


def read_loads(context: Context) -> dict[str, Load]:
    headers = bearer(context.organisation.tenant)
    return {
        CHART: Load(_path(CHART, context.organisation), headers),
        CHART_SVG: Load(_path(CHART_SVG, context.organisation), headers),
        SCORECARD: Load(_path(SCORECARD, context.organisation), headers, connections=4),
        MATRIX: Load(_path(MATRIX, context.organisation), headers, connections=1, threads=1),
    }


def save_responses(app: Server, loads: dict[str, Load], folder: Path) -> None:
    """Each load's answer from the service, saved in `folder` for the baselines to serve."""
    routes = {}
    for name, load in loads.items():
        with urllib.request.urlopen(_request(app, load), timeout=60) as response:
            (folder / f"{name}.response").write_bytes(response.read())
            content_type = response.headers["content-type"]
        routes[load.path] = {"file": f"{name}.response", "content_type": content_type}
    (folder / ROUTES).write_text(json.dumps(routes))


def check_same_answers(ceiling: Server, loads: dict[str, Load], folder: Path) -> None:
    """The framework ceiling must answer what the service answered (the limit does by
    construction: it sends the saved bytes)."""
    for name, load in loads.items():
        with urllib.request.urlopen(_request(ceiling, load), timeout=60) as response:
            answered, saved = response.read(), (folder / f"{name}.response").read_bytes()
        if load.path.endswith(".svg") and answered == saved:
            continue
        if load.path.endswith(".svg") or json.loads(answered) != json.loads(saved):
            raise RuntimeError(f"the framework ceiling's {name} is not the service's")


def throughput(
    context: Context,
    kind: str,
    servers: tuple[Server, Server, Server],
    load: Load,
) -> Measured:
    """Requests/s of the service (`servers[0]`) under `load`, against the framework ceiling's
    and the limit's; with the p99 latencies, and the SQL statements of one request."""
    app, ceiling, limit = servers
    progress(f"{context.backend}: {SCENARIOS[kind]}")
    results = interleaved(
        {"service": app, CEILING: ceiling, LIMIT: limit}, lambda: load, context.plan
    )
    ours, best, bare = results["service"], results[CEILING], results[LIMIT]
    name, backend, rate = SCENARIOS[kind], context.backend, "requests/s"
    return Measured(
        [
            Row(
                name,
                backend,
                rate,
                ours.per_second,
                CEILING,
                best.per_second,
                TARGETS[kind],
                failures=ours.failures(),
                refusal=ours.refusal,
            ),
            Row(name, backend, rate, ours.per_second, LIMIT, bare.per_second),
            Row(name, backend, "p99 ms", ours.p99_ms, CEILING, best.p99_ms),
            _statements(context, kind),
        ],
        lambda: load,
    )


def matrix(context: Context, app: Server, ceiling: Server, load: Load) -> Measured:
    progress(f"{context.backend}: {SCENARIOS[MATRIX]}")
    results = interleaved({"service": app, CEILING: ceiling}, lambda: load, context.plan)
    ours, best = results["service"], results[CEILING]
    name, backend = SCENARIOS[MATRIX], context.backend
    return Measured(
        [
            Row(
                name, backend, "p50 ms", ours.p50_ms, CEILING, best.p50_ms, failures=ours.failures()
            ),
            Row(name, backend, "p99 ms", ours.p99_ms, CEILING, best.p99_ms),
            _statements(context, MATRIX, Target("=", 1)),
        ],
        lambda: load,
    )


def _statements(context: Context, kind: str, target: Target | None = None) -> Row:
    """SQL statements per request, on the realistic organisation and on a tenth of it."""
    full, small = (
        statements_per_request(context.engine, _path(kind, o), o.tenant.key)
        for o in (context.organisation, context.small)
    )
    tenth = "a tenth of the organisation"
    return Row(SCENARIOS[kind], context.backend, "SQL statements", full, tenth, small, target)


def _path(kind: str, organisation: Organisation) -> str:
    return {
        CHART: f"/api/v1/measures/{organisation.chart_measure_id}/chart",
        CHART_SVG: f"/api/v1/measures/{organisation.chart_measure_id}/chart.svg",
        SCORECARD: "/api/v1/scorecard",
        MATRIX: "/api/v1/matrix",
    }[kind]


def _request(server: Server, load: Load) -> urllib.request.Request:
    headers = dict(header.split(": ", 1) for header in load.headers)
    return urllib.request.Request(server.url + load.path, headers=headers)
