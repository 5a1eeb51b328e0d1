"""Scope filters in SQL: the rows a user at a scope path may see (see domain.org.visible_in_scope)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from console.domain.records import INHERITED_KINDS


def ancestor_paths(scope_path: str) -> list[str]:
    """'/NPA/SEOUL/S1/' -> ['/NPA/', '/NPA/SEOUL/', '/NPA/SEOUL/S1/']."""
    parts = [p for p in scope_path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def visible_clause(path_col: InstrumentedAttribute[str], kind_col: InstrumentedAttribute[str],
                   scope_path: str) -> ColumnElement[bool]:
    """Rows at or below the scope, plus inherited kinds (org units, duty orders) of the offices
    above it — the same rule as console.domain.org.visible_in_scope, as a WHERE clause."""
    return or_(
        path_col.startswith(scope_path, autoescape=True),
        and_(kind_col.in_([k.value for k in INHERITED_KINDS]),
             path_col.in_(ancestor_paths(scope_path))),
    )


def within_clause(path_col: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
                  scope_path: str) -> ColumnElement[bool]:
    return path_col.startswith(scope_path, autoescape=True)
