"""The server's settings file (`sitroom server --config FILE`, `$SITROOM_CONFIG`): the packaged
example holds every key at its default; a bad file is refused before anything starts, with the
file, the key and the range allowed; a setting from the file takes effect on the server that
`sitroom server` builds. And no answer names the server software (`Server: uvicorn`)."""

from __future__ import annotations

import re
import tomllib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient
from server_commands import run_server
from server_testkit import PASSWORD, seed_world
from sqlalchemy import select

from console.domain import mutations
from console.protocol.limits import WireLimits, json_depth, value_problem
from console.protocol.schema import MAX_PUSH_BATCH, MutationIn, PushRequest
from console.server import config
from console.server.database import Database
from console.server.embedded import EmbeddedServer
from console.server.settings import ServerSettings
from console.server.tables import SessionToken

pytestmark = pytest.mark.once  # no time shown; the same in every zone

EXAMPLE = Path(__file__).resolve().parents[3] / "packaging" / "sitroom-server.toml"



@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    monkeypatch.delenv("SITROOM_CONFIG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    yield


def write(tmp_path: Path, text: str | bytes, name: str = "server.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- the example file and the ranges ------------------------------------------------------------
def test_the_packaged_example_sets_every_key_to_its_default() -> None:
    loaded = config.load(EXAMPLE)
    assert dict(loaded.values) == config.defaults()
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert {(s, k) for s, keys in raw.items() for k in keys} == {(k.section, k.name) for k in config.KEYS}
    settings = ServerSettings(db_url="")
    loaded.apply(settings)
    assert settings.limits == WireLimits() and settings.token_ttl == timedelta(hours=12)
    assert settings.sessions == ServerSettings(db_url="").sessions
    assert settings.login_throttle == ServerSettings(db_url="").login_throttle
    # each key has a one-line comment above it that states the range the server takes
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for key in config.KEYS:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key.name} = "))
        assert lines[at - 1].startswith("# "), key.name
        assert f"({config._number(key.low)} to {config._number(key.high)}" in lines[at - 1], key.name
        assert config._check(key, config.defaults()[key.section, key.name]) is None  # in range


def test_the_smallest_limits_still_take_the_largest_push_a_console_sends() -> None:
    hangul = "가"  # 3 bytes in UTF-8, as the console sends it (no \\u escapes)
    longest = {"category": "c" * mutations.CODE_CHARS, "code": 1, "title": hangul * mutations.TITLE_CHARS,
               "title_en": hangul * mutations.TITLE_CHARS, "lat": -37.123456789012345,
               "lon": -126.12345678901234, "place": hangul * mutations.PLACE_CHARS,
               "district": hangul * mutations.NAME_CHARS, "town": hangul * mutations.NAME_CHARS,
               "description": hangul * mutations.DESCRIPTION_CHARS,
               "reporter": hangul * mutations.NAME_CHARS, "station_code": "S" * mutations.CODE_CHARS}
    assert set(longest) == set(mutations.INCIDENT_FIELDS)
    push = PushRequest(client_id="c" * 64, mutations=[
        MutationIn(client_seq=2**62 + i, kind="incident.create", record_kind="incident",
                   record_id="r" * 64, payload=longest, made_at="2026-06-03T05:30:00.123456+09:00")
        for i in range(MAX_PUSH_BATCH)]).model_dump_json().encode()
    assert 7_000_000 < len(push) <= config.MIN_BODY_BYTES
    assert json_depth(push) <= config.MIN_JSON_DEPTH
    smallest = WireLimits(max_body_bytes=config.MIN_BODY_BYTES, max_json_depth=config.MIN_JSON_DEPTH,
                          max_string_chars=config.MIN_STRING_CHARS,
                          max_list_items=config.MIN_LIST_ITEMS, max_object_keys=config.MIN_OBJECT_KEYS)
    assert value_problem(longest, smallest) is None
    assign = {"unit_ids": ["u" * mutations.ID_CHARS] * mutations.MAX_ASSIGNED_UNITS}
    order = {"level": "level_a", "targets": ["S" * mutations.CODE_CHARS] * mutations.MAX_ORDER_TARGETS,
             "reason": hangul * mutations.REASON_CHARS, "effective_from": "2026-06-03T06:00:00+09:00"}
    assert value_problem(assign, smallest) is None and value_problem(order, smallest) is None
    body = PushRequest(client_id="c" * 64, mutations=[MutationIn(
        client_seq=1, kind="incident.assign", record_kind="incident", record_id="r",
        payload=assign, made_at="x")]).model_dump_json().encode()
    assert json_depth(body) <= config.MIN_JSON_DEPTH


# -- refused, with the file, the key and the range ----------------------------------------------
BAD = [
    ("[limits]\nmax_body_bytes = 1000\n",
     "[limits] max_body_bytes must be a whole number of bytes from 7,864,320 to 268,435,456, not "
     "1,000: a console pushes 500 mutations at once"),
    ("[limits]\nmax_body_bytes = 1_000_000_000_000\n", "from 7,864,320 to 268,435,456, not 1,000,000,000,000"),
    ("[limits]\nmax_json_depth = \"32\"\n",
     '[limits] max_json_depth must be a whole number of levels from 8 to 128, not the text "32"'),
    ("[limits]\nmax_string_chars = 100\n", "from 4,000 to 100,000, not 100: an incident's description"),
    ("[limits]\nmax_list_items = 10\n", "from 1,000 to 100,000, not 10: a duty order may name 1,000 offices"),
    ("[sessions]\nidle_timeout_minutes = 0\n",
     "[sessions] idle_timeout_minutes must be a whole number of minutes from 5 to 1,440, not 0"),
    ("[sessions]\nlifetime_hours = 0\n", "[sessions] lifetime_hours must be a number of hours from 0.25 to 168, not 0"),
    ("[sessions]\nlifetime_hours = -12.5\n", "from 0.25 to 168, not -12.5"),
    ("[sessions]\nmax_per_user = 2.5\n", "[sessions] max_per_user must be a whole number of sessions from 1 to 1,000, not 2.5 (a fraction)"),
    ("[login]\nlockout_minutes = -5\n", "[login] lockout_minutes must be a whole number of minutes from 1 to 1,440, not -5"),
    ("[login]\nwindow_minutes = true\n", "[login] window_minutes must be a whole number of minutes from 1 to 1,440, not true"),
    ("[login]\nwindow_minutes = inf\n", "not inf"),
    ("[login]\nwindow_minutes = nan\n", "not nan"),
    ("[login]\nmax_failures_per_user = [5]\n", "from 1 to 100, not a list"),
    ("[login]\nmax_failures_per_user = 1979-05-27\n", "from 1 to 100, not a date or time"),
    ("[limits]\nmax_strings = 5000\n",
     "[limits] has no key max_strings (did you mean max_string_chars?); its keys are max_body_bytes,"),
    ("[sessions]\nlockout_minutes = 5\n", "lockout_minutes belongs in [login], not [sessions]"),
    ("[session]\nmax_per_user = 5\n",
     "unknown section [session] (did you mean [sessions]?); the sections are [limits], [sessions], [login]"),
    ("max_body_bytes = 9_000_000\n", "max_body_bytes is outside any section: put it under [limits]"),
    ("debug = true\n", "unknown setting debug outside any section"),
    ("limits = 5\n", "limits must be a section ([limits] on a line of its own"),
    ("[limits.extra]\nx = 1\n", "[limits] has no key extra"),
    ("[limits\n", "not valid TOML: expected ']' at the end of a table declaration (at line 1, column 8)"),
    ("[limits]\nmax_body_bytes = 8388608\nmax_body_bytes = 1\n", "not valid TOML"),
    (b"[limits]\n# \xff\n", "not UTF-8 text"),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_a_bad_file_is_refused_before_anything_starts(tmp_path, capsys, text, expected) -> None:
    path = write(tmp_path, text)
    with pytest.raises(config.ConfigError) as raised:
        config.load(path)
    assert str(raised.value) == f"{path}: {raised.value.problems[0]}"
    assert expected in str(raised.value), str(raised.value)
    # `sitroom server`: refused before the database, the port and the banner (none given here)
    assert run_server("--config", str(path), "--port", "0") == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"sitroom server: error: {path}: ") and expected in err, err
    assert "no database" not in err and "on http" not in err and "Traceback" not in err
    assert out == "" and not (tmp_path / "xdg").exists()
    # --check says the same
    assert run_server("--config", str(path), "--check") == 2
    assert expected in capsys.readouterr().err


def test_every_problem_of_a_file_is_listed(tmp_path) -> None:
    path = write(tmp_path, "[limits]\nmax_body_bytes = 1\n[sessions]\nidle_timeout_minutes = -1\n"
                           "[login]\nlockout_mins = 5\n")
    with pytest.raises(config.ConfigError) as raised:
        config.load(path)
    lines = str(raised.value).splitlines()
    assert lines[0] == f"{path}: 3 problems:"
    assert [line.split(" must ")[0].split(" has ")[0].strip() for line in lines[1:]] == [
        "[limits] max_body_bytes", "[sessions] idle_timeout_minutes", "[login]"]
    assert "did you mean lockout_minutes?" in lines[3]


def test_a_missing_file_or_a_folder_is_worded(tmp_path, capsys, monkeypatch) -> None:
    missing = tmp_path / "nowhere.toml"
    assert run_server("--config", str(missing), "--check") == 2
    err = capsys.readouterr().err
    assert f"{missing}: the settings file given with --config does not exist" in err
    assert "packaging/sitroom-server.toml" in err
    assert run_server("--config", str(tmp_path), "--check") == 2
    assert "--config names a folder" in capsys.readouterr().err
    # $SITROOM_CONFIG stands for --config, and --config wins over it
    monkeypatch.setenv("SITROOM_CONFIG", str(missing))
    assert run_server("--check") == 2
    assert "the settings file given with $SITROOM_CONFIG does not exist" in capsys.readouterr().err
    good = write(tmp_path, "[login]\nlockout_minutes = 30\n")
    assert run_server("--config", str(good), "--check") == 0
    assert "lockout_minutes = 30  # minutes; from the file" in capsys.readouterr().out
    monkeypatch.setenv("SITROOM_CONFIG", str(good))
    assert run_server("--check") == 0
    assert f"{good} (from $SITROOM_CONFIG)" in capsys.readouterr().out
    monkeypatch.setenv("SITROOM_CONFIG", "")
    assert run_server("--check") == 0
    assert "no settings file" in capsys.readouterr().out


def test_check_prints_the_settings_in_force_as_a_file_that_loads_back(tmp_path, capsys) -> None:
    path = write(tmp_path, "[sessions]\nlifetime_hours = 24\nmax_per_user = 3\n[login]\nwindow_minutes = 30\n")
    assert run_server("--config", str(path), "--check", "--session-hours", "1.5") == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith(f"# sitroom server settings in force; {path} (from --config)")
    assert "lifetime_hours = 1.5  # hours; --session-hours" in out
    assert "max_per_user = 3  # sessions; from the file" in out
    assert "max_body_bytes = 8_388_608  # bytes; default" in out
    printed = write(tmp_path, out, "printed.toml")
    expected = {**config.defaults(), ("sessions", "lifetime_hours"): 1.5,
                ("sessions", "max_per_user"): 3, ("login", "window_minutes"): 30}
    assert dict(config.load(printed).values) == expected


# -- the settings take effect on the server `sitroom server` builds ------------------------------
def test_settings_from_the_file_take_effect_on_the_server(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    database = Database(url)
    database.upgrade()
    seed_world(database)
    database.dispose()
    path = write(tmp_path, "[limits]\nmax_body_bytes = 7_864_320\n"
                           "[sessions]\nlifetime_hours = 2\nidle_timeout_minutes = 10\nmax_per_user = 1\n"
                           "[login]\nmax_failures_per_user = 2\n")
    seen: dict[str, Any] = {}

    class Serving:
        """Stands for uvicorn's server: exercises the app `sitroom server` built, in process."""

        def __init__(self, uvicorn_config: Any) -> None:
            self.config = uvicorn_config

        def run(self, sockets: Any = None) -> None:
            seen["server_header"] = self.config.server_header
            with TestClient(self.config.app, raise_server_exceptions=False) as client:
                seen.update(exercise(client, self.config.app.state.server.db))

    monkeypatch.setattr("console.server.app.StoppingServer", Serving)
    assert run_server("--db", url, "--port", "0", "--config", str(path), "--escalation-interval", "0") == 0
    assert "sitroom server: sqlite:///" in capsys.readouterr().err  # the banner: it started
    assert seen["server_header"] is False
    # an 8,000,000-byte push: over the file's 7,864,320 bytes (the default, 8 MiB, takes it)
    assert seen["big push"] == (413, "too_large")
    # 2 failed logins lock the user name out (the default takes 5): the right password then gets 429
    assert seen["logins"] == [401, 401, 429]
    # one session per user: a second login ends the first
    assert seen["first session after a second login"] == 401
    assert seen["session"] == (timedelta(hours=2), 600)

    # the same requests on the defaults
    monkeypatch.setattr("console.server.app.StoppingServer", Serving)
    database = Database(url)
    from console.server import throttle
    with database.write() as session:
        throttle.unlock(session, throttle.USER, "cmd1")
    database.dispose()
    assert run_server("--db", url, "--port", "0", "--escalation-interval", "0") == 0
    assert seen["big push"][0] == 401  # past the size check: only then is the token asked for
    assert seen["logins"] == [401, 401, 200]
    assert seen["first session after a second login"] == 200
    assert seen["session"] == (timedelta(hours=12), 7200)


def exercise(client: TestClient, database: Database) -> dict[str, Any]:
    found: dict[str, Any] = {}
    big = b'{"client_id": "console-x", "mutations": [], "pad": "' + b"x" * 8_000_000 + b'"}'
    r = client.post("/api/v1/mutations", content=big, headers={"Content-Type": "application/json"})
    found["big push"] = (r.status_code, r.json().get("code"))
    logins = []
    for password in ("wrong one", "wrong two", PASSWORD):
        r = client.post("/api/v1/login", json={"username": "cmd1", "password": password,
                                               "client_id": f"console-{uuid.uuid4().hex[:12]}"})
        logins.append(r.status_code)
    found["logins"] = logins
    tokens = []
    for _ in range(2):
        r = client.post("/api/v1/login", json={"username": "op1", "password": PASSWORD,
                                               "client_id": f"console-{uuid.uuid4().hex[:12]}"})
        assert r.status_code == 200, r.text
        tokens.append(r.json()["token"])
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens[0]}"})
    found["first session after a second login"] = r.status_code
    with database.read() as session:
        row = session.scalars(select(SessionToken).where(SessionToken.username == "op1")
                              .order_by(SessionToken.created_at.desc())).first()
        assert row is not None
        found["session"] = (row.expires_at - row.created_at, row.idle_seconds)
    return found


# -- no `Server: uvicorn` -------------------------------------------------------------------------
def test_no_answer_names_the_server_software(server: EmbeddedServer) -> None:
    for path in ("/health", "/api/v1/me", "/nowhere"):
        r = requests.get(server.url + path, timeout=10)
        assert "server" not in {name.lower() for name in r.headers}, (path, dict(r.headers))
        assert not re.search("uvicorn", str(r.headers), re.I)
