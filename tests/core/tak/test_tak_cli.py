"""`sitroom tak`: settings and login failures are worded (exit 2 / 1); the password comes from
SITROOM_PASSWORD, else a line of stdin."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest

from console.cli import main
from console.tak.cli import read_password


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_a_wrong_tak_address_is_worded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tak", "--server", "http://tak.example:8087", "--sitroom", "http://127.0.0.1:1",
                 "--user", "op1"]) == 2
    assert "tcp://HOST:PORT or tls://HOST:PORT" in capsys.readouterr().err


def test_tls_needs_a_client_certificate_that_exists(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["tak", "--server", "tls://tak.example:8089", "--sitroom", "http://127.0.0.1:1",
                 "--user", "op1"]) == 2
    assert "client certificate" in capsys.readouterr().err
    assert main(["tak", "--server", "tls://tak.example:8089", "--cert", str(tmp_path / "none.pem"),
                 "--sitroom", "http://127.0.0.1:1", "--user", "op1"]) == 2
    err = capsys.readouterr().err
    assert "--cert" in err and "none.pem: no such file" in err


def test_the_password_comes_from_the_environment_else_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITROOM_PASSWORD", "from env")
    assert read_password("op1") == "from env"
    monkeypatch.delenv("SITROOM_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin\nnot this\n"))
    assert read_password("op1") == "from stdin"


def test_an_unreachable_sitroom_server_without_an_offline_login_fails_worded(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.setenv("SITROOM_PASSWORD", "secret")
    code = main(["tak", "--server", "tcp://127.0.0.1:8087", "--sitroom", f"http://127.0.0.1:{_closed_port()}",
                 "--user", "op1", "--profile-dir", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "login to" in err and "op1" in err and "cannot be reached" in err
