"""Structured logs: one JSON object per line on stderr."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

LOGGERS = ("sitroom.server", "uvicorn", "uvicorn.error", "alembic")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


_handler: logging.Handler | None = None


def configure(level: str = "info") -> None:
    """Send the server's, uvicorn's and alembic's logs to stderr as JSON lines (idempotent)."""
    global _handler
    if _handler is None:
        _handler = logging.StreamHandler(sys.stderr)
        _handler.setFormatter(JsonFormatter())
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _handler not in logger.handlers:
            logger.addHandler(_handler)
        logger.setLevel(numeric)
        logger.propagate = False
    # Alembic narrates its plugin set-up at info; the server logs the upgrade itself.
    logging.getLogger("alembic").setLevel(max(numeric, logging.WARNING))
    # The request log of console.server.app replaces uvicorn's access log.
    logging.getLogger("uvicorn.access").disabled = True
