"""The `pdsa` command: run, migrate, and manage organisations and keys."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated

import typer
import uvicorn
from sqlalchemy import Engine
from sqlmodel import Session

from app import migrate
from app.config import get_settings
from app.db import make_engine, new_session
from app.demo import DemoLoaded, load_demo
from app.models.organisation import ApiKey, ApiKeyCreate, Organisation, Scope
from app.problems import Conflict
from app.services import keys
from app.services.organisations import (
    all_organisations,
    create_organisation,
    first_organisation,
    has_organisation,
    holds_work,
)
from app.tenancy import across_organisations

cli = typer.Typer(
    help="PDSA improvement tracker", no_args_is_help=True, pretty_exceptions_enable=False
)


@contextmanager
def _database() -> Iterator[Engine]:
    engine = make_engine(get_settings().database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _session() -> Iterator[Session]:
    """An operator's command: one transaction, committed if the command succeeds, acting for
    no one organisation, on a database brought up to date first (a fresh one included)."""
    with _database() as engine, new_session(engine) as session:
        migrate.upgrade(engine)
        yield across_organisations(session)
        session.commit()


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    demo: Annotated[
        bool, typer.Option(help="Load the demo programme into the first organisation if empty")
    ] = False,
) -> None:
    """Apply migrations, create the first organisation if there is none, and serve the API."""
    settings = get_settings()
    with _database() as engine:
        migrate.upgrade(engine)
        _bootstrap(engine)
    if demo:
        _demo_in_first_organisation()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


@cli.command("migrate")
def migrate_command(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Bring the database schema up to date."""
    with _database() as engine:
        migrate.upgrade(engine, revision)
    typer.echo(f"Database migrated to {revision}")


@cli.command("create-org")
def create_org(name: Annotated[str, typer.Argument(help="The organisation's name")]) -> None:
    """Create an organisation and print its id and an admin key (shown once)."""
    with _session() as session:
        organisation, issued = create_organisation(session, name)
    typer.echo(f"organisation_id: {organisation.id}\nadmin_key: {issued.key}")


@cli.command("create-key")
def create_key(
    organisation_id: Annotated[uuid.UUID, typer.Argument(help="The organisation's id")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: read,write,admin")] = "read",
    name: Annotated[str, typer.Option(help="What the key is for")] = "cli",
) -> None:
    """Issue an API key for an organisation and print it (shown once)."""
    try:
        data = ApiKeyCreate(name=name, scopes=[Scope(s.strip()) for s in scopes.split(",")])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scopes") from exc
    with _session() as session:
        if session.get(Organisation, organisation_id) is None:
            raise typer.BadParameter("no such organisation", param_hint="ORGANISATION_ID")
        issued = keys.create_key(session, None, organisation_id, data)
    typer.echo(f"key_id: {issued.id}\nkey: {issued.key}")


@cli.command("revoke-key")
def revoke_key(key_id: Annotated[uuid.UUID, typer.Argument(help="The key's id")]) -> None:
    """Revoke an API key."""
    with _session() as session:
        if session.get(ApiKey, key_id) is None:
            raise typer.BadParameter("no such key", param_hint="KEY_ID")
        keys.revoke_key(session, None, key_id)
    typer.echo(f"revoked: {key_id}")


@cli.command("orgs")
def list_organisations() -> None:
    """List the organisations, oldest first: their ids, for `create-key` (a lost admin key)."""
    with _session() as session:
        for organisation in all_organisations(session):
            typer.echo(f"{organisation.id}  {organisation.name}")


@cli.command()
def demo(
    new_organisation: Annotated[
        bool, typer.Option(help="Load it into a new organisation, with its own admin key")
    ] = False,
) -> None:
    """Load a realistic improvement programme, dated up to today: into the first organisation
    (which the key printed on first start can read), or into a new one."""
    try:
        with _session() as session:
            first = None if new_organisation else first_organisation(session)
            loaded = load_demo(session, date.today(), first.id if first else None)
    except Conflict as exc:  # loaded there already: nothing was written
        typer.echo(f"The demo was not loaded: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    _say_loaded(loaded)


def _demo_in_first_organisation() -> None:
    with _session() as session:
        first = first_organisation(session)
        assert first is not None  # made by _bootstrap
        if holds_work(session, first.id):
            typer.echo("The first organisation already holds work: the demo was not loaded.")
            return
        loaded = load_demo(session, date.today(), first.id)
    _say_loaded(loaded)


def _say_loaded(loaded: DemoLoaded) -> None:
    typer.echo(f"Demo loaded into {loaded.organisation.name!r}.")
    typer.echo(f"organisation_id: {loaded.organisation.id}")
    if loaded.admin_key is not None:
        typer.echo(f"admin_key: {loaded.admin_key.key}")


def _bootstrap(engine: Engine) -> None:
    """On first start, create an organisation and admin key so the API can be called at once."""
    settings = get_settings()
    with new_session(engine) as session:
        if has_organisation(session):
            return
        organisation, issued = create_organisation(
            session, settings.bootstrap_organisation_name, settings.pdsa_bootstrap_key
        )
        session.commit()
    typer.echo(f"Created organisation {organisation.name!r} ({organisation.id}).")
    if settings.pdsa_bootstrap_key is None:
        typer.echo(f"Admin API key (shown once, keep it safe): {issued.key}")
    else:
        typer.echo("Its admin API key is the value of PDSA_BOOTSTRAP_KEY.")


def main() -> None:
    cli()
