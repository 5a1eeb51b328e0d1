"""Record kinds: every synchronised row is one of these, carried as a plain dict of its fields."""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum, StrEnum
from typing import Any, TypeVar

from console.domain.directives import Directive
from console.domain.duty import DutyOrder
from console.domain.election import BallotRoute, CountingStation, PollingStation
from console.domain.errors import InvalidValue
from console.domain.external_alerts import ExternalAlert
from console.domain.handovers import Handover
from console.domain.incidents import Incident
from console.domain.org import OrgUnit
from console.domain.reporting import ReportSchedule, SituationReport
from console.domain.units import Unit


class RecordKind(StrEnum):
    ORG = "org"
    POLLING_STATION = "polling_station"
    COUNTING_STATION = "counting_station"
    ROUTE = "route"
    UNIT = "unit"
    INCIDENT = "incident"
    DUTY_ORDER = "duty_order"
    DIRECTIVE = "directive"
    REPORT_SCHEDULE = "report_schedule"
    SITUATION_REPORT = "situation_report"
    HANDOVER = "handover"
    EXTERNAL_ALERT = "external_alert"  # another agency's CAP alert, shared with the importer's scope


KIND_CLASS: dict[RecordKind, type] = {
    RecordKind.ORG: OrgUnit,
    RecordKind.POLLING_STATION: PollingStation,
    RecordKind.COUNTING_STATION: CountingStation,
    RecordKind.ROUTE: BallotRoute,
    RecordKind.UNIT: Unit,
    RecordKind.INCIDENT: Incident,
    RecordKind.DUTY_ORDER: DutyOrder,
    RecordKind.DIRECTIVE: Directive,
    RecordKind.REPORT_SCHEDULE: ReportSchedule,
    RecordKind.SITUATION_REPORT: SituationReport,
    RecordKind.HANDOVER: Handover,
    RecordKind.EXTERNAL_ALERT: ExternalAlert,
}

# Rows of these kinds owned by offices above a user are visible to the user too.
INHERITED_KINDS: frozenset[RecordKind] = frozenset({RecordKind.ORG, RecordKind.DUTY_ORDER,
                                                     RecordKind.EXTERNAL_ALERT,
                                                     RecordKind.DIRECTIVE, RecordKind.REPORT_SCHEDULE})

T = TypeVar("T")


def to_data(obj: Any) -> dict[str, Any]:
    """An entity as a JSON-ready dict (enums become their values, nested entities dicts).

    Hand-rolled rather than `dataclasses.asdict`, which deep-copies every value: this runs for
    every mutation on the server and the console and was the largest cost of a push batch."""
    data: dict[str, Any] = _plain(obj)
    return data


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}

# Where an entity read from a stored row keeps the fields this version does not know (written by
# a newer version), so that `to_data` writes them back: see `from_stored`.
_UNKNOWN = "_unknown_fields"


# Values taken as they are, by exact class (most fields are these: no call, no isinstance chain).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    cls = value.__class__
    if cls in _SCALARS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | int | float | bool):
        return value
    scalars = _SCALARS
    if isinstance(value, list):
        return [v if v.__class__ in scalars else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: v if v.__class__ in scalars else _plain(v) for k, v in value.items()}
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"cannot convert {cls.__name__} to record data")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    data = {}
    for name in names:
        v = getattr(value, name)
        data[name] = v if v.__class__ in scalars else _plain(v)
    unknown = value.__dict__.get(_UNKNOWN)
    if unknown:
        for name, v in unknown.items():
            data.setdefault(name, _plain(v))  # a copy: the dict shares nothing with the entity
    return data


def from_data(kind: RecordKind | str, data: dict[str, Any]) -> Any:
    """Build and validate an entity of `kind` from a dict; unknown or missing fields are errors.

    For what a user or an import gives; a row as stored is read with `from_stored`."""
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


def from_stored(kind: RecordKind | str, data: dict[str, Any]) -> Any:
    """Build and validate an entity of `kind` from a row as stored (the server's database, a
    console's replica), keeping the fields this version does not know.

    Consoles are updated station by station, so a row may have been written by a newer version
    with fields added since (as `title_en` was to incidents): an older console must still show
    and edit it. Such fields, at the top level and in nested entries (timeline entries,
    acknowledgements), are kept with the entity and written back by `to_data` unchanged.
    Missing or invalid known fields are still errors."""
    cls = KIND_CLASS[RecordKind(kind)]
    if not isinstance(data, dict):
        raise InvalidValue(f"{kind} must be an object, not {type(data).__name__}")
    try:
        return _build_stored(cls, data)
    except TypeError as exc:
        raise InvalidValue(f"{kind}: {exc}") from None


def _build_stored(cls: type, data: dict[str, Any]) -> Any:
    names = _field_names(cls)
    known = {k: v for k, v in data.items() if k in names}
    for name, (container, item_cls) in _nested_fields(cls).items():
        value = known.get(name)
        # Built here, each keeping its own unknown fields; the entity's __post_init__ takes
        # entries that are already built as they are.
        if container is list and isinstance(value, list):
            known[name] = [_build_stored(item_cls, v) if isinstance(v, dict) else v for v in value]
        elif container is dict and isinstance(value, dict):
            known[name] = {k: _build_stored(item_cls, v) if isinstance(v, dict) else v
                           for k, v in value.items()}
    entity = cls(**known)
    if len(known) < len(data):
        entity.__dict__[_UNKNOWN] = {k: v for k, v in data.items() if k not in names}
    return entity


def unknown_fields(entity: Any) -> dict[str, Any]:
    """The fields of a stored row that this version did not know, kept by `from_stored`."""
    return dict(getattr(entity, "__dict__", {}).get(_UNKNOWN) or {})


_NAMES: dict[type, frozenset[str]] = {}
_NESTED: dict[type, dict[str, tuple[type, type]]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return names


def _nested_fields(cls: type) -> dict[str, tuple[type, type]]:
    """The fields of `cls` holding entities of their own: name -> (list or dict, entity class)."""
    nested = _NESTED.get(cls)
    if nested is None:
        nested = {}
        for name, hint in typing.get_type_hints(cls).items():
            origin, args = typing.get_origin(hint), typing.get_args(hint)
            item: Any = args[-1] if args else None
            if origin in (list, dict) and isinstance(item, type) and dataclasses.is_dataclass(item):
                nested[name] = (origin, item)
        _NESTED[cls] = nested
    return nested


def owner_code(kind: RecordKind | str, data: dict[str, Any]) -> str:
    """The org unit that owns a row, which decides its scope."""
    kind = RecordKind(kind)
    if kind == RecordKind.ORG:
        return str(data["code"])
    if kind in (RecordKind.DUTY_ORDER, RecordKind.DIRECTIVE, RecordKind.REPORT_SCHEDULE):
        return str(data["issuer_code"])
    if kind in (RecordKind.SITUATION_REPORT, RecordKind.HANDOVER):
        return str(data["office_code"])
    if kind == RecordKind.EXTERNAL_ALERT:
        return str(data["org_code"])
    return str(data["station_code"])
