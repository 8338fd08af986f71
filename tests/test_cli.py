"""The `pdsa` command line, against a scratch database on each backend."""

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from app.cli import _bootstrap, cli
from app.config import get_settings
from app.models.audit import AuditEntry
from app.models.cycle import Cycle
from app.models.data import DataPoint
from app.models.goal import Goal
from app.models.measure import Measure
from app.models.organisation import ApiKey, Organisation
from app.models.target import NationalTarget
from app.principal import hash_secret
from app.tenancy import across_organisations
from tests.databases import scratch_database

runner = CliRunner()


@pytest.fixture
def database(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    with scratch_database(backend, tmp_path) as engine:
        monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(False))
        get_settings.cache_clear()
        assert runner.invoke(cli, ["migrate"]).exit_code == 0
        yield engine
    get_settings.cache_clear()


def _value(output: str, label: str) -> str:
    match = re.search(rf"^{label}: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_create_org_prints_its_id_and_a_working_admin_key(database: Engine) -> None:
    result = runner.invoke(cli, ["create-org", "Northshire Hospitals NHS Trust"])

    assert result.exit_code == 0
    organisation_id = uuid.UUID(_value(result.output, "organisation_id"))
    secret = _value(result.output, "admin_key")
    with Session(database) as session:
        across_organisations(session)
        key = session.exec(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret))).one()
    assert key.organisation_id == organisation_id
    assert sorted(key.scopes) == ["admin", "read", "write"]


def test_create_key_issues_a_key_with_the_scopes_asked_for(database: Engine) -> None:
    organisation_id = _value(runner.invoke(cli, ["create-org", "PCN"]).output, "organisation_id")

    result = runner.invoke(cli, ["create-key", organisation_id, "--scopes", "read,write"])

    assert result.exit_code == 0
    with Session(database) as session:
        across_organisations(session)
        key = session.get(ApiKey, uuid.UUID(_value(result.output, "key_id")))
    assert key is not None
    assert sorted(key.scopes) == ["read", "write"]


@pytest.mark.usefixtures("database")
def test_create_key_refuses_an_unknown_scope() -> None:
    organisation_id = _value(runner.invoke(cli, ["create-org", "PCN"]).output, "organisation_id")

    result = runner.invoke(cli, ["create-key", organisation_id, "--scopes", "read,root"])

    assert result.exit_code != 0
    assert "--scopes" in result.output


def test_revoke_key_revokes_it_and_audits_it(database: Engine) -> None:
    organisation_id = _value(runner.invoke(cli, ["create-org", "ICS"]).output, "organisation_id")
    key_id = _value(runner.invoke(cli, ["create-key", organisation_id]).output, "key_id")

    result = runner.invoke(cli, ["revoke-key", key_id])

    assert result.exit_code == 0
    with Session(database) as session:
        across_organisations(session)
        key = session.get(ApiKey, uuid.UUID(key_id))
        revocations = session.exec(
            select(AuditEntry).where(
                AuditEntry.resource_id == uuid.UUID(key_id), AuditEntry.action == "revoke"
            )
        ).all()
    assert key is not None
    assert key.revoked_at is not None
    assert len(revocations) == 1


def test_first_start_creates_one_organisation_with_the_bootstrap_key(
    database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PDSA_BOOTSTRAP_KEY", "pdsa_deployment_chosen_secret_42")
    get_settings.cache_clear()

    _bootstrap(database)
    _bootstrap(database)

    with Session(database) as session:
        across_organisations(session)
        assert session.exec(select(func.count()).select_from(Organisation)).one() == 1
        key = session.exec(
            select(ApiKey).where(
                ApiKey.secret_hash == hash_secret("pdsa_deployment_chosen_secret_42")
            )
        ).one()
    assert "admin" in key.scopes


def test_demo_loads_a_realistic_programme(database: Engine) -> None:
    result = runner.invoke(cli, ["demo"])

    assert result.exit_code == 0, result.output
    with Session(database) as session:
        across_organisations(session)
        goals = session.exec(select(Goal)).all()
        measures = session.exec(select(Measure)).all()
        weeks_per_measure = session.exec(
            select(func.count()).select_from(DataPoint).group_by(col(DataPoint.measure_id))
        ).all()
        cycles = session.exec(select(Cycle)).all()
        targets = session.exec(select(NationalTarget)).all()
    assert len(goals) >= 3
    assert all(goal.promises for goal in goals)
    assert len(weeks_per_measure) == len(measures) >= 3
    assert 52 in weeks_per_measure  # a year of weekly data (monthly measures hold fewer points)
    assert targets
    assert {cycle.status for cycle in cycles} >= {"completed", "doing"}


@pytest.fixture
def fresh_database(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """A database no one has migrated: what a newcomer's first command meets."""
    with scratch_database(backend, tmp_path) as engine:
        monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(False))
        get_settings.cache_clear()
        yield engine
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_database")
def test_a_command_on_a_fresh_database_migrates_it_first() -> None:
    result = runner.invoke(cli, ["create-org", "Northshire Hospitals NHS Trust"])

    assert result.exit_code == 0, result.output
    assert _value(result.output, "organisation_id")


@pytest.mark.usefixtures("database")
def test_orgs_lists_every_organisation_oldest_first() -> None:
    first = _value(runner.invoke(cli, ["create-org", "Northshire"]).output, "organisation_id")
    second = _value(runner.invoke(cli, ["create-org", "Southshire"]).output, "organisation_id")

    result = runner.invoke(cli, ["orgs"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{first}  Northshire", f"{second}  Southshire"]


@pytest.mark.usefixtures("database")
def test_demo_goes_into_the_first_organisation_whose_key_can_read_it() -> None:
    first = _value(runner.invoke(cli, ["create-org", "Northshire"]).output, "organisation_id")
    runner.invoke(cli, ["create-org", "Southshire"])

    result = runner.invoke(cli, ["demo"])

    assert result.exit_code == 0, result.output
    assert _value(result.output, "organisation_id") == first
    assert "admin_key" not in result.output


@pytest.mark.usefixtures("database")
def test_demo_in_a_new_organisation_prints_its_key() -> None:
    runner.invoke(cli, ["create-org", "Northshire"])

    result = runner.invoke(cli, ["demo", "--new-organisation"])

    assert result.exit_code == 0, result.output
    assert _value(result.output, "admin_key").startswith("pdsa_")


def test_demo_twice_in_one_organisation_says_why_and_writes_nothing(database: Engine) -> None:
    runner.invoke(cli, ["create-org", "Northshire"])
    runner.invoke(cli, ["demo"])
    with Session(database) as session:
        across_organisations(session)
        goals_before = len(session.exec(select(Goal)).all())

    result = runner.invoke(cli, ["demo"])

    assert result.exit_code == 1
    assert "The demo was not loaded" in result.output
    with Session(database) as session:
        across_organisations(session)
        assert len(session.exec(select(Goal)).all()) == goals_before


@pytest.fixture
def serving_returns_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda *_, **__: None)


@pytest.mark.usefixtures("fresh_database", "serving_returns_at_once")
def test_serve_with_demo_fills_the_first_organisation_once() -> None:
    first_start = runner.invoke(cli, ["serve", "--demo"])
    second_start = runner.invoke(cli, ["serve", "--demo"])

    assert first_start.exit_code == 0, first_start.output
    assert "Admin API key (shown once" in first_start.output
    assert "Demo loaded into 'My organisation'" in first_start.output
    assert second_start.exit_code == 0, second_start.output
    assert "already holds work: the demo was not loaded" in second_start.output
