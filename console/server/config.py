"""The server's settings file (`sitroom server --config FILE`, else `$SITROOM_CONFIG`): request
limits, sessions and the login lockout, read from TOML and checked key by key before anything
starts, with a worded reason (the file, the key, the range allowed) for each key it refuses.

Every key is optional; a key left out keeps its default, which is the value in
console.server.settings.ServerSettings (and packaging/sitroom-server.toml lists each one).
"""

from __future__ import annotations

import difflib
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from console.domain import mutations
from console.protocol.schema import MAX_LONG_POLL_SECONDS, MAX_PUSH_BATCH
from console.server.database import StartupError
from console.server.settings import ServerSettings

ENVIRONMENT = "SITROOM_CONFIG"
EXAMPLE = "packaging/sitroom-server.toml"

Number = int | float
MINUTE = timedelta(minutes=1)

# -- the floors: below them the server would refuse what its own consoles send ----------------
# A console pushes its outbox in batches of MAX_PUSH_BATCH; 500 incident reports with every text
# at its longest, in Hangul (3 bytes a character), take 7,594,594 bytes (the test measures it).
MIN_BODY_BYTES = 7_864_320  # 7.5 MiB
# A push nests arrays and objects 5 levels deep (body, mutations, mutation, payload, a list).
MIN_JSON_DEPTH = 8
MIN_STRING_CHARS = max(mutations.DESCRIPTION_CHARS, mutations.NOTE_CHARS, mutations.REASON_CHARS,
                       mutations.TITLE_CHARS, mutations.PLACE_CHARS)
MIN_LIST_ITEMS = max(mutations.MAX_ORDER_TARGETS, mutations.MAX_ASSIGNED_UNITS)
MIN_OBJECT_KEYS = len(mutations.INCIDENT_FIELDS)
# An open console asks at least every MAX_LONG_POLL_SECONDS; a few minutes of a bad network
# must not end its session.
MIN_IDLE_MINUTES = 5


@dataclass(frozen=True)
class Key:
    """One setting of the file: where it goes, what it may hold, and how it reads and sets the
    ServerSettings."""

    section: str
    name: str
    whole: bool  # a whole number (else any number: whole or with a fraction)
    low: Number
    high: Number
    unit: str
    read: Callable[[ServerSettings], Number]
    write: Callable[[ServerSettings, Number], None]
    low_reason: str = ""  # why nothing smaller is taken

    @property
    def where(self) -> str:
        return f"[{self.section}] {self.name}"

    def allowed(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} of {self.unit} from {_number(self.low)} to {_number(self.high)}"


Reader = Callable[[ServerSettings], Number]
Writer = Callable[[ServerSettings, Number], None]


def _field(part: str, name: str, per: timedelta | None = None) -> tuple[Reader, Writer]:
    """Read and set `name` of the settings' `part` (limits, sessions, login_throttle): a whole
    number, or a timedelta counted in `per`."""
    def read(s: ServerSettings) -> Number:
        value = getattr(getattr(s, part), name)
        return _whole(value / per) if per is not None else int(value)

    def write(s: ServerSettings, value: Number) -> None:
        changes: dict[str, Any] = {name: value * per if per is not None else int(value)}
        setattr(s, part, replace(getattr(s, part), **changes))
    return read, write


def _set_lifetime(s: ServerSettings, hours: Number) -> None:
    s.token_ttl = timedelta(hours=hours)


KEYS: tuple[Key, ...] = (
    Key("limits", "max_body_bytes", True, MIN_BODY_BYTES, 256 * 1024 * 1024, "bytes",
        *_field("limits", "max_body_bytes"),
        low_reason=f"a console pushes {MAX_PUSH_BATCH} mutations at once, and {MAX_PUSH_BATCH} "
                   "incident reports with every text at its longest take about 7.6 MB"),
    Key("limits", "max_json_depth", True, MIN_JSON_DEPTH, 128, "levels",
        *_field("limits", "max_json_depth"), low_reason="a push nests 5 levels deep"),
    Key("limits", "max_string_chars", True, MIN_STRING_CHARS, 100_000, "characters",
        *_field("limits", "max_string_chars"),
        low_reason=f"an incident's description may be {mutations.DESCRIPTION_CHARS:,} characters"),
    Key("limits", "max_list_items", True, MIN_LIST_ITEMS, 100_000, "items",
        *_field("limits", "max_list_items"),
        low_reason=f"a duty order may name {mutations.MAX_ORDER_TARGETS:,} offices"),
    Key("limits", "max_object_keys", True, MIN_OBJECT_KEYS, 10_000, "fields",
        *_field("limits", "max_object_keys"),
        low_reason=f"an incident report has {len(mutations.INCIDENT_FIELDS)} fields"),
    Key("sessions", "lifetime_hours", False, 0.25, 168, "hours",
        lambda s: _whole(s.token_ttl / timedelta(hours=1)), _set_lifetime),
    Key("sessions", "idle_timeout_minutes", True, MIN_IDLE_MINUTES, 1440, "minutes",
        *_field("sessions", "idle_timeout", MINUTE),
        low_reason=f"an open console asks at least every {MAX_LONG_POLL_SECONDS:g} seconds, and "
                   "a few minutes of a bad network must not end its session"),
    Key("sessions", "max_per_user", True, 1, 1000, "sessions",
        *_field("sessions", "max_per_user")),
    Key("login", "max_failures_per_user", True, 1, 100, "failed logins",
        *_field("login_throttle", "max_failures_per_user")),
    Key("login", "max_failures_per_address", True, 1, 10_000, "failed logins",
        *_field("login_throttle", "max_failures_per_address")),
    Key("login", "window_minutes", True, 1, 1440, "minutes",
        *_field("login_throttle", "window", MINUTE)),
    Key("login", "lockout_minutes", True, 1, 1440, "minutes",
        *_field("login_throttle", "lockout", MINUTE)),
)
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(k.section for k in KEYS))
_BY_NAME = {(k.section, k.name): k for k in KEYS}


class ConfigError(StartupError):
    """A settings file that cannot be used: every problem found, each worded for the operator."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        if len(problems) == 1:
            text = f"{path}: {problems[0]}"
        else:
            text = f"{path}: {len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems)
        super().__init__(text)


@dataclass(frozen=True)
class ServerConfig:
    """The settings a file set (keys it left out keep their defaults)."""

    path: str | None = None
    source: str = ""  # "--config" or "$SITROOM_CONFIG"
    values: Mapping[tuple[str, str], Number] = field(default_factory=dict)

    def apply(self, settings: ServerSettings) -> None:
        for (section, name), value in self.values.items():
            _BY_NAME[section, name].write(settings, value)


def find_config(given: str | None, environ: Mapping[str, str] | None = None) -> ServerConfig:
    """The settings of `--config FILE`, else of $SITROOM_CONFIG if set, else none (defaults).
    Raises ConfigError."""
    environ = os.environ if environ is None else environ
    if given:
        return load(given, "--config")
    from_environment = environ.get(ENVIRONMENT, "").strip()
    if from_environment:
        return load(from_environment, f"${ENVIRONMENT}")
    return ServerConfig()


def load(path: str | Path, source: str = "--config") -> ServerConfig:
    """Read and check a settings file; raises ConfigError naming each problem."""
    shown = str(Path(path).expanduser())
    data = _parse(Path(shown), shown, source)
    problems: list[str] = []
    values: dict[tuple[str, str], Number] = {}
    for section, content in data.items():
        if section not in SECTIONS:
            problems.append(_misplaced(section, content))
            continue
        if not isinstance(content, dict):
            problems.append(f"{section} must be a section ([{section}] on a line of its own, "
                            f"its keys below it), not {_shown(content)}")
            continue
        for name, value in content.items():
            key = _BY_NAME.get((section, name))
            if key is None:
                problems.append(_unknown(section, name))
                continue
            problem = _check(key, value)
            if problem:
                problems.append(problem)
            else:
                values[section, name] = value
    if problems:
        raise ConfigError(shown, problems)
    return ServerConfig(shown, source, values)


def _parse(path: Path, shown: str, source: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(shown, [f"the settings file given with {source} does not exist: give "
                                  f"the right path, or start from {EXAMPLE} or the output of "
                                  "`sitroom server --check` (every key with its default)"]) from None
    except IsADirectoryError:
        raise ConfigError(shown, [f"{source} names a folder: give the settings file itself"]) from None
    except OSError as exc:
        raise ConfigError(shown, [f"the settings file cannot be read ({exc.strerror or exc}): the "
                                  "server's user must be able to read it"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(shown, [f"not UTF-8 text (a byte at offset {exc.start} is not UTF-8): "
                                  "save the file as UTF-8"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        raise ConfigError(shown, [f"not valid TOML: {reason[:1].lower()}{reason[1:]}; write "
                                  f"`key = value` lines under [section] headers, as in "
                                  f"{EXAMPLE}"]) from None


def _check(key: Key, value: Any) -> str | None:
    wrong = f"{key.where} must be {key.allowed()}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{wrong}, not {_shown(value)}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{wrong}, not {value}"
    if key.whole and isinstance(value, float) and not value.is_integer():
        return f"{wrong}, not {value:g} (a fraction)"
    if not key.low <= value <= key.high:
        why = f": {key.low_reason}" if key.low_reason and value < key.low else ""
        return f"{wrong}, not {_number(value)}{why}"
    return None


def _misplaced(name: str, value: Any) -> str:
    homes = [k.section for k in KEYS if k.name == name]
    sections = ", ".join(f"[{s}]" for s in SECTIONS)
    if homes and not isinstance(value, dict):
        return f"{name} is outside any section: put it under [{homes[0]}]"
    if isinstance(value, dict):
        close = difflib.get_close_matches(name, SECTIONS, n=1)
        hint = f" (did you mean [{close[0]}]?)" if close else ""
        return f"unknown section [{name}]{hint}; the sections are {sections}"
    return f"unknown setting {name} outside any section; the sections are {sections}"


def _unknown(section: str, name: str) -> str:
    homes = [k.section for k in KEYS if k.name == name]
    if homes:
        return f"{name} belongs in [{homes[0]}], not [{section}]"
    names = [k.name for k in KEYS if k.section == section]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"[{section}] has no key {name}{hint}; its keys are {', '.join(names)}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return f'the text "{value[:40]}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a section"
    if isinstance(value, int | float):
        return _number(value)
    return f"a date or time ({value})"


def _number(value: Number) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _whole(value: float) -> Number:
    return int(value) if value.is_integer() else value


# -- what is in force ---------------------------------------------------------------------------
def effective(settings: ServerSettings) -> dict[tuple[str, str], Number]:
    """Every key's value in these settings."""
    return {(k.section, k.name): k.read(settings) for k in KEYS}


def defaults() -> dict[tuple[str, str], Number]:
    return effective(ServerSettings(db_url=""))


def describe(settings: ServerSettings, config: ServerConfig,
             overridden: Mapping[tuple[str, str], str] | None = None) -> str:
    """The settings in force as TOML (it loads back), each with where it came from: the file,
    an option that overrides it (`overridden`: key -> the option), or the default."""
    overridden = overridden or {}
    values = effective(settings)
    origin = (f"{config.path} (from {config.source})" if config.path
              else f"no settings file (neither --config nor ${ENVIRONMENT}): the defaults")
    lines = [f"# sitroom server settings in force; {origin}"]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for key in (k for k in KEYS if k.section == section):
            where = (overridden.get((section, key.name))
                     or ("from the file" if (section, key.name) in config.values else "default"))
            value = values[section, key.name]
            literal = f"{value:_}" if isinstance(value, int) else repr(value)
            lines.append(f"{key.name} = {literal}  # {key.unit}; {where}")
    return "\n".join(lines)
