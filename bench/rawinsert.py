"""The writes' baseline: the database driver alone inserting the rows the service inserts."""

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Dialect, Engine, Table

from app.models.data import DataPoint

TABLE: Table = DataPoint.__table__  # type: ignore[attr-defined]


def insert_seconds(engine: Engine, rows: Sequence[dict[str, Any]]) -> float:
    """Seconds to insert `rows` into data_point and commit: sqlite3's executemany, or
    psycopg's COPY. The values are converted to the driver's types beforehand, untimed."""
    columns = list(rows[0])
    values = _driver_values(engine.dialect, columns, rows)
    connection = engine.raw_connection()
    try:
        insert = _copy if engine.dialect.name == "postgresql" else _executemany
        started = time.perf_counter()
        insert(connection.driver_connection, columns, values)
        return time.perf_counter() - started
    finally:
        connection.close()


def _driver_values(
    dialect: Dialect, columns: list[str], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """The rows as SQLAlchemy hands them to the driver (its bind processors applied)."""
    processors = [
        TABLE.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    return [
        tuple(
            process(row[name]) if process else row[name]
            for name, process in zip(columns, processors, strict=True)
        )
        for row in rows
    ]


def _executemany(connection: Any, columns: list[str], values: list[tuple[Any, ...]]) -> None:
    placeholders = ", ".join("?" for _ in columns)
    connection.execute("BEGIN")
    connection.executemany(
        f"INSERT INTO {TABLE.name} ({', '.join(columns)}) VALUES ({placeholders})", values
    )
    connection.execute("COMMIT")


def _copy(connection: Any, columns: list[str], values: list[tuple[Any, ...]]) -> None:
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {TABLE.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in values:
            copy.write_row(row)
    connection.commit()
