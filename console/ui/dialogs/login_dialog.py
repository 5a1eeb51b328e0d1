"""Login: server, user name, password. The login itself runs on a worker; the dialog only
collects input and shows what happened (wrong password, server unreachable, offline login)."""

from __future__ import annotations

from collections.abc import Callable

from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

# attempt(server, username, password, on_success, on_failure(message))
Attempt = Callable[[str, str, str, Callable[[object], None], Callable[[str], None]], None]


class LoginDialog(QDialog):
    def __init__(self, attempt: Attempt, server: str = "", username: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self._attempt = attempt
        self.result_value: object = None
        self.setWindowTitle(self.tr("sitroom — log in"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Election security situation room"))
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        form = QFormLayout()
        self.server = QLineEdit(server)
        self.server.setObjectName("login_server")
        self.server.setPlaceholderText("http://127.0.0.1:8470")
        self.username = QLineEdit(username)
        self.username.setObjectName("login_username")
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("login_message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        layout.addWidget(self.message)
        hint = QLabel(self.tr("If the server cannot be reached, you can still log in with the password "
                              "you last used on this workstation and work from local data."))
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Ok | std.Cancel)
        self.buttons.button(std.Ok).setText(self.tr("Log in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if server and username else self.server).setFocus()

    def submit(self) -> None:
        server, user = self.server.text().strip(), self.username.text().strip()
        password = self.password.text()
        if not server or not user or not password:
            self.message.setText(self.tr("Enter the server address, your user name and your password."))
            return
        if "://" not in server:
            server = "http://" + server
            self.server.setText(server)
        self._busy(True)
        self.message.setText(self.tr("Connecting…"))
        self._attempt(server, user, password, self._succeeded, self._failed)

    def _busy(self, on: bool) -> None:
        for w in (self.server, self.username, self.password, self.buttons):
            w.setEnabled(not on)

    def _succeeded(self, value: object) -> None:
        self._busy(False)
        self.result_value = value
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.message.setText(message)
        self.password.selectAll()
        self.password.setFocus()
