"""Two `sitroom server` processes on one PostgreSQL behind HAProxy (packaging/haproxy/sitroom.cfg,
on loopback ports): consoles cannot tell the processes apart. A write through one is read
through the other, and when one process is killed while consoles long-poll, they carry on
through the other with nothing lost or duplicated."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from pg_databases import create_pg_database
from server_processes import ServerProcess, free_port
from sync_helpers import Console, audit_count, converged, new_incident, seed, server_client_results, wait_for

from console.domain.records import RecordKind
from console.server.database import Database

pytestmark = pytest.mark.postgres

INC = RecordKind.INCIDENT
PACKAGED = Path(__file__).resolve().parents[3] / "packaging" / "haproxy" / "sitroom.cfg"


def loopback_config(frontend: int, backends: list[int]) -> str:
    """The packaged configuration with its timeouts and health checks as they are, its front door
    and instances on loopback ports without TLS, and without what needs root (chroot, user, a
    file limit for 20,000 connections)."""
    text = PACKAGED.read_text()
    text = re.sub(r"(?m)^    (log /dev/log|chroot|user|group|stats socket).*\n", "", text)
    text = re.sub(r"(?m)^    maxconn .*$", "    maxconn 1000", text)  # a user's file limit allows this
    text = re.sub(r"(?m)^    bind .*$", f"    bind 127.0.0.1:{frontend}", text)
    text = re.sub(r"(?m)^    server .*\n", "", text)
    servers = "".join(f"    server sitroom{i + 1} 127.0.0.1:{port} check\n" for i, port in enumerate(backends))
    return text.rstrip("\n") + "\n" + servers


@pytest.fixture
def database(pg_url: str) -> Iterator[Any]:
    url, drop = create_pg_database(pg_url, "sitroom_haproxy")
    db = Database(url)
    db.upgrade()
    holder = SimpleNamespace(database=db, url=url)  # what sync_helpers' seed and converged use
    seed(holder)  # type: ignore[arg-type]
    try:
        yield holder
    finally:
        db.dispose()
        drop()


@pytest.fixture
def cluster(database: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if shutil.which("haproxy") is None:
        pytest.skip("haproxy is not installed (Debian: apt-get install haproxy; packaging/setup.sh does)")
    servers = [ServerProcess(database.url, tmp_path / f"server{i}.log", "--escalation-interval", "0",
                             "--trusted-proxy", "127.0.0.1") for i in range(2)]
    front = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(loopback_config(front, [s.port for s in servers]))
    check = subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=(tmp_path / "haproxy.log").open("w"), start_new_session=True)
    try:
        for server in servers:
            server.wait_ready()
        url = f"http://127.0.0.1:{front}"
        wait_for(lambda: _answers(url), timeout=20, what="HAProxy's front door")
        yield {"servers": servers, "url": url, "haproxy": haproxy}
    finally:
        haproxy.terminate()
        haproxy.wait(10)
        for server in servers:
            server.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _served_users(server: ServerProcess) -> set[str]:
    return set(re.findall(r'"user": "([^"]+)"', server.log_path.read_text(errors="replace")))


@pytest.mark.once  # about 14 s (two server processes, HAProxy, six consoles), shows no time
def test_consoles_behind_haproxy_cannot_tell_two_servers_apart_even_when_one_dies(
        database: Any, cluster: dict[str, Any], consoles: Callable[..., Console]) -> None:
    a, b = cluster["servers"]
    front = cluster["url"]
    # Metrics are not served through the front door, even though HAProxy connects from loopback.
    assert requests.get(f"{front}/metrics", timeout=5).status_code == 404

    # Written through process A, read through process B.
    writer = consoles(a.url, "op1", long_poll_wait=5.0)
    reader = consoles(b.url, "op1b", long_poll_wait=5.0)
    # Consoles through HAProxy: leastconn spreads their long-polls over A and B.
    behind = [consoles(front, user, name=f"lb-{user}", long_poll_wait=5.0)
              for user in ("cmd1", "seoul", "op2", "opb")]
    everyone = [writer, reader, *behind]
    wait_for(lambda: all(converged(c, database) for c in everyone), timeout=60, what="first sync")
    rid = writer.replica.new_id()
    writer.replica.submit("incident.create", INC, rid, new_incident(title="through A"))
    wait_for(lambda: reader.replica.row(INC, rid) is not None, timeout=20, what="A's write read through B")
    wait_for(lambda: all(converged(c, database) for c in everyone), timeout=30, what="convergence")
    assert _served_users(b) & {"cmd1", "seoul", "op2", "opb"}, "no console behind HAProxy reached B"

    # B dies while the consoles behind HAProxy long-poll; the writer on A and they keep writing.
    reader.close()
    time.sleep(1.0)  # every console is inside a long-poll now
    killed_at = time.perf_counter()
    b.kill()
    written = []
    for i in range(5):
        for console in (writer, behind[0], behind[2]):
            new = console.replica.new_id()
            console.replica.submit("incident.create", INC, new, new_incident(
                station={"op1": "S1", "cmd1": "S1", "op2": "S2"}[console.name], title=f"after the kill {i}"))
            written.append((console, new))
        time.sleep(0.2)
    survivors = [writer, *behind]
    wait_for(lambda: all(converged(c, database) for c in survivors), timeout=60,
             what="convergence through the surviving process")
    print(f"\nevery console converged {time.perf_counter() - killed_at:.2f} s after B was killed")

    # Nothing lost: every console's every write applied once, and seen where its scope shows it.
    for console in (writer, behind[0], behind[2]):
        client_id = console.replica.client_id()
        results = server_client_results(database, client_id)  # type: ignore[arg-type]
        mine = [new for c, new in written if c is console]
        assert len(results) == len(mine) + (1 if console is writer else 0)
        assert set(results.values()) == {"applied"}
        assert audit_count(database, client_id) == len(results)  # type: ignore[arg-type]
    for console, new in written:
        assert console.replica.row(INC, new) is not None
    assert behind[1].replica.row(INC, written[0][1]) is not None  # Seoul HQ sees S1's incidents
    # Nothing duplicated: each incident once on the server, as its console made it.
    with database.database.read() as session:
        from sqlalchemy import select

        from console.server.tables import RowRecord

        titles = Counter(data["title"] for data in session.scalars(
            select(RowRecord.data).where(RowRecord.kind == "incident")))
    assert titles["through A"] == 1
    assert all(titles[f"after the kill {i}"] == 3 for i in range(5))
    assert a.process.poll() is None
