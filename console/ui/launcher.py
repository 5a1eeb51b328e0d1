"""Starts the console: QApplication, language and theme, login, session, main window."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from console.sync.tls import CaFileError, check_ca_file, server_key
from console.ui.events import ChangeBus, Selection
from console.ui.gc_pacer import GcPacer
from console.ui.i18n import LanguageSwitcher, system_language
from console.ui.labels import failure_words
from console.ui.operations import OperationRunner
from console.ui.panels.base import PanelContext
from console.ui.qt import QApplication, QCoreApplication, QDialog, QSettings, QTimer, QWidget, fmt
from console.ui.theme import ThemeManager

log = logging.getLogger(__name__)
DEFAULT_SERVER = "http://127.0.0.1:8470"
CA_FILES = "login/ca_files"  # {server_key(url): CA file}, as JSON: each server its own station CA


@dataclass
class ConsoleOptions:
    server: str | None = None
    ca_file: Path | None = None  # the station CA: the only one trusted for this server's certificate
    user: str | None = None
    password: str | None = None
    lang: str | None = None
    theme: str | None = None
    profile_dir: Path | None = None
    screenshot: Path | None = None
    screenshot_panels: bool = False  # also each dock panel, to PATH-<panel>.png
    quit_after: float | None = None


def open_settings(profile_dir: Path | None) -> QSettings:
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        return QSettings(str(profile_dir / "console.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "sitroom", "console")


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("sitroom")
    app.setOrganizationName("sitroom")
    app.setApplicationDisplayName("sitroom")
    return app


def saved_ca_files(settings: QSettings) -> dict[str, str]:
    try:
        saved = json.loads(str(settings.value(CA_FILES) or "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in saved.items()} if isinstance(saved, dict) else {}


def saved_ca_file(settings: QSettings, server: str) -> str:
    """The CA file last used with this server ("" if none)."""
    return saved_ca_files(settings).get(server_key(server), "") if server else ""


def save_ca_file(settings: QSettings, server: str, ca_file: str | None) -> None:
    """Remember the CA file of this server (None: it needs none), the others' untouched."""
    saved = saved_ca_files(settings)
    if ca_file:
        saved[server_key(server)] = ca_file
    else:
        saved.pop(server_key(server), None)
    settings.setValue(CA_FILES, json.dumps(saved, sort_keys=True))


def _message(exc: BaseException, server: str = "") -> str:
    """What the login dialog says about a failed login, in the UI's language."""
    from console.sync.http import CertificateRefused, failure_of

    if isinstance(exc, CertificateRefused):
        # Not "unreachable": the server answered with a certificate this console cannot trust.
        what, todo = failure_words(failure_of(exc))
        return fmt(QCoreApplication.translate("Login", "Could not log in to %1. %2 %3"), server, what, todo)
    code = str(getattr(exc, "code", ""))
    detail = str(getattr(exc, "message", None) or exc)
    if code == "offline_unavailable":
        return QCoreApplication.translate(
            "Login", "The server cannot be reached, and this workstation has no earlier login of this "
            "user with this password. Check the server address and the network, or the password.")
    if code in ("invalid_credentials", "unauthenticated"):
        return QCoreApplication.translate("Login", "Wrong user name or password.")
    return fmt(QCoreApplication.translate("Login", "The login failed: %1"), detail)


def _chosen_ca(dialogs: list[Any]) -> str | None:
    return dialogs[0].chosen_ca_file if dialogs else None


def make_attempt(ops: OperationRunner, profile_base: Path | None,
                 ca_file: Callable[[], str | None] = lambda: None) -> Any:
    """The login dialog's attempt function: log in on the network worker, trusting the CA file
    `ca_file()` names (the dialog's choice at that moment) if any."""
    from console.ui.session import log_in

    def attempt(server: str, user: str, password: str, ok: Any, fail: Any) -> None:
        options = {"ca_file": ca_file()}
        ops.network(lambda: log_in(server, user, password, profile_base, engine_options=options), ok,
                    on_error=lambda exc: fail(_message(exc, server)))

    return attempt


_main_loop_running = False


def quit_console() -> None:
    """End the console from a timer: a login dialog's own loop ends with the dialog; the main
    loop is told to exit only while it runs (an exit() requested outside it would make every
    later event loop of the process return at once)."""
    modal = QApplication.activeModalWidget()
    if isinstance(modal, QDialog):
        modal.done(QDialog.DialogCode.Rejected)
    for w in QApplication.topLevelWidgets():
        if w.isVisible():
            w.close()
    if _main_loop_running:
        QCoreApplication.exit(0)


def schedule_screenshot(path: Path, seconds: float, panels: bool = False) -> None:
    """After `seconds`, render the active top-level window to `path` and quit; with `panels`,
    also every dock panel of the main window (those behind a tab too) to `<path stem>-<panel>.png`."""

    def shoot() -> None:
        widgets = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        target: QWidget | None = QApplication.activeModalWidget() or next(
            (w for w in widgets if w.objectName() == "sitroom_main"), widgets[0] if widgets else None)
        if target is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            target.grab().save(str(path))
            print(f"screenshot written to {path}", flush=True)
            for name, dock in (getattr(target, "docks", {}) if panels else {}).items():
                dock.raise_()  # a panel behind a tab is laid out only when shown
                QApplication.processEvents()
                panel = dock.widget()
                if panel is not None:
                    out = path.with_name(f"{path.stem}-{name}{path.suffix}")
                    panel.grab().save(str(out))
                    print(f"panel screenshot written to {out}", flush=True)
        quit_console()

    QTimer.singleShot(int(seconds * 1000), shoot)


def run_console(options: ConsoleOptions) -> int:
    from console.ui.dialogs.login_dialog import LoginDialog
    from console.ui.session import LoggedIn

    given_ca = ""
    if options.ca_file is not None:
        try:
            given_ca = str(check_ca_file(options.ca_file))
        except CaFileError as exc:
            print(f"sitroom console: error: {exc}", file=sys.stderr)
            return 2
    app = application()
    settings = open_settings(options.profile_dir)
    languages = LanguageSwitcher()
    languages.set_language(options.lang or str(settings.value("ui/language") or system_language()))
    theme = ThemeManager(options.theme or str(settings.value("ui/theme") or "dark"))
    theme.apply()
    profile_base = options.profile_dir
    ops = OperationRunner()
    if options.quit_after is not None:
        if options.screenshot is not None:
            schedule_screenshot(options.screenshot, options.quit_after, options.screenshot_panels)
        else:
            QTimer.singleShot(int(options.quit_after * 1000), quit_console)
    server = options.server or str(settings.value("login/server") or DEFAULT_SERVER)
    user = options.user or str(settings.value("login/user") or "")
    ca = given_ca or saved_ca_file(settings, server)
    try:
        while True:
            shown: list[LoginDialog] = []  # the attempt reads the CA file this dialog chose
            attempt = make_attempt(ops, profile_base, partial(_chosen_ca, shown))
            dialog = LoginDialog(attempt, server, user, ca_file=ca,
                                 ca_for=lambda url: saved_ca_file(settings, url))
            shown.append(dialog)
            if options.password and user:
                dialog.password.setText(options.password)
                options.password = None  # only the first time: after a log-out, ask
                QTimer.singleShot(0, dialog.submit)
            if dialog.exec() != QDialog.DialogCode.Accepted or not isinstance(dialog.result_value, LoggedIn):
                return 1 if options.screenshot is None else 0
            logged_in = dialog.result_value
            server, user = logged_in.server_url, logged_in.user.username
            ca = dialog.chosen_ca_file or ""
            settings.setValue("login/server", server)
            settings.setValue("login/user", user)
            save_ca_file(settings, server, ca)
            rc, logged_out = _run_session(app, logged_in, ops, settings, languages, theme, options)
            if not logged_out:
                return rc
    finally:
        ops.shutdown(wait=True)
        languages.remove()


def _run_session(app: QApplication, logged_in: Any, ops: OperationRunner, settings: QSettings,
                 languages: LanguageSwitcher, theme: ThemeManager,
                 options: ConsoleOptions) -> tuple[int, bool]:
    """Show the main window for one login until it closes; (exit code, logged out?)."""
    from console.ui.main_window import MainWindow, SessionActions
    from console.ui.session import Session

    changes = ChangeBus()
    session = Session(logged_in, changes, ops)
    ctx = PanelContext(replica=logged_in.replica, ops=ops, selection=Selection(), changes=changes,
                       clock=logged_in.engine.clock, user=logged_in.user, theme=theme,
                       console_id=logged_in.console_id, settings=settings)
    logged_out = False
    window: Any = None

    def log_out() -> None:
        nonlocal logged_out
        logged_out = True
        window.close()

    window = MainWindow(ctx, settings, languages,
                        actions=SessionActions(sync_now=session.sync_now, log_out=log_out))
    session.notice.connect(lambda text: window.statusBar().showMessage(text, 15000))
    session.auth_expired.connect(lambda msg: _relogin(window, session, ops, msg))
    if options.screenshot is not None:
        window.resize(1920, 1080)
    window.show()
    if logged_in.offline:
        window.statusBar().showMessage(QCoreApplication.translate("MainWindow",
            "Logged in offline: the server cannot be reached. Your changes are kept and sent "
            "when it returns."), 30000)
    session.start()
    pacer = GcPacer(parent=window)
    changes.rows_changed.connect(pacer.activity)
    pacer.start()
    global _main_loop_running
    try:
        _main_loop_running = True
        rc = app.exec()
        _main_loop_running = False
        window.save_layout()
        if logged_out:
            logged_in.engine.logout()
    finally:
        _main_loop_running = False
        pacer.stop()
        session.stop()
        changes.stop()
        changes.deleteLater()
        session.deleteLater()
        window.deleteLater()
    return rc, logged_out


def _relogin(window: Any, session: Any, ops: OperationRunner, message: str) -> None:
    """The server wants a new login (token expired, password changed): ask for the password."""
    from console.ui.dialogs.login_dialog import LoginDialog

    def attempt(server: str, user: str, password: str, ok: Any, fail: Any) -> None:
        ops.network(lambda: session.relogin(password), ok,
                    on_error=lambda exc: fail(_message(exc, server)))

    user = session.logged_in.user.username
    dialog = LoginDialog(attempt, session.logged_in.server_url, user, parent=window,
                         ca_file=session.engine.ca_file or "")
    dialog.lock_server()
    dialog.message.setText(message)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        session.start()
