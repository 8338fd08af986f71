"""SQL statements per request, counted in-process on the scratch database."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app.config import Settings
from app.main import create_app


def statements_per_request(engine: Engine, path: str, key: str) -> int:
    """The statements one warm GET of `path` sends to the database."""
    app = create_app(Settings(log_level="WARNING"), engine)
    headers = {"Authorization": f"Bearer {key}"}
    count = 0

    def counted(*_: object) -> None:
        nonlocal count
        count += 1

    with TestClient(app) as client:
        client.get(path, headers=headers).raise_for_status()  # warm: first-use work excluded
        # Every engine's: the service reads SQLite through a second one on the event loop.
        event.listen(Engine, "before_cursor_execute", counted)
        try:
            client.get(path, headers=headers).raise_for_status()
        finally:
            event.remove(Engine, "before_cursor_execute", counted)
    return count
