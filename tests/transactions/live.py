"""A real server on a committed scratch database: uvicorn on one event loop, as in production,
so a blocking call on the loop shows up as a server that stops answering."""

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx2
import uvicorn
from sqlalchemy import Engine

from app.config import Settings
from app.db import make_engine, new_session
from app.main import create_app
from app.services.organisations import create_organisation


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    key: str

    def client(self, timeout: float = 30) -> httpx2.Client:
        headers = {"Authorization": f"Bearer {self.key}"}
        return httpx2.Client(base_url=self.base_url, headers=headers, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(database: Engine) -> Iterator[LiveServer]:
    """Serve a new organisation of its own on `database` until the block ends."""
    with new_session(database) as session:
        _, admin = create_organisation(session, f"Trust {uuid.uuid4().hex[:8]}")
        session.commit()
    url = database.url.render_as_string(hide_password=False)
    engine = make_engine(url)
    port = _free_port()
    config = uvicorn.Config(
        create_app(Settings(database_url=url), engine), port=port, log_config=None, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", admin.key)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
