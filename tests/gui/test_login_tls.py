"""The login dialog's station CA file: chosen, checked before any connection, saved per server;
a server certificate the console does not trust is a worded refusal in the dialog (which
server, what to do), and the same login with the station CA gets in over HTTPS."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tls_certs import StationCa, station_ca

from console.ui import app as console_app
from console.ui.dialogs.login_dialog import LoginDialog
from console.ui.launcher import make_attempt, open_settings, save_ca_file, saved_ca_file
from console.ui.operations import OperationRunner
from console.ui.qt import QtWidgets
from console.ui.session import LoggedIn

pytestmark = [pytest.mark.gui, pytest.mark.once]  # no time shown; the same in every zone
PASSWORD = "correct horse battery"  # tests/gui/conftest.py's embedded_server


@pytest.fixture
def pki(tmp_path: Path) -> StationCa:
    return station_ca(tmp_path / "pki")


class Attempts:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.dialog: LoginDialog | None = None

    def __call__(self, server: str, user: str, password: str, ok: Any, fail: Any) -> None:
        assert self.dialog is not None
        self.calls.append((server, self.dialog.chosen_ca_file))
        fail("stopped here")


def dialog_with(qtbot: Any, server: str = "", ca_file: str = "", **kw: Any) -> tuple[LoginDialog, Attempts]:
    attempts = Attempts()
    dialog = LoginDialog(attempts, server, "kim", ca_file=ca_file, **kw)
    attempts.dialog = dialog
    qtbot.addWidget(dialog)
    dialog.password.setText("pw")
    return dialog, attempts


def test_a_chosen_ca_file_goes_with_the_attempt_and_makes_a_bare_address_https(
        qtbot: Any, pki: StationCa, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, attempts = dialog_with(qtbot, "sitroom.local:8470")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(pki.ca_file), "")))
    dialog.ca_choose.click()
    assert dialog.ca_file.text() == str(pki.ca_file)
    dialog.submit()
    assert attempts.calls == [("https://sitroom.local:8470", str(pki.ca_file.resolve()))]


def test_a_ca_file_that_cannot_be_used_or_an_http_address_stops_before_connecting(
        qtbot: Any, tmp_path: Path, pki: StationCa) -> None:
    missing = tmp_path / "nowhere.pem"
    dialog, attempts = dialog_with(qtbot, "https://sitroom.local:8470", str(missing))
    dialog.submit()
    assert dialog.message.text() == (
        f"The CA file {missing} cannot be used: it is missing, unreadable or holds no certificate. "
        "Ask your station's operator for the station CA file.")
    assert "does not exist" in dialog.message.toolTip()
    dialog.server.setText("http://sitroom.local:8470")
    dialog.ca_file.setText(str(pki.ca_file))
    dialog.submit()
    assert "the password would cross the network unencrypted" in dialog.message.text()
    assert attempts.calls == []
    dialog.ca_file.clear()
    dialog.submit()
    assert attempts.calls == [("http://sitroom.local:8470", None)]


def test_the_ca_file_is_saved_per_server_and_found_again(qtbot: Any, tmp_path: Path, pki: StationCa) -> None:
    settings = open_settings(tmp_path / "profile")
    save_ca_file(settings, "https://Station-A:8470", str(pki.ca_file))
    save_ca_file(settings, "https://station-b:8470", "/etc/sitroom/b-ca.pem")
    assert saved_ca_file(settings, "https://station-a:8470/") == str(pki.ca_file)
    assert saved_ca_file(settings, "http://station-a:8470") == ""  # another server (plain HTTP)
    save_ca_file(settings, "https://station-b:8470", None)
    assert saved_ca_file(settings, "https://station-b:8470") == ""
    assert saved_ca_file(settings, "https://station-a:8470") == str(pki.ca_file)
    dialog, _ = dialog_with(qtbot, "https://station-b:8470",
                            ca_for=lambda url: saved_ca_file(settings, url))
    dialog.server.setText("https://station-a:8470")
    dialog.server.editingFinished.emit()
    assert dialog.ca_file.text() == str(pki.ca_file)


def test_a_bad_ca_file_on_the_command_line_is_refused_before_any_window(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    console_app.add_arguments(parser)
    args = parser.parse_args(["--server", "https://127.0.0.1:9", "--ca-file", str(tmp_path / "no.pem"),
                              "--profile-dir", str(tmp_path / "profile")])
    assert console_app.run(args) == 2
    assert (f"sitroom console: error: the CA file {tmp_path / 'no.pem'} does not exist: ask your "
            "station's operator for the station CA file") in capsys.readouterr().err


@pytest.fixture
def https_server(tmp_path: Path, pki: StationCa, embedded_server: Any) -> Iterator[Any]:
    """tests/gui/conftest.py's server (S1, op1), restarted on HTTPS with a station certificate."""
    from console.server.tls import load_server_tls

    cert, key = pki.server_files("server")
    embedded_server.stop()
    embedded_server.tls = load_server_tls(cert, key, datetime.now(UTC)).context
    embedded_server.start()
    yield embedded_server


def test_untrusted_then_trusted_login_through_the_dialog(qtbot: Any, tmp_path: Path, pki: StationCa,
                                                         https_server: Any) -> None:
    ops = OperationRunner()
    shown: list[LoginDialog] = []
    attempt = make_attempt(ops, tmp_path / "profile", lambda: shown[0].chosen_ca_file)
    dialog = LoginDialog(attempt, https_server.url, "op1")
    shown.append(dialog)
    qtbot.addWidget(dialog)
    try:
        dialog.password.setText(PASSWORD)
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=15000)
        assert dialog.message.text() == (
            f"Could not log in to {https_server.url}. The server's certificate is not signed by a CA this "
            "console trusts; nothing was sent to it. Ask your station's operator for the station CA "
            "file and give it with --ca-file or in the login dialog. Changes are kept.")
        assert dialog.result_value is None
        dialog.ca_file.setText(str(pki.ca_file))
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=15000)
        logged_in = dialog.result_value
        assert isinstance(logged_in, LoggedIn) and not logged_in.offline
        assert logged_in.engine.ca_file == str(pki.ca_file.resolve())
        logged_in.engine.close()
        logged_in.replica.close()
    finally:
        ops.shutdown(wait=True)
