"""The TAK bridge on loopback: a TAK-like server relays an ATAK device's positions, which move the
matching unit in the replica and on the server; the console's open incidents and units reach
the TAK server as CoT events that validate against the base-event schema; the bridge reconnects
with backoff, over TLS with a client certificate too; offline, only the latest position per
unit is kept."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import Console, open_console, seed, server_rows, wait_for
from tak_fakes import FakeTakServer, assert_valid_cot, pli, until
from tls_certs import station_ca

from console.domain.records import RecordKind
from console.server.embedded import EmbeddedServer
from console.sync.engine import Backoff
from console.tak.bridge import TakBridge, TakSettings, TakSettingsError
from console.tak.cot import INCIDENT_TYPE, UNIT_TYPE, PositionReport, position_report
from console.tak.positions import PositionInbox

NOW = datetime(2025, 6, 3, 2, 0, tzinfo=UTC)
UNIT = "S1-car-1"  # call sign "S1 car 1", no position yet


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    srv = EmbeddedServer(f"sqlite:///{tmp_path / 'server.db'}", escalation_interval=None)
    srv.start()
    seed(srv)
    yield srv
    srv.close()


@pytest.fixture
def console(server: EmbeddedServer, tmp_path: Path) -> Iterator[Console]:
    c = open_console(server.url, "op1", tmp_path / "op1" / "replica.sqlite3")
    wait_for(lambda: c.replica.cursor() is not None and c.replica.row(RecordKind.UNIT, UNIT) is not None,
             what="the first sync")
    yield c
    c.close()


def bridge_for(console: Console, url: str, **settings: Any) -> TakBridge:
    inbox = PositionInbox(console.replica, online=lambda: True)
    return TakBridge(console.replica, TakSettings(url, **settings), inbox, clock=lambda: NOW,
                     backoff=Backoff(base=0.05, cap=0.2))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_positions_in_move_the_unit_and_incidents_out_arrive(server: EmbeddedServer, console: Console) -> None:
    async def scenario() -> None:
        port = free_port()
        bridge = bridge_for(console, f"tcp://127.0.0.1:{port}")
        stop = asyncio.Event()
        running = asyncio.create_task(bridge.run(stop))
        await asyncio.sleep(0.3)  # the TAK server is not up yet: the bridge keeps trying
        assert bridge.connections == 0
        tak = FakeTakServer()
        await tak.start(port)
        await until(lambda: len(tak.events(INCIDENT_TYPE)) == 3, what="the open incidents")

        # incidents out: every event valid CoT, the 112 code in the remarks
        for raw in tak.received:
            assert_valid_cot(raw)
        incidents = {e.get("uid"): e for e in tak.events(INCIDENT_TYPE)}
        assert set(incidents) == {f"sitroom.incident.S1-inc-{i}" for i in range(3)}  # op1's scope only
        remarks = incidents["sitroom.incident.S1-inc-0"].findtext("detail/remarks") or ""
        assert remarks.startswith("112 code 2 · disorder · new")
        point = incidents["sitroom.incident.S1-inc-0"].find("point")
        assert point is not None and (point.get("lat"), point.get("lon")) == ("37.5", "127.0")
        assert incidents["sitroom.incident.S1-inc-0"].get("time") == "2025-06-03T02:00:00.000Z"
        assert tak.events(UNIT_TYPE) == []  # the unit has no position yet: nothing to show

        # a position in moves the unit in the replica, then on the server (the sync engine's push)
        await tak.send(pli("ANDROID-7f3a", "s1  CAR 1", 37.5665, 126.978))
        await until(lambda: (console.replica.row(RecordKind.UNIT, UNIT) or _none).data.get("lat") == 37.5665,
                    what="the unit to move in the replica")
        row = console.replica.row(RecordKind.UNIT, UNIT)
        assert row is not None and row.data["lon"] == 126.978
        await until(lambda: server_rows(server)[("unit", UNIT)].data.get("lat") == 37.5665,
                    what="the move to reach the server")
        # a device that matches no unit moves nothing
        await tak.send(pli("ANDROID-0000", "Unknown 9", 37.4, 127.1))
        await tak.send(pli("ANDROID-7f3a", "S1 car 1", 37.5670, 126.979))
        await until(lambda: (console.replica.row(RecordKind.UNIT, UNIT) or _none).data.get("lat") == 37.567,
                    what="the second move")
        assert bridge.inbox.unmatched == {"ANDROID-0000": "Unknown 9"}
        # the unit its device carries is not published again (the device shows it as itself)
        assert tak.events(UNIT_TYPE) == []

        # a new incident in the console goes out as it is made
        rid = console.replica.new_id()
        console.replica.submit("incident.create", RecordKind.INCIDENT, rid, {
            "category": "violence", "code": 0, "title": "투표소 폭행", "station_code": "S1",
            "lat": 37.571, "lon": 126.977})
        await until(lambda: f"sitroom.incident.{rid}" in {e.get("uid") for e in tak.events(INCIDENT_TYPE)},
                    what="the new incident")
        new = next(e for e in tak.events(INCIDENT_TYPE) if e.get("uid") == f"sitroom.incident.{rid}")
        assert (new.findtext("detail/remarks") or "").startswith("112 code 0 · violence")

        # the TAK server goes away and comes back: the bridge reconnects and sends the picture again
        before = len(tak.received)
        tak.drop_clients()
        await until(lambda: bridge.connections == 2, what="the reconnection")
        await until(lambda: len(tak.received) >= before + 4, what="the picture again")
        for raw in tak.received:
            assert_valid_cot(raw)
        stop.set()
        await asyncio.wait_for(running, 10)
        await tak.close()

    asyncio.run(asyncio.wait_for(scenario(), 90))


class _NoRow:
    data: dict[str, object] = {}


_none = _NoRow()


@pytest.mark.parametrize("form", ["pem", "p12"])
def test_over_tls_with_a_client_certificate(console: Console, tmp_path: Path, form: str) -> None:
    ca = station_ca(tmp_path / "pki", "tak")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue("takserver").configure_cert(server_ctx)
    server_ctx.verify_mode = ssl.CERT_REQUIRED  # TAK servers require a client certificate
    ca.ca.configure_trust(server_ctx)
    if form == "pem":
        cert, key = ca.server_files("sitroom-bridge")  # any leaf of the CA serves as a client's
        client: dict[str, Any] = {"cert_file": str(cert), "key_file": str(key)}
    else:  # as TAK Server's certificate tools hand them out: one PKCS#12 file with a password
        client = {"cert_file": str(_p12(ca.issue("sitroom-bridge"), tmp_path / "bridge.p12", b"atakatak")),
                  "key_password": "atakatak"}

    async def scenario() -> None:
        tak = FakeTakServer(server_ctx)
        await tak.start()
        bridge = bridge_for(console, f"tls://127.0.0.1:{tak.port}", ca_file=str(ca.ca_file), **client)
        stop = asyncio.Event()
        running = asyncio.create_task(bridge.run(stop))
        await until(lambda: len(tak.events(INCIDENT_TYPE)) == 3, what="the incidents over TLS")
        assert tak.peer_names == ["sitroom-bridge"]
        await tak.send(pli("ANDROID-tls", "S1 car 1", 37.55, 126.99))
        await until(lambda: (console.replica.row(RecordKind.UNIT, UNIT) or _none).data.get("lat") == 37.55,
                    what="the move over TLS")
        stop.set()
        await asyncio.wait_for(running, 10)
        await tak.close()

    asyncio.run(asyncio.wait_for(scenario(), 60))


def _p12(leaf: Any, path: Path, password: bytes) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, load_pem_private_key
    from cryptography.hazmat.primitives.serialization.pkcs12 import serialize_key_and_certificates

    key = load_pem_private_key(leaf.private_key_pem.bytes(), None)
    cert = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes())
    path.write_bytes(serialize_key_and_certificates(b"sitroom-bridge", key, cert, None,  # type: ignore[arg-type]
                                                    BestAvailableEncryption(password)))
    return path


def test_settings_are_checked_with_worded_errors() -> None:
    with pytest.raises(TakSettingsError, match="tcp://HOST:PORT"):
        TakSettings("http://tak.example:8087")
    with pytest.raises(TakSettingsError, match="tcp://HOST:PORT"):
        TakSettings("tcp://tak.example")
    with pytest.raises(TakSettingsError, match="client certificate"):
        TakSettings("tls://tak.example:8089")


def test_offline_it_keeps_the_latest_position_per_unit_not_a_queue(console: Console) -> None:
    console.engine.stop()  # the sitroom server out of reach from here on
    online = False
    inbox = PositionInbox(console.replica, online=lambda: online)

    def unit_entries() -> list[object]:
        return [e for e in console.replica.outbox() if e.record_id == UNIT]

    for i in range(50):
        assert inbox.offer(_report(37.50 + i / 1000)) == UNIT
    assert len(inbox.held()) == 1 and inbox.held()[UNIT].lat == pytest.approx(37.549)
    assert unit_entries() == []  # nothing queued while offline
    online = True
    assert inbox.flush() == [UNIT]
    assert len(unit_entries()) == 1
    # while that one waits for the server, more reports replace each other, not pile up
    for i in range(20):
        inbox.offer(_report(37.60 + i / 1000))
    assert len(unit_entries()) == 1
    assert inbox.held()[UNIT].lat == pytest.approx(37.619)
    row = console.replica.row(RecordKind.UNIT, UNIT)
    assert row is not None and row.data["lat"] == pytest.approx(37.549)


def _report(lat: float) -> PositionReport:
    report = position_report(pli("ANDROID-1", "S1 car 1", lat, 127.0))
    assert report is not None
    return report
