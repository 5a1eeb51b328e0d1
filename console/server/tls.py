"""HTTPS for `sitroom server`: the certificate and key checked with a worded reason for each way
they can be wrong (before anything is served), and the uvicorn configuration that serves the
already bound socket with that TLS context."""

from __future__ import annotations

import asyncio
import os
import ssl
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn

from console.domain.clock import kst_text
from console.server.database import StartupError

RENEW_WARNING = timedelta(days=30)
RECIPE = "see the README's recipe for a station CA"


@dataclass
class ServerTls:
    """A loaded certificate and key, ready to serve, with what the operator should hear about
    them (an expiry that is near, a key other users can read)."""

    context: ssl.SSLContext
    not_after: datetime | None = None
    warnings: list[str] = field(default_factory=list)


class _Encrypted(Exception):
    pass


def _ask_no_passphrase() -> str:
    # Without a callback OpenSSL would prompt on the terminal, and an unattended start would hang.
    raise _Encrypted


def _read(path: str | Path, flag: str, what: str) -> bytes:
    given = Path(path).expanduser()
    try:
        return given.read_bytes()
    except FileNotFoundError:
        raise StartupError(f"the {what} file {given} given with {flag} does not exist: {RECIPE}, "
                           "or give the right path") from None
    except IsADirectoryError:
        raise StartupError(f"{flag} {given} is a folder: give the {what} file itself") from None
    except OSError as exc:
        raise StartupError(f"the {what} file {given} given with {flag} cannot be read "
                           f"({exc.strerror or exc}): the server's user must be able to read "
                           "it") from None


def load_server_tls(cert_file: str | Path, key_file: str | Path, now: datetime) -> ServerTls:
    """The TLS context for `--tls-cert`/`--tls-key`, or a StartupError that says what is wrong
    and what to do: a file missing or unreadable, not PEM, the two swapped, a key behind a
    passphrase, a key of another certificate, a certificate that has expired, is not valid yet
    (at `now`), or names no host (consoles check the subjectAltName)."""
    cert = _read(cert_file, "--tls-cert", "certificate")
    key = _read(key_file, "--tls-key", "key")
    if b"-----BEGIN CERTIFICATE-----" not in cert:
        if b"PRIVATE KEY-----" in cert:
            raise StartupError(f"--tls-cert {cert_file} holds a private key, not a certificate: "
                               "were --tls-cert and --tls-key swapped?")
        raise StartupError(f"--tls-cert {cert_file} is not a certificate in PEM form (a text file "
                           "starting with -----BEGIN CERTIFICATE-----); a DER file converts with "
                           f"`openssl x509 -inform der -in {cert_file} -out server.crt`")
    if b"PRIVATE KEY-----" not in key:
        if b"-----BEGIN CERTIFICATE-----" in key:
            raise StartupError(f"--tls-key {key_file} holds a certificate, not a private key: "
                               "were --tls-cert and --tls-key swapped?")
        raise StartupError(f"--tls-key {key_file} is not a private key in PEM form (a text file "
                           "starting with -----BEGIN PRIVATE KEY-----)")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= getattr(ssl, "OP_NO_RENEGOTIATION", 0)
    try:
        context.load_cert_chain(os.fspath(cert_file), os.fspath(key_file), password=_ask_no_passphrase)
    except _Encrypted:
        raise StartupError(f"the key {key_file} is protected by a passphrase, which an unattended "
                           "server cannot type: store it without one (`openssl pkey -in "
                           f"{key_file} -out server.key`), readable only by the server's "
                           "user") from None
    except ssl.SSLError as exc:
        reason = str(exc.reason or exc)
        if "KEY_VALUES_MISMATCH" in str(exc) or "key values mismatch" in str(exc):
            raise StartupError(f"the key {key_file} does not belong to the certificate {cert_file}: "
                               "give the key that was made with this certificate") from None
        raise StartupError(f"the certificate {cert_file} and key {key_file} cannot be used "
                           f"({reason}): {RECIPE}") from None
    tls = ServerTls(context)
    info = _decode(cert_file)
    if info is not None:
        _check_dates(tls, info, cert_file, now)
        if not info.get("subjectAltName"):
            raise StartupError(f"the certificate {cert_file} names no host (it has no "
                               "subjectAltName), and consoles refuse such a certificate: make it "
                               f"again with the server's name and address as subjectAltName ({RECIPE})")
    mode = Path(key_file).expanduser().stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        tls.warnings.append(f"the key {key_file} can be read by users other than its owner: "
                            f"`chmod 600 {key_file}`")
    return tls


def _decode(cert_file: str | Path) -> dict[str, Any] | None:
    """The first certificate of the file, decoded by Python's own (private) decoder; None where
    a Python lacks it: then the dates are left to the consoles' check."""
    decode = getattr(getattr(ssl, "_ssl", None), "_test_decode_cert", None)
    if decode is None:
        return None
    try:
        info: dict[str, Any] = decode(os.fspath(cert_file))
    except (ssl.SSLError, OSError, ValueError):
        return None
    return info


def _check_dates(tls: ServerTls, info: dict[str, Any], cert_file: str | Path, now: datetime) -> None:
    try:
        not_before = datetime.fromtimestamp(ssl.cert_time_to_seconds(info["notBefore"]), UTC)
        not_after = datetime.fromtimestamp(ssl.cert_time_to_seconds(info["notAfter"]), UTC)
    except (KeyError, ValueError):
        return
    tls.not_after = not_after
    if now >= not_after:
        raise StartupError(f"the certificate {cert_file} expired on {kst_text(not_after)}, and "
                           f"consoles refuse it: make a new one ({RECIPE})")
    if now < not_before:
        raise StartupError(f"the certificate {cert_file} is valid only from {kst_text(not_before)}: "
                           "check this machine's date and time, or make a new certificate")
    if not_after - now < RENEW_WARNING:
        days = (not_after - now).days
        tls.warnings.append(f"the certificate {cert_file} expires on {kst_text(not_after)} (in "
                            f"{days} day(s)); consoles refuse it from then on: make a new one "
                            "before that")


class TlsConfig(uvicorn.Config):
    """uvicorn's configuration, serving with a TLS context made (and checked) beforehand, on
    every uvicorn version (a socket handed to uvicorn is served with `config.ssl`)."""

    def __init__(self, app: Any, context: ssl.SSLContext | None, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.tls_context = context

    def load(self) -> None:
        super().load()
        if self.tls_context is not None:
            self.ssl = self.tls_context
            self.http_protocol_class = _dropping_idle_connections(self.http_protocol_class)


def _dropping_idle_connections(base: type[asyncio.Protocol]) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol, but an idle connection is dropped at once when the server stops.

    Closed the usual way, a TLS connection waits for the peer's close_notify, which a console
    never sends for an idle keep-alive connection in its pool: every stop then waited out
    uvicorn's graceful-shutdown timeout and logged an error. Plain HTTP drops them at once."""

    class Protocol(base):  # type: ignore[valid-type, misc]
        def shutdown(self) -> None:
            super().shutdown()
            transport = getattr(self, "transport", None)
            if transport is not None and transport.is_closing():  # idle: closed, not draining
                transport.abort()

    Protocol.__name__ = Protocol.__qualname__ = f"Tls{base.__name__}"
    return Protocol
