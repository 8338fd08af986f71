"""What every scenario works with: one backend's loaded database, and the run's plan."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from bench.options import Plan
from bench.organisation import Organisation, Tenant
from bench.report import Row
from bench.wrk import Load


@dataclass(frozen=True)
class Context:
    backend: str
    engine: Engine
    organisation: Organisation  # the realistic one: the reads read it
    small: Organisation  # a tenth of it, to see what grows with the data
    writer: Tenant  # an organisation of its own for the writes, so the reads stay as loaded
    plan: Plan
    folder: Path  # scratch files: server logs, request bodies, fetched responses


@dataclass(frozen=True)
class Measured:
    """A scenario's rows, and how to load the service the same way again (to profile it)."""

    rows: list[Row]
    load: Callable[[], Load] | None = None

    @property
    def missed(self) -> bool:
        return any(row.met is False for row in self.rows)


def bearer(tenant: Tenant) -> tuple[str, ...]:
    return (f"Authorization: Bearer {tenant.key}",)
