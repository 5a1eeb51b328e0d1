"""Read-model test fixtures: they live in synced.py (which the tests also import `load` from)."""

from synced import replica

__all__ = ["replica"]
