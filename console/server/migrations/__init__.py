"""Alembic migrations of the server schema (env.py, versions/)."""
