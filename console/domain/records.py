"""Record kinds: every synchronised row is one of these, carried as a plain dict of its fields."""

from __future__ import annotations

import dataclasses
from enum import Enum, StrEnum
from typing import Any, TypeVar

from console.domain.duty import DutyOrder
from console.domain.election import BallotRoute, CountingStation, PollingStation
from console.domain.errors import InvalidValue
from console.domain.incidents import Incident
from console.domain.org import OrgUnit
from console.domain.units import Unit


class RecordKind(StrEnum):
    ORG = "org"
    POLLING_STATION = "polling_station"
    COUNTING_STATION = "counting_station"
    ROUTE = "route"
    UNIT = "unit"
    INCIDENT = "incident"
    DUTY_ORDER = "duty_order"


KIND_CLASS: dict[RecordKind, type] = {
    RecordKind.ORG: OrgUnit,
    RecordKind.POLLING_STATION: PollingStation,
    RecordKind.COUNTING_STATION: CountingStation,
    RecordKind.ROUTE: BallotRoute,
    RecordKind.UNIT: Unit,
    RecordKind.INCIDENT: Incident,
    RecordKind.DUTY_ORDER: DutyOrder,
}

# Rows of these kinds owned by offices above a user are visible to the user too.
INHERITED_KINDS: frozenset[RecordKind] = frozenset({RecordKind.ORG, RecordKind.DUTY_ORDER})

T = TypeVar("T")


def to_data(obj: Any) -> dict[str, Any]:
    """An entity as a JSON-ready dict (enums become their values, nested entities dicts).

    Hand-rolled rather than `dataclasses.asdict`, which deep-copies every value: this runs for
    every mutation on the server and the console and was the largest cost of a push batch."""
    data: dict[str, Any] = _plain(obj)
    return data


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"cannot convert {cls.__name__} to record data")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


def from_data(kind: RecordKind | str, data: dict[str, Any]) -> Any:
    """Build and validate an entity of `kind` from a dict; unknown or missing fields are errors."""
    cls = KIND_CLASS[RecordKind(kind)]
    if not isinstance(data, dict):
        raise InvalidValue(f"{kind} must be an object, not {type(data).__name__}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise InvalidValue(f"{kind}: unknown field(s) {', '.join(unknown)}")
    try:
        return cls(**data)
    except TypeError as exc:
        raise InvalidValue(f"{kind}: {exc}") from None


def owner_code(kind: RecordKind | str, data: dict[str, Any]) -> str:
    """The org unit that owns a row, which decides its scope."""
    kind = RecordKind(kind)
    if kind == RecordKind.ORG:
        return str(data["code"])
    if kind == RecordKind.DUTY_ORDER:
        return str(data["issuer_code"])
    return str(data["station_code"])
