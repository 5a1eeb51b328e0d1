"""A careful start-up: `sitroom server` and `sitroom admin` open only a database that exists
(`sitroom admin init` creates it), say how to create one that does not, and report a port that
is taken before any banner."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from pg_databases import create_pg_database
from server_commands import run_admin, run_server
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from console.server.database import Database

pytestmark = pytest.mark.once  # no time shown; the same in every zone





@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # the default database's folder


def test_the_server_refuses_a_database_that_does_not_exist_and_creates_nothing(tmp_path, capsys) -> None:
    folder = tmp_path / "nonexistent" / "dir"
    url = f"sqlite:///{folder / 'x.db'}"
    assert run_server("--db", url, "--port", "0") == 2
    err = capsys.readouterr().err
    assert f"sitroom server: error: there is no database at {folder / 'x.db'}" in err
    assert f"create it with `sitroom admin init --db {url}`" in err
    assert "on http://" not in err and "Traceback" not in err
    assert not (tmp_path / "nonexistent").exists()


def test_the_default_database_must_be_created_too(tmp_path, capsys) -> None:
    assert run_server("--port", "0") == 2
    err = capsys.readouterr().err
    assert "there is no database at" in err and "`sitroom admin init`" in err
    assert not (tmp_path / "xdg").exists()
    assert run_admin("init") == 0
    assert (tmp_path / "xdg" / "sitroom" / "server.db").is_file()


def test_admin_commands_other_than_init_create_nothing(tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'admin.db'}"
    assert run_admin("--db", url, "org", "list") == 1
    assert "create it with `sitroom admin init --db" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    assert run_admin("init", "--db", url) == 0  # --db also after the command, as the error words it
    assert "database ready" in capsys.readouterr().out
    monkeypatch.setenv("SITROOM_DB", url)
    assert run_admin("org", "list") == 0  # $SITROOM_DB stands for --db


def test_an_empty_file_is_not_a_sitroom_database(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for run in (run_server, run_admin):
        argv = ["--db", f"sqlite:///{empty}"] + (["--port", "0"] if run is run_server else ["org", "list"])
        assert run(*argv) != 0
        err = capsys.readouterr().err
        assert "has no sitroom schema" in err and "sitroom admin init" in err, err
    assert empty.stat().st_size == 0


@pytest.mark.postgres
def test_postgresql_without_schema_database_or_role_is_worded(pg_url, capsys) -> None:
    url, drop = create_pg_database(pg_url, "sitroom_start")
    try:
        assert run_server("--db", url, "--port", "0") == 2
        assert "has no sitroom schema" in capsys.readouterr().err
        db = Database(url)
        assert inspect(db.engine).get_table_names() == []  # nothing was created
        db.dispose()
        assert run_admin("--db", url, "init") == 0
    finally:
        drop()
    missing = make_url(pg_url).set(database=f"nodb_{uuid.uuid4().hex[:8]}")
    assert run_server("--db", missing.render_as_string(hide_password=False), "--port", "0") == 2
    err = capsys.readouterr().err
    assert f"the PostgreSQL database {missing.database} does not exist" in err
    assert f"createdb --owner {missing.username} {missing.database}" in err
    nobody = missing.set(username=f"norole_{uuid.uuid4().hex[:8]}", database="postgres")
    assert run_admin("--db", nobody.render_as_string(hide_password=False), "init") == 1
    err = capsys.readouterr().err
    assert f"PostgreSQL has no role {nobody.username}" in err
    assert f"createuser --pwprompt {nobody.username}" in err


@pytest.mark.postgres
def test_admin_init_works_for_a_database_owner_who_is_no_superuser(pg_url, capsys) -> None:
    """As the README's createuser/createdb make it: a plain role owning an empty database."""
    role = f"sitroom_owner_{uuid.uuid4().hex[:8]}"
    url, drop = create_pg_database(pg_url, "sitroom_owner")
    su = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    database = make_url(url).database
    with su.connect() as c:
        c.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'owner secret'"))
        c.execute(text(f'ALTER DATABASE "{database}" OWNER TO "{role}"'))
    owner_url = make_url(url).set(username=role, password="owner secret")
    try:
        assert run_admin("--db", owner_url.render_as_string(hide_password=False), "init") == 0, \
            capsys.readouterr().err
    finally:
        drop()
        with su.connect() as c:
            c.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        su.dispose()


def test_a_port_that_is_taken_is_reported_before_any_banner(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert run_admin("--db", url, "init") == 0
    capsys.readouterr()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert run_server("--db", url, "--port", str(port), "--log-level", "warning") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sitroom server: error: port {port} on 127.0.0.1 is already in use"), err
    assert "--port" in err and "on http://" not in err and "Traceback" not in err


def test_a_host_that_is_not_here_is_worded(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert run_admin("--db", url, "init") == 0
    capsys.readouterr()
    assert run_server("--db", url, "--host", "no-such-host.invalid", "--port", "0") == 2
    err = capsys.readouterr().err
    assert "cannot listen on 'no-such-host.invalid'" in err and "on http://" not in err
