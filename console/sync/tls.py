"""The console's trust in a server's certificate: the station CA file it is given (checked before
use), the key a CA file is saved under per server, and which certificate failure a refused TLS
connection was (untrusted, expired, issued for another name, or no TLS at all)."""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlsplit

from console.sync.events import FailureKind

# OpenSSL's verify codes (X509_V_ERR_*) that are not a question of trust.
_EXPIRED_CODES = {9, 10}  # not yet valid; has expired
_WRONG_HOST_CODES = {62, 63, 64}  # host name, e-mail, IP address mismatch

# The connection ended during the handshake: an outage, not a certificate or protocol question.
_CUT = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)

CA_FILE_ADVICE = ("ask your station's operator for the station CA file and give it with --ca-file "
                  "or in the login dialog")


class CaFileError(ValueError):
    """A CA file that cannot be used, worded for a person (what is wrong, what to do)."""


def check_ca_file(path: str | Path) -> Path:
    """`path` as an absolute path if it holds at least one certificate this console can load;
    else a CaFileError that says why (missing, unreadable, not certificates)."""
    given = Path(path).expanduser()
    try:
        data = given.read_bytes()
    except FileNotFoundError:
        raise CaFileError(f"the CA file {given} does not exist: {CA_FILE_ADVICE}") from None
    except IsADirectoryError:
        raise CaFileError(f"the CA file {given} is a folder, not a file: give the station CA "
                          "file itself (a .pem or .crt file)") from None
    except OSError as exc:
        raise CaFileError(f"the CA file {given} cannot be read ({exc.strerror or exc}): check "
                          "its permissions") from None
    if b"-----BEGIN CERTIFICATE-----" not in data:
        hint = (" (it holds a private key: never give a key to a console; the CA file is the "
                "certificate only)" if b"PRIVATE KEY-----" in data else "")
        raise CaFileError(f"the CA file {given} holds no certificate in PEM form (a text file "
                          f"starting with -----BEGIN CERTIFICATE-----){hint}: {CA_FILE_ADVICE}")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cafile=str(given))
    except ssl.SSLError as exc:
        raise CaFileError(f"the CA file {given} is damaged ({exc.reason or exc}): "
                          f"{CA_FILE_ADVICE}") from None
    return given.resolve()


def server_key(url: str) -> str:
    """The server a URL points at, as the key its CA file is saved under: scheme, host and port,
    lower case, the port always written ("https://sitroom.local:8470")."""
    parts = urlsplit(url.strip() if "://" in url else "http://" + url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = 443 if scheme == "https" else 80
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def certificate_failure(exc: BaseException) -> tuple[FailureKind, str] | None:
    """Which TLS failure an exception of an HTTPS call is (with OpenSSL's reason), or None when
    it is not one (refused, reset, timed out: the server is unreachable, not distrusted)."""
    seen: set[int] = set()
    tls: ssl.SSLError | None = None
    stack: list[BaseException] = [exc]
    while stack:
        err = stack.pop()
        if id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, ssl.SSLCertVerificationError):
            code = err.verify_code
            reason = err.verify_message or str(err)
            if code in _EXPIRED_CODES:
                return FailureKind.TLS_EXPIRED, reason
            if code in _WRONG_HOST_CODES:
                return FailureKind.TLS_WRONG_HOST, reason
            return FailureKind.TLS_UNTRUSTED, reason
        if isinstance(err, ssl.SSLError) and tls is None and not isinstance(err, _CUT):
            tls = err
        # requests wraps urllib3's MaxRetryError (its `reason`), which wraps ssl's error (args).
        nested = [getattr(err, "reason", None), err.__cause__, err.__context__, *err.args]
        stack.extend(e for e in nested if isinstance(e, BaseException))
    if tls is not None:
        return FailureKind.TLS_FAILED, str(tls.reason or tls)
    return None
