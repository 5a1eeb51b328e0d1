"""Replica test fixtures: they live in replica_helpers (which the tests also import helpers from)."""

from replica_helpers import replica

__all__ = ["replica"]
