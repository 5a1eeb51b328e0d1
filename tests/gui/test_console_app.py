"""`sitroom console` end to end: log in through the dialog, render the window to a PNG and
exit; then, with the server gone, log in offline against the cached password."""

from __future__ import annotations

import argparse

import pytest

from console.ui import app as console_app
from console.ui.qt import QtGui

pytestmark = pytest.mark.gui
PASSWORD = "correct horse battery"  # tests/gui/conftest.py's embedded_server


def run(server_url: str, tmp_path, shot: str, password: str = PASSWORD) -> int:  # type: ignore[no-untyped-def]
    parser = argparse.ArgumentParser()
    console_app.add_arguments(parser)
    args = parser.parse_args(["--server", server_url, "--user", "op1", "--password", password,
                              "--profile-dir", str(tmp_path / "profile"), "--lang", "ko",
                              "--screenshot", str(tmp_path / shot), "--quit-after", "4"])
    return console_app.run(args)


def test_console_logs_in_renders_and_later_works_offline(qapp, embedded_server, tmp_path) -> None:
    assert run(embedded_server.url, tmp_path, "online.png") == 0
    image = QtGui.QImage(str(tmp_path / "online.png"))
    assert image.width() >= 1000 and image.height() >= 700  # the main window, not the login dialog
    settings = (tmp_path / "profile" / "console.ini").read_text(encoding="utf-8")
    assert "layout" in settings and "op1" in settings  # the layout was saved for this user

    embedded_server.stop()
    assert run(embedded_server.url, tmp_path, "offline.png") == 0
    assert QtGui.QImage(str(tmp_path / "offline.png")).width() >= 1000  # offline login got in

    # A wrong password offline stays at the login dialog (the screenshot shows the dialog).
    assert run(embedded_server.url, tmp_path, "refused.png", password="wrong password") == 0
    assert QtGui.QImage(str(tmp_path / "refused.png")).width() < 1000
