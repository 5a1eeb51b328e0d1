"""`sitroom server --tls-cert FILE --tls-key FILE`: HTTPS, with every way the two files can be
wrong refused in words before the banner (like a port that is taken), nothing served."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from server_commands import run_server
from tls_certs import StationCa, station_ca

from console.server import admin
from console.server.database import StartupError
from console.server.tls import load_server_tls

pytestmark = pytest.mark.once  # TLS shows no time; the same in every zone




@pytest.fixture
def pki(tmp_path: Path) -> StationCa:
    return station_ca(tmp_path / "pki")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    parser = argparse.ArgumentParser(prog="sitroom admin")
    admin.add_arguments(parser)
    assert admin.run(parser.parse_args(["init", "--db", url])) == 0
    return url


def refused(capsys: pytest.CaptureFixture[str], db: str, cert: Path | str, key: Path | str) -> str:
    """The one error line of a start refused for its certificate or key."""
    assert run_server("--db", db, "--port", "0", "--tls-cert", str(cert), "--tls-key", str(key)) == 2
    err = capsys.readouterr().err
    assert " on http" not in err and "Traceback" not in err  # before the banner
    lines = [line for line in err.splitlines() if line.startswith("sitroom server: error: ")]
    assert len(lines) == 1, err
    return lines[0].removeprefix("sitroom server: error: ")


def self_signed_without_names(folder: Path) -> tuple[Path, Path]:
    """A certificate with only a common name, as old recipes make them (no subjectAltName)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365)).sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "nosan.crt", folder / "nosan.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_each_file_problem_is_refused_in_words_before_the_banner(tmp_path: Path, pki: StationCa, db: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = pki.server_files("server")
    _, other_key = pki.server_files("other")
    missing = tmp_path / "missing.crt"
    assert refused(capsys, db, missing, key) == (
        f"the certificate file {missing} given with --tls-cert does not exist: see the README's "
        "recipe for a station CA, or give the right path")
    assert "the key file" in refused(capsys, db, cert, tmp_path / "missing.key")
    assert refused(capsys, db, key, cert) == (
        f"--tls-cert {key} holds a private key, not a certificate: were --tls-cert and --tls-key swapped?")
    junk = tmp_path / "junk.crt"
    junk.write_bytes(b"\x30\x82\x01\x0a")  # DER, not PEM
    assert "is not a certificate in PEM form" in refused(capsys, db, junk, key)
    assert "openssl x509 -inform der" in refused(capsys, db, junk, key)
    assert refused(capsys, db, cert, other_key) == (
        f"the key {other_key} does not belong to the certificate {cert}: give the key that was made "
        "with this certificate")
    assert "is a folder" in refused(capsys, db, cert, tmp_path)


def test_a_key_behind_a_passphrase_is_refused_instead_of_prompting(tmp_path: Path, pki: StationCa, db: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = pki.server_files("server")
    loaded = serialization.load_pem_private_key(key.read_bytes(), password=None)
    locked = tmp_path / "locked.key"
    locked.write_bytes(loaded.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b"secret")))
    message = refused(capsys, db, cert, locked)
    assert message.startswith(f"the key {locked} is protected by a passphrase")
    assert f"openssl pkey -in {locked} -out server.key" in message


def test_an_expired_certificate_and_one_without_names_are_refused(tmp_path: Path, pki: StationCa, db: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = pki.server_files("expired", expired=True)
    message = refused(capsys, db, cert, key)
    assert re.fullmatch(rf"the certificate {re.escape(str(cert))} expired on \d{{4}}-\d\d-\d\d \d\d:\d\d KST, "
                        r"and consoles refuse it: make a new one \(see the README's recipe for a station "
                        r"CA\)", message), message
    cert, key = self_signed_without_names(tmp_path)
    assert "names no host (it has no subjectAltName)" in refused(capsys, db, cert, key)


def test_half_a_pair_is_refused(pki: StationCa, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    cert, _ = pki.server_files("server")
    assert run_server("--db", db, "--port", "0", "--tls-cert", str(cert)) == 2
    assert ("--tls-cert needs --tls-key too: HTTPS takes the certificate and its private key"
            in capsys.readouterr().err)


def test_warnings_for_a_near_expiry_and_a_key_others_can_read(pki: StationCa) -> None:
    cert, key = pki.server_files("server")
    now = datetime.now(UTC)
    assert load_server_tls(cert, key, now).warnings == []
    os.chmod(key, 0o644)
    not_after = load_server_tls(cert, key, now).not_after
    assert not_after is not None
    warnings = load_server_tls(cert, key, not_after - timedelta(days=3)).warnings
    assert warnings[0].startswith(f"the certificate {cert} expires on ") and "(in 3 day(s))" in warnings[0]
    assert warnings[1] == f"the key {key} can be read by users other than its owner: `chmod 600 {key}`"
    with pytest.raises(StartupError, match="expired on"):
        load_server_tls(cert, key, not_after)


def test_sitroom_server_serves_https_that_the_station_ca_verifies(pki: StationCa, db: str) -> None:
    cert, key = pki.server_files("server")
    proc = subprocess.Popen([sys.executable, "-m", "console", "server", "--db", db, "--port", "0",
                             "--escalation-interval", "0", "--tls-cert", str(cert), "--tls-key", str(key)],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        banner = ""
        deadline = time.monotonic() + 30
        while " on http" not in banner:
            assert time.monotonic() < deadline and proc.poll() is None, f"no banner: {banner!r}"
            banner = proc.stderr.readline()
        found = re.search(r" on (https?)://127\.0\.0\.1:(\d+) ", banner)
        assert found is not None and found.group(1) == "https", banner
        base = f"https://127.0.0.1:{found.group(2)}"
        console = requests.Session()  # as a console holds it: open, idle between calls
        answer = console.get(base + "/health", verify=str(pki.ca_file), timeout=5)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(base + "/health", timeout=5)  # the usual CAs do not know the station's
        with pytest.raises(requests.ConnectionError):
            requests.get(base.replace("https://", "http://") + "/health", timeout=5)  # no plain HTTP
        # A stop does not wait for idle TLS connections to say goodbye (they never do).
        started = time.monotonic()
        proc.terminate()
        _, err = proc.communicate(timeout=15)
        took = time.monotonic() - started
        console.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert [line for line in err.splitlines() if '"level": "error"' in line] == []
    assert took < 2.5, f"the stop took {took:.1f}s"
