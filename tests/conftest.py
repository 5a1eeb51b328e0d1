"""Shared test set-up: Qt blocking for the core layers, and the PostgreSQL URL."""

from __future__ import annotations

import importlib.abc
import os
import sys

import pytest

PG_ENV = "SITROOM_TEST_PG_URL"


class _BlockQt(importlib.abc.MetaPathFinder):
    """Makes Qt unimportable, so the core layers are proven to run without it."""

    blocked = ("PySide6", "shiboken6", "pyqtgraph")

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname.split(".")[0] in self.blocked:
            raise ImportError(f"{fullname} is blocked: this test run proves the core needs no Qt")
        return None


if os.environ.get("SITROOM_BLOCK_QT") == "1":
    for name in list(sys.modules):
        if name.split(".")[0] in _BlockQt.blocked:
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockQt())


def postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def pg_url() -> str:
    """The PostgreSQL test database; tests using it are skipped with a clear message if unset."""
    url = postgres_url()
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    return url
