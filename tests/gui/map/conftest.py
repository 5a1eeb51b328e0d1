"""Map GUI fixtures: the base geography (built once per run, cached in the user cache dir)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def geography():  # type: ignore[no-untyped-def]
    from console.geo.boundaries import BaseGeography

    return BaseGeography.load()
