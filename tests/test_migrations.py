"""Alembic owns the schema: migrations round-trip and match the models on every backend."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from app import migrate
from tests.databases import scratch_database


def test_upgrade_downgrade_upgrade_round_trips(backend: str, tmp_path: Path) -> None:
    with scratch_database(backend, tmp_path) as engine:
        migrate.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        migrate.downgrade(engine)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == tables
        assert set(SQLModel.metadata.tables) <= tables


def test_models_and_migrations_do_not_drift(backend: str, tmp_path: Path) -> None:
    with scratch_database(backend, tmp_path) as engine:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}),
                SQLModel.metadata,
            )
        assert differences == []
