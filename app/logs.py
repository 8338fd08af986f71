"""Structured JSON logs, each line carrying the request and correlation ids."""

import logging

from pythonjsonlogger.json import JsonFormatter

from app.context import correlation_id_var, request_id_var


class _RequestIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.correlation_id = correlation_id_var.get()
        return True


class _PlainUvicorn(logging.Filter):
    """Uvicorn logs its start-up as `uvicorn.error` (its name for the server's own log, errors
    or not), and adds a copy of each message in terminal colours: neither belongs in JSON."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.error":
            record.name = "uvicorn"
        record.__dict__.pop("color_message", None)
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(
            "%(levelname)s %(name)s %(message)s %(request_id)s %(correlation_id)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601 in UTC
        )
    )
    handler.addFilter(_RequestIds())
    handler.addFilter(_PlainUvicorn())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True
    logging.getLogger("uvicorn.error").handlers[:] = []
