"""Certificates made at test time (trustme): a station CA and the server certificates it signs
(valid, expired, made out for another host), written to files as an operator would have them.

TLS checks dates against the real clock, so expired and future certificates are made relative
to it: a day or more away, never at the edge."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trustme

HOSTS = ("127.0.0.1", "localhost")


@dataclass
class StationCa:
    folder: Path
    ca: trustme.CA
    ca_file: Path  # the CA certificate a console is given (--ca-file)

    def issue(self, name: str, *hosts: str, expired: bool = False) -> trustme.LeafCert:
        now = datetime.now(UTC)
        dates = {"not_before": now - timedelta(days=30), "not_after": now - timedelta(days=2)} if expired else {}
        return self.ca.issue_cert(*(hosts or HOSTS), common_name=name, **dates)

    def server_files(self, name: str, *hosts: str, expired: bool = False) -> tuple[Path, Path]:
        """(certificate chain file, key file) of a new server certificate, the key mode 600."""
        leaf = self.issue(name, *hosts, expired=expired)
        cert, key = self.folder / f"{name}.crt", self.folder / f"{name}.key"
        cert.write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
        key.write_bytes(leaf.private_key_pem.bytes())
        os.chmod(key, 0o600)
        return cert, key

    def server_context(self, name: str, *hosts: str, expired: bool = False) -> ssl.SSLContext:
        """A server's TLS context straight from trustme (no start-up checks: expired is allowed)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.issue(name, *hosts, expired=expired).configure_cert(context)
        return context


def station_ca(folder: Path, name: str = "station") -> StationCa:
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name=f"sitroom test {name} CA")
    ca_file = folder / f"{name}-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return StationCa(folder, ca, ca_file)
