"""README's "Operating the server", followed as written: its shell blocks run in one shell, as an
operator would type them, and a console then syncs from the server they started and holds the
station's units, personnel, sites and order.

Blocks are found by the `<!-- operator: NAME -->` comment on the line before each one. What the
test changes, and nothing more:
- SQLite: the data folder, through XDG_DATA_HOME (README names it);
- PostgreSQL: the URL in README's `export SITROOM_DB=...` line, for a fresh test database (the
  `createuser`/`createdb` block needs the cluster's superuser and a terminal: it is checked
  against that URL instead, and test_server_startup shows `admin init` by a plain owner role);
- the server's `--host 0.0.0.0 --port 8470` becomes loopback and a port the system picks (read
  back from the server's banner).
The script runs under `set -euo pipefail`, so any command that fails stops it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pg_databases import create_pg_database
from sqlalchemy.engine import make_url

from console.domain.clock import OPERATION_TZ
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.replica import Replica
from console.sync import SyncEngine
from console.views.duty import duty_view

pytestmark = pytest.mark.once  # the replica is checked at a fixed moment; the same in every zone

README = Path(__file__).resolve().parents[3] / "README.md"
BLOCK = re.compile(r"<!-- operator: ([\w-]+) -->\n```sh\n(.*?)```\n", re.S)
BLOCKS = ["sqlite", "postgresql-cluster", "postgresql", "offices", "users", "sites", "order", "server"]
COMMON = ["offices", "users", "sites", "order", "server"]
PG_EXPORT = "export SITROOM_DB='postgresql+psycopg://sitroom:PASSWORD@dbhost/sitroom'"
SERVER_ADDRESS = "--host 0.0.0.0 --port 8470"
# The users block reads one password per `user add`, in its order (README: from a script).
PASSWORDS = {"kim": "jongno commander on watch", "lee": "jongno operator on watch"}
ELECTION_MORNING = datetime(2026, 6, 3, 10, 20, tzinfo=OPERATION_TZ)


def operator_blocks() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Operating the server\n")
    end = text.find("\n## ", start + 1)
    found = BLOCK.findall(text[start:end if end > 0 else None])
    assert [name for name, _ in found] == BLOCKS, "README's operator blocks changed: update this test"
    return dict(found)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    work = tmp_path / "operator"
    work.mkdir()
    return work


def _start(script: str, workdir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    """The script in one bash, its own process group; its stderr collected line by line."""
    shell = subprocess.Popen(["bash", "-c", "set -euo pipefail\n" + script], cwd=workdir, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    assert shell.stdin is not None and shell.stderr is not None
    shell.stdin.write("".join(f"{p}\n" for p in PASSWORDS.values()))
    shell.stdin.close()
    lines: list[str] = []
    stderr = shell.stderr

    def collect() -> None:
        for line in stderr:
            lines.append(line)

    threading.Thread(target=collect, daemon=True).start()
    return shell, lines


def _server_url(shell: subprocess.Popen[str], lines: list[str]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in list(lines):
            found = re.search(r"sitroom server: .* on (http://[\d.]+:\d+) ", line)
            if found:
                return found.group(1)
        if shell.poll() is not None:
            time.sleep(0.2)  # the reader thread's last lines
            out = shell.stdout.read() if shell.stdout else ""
            pytest.fail(f"the README's commands stopped (exit {shell.returncode}):\n{out}\n"
                        + "".join(lines))
        time.sleep(0.1)
    pytest.fail("the server did not print its banner within 60 s:\n" + "".join(lines))


def _stop(shell: subprocess.Popen[str]) -> None:
    if shell.poll() is None:
        os.killpg(shell.pid, signal.SIGTERM)
        try:
            shell.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(shell.pid, signal.SIGKILL)
            shell.wait(timeout=5)


def _follow(script: str, workdir: Path, env: dict[str, str]) -> Iterator[str]:
    shell, lines = _start(script, workdir, env)
    try:
        yield _server_url(shell, lines)
    finally:
        _stop(shell)
    assert not any("Traceback" in line for line in lines), "".join(lines)


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SITROOM_DB"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `sitroom`
    env.update(extra)
    return env


def _script(blocks: dict[str, str], first: str, names: list[str]) -> str:
    parts = [first] + [blocks[n] for n in names]
    server = parts[-1]
    assert SERVER_ADDRESS in server
    parts[-1] = server.replace(SERVER_ADDRESS, "--host 127.0.0.1 --port 0")
    return "\n".join(parts)


def _check_console(url: str, tmp_path: Path) -> None:
    """A console of the station commander syncs and holds what the README set up."""
    replica = Replica(tmp_path / "console" / "replica.sqlite3")
    engine = SyncEngine(url, replica, long_poll_wait=2.0)
    try:
        login = engine.login("kim", PASSWORDS["kim"])
        assert not login.offline and login.user.org_code == "S11110"
        engine.start()
        deadline = time.monotonic() + 30
        while replica.cursor() is None:
            assert time.monotonic() < deadline, "the console's first sync did not finish"
            time.sleep(0.05)
        units = {r.id: r.data for r in replica.rows(RecordKind.UNIT)}
        assert set(units) == {"S11110-U01", "S11110-U02", "S11110-U03", "S11110-U04"}
        assert units["S11110-U04"]["callsign"] == "종로 타격대"
        assert (units["S11110-U01"]["lat"], units["S11110-U01"]["lon"]) == (37.572, 126.985)
        sites = {r.id: r.data["kind"] for r in replica.rows(RecordKind.POLLING_STATION)}
        assert sites == {"S11110-P001": "election_day", "S11110-P002": "election_day",
                         "S11110-E001": "early_voting"}
        assert [r.id for r in replica.rows(RecordKind.COUNTING_STATION)] == ["S11110-C01"]
        assert sorted(r.id for r in replica.rows(RecordKind.ROUTE)) == ["S11110-R001", "S11110-R002"]
        # The duty panel's figures on election morning: Level A in force, a share of 420 required.
        view = duty_view(replica, "S11110", "/NPA/SEOUL/S11110/", Role.STATION_COMMANDER,
                         ELECTION_MORNING)
        assert view.in_force is not None and view.in_force.level == "level_a"
        assert view.in_force.reason == "선거일 갑호비상" and view.issuer is not None
        assert view.issuer.code == "SEOUL"
        assert [o.id for o in view.unacknowledged] == [view.in_force.id]
        assert view.own.personnel_total == 420 and view.own.required > 0
        assert view.office is not None and view.office.name_ko == "종로경찰서"
    finally:
        engine.close()
        replica.close()


def test_readme_operator_path_on_sqlite(workdir, tmp_path) -> None:
    blocks = operator_blocks()
    data = tmp_path / "data"
    env = _environment(XDG_DATA_HOME=str(data))
    for url in _follow(_script(blocks, blocks["sqlite"], COMMON), workdir, env):
        assert (data / "sitroom" / "server.db").is_file()  # where README says it is
        _check_console(url, tmp_path)


def test_readme_postgresql_cluster_steps_make_the_role_and_database_of_the_url() -> None:
    blocks = operator_blocks()
    assert PG_EXPORT in blocks["postgresql"]
    url = make_url(PG_EXPORT.split("=", 1)[1].strip("'"))
    commands = [line.split("#")[0].split() for line in blocks["postgresql-cluster"].splitlines()]
    assert ["createuser", "--pwprompt", url.username] in commands
    assert ["createdb", "--owner", url.username, url.database] in commands


@pytest.mark.postgres
def test_readme_operator_path_on_postgresql(pg_url, workdir, tmp_path) -> None:
    blocks = operator_blocks()
    db_url, drop = create_pg_database(pg_url, "sitroom_readme")
    try:
        first = blocks["postgresql"].replace(PG_EXPORT, f"export SITROOM_DB='{db_url}'")
        assert first != blocks["postgresql"]
        for url in _follow(_script(blocks, first, COMMON), workdir, _environment()):
            _check_console(url, tmp_path)
    finally:
        drop()
