"""The benchmark run: each backend's scenarios against their baselines, then the table.

`python3 bench/run.py` installs what this needs, then runs it in the project's virtualenv.
"""

import hashlib
import os
import platform
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import Engine

from app.db import new_session
from bench import analytics, mixed, reads, retries, writes
from bench.baselines import CHART, CHART_SVG, MATRIX, ORGANISATION, RESPONSES, SCORECARD
from bench.context import Context, Measured
from bench.databases import require_postgres, scratch_database, server_url
from bench.options import SCENARIOS, Options, Plan, parse
from bench.organisation import REALISTIC, SMALL, load_organisation, new_tenant
from bench.profiling import Hotspots, profile
from bench.report import Row, Target, progress, refusals, table
from bench.servers import Server, baseline_command, free_ports, production_command, serving
from bench.wrk import Load

RESULTS = Path(__file__).resolve().parent / "results"
SOURCES = Path(__file__).resolve().parent.parent / "app"
MEMORY = Target("≤", 200, "MB")


@dataclass(frozen=True)
class Profiled:
    scenario: str
    backend: str
    hotspots: Hotspots
    stacks: Path  # py-spy's raw samples


def main() -> None:
    options = parse(sys.argv[1:])
    if "postgresql" in options.backends:
        require_postgres(options.postgres_url)
    started, measured_source = datetime.now(UTC), source_digest()
    RESULTS.mkdir(exist_ok=True)
    for stale in RESULTS.glob("stacks-*.txt"):
        stale.unlink()
    rows: list[Row] = []
    profiles: list[Profiled] = []
    with TemporaryDirectory(prefix="pdsa-bench-") as scratch:
        served = options.scenarios - {"analytics"}
        for backend in options.backends if served else ():
            folder = Path(scratch) / backend
            folder.mkdir()
            backend_rows, backend_profiles = bench_backend(backend, options, folder)
            rows += backend_rows
            profiles += backend_profiles
    if "analytics" in options.scenarios:
        progress("chart analytics, in-process")
        rows += analytics.rows(options.plan.analytics_repeats)
    report = render(rows, profiles, options, started, measured_source)
    (RESULTS / "latest.md").write_text(report)
    print(report)


def bench_backend(backend: str, options: Options, folder: Path) -> tuple[list[Row], list[Profiled]]:
    with scratch_database(backend, folder, options.postgres_url) as engine:
        context = load(backend, engine, options.plan, folder)
        points = writes.bulk_points()
        progress(f"{backend}: the driver alone inserting {writes.POINTS:,} rows")
        raw_seconds = writes.raw_insert_seconds(context, points)
        (port,) = free_ports(1)
        env = {"DATABASE_URL": server_url(engine)}
        service = serving("service", production_command(port), port, env, folder, "/readyz", True)
        with service as app:
            rows, profiles, ceiling_rss = scenarios(
                context, app, points, raw_seconds, options.scenarios
            )
            memory = Row(
                "one worker's memory after the whole run",
                backend,
                "RSS MB",
                app.rss_mb(),
                "framework ceiling's",
                ceiling_rss,
                MEMORY,
            )
    return [*rows, memory], profiles


def load(backend: str, engine: Engine, plan: Plan, folder: Path) -> Context:
    progress(f"{backend}: loading the realistic organisation (and a tenth of it)")
    with new_session(engine) as session:
        organisation = load_organisation(session, "A realistic NHS trust", REALISTIC)
        small = load_organisation(session, "A tenth of it", SMALL)
        writer = new_tenant(session, "Benchmark writes")
    return Context(backend, engine, organisation, small, writer, plan, folder)


def scenarios(
    context: Context,
    app: Server,
    points: list[tuple[date, float]],
    raw_seconds: float,
    chosen: frozenset[str],
) -> tuple[list[Row], list[Profiled], float]:
    """Every scenario in turn, each profiled at once if it misses its target, the writes of one
    point to many measures and to one last (they can stall the service); and the framework
    ceiling's RSS after them."""
    loads = reads.read_loads(context)
    reads.save_responses(app, loads, context.folder)
    with baseline_servers(context) as (ceiling, limit, inserting):
        reads.check_same_answers(ceiling, loads, context.folder)
        servers = (app, ceiling, limit)
        posts = (app, inserting, ceiling)
        bulks = writes.bulk_bodies(points, context.folder)
        every: list[tuple[str, Callable[[], Measured]]] = [
            ("chart", partial(reads.throughput, context, CHART, servers, loads[CHART])),
            ("chart", partial(reads.throughput, context, CHART_SVG, servers, loads[CHART_SVG])),
            ("scorecard", partial(reads.throughput, context, SCORECARD, servers, loads[SCORECARD])),
            ("matrix", partial(reads.matrix, context, app, ceiling, loads[MATRIX])),
            *(("bulk", partial(writes.bulk, context, app, body, raw_seconds)) for body in bulks),
            ("mixed", partial(mixed.mixed, context, app)),
            ("retry", partial(retries.retries, context, app)),
            ("post", partial(writes.post_point, context, posts, writes.SPREAD)),
            ("post", partial(writes.post_point, context, posts, 1)),
        ]
        rows: list[Row] = []
        profiles: list[Profiled] = []
        for scenario in (measure for name, measure in every if name in chosen):
            measured = scenario()
            rows += measured.rows
            if measured.missed and measured.load is not None:
                profiles.append(
                    profile_miss(context, app, measured.rows[0].scenario, measured.load)
                )
        return rows, profiles, ceiling.rss_mb()


@contextmanager
def baseline_servers(context: Context) -> Iterator[tuple[Server, Server, Server]]:
    """The framework ceiling and the raw ASGI limit, serving the responses saved in the
    context's folder, and the POST inserting one row of the writes' organisation."""
    folder = context.folder
    env = {
        RESPONSES: str(folder),
        "DATABASE_URL": server_url(context.engine),
        ORGANISATION: str(context.writer.principal.organisation_id),
    }
    ceiling_port, limit_port, insert_port = free_ports(3)
    with (
        serving(
            "ceiling", baseline_command("framework_app", ceiling_port), ceiling_port, env, folder
        ) as ceiling,
        serving("limit", baseline_command("raw_app", limit_port), limit_port, env, folder) as limit,
        serving(
            "inserting", baseline_command("insert_app", insert_port), insert_port, env, folder
        ) as inserting,
    ):
        yield ceiling, limit, inserting


def profile_miss(
    context: Context, app: Server, scenario: str, load: Callable[[], Load]
) -> Profiled:
    progress(f"{context.backend}: profiling {scenario}")
    slug = re.sub(r"[^a-z0-9]+", "-", scenario.lower()).strip("-")
    stacks = RESULTS / f"stacks-{context.backend}-{slug}.txt"
    hotspots = profile(app, load(), context.plan.duration, stacks)
    return Profiled(scenario, context.backend, hotspots, stacks)


def source_digest() -> str:
    """A digest of the service's source, to tell which code a run measured."""
    digest = hashlib.sha256()
    for path in sorted(SOURCES.rglob("*.py")):
        digest.update(str(path.relative_to(SOURCES)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def render(
    rows: list[Row], profiles: list[Profiled], options: Options, started: datetime, source: str
) -> str:
    cores, plan = len(os.sched_getaffinity(0)), options.plan
    parts = [
        "## Benchmark results",
        f"{started:%Y-%m-%d %H:%M} UTC, {cores} cores, Python {platform.python_version()}, "
        f"app/ digest {source}: medians of {plan.runs} wrk run(s) of {plan.duration} s each, "
        "after a warm-up; each ratio is to a baseline measured in the same run.",
        table(rows),
    ]
    if options.scenarios != frozenset(SCENARIOS):
        parts.insert(2, f"**Only some scenarios ran: {', '.join(sorted(options.scenarios))}.**")
    if (now := source_digest()) != source:
        parts.insert(1, f"**app/ changed during the run (digest {now} now): run it again.**")
    if refused := refusals(rows):
        parts += ["### Refused requests", refused]
    for p in profiles:
        where = f"Raw stacks: `{p.stacks.relative_to(RESULTS.parent.parent)}`."
        parts += [f"### Profile: {p.scenario} ({p.backend})", p.hotspots.markdown(), where]
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
