"""`sitroom admin` and `sitroom server` as a user runs them: messages, exit codes, no tracebacks."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from server_commands import run_admin
from sqlalchemy import select

from console.server import admin, cli
from console.server.database import Database
from console.server.tables import RowRecord, User


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'admin.db'}"


def _setup_orgs(url: str) -> None:
    assert run_admin("--db", url, "init") == 0
    assert run_admin("--db", url, "org", "add", "NPA", "--level", "national", "--name-ko", "경찰청",
                     "--name-en", "National Police Agency") == 0
    assert run_admin("--db", url, "org", "add", "SEOUL", "--level", "provincial", "--parent", "NPA",
                     "--name-ko", "서울경찰청", "--name-en", "Seoul") == 0
    assert run_admin("--db", url, "org", "add", "S1", "--level", "station", "--parent", "SEOUL",
                     "--name-ko", "종로경찰서", "--name-en", "Jongno", "--personnel", "250") == 0


def test_admin_sets_up_orgs_users_imports_and_orders(url, tmp_path, capsys) -> None:
    _setup_orgs(url)
    assert run_admin("--db", url, "user", "add", "kim", "--role", "station_commander", "--org", "S1",
                     "--name", "Kim Minsu", stdin="a long password\n") == 0
    csv = tmp_path / "ps.csv"
    csv.write_text("id,kind,name,station_code,lat,lon\nps-1,election_day,First,S1,37.58,126.97\n",
                   encoding="utf-8")
    assert run_admin("--db", url, "import", "polling-stations", str(csv)) == 0
    capsys.readouterr()
    # Given in UTC, printed in Korean time: the operation's zone, whatever the machine's.
    assert run_admin("--db", url, "order", "issue", "--level", "level_a", "--targets", "S1",
                     "--from", "2025-06-02T21:00:00Z", "--issuer", "SEOUL",
                     "--reason", "선거일 갑호비상", "--reason-en", "Election day: Level A") == 0
    assert "from 2025-06-03 06:00 KST" in capsys.readouterr().out
    assert run_admin("--db", url, "org", "list") == 0
    assert run_admin("--db", url, "user", "list") == 0
    out = capsys.readouterr().out
    assert "/NPA/SEOUL/S1/" in out and "종로경찰서" in out
    assert "kim" in out and "station_commander" in out
    db = Database(url)
    with db.read() as session:
        user = session.get(User, "kim")
        assert user is not None and user.display_name == "Kim Minsu" and user.org_code == "S1"
        orders = session.scalars(select(RowRecord).where(RowRecord.kind == "duty_order")).all()
        assert [o.data["targets"] for o in orders] == [["S1"]]
        assert (orders[0].data["reason"], orders[0].data["reason_en"]) == ("선거일 갑호비상", "Election day: Level A")
        assert session.get(RowRecord, ("polling_station", "ps-1")) is not None
    db.dispose()


def test_admin_errors_are_clear_and_non_zero(url, tmp_path, capsys) -> None:
    assert run_admin("--db", url, "org", "list") == 1
    assert "sitroom admin init" in capsys.readouterr().err
    _setup_orgs(url)
    cases = [
        (["org", "add", "X1", "--level", "station", "--parent", "NPA", "--name-ko", "x", "--name-en", "x"],
         "must be provincial"),
        (["user", "add", "lee", "--role", "station_operator", "--org", "S1"], "at least 10 characters",
         "short\n"),
        (["user", "add", "lee", "--role", "national_hq", "--org", "S1"], "belongs to a national unit",
         "long enough\n"),
        (["user", "reset-password", "nobody"], "does not exist", "long enough\n"),
        (["order", "issue", "--level", "level_a", "--targets", "SEOUL", "--from",
          "2025-06-03T06:00:00+09:00", "--issuer", "SEOUL"], "not an office below the issuer"),
        (["order", "issue", "--level", "level_a", "--targets", "S1", "--from", "tomorrow",
          "--issuer", "SEOUL"], "not an ISO 8601"),
        (["import", "routes", str(tmp_path / "missing.csv")], "no such file"),
    ]
    for argv, message, *stdin in cases:
        assert run_admin("--db", url, *argv, stdin=stdin[0] if stdin else None) == 1, argv
        err = capsys.readouterr().err
        assert message in err, (argv, err)
        assert "Traceback" not in err
    bad = tmp_path / "bad.csv"
    bad.write_text("id,kind,name,station_code,lat,lon\np1,election_day,A,S1,37.5,127\n"
                   "p2,bogus,B,S1,37.5,127\np3,election_day,C,S9,37.5,127\n", encoding="utf-8")
    assert run_admin("--db", url, "import", "polling-stations", str(bad)) == 1
    err = capsys.readouterr().err
    assert "line 3: unknown polling station kind 'bogus'" in err
    assert "line 4: unknown police station 'S9'" in err


def test_password_is_prompted_twice(url, monkeypatch, capsys) -> None:
    _setup_orgs(url)
    answers = iter(["first password", "second password", "same password", "same password"])
    monkeypatch.setattr(admin.getpass, "getpass", lambda _prompt: next(answers))
    monkeypatch.setattr(admin.sys.stdin, "isatty", lambda: True)
    assert run_admin("--db", url, "user", "add", "park", "--role", "viewer", "--org", "S1") == 1
    assert "do not match" in capsys.readouterr().err
    assert run_admin("--db", url, "user", "add", "park", "--role", "viewer", "--org", "S1") == 0


def test_admin_help_documents_the_csv_columns(capsys) -> None:
    parser = argparse.ArgumentParser(prog="sitroom admin")
    admin.add_arguments(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["import", "--help"])
    out = capsys.readouterr().out
    for column in ("polling_station_id", "counting_station_id", "planned_minutes", "officers_planned"):
        assert column in out


def test_server_command_refuses_a_bad_database_clearly(tmp_path, capsys) -> None:
    parser = argparse.ArgumentParser(prog="sitroom server")
    cli.add_arguments(parser)
    for argv, message in (
        (["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"], "cannot open the database"),
        (["--db", "mysql://x/y"], "unsupported database"),
        (["--db", f"sqlite:///{tmp_path / 'x.db'}", "--clock-start", "2025-06-03T06:00"],
         "must carry a time zone"),
        (["--db", f"sqlite:///{tmp_path / 'x.db'}", "--clock-speed", "0"], "must be positive"),
    ):
        assert cli.run(parser.parse_args(argv)) == 2, argv
        err = capsys.readouterr().err
        assert f"sitroom server: error: {message}" in err or message in err, (argv, err)
        assert "Traceback" not in err


def test_server_command_starts_as_a_process_and_answers(tmp_path) -> None:
    """The real thing, once: a child process serving /health on a free port."""
    import socket
    import time

    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = ("import argparse, sys\nfrom console.server import cli\n"
            "p = argparse.ArgumentParser(); cli.add_arguments(p)\n"
            "sys.exit(cli.run(p.parse_args(sys.argv[1:])))")
    assert run_admin("--db", f"sqlite:///{tmp_path / 's.db'}", "init") == 0  # created explicitly
    child = subprocess.Popen([sys.executable, "-c", code, "--db", f"sqlite:///{tmp_path / 's.db'}",
                              "--port", str(port), "--log-level", "warning"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                body = requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except requests.ConnectionError:
                assert child.poll() is None, child.communicate()[1]
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        assert body["status"] == "ok" and "version" not in body  # details need a token
    finally:
        child.terminate()
        _out, err = child.communicate(timeout=30)
    assert "Traceback" not in err


def test_server_command_defaults(monkeypatch) -> None:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.clock_speed, args.db) == ("127.0.0.1", cli.DEFAULT_PORT, 1.0, None)


def test_feed_status_and_prune(url, capsys) -> None:
    _setup_orgs(url)
    capsys.readouterr()
    assert run_admin("--db", url, "feed", "status") == 0
    out = capsys.readouterr().out
    assert "feed head 3, retained above 0" in out and "org: 3 rows" in out
    assert run_admin("--db", url, "feed", "prune", "--below", "3") == 0
    assert "dropped 2 feed entries" in capsys.readouterr().out
    assert run_admin("--db", url, "feed", "status") == 0
    assert "retained above 2" in capsys.readouterr().out
