"""Sync over HTTPS with certificates made at test time: a console given the station CA logs in,
syncs and pushes; a certificate it does not trust, an expired one, or one for another host is a
worded error of its own kind (not "unreachable"), with nothing sent, no fallback to plain HTTP,
no offline login in its place and never a call without the certificate check."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sync_helpers import PASSWORD, Console, converged, new_incident, seed, server_rows, wait_for
from tls_certs import StationCa, station_ca

from console.domain.records import RecordKind
from console.replica import Replica
from console.server.embedded import EmbeddedServer
from console.server.tls import load_server_tls
from console.sync import SyncEngine
from console.sync.events import Connectivity, FailureKind
from console.sync.http import (
    ApiClient,
    CertificateExpired,
    CertificateRefused,
    CertificateUntrusted,
    CertificateWrongHost,
    Unreachable,
    failure_of,
)
from console.sync.tls import CaFileError, check_ca_file, server_key

pytestmark = pytest.mark.once  # TLS shows no time; the same in every zone

INC = RecordKind.INCIDENT


@pytest.fixture
def pki(tmp_path: Path) -> StationCa:
    return station_ca(tmp_path / "pki")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every HTTP call the console makes: (URL, the `verify` it was made with)."""
    seen: list[tuple[str, Any]] = []
    original = requests.Session.request

    def spy(self: requests.Session, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        seen.append((url, kwargs.get("verify")))
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    return seen


@pytest.fixture
def https_server(tmp_path: Path, pki: StationCa) -> Iterator[EmbeddedServer]:
    """The server as `sitroom server --tls-cert --tls-key` serves it: files checked and loaded by
    the server's own start-up code."""
    cert, key = pki.server_files("server")
    tls = load_server_tls(cert, key, datetime.now(UTC))
    srv = EmbeddedServer(f"sqlite:///{tmp_path / 'server.db'}", escalation_interval=None, tls=tls.context)
    srv.start()
    seed(srv)
    yield srv
    srv.close()


def make_engine(tmp_path: Path, url: str, name: str = "op1", **kw: Any) -> tuple[Replica, SyncEngine]:
    replica = Replica(tmp_path / name / "replica.sqlite3")
    kw.setdefault("long_poll_wait", 5.0)
    kw.setdefault("push_interval", 2.0)
    kw.setdefault("backoff_cap", 0.5)
    return replica, SyncEngine(url, replica, **kw)


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[Callable[..., tuple[Replica, SyncEngine]]]:
    opened: list[tuple[Replica, SyncEngine]] = []

    def make(url: str, name: str = "op1", **kw: Any) -> tuple[Replica, SyncEngine]:
        pair = make_engine(tmp_path, url, name, **kw)
        opened.append(pair)
        return pair

    yield make
    for replica, engine in opened:
        engine.close()
        replica.close()


def test_a_console_given_the_station_ca_logs_in_syncs_and_pushes_over_https(
        https_server: EmbeddedServer, pki: StationCa, engines: Any, calls: list[tuple[str, Any]]) -> None:
    assert https_server.url.startswith("https://")
    replica, engine = engines(https_server.url, ca_file=str(pki.ca_file))
    assert engine.login("op1", PASSWORD).offline is False
    engine.start()
    console = Console("op1", replica, engine)
    wait_for(lambda: converged(console, https_server), what="first sync over HTTPS")
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, new_incident(title="seen over TLS"))
    wait_for(lambda: ("incident", rid) in server_rows(https_server), what="the push over HTTPS")
    assert server_rows(https_server)[("incident", rid)].data["title"] == "seen over TLS"
    assert engine.state.connectivity == Connectivity.ONLINE and engine.state.last_error is None
    # Every call went to the https:// URL, checked against the station CA and nothing else.
    assert calls and {url.split("/")[0] for url, _ in calls} == {"https:"}
    assert {verify for _, verify in calls} == {str(pki.ca_file)}


def test_the_usual_trust_store_does_not_trust_a_station_certificate(
        https_server: EmbeddedServer, engines: Any, calls: list[tuple[str, Any]]) -> None:
    _, engine = engines(https_server.url)  # no CA file given
    with pytest.raises(CertificateUntrusted):
        engine.login("op1", PASSWORD)
    assert {verify for _, verify in calls} == {True}


def test_a_certificate_of_another_ca_is_refused_in_words_never_offline_never_plain_http(
        tmp_path: Path, https_server: EmbeddedServer, pki: StationCa, engines: Any,
        calls: list[tuple[str, Any]]) -> None:
    # A first login with the right CA leaves an offline verifier on this workstation.
    replica, engine = engines(https_server.url, ca_file=str(pki.ca_file))
    engine.login("op1", PASSWORD)
    engine.close()
    replica.close()
    stranger = station_ca(tmp_path / "stranger", "stranger")
    calls.clear()
    _, engine = engines(https_server.url, ca_file=str(stranger.ca_file))
    with pytest.raises(CertificateUntrusted) as caught:
        engine.login("op1", PASSWORD)
    message = caught.value.message
    assert https_server.url in message and "not signed by a CA this console trusts" in message
    assert ("ask your station's operator for the station CA file and give it with --ca-file or in "
            "the login dialog") in message
    failure = failure_of(caught.value)
    assert failure.kind == FailureKind.TLS_UNTRUSTED
    assert not isinstance(caught.value, Unreachable)  # an outage would allow an offline login
    assert engine.state.user is None and not engine.state.offline_login
    assert calls and all(url.startswith("https://") for url, _ in calls)
    assert {verify for _, verify in calls} == {str(stranger.ca_file)}


def test_an_expired_certificate_is_said_to_be_expired(tmp_path: Path, pki: StationCa, engines: Any) -> None:
    srv = EmbeddedServer(f"sqlite:///{tmp_path / 'server.db'}", escalation_interval=None,
                         tls=pki.server_context("expired", expired=True))
    with srv:
        seed(srv)
        _, engine = engines(srv.url, ca_file=str(pki.ca_file))
        with pytest.raises(CertificateExpired) as caught:
            engine.login("op1", PASSWORD)
    assert failure_of(caught.value).kind == FailureKind.TLS_EXPIRED
    assert f"the certificate of {srv.url} has expired" in caught.value.message
    assert "date and time" in caught.value.message and "renew" in caught.value.message


def test_a_certificate_for_another_host_and_an_address_without_tls_are_their_own_failures(
        tmp_path: Path, pki: StationCa) -> None:
    srv = EmbeddedServer(f"sqlite:///{tmp_path / 'server.db'}", escalation_interval=None,
                         tls=pki.server_context("elsewhere", "sitroom.example"))
    with srv:
        api = ApiClient(srv.url, ca_file=pki.ca_file)
        with pytest.raises(CertificateWrongHost) as wrong:
            api.request("GET", "/health")
        api.close()
        assert failure_of(wrong.value).kind == FailureKind.TLS_WRONG_HOST
        assert "another name or address" in wrong.value.message
        srv.stop()
        srv.tls = None  # the same port, plain HTTP now
        srv.start()
        api = ApiClient(srv.url.replace("http://", "https://"), ca_file=pki.ca_file)
        with pytest.raises(CertificateRefused) as plain:
            api.request("GET", "/health")
        api.close()
    assert failure_of(plain.value).kind == FailureKind.TLS_FAILED
    assert "no secure connection" in plain.value.message


def test_a_running_console_meeting_an_untrusted_certificate_keeps_its_changes(
        tmp_path: Path, https_server: EmbeddedServer, pki: StationCa, engines: Any) -> None:
    """The server comes back with a certificate of another CA (a man in the middle, or a botched
    renewal): the console says so, sends nothing, and keeps the change for later."""
    replica, engine = engines(https_server.url, ca_file=str(pki.ca_file))
    engine.login("op1", PASSWORD)
    engine.start()
    console = Console("op1", replica, engine)
    wait_for(lambda: converged(console, https_server), what="first sync")
    time.sleep(0.3)  # inside a long-poll; the push connection idle
    started = time.monotonic()
    https_server.stop()
    # Neither the answered long-poll nor the idle connection holds the stop up (TLS waits for
    # the peer's goodbye, which a console never sends for an idle connection).
    assert time.monotonic() - started < 1.5
    https_server.tls = station_ca(tmp_path / "mitm", "mitm").server_context("mitm")
    https_server.start()
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, new_incident(title="must not leak"))
    wait_for(lambda: engine.state.last_error is not None
             and engine.state.last_error.kind == FailureKind.TLS_UNTRUSTED, what="the untrusted failure")
    assert engine.state.pending == 1
    assert ("incident", rid) not in server_rows(https_server)


def test_a_ca_file_is_checked_before_use(tmp_path: Path, pki: StationCa) -> None:
    assert check_ca_file(pki.ca_file) == pki.ca_file.resolve()
    with pytest.raises(CaFileError, match="does not exist: ask your station's operator"):
        check_ca_file(tmp_path / "nowhere.pem")
    with pytest.raises(CaFileError, match="is a folder"):
        check_ca_file(tmp_path)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    with pytest.raises(CaFileError, match="holds no certificate in PEM form"):
        check_ca_file(junk)
    _, key = pki.server_files("keyed")
    with pytest.raises(CaFileError, match="it holds a private key"):
        check_ca_file(key)
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(CaFileError, match="is damaged"):
        check_ca_file(broken)


def test_a_ca_file_that_vanished_is_a_tls_failure_not_an_internal_error(
        https_server: EmbeddedServer, tmp_path: Path) -> None:
    api = ApiClient(https_server.url, ca_file=tmp_path / "gone.pem")
    with pytest.raises(CertificateRefused) as caught:
        api.request("GET", "/health")
    api.close()
    assert failure_of(caught.value).kind == FailureKind.TLS_FAILED
    assert "the CA file" in caught.value.message and "ask your station's operator" in caught.value.message


def test_the_ca_file_is_saved_under_the_server_not_the_spelling_of_its_url() -> None:
    assert server_key("https://Sitroom.Local:8470/") == "https://sitroom.local:8470"
    assert server_key("https://sitroom.local") == "https://sitroom.local:443"
    assert server_key("sitroom.local:8470") == "http://sitroom.local:8470"
    assert server_key("https://[::1]:8470") == "https://[::1]:8470"
    assert server_key("http://sitroom.local:8470") != server_key("https://sitroom.local:8470")
