"""Sync test fixtures: they live in sync_helpers (which the tests also import helpers from)."""

from sync_helpers import consoles, db_url, server

__all__ = ["consoles", "db_url", "server"]
