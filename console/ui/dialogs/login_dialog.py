"""Login: server, station CA file, user name, password. The login itself runs on a worker; the
dialog only collects input and shows what happened (wrong password, server unreachable, a
certificate the console does not trust, offline login)."""

from __future__ import annotations

from collections.abc import Callable

from console.sync.tls import CaFileError, check_ca_file
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    fmt,
)

# attempt(server, username, password, on_success, on_failure(message)); the CA file chosen for
# that attempt is the dialog's `chosen_ca_file` when it is called.
Attempt = Callable[[str, str, str, Callable[[object], None], Callable[[str], None]], None]


class LoginDialog(QDialog):
    def __init__(self, attempt: Attempt, server: str = "", username: str = "",
                 parent: QWidget | None = None, *, ca_file: str = "",
                 ca_for: Callable[[str], str] | None = None) -> None:
        """`ca_file`: the CA file shown at first; `ca_for(server)`: the one saved for a server,
        filled in when the server address is changed."""
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self._attempt = attempt
        self._ca_for = ca_for
        self._locked = False
        self.result_value: object = None
        self.chosen_ca_file: str | None = None  # checked, absolute; set by submit()
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
        self.server.editingFinished.connect(self._server_changed)
        self.ca_file = QLineEdit(ca_file)
        self.ca_file.setObjectName("login_ca_file")
        self.ca_file.setPlaceholderText(self.tr("none (only for an https:// server)"))
        self.ca_file.setToolTip(self.tr("The station CA file (.pem or .crt) from your station's operator: "
                                        "the console then trusts only the server certificates it signed."))
        self.ca_choose = QPushButton(self.tr("Choose…"))
        self.ca_choose.setObjectName("login_ca_choose")
        self.ca_choose.clicked.connect(self.choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_choose)
        self.username = QLineEdit(username)
        self.username.setObjectName("login_username")
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Station CA file"), ca_row)
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

    def lock_server(self) -> None:
        """A new login to the same server (the session expired): only the password is asked."""
        for w in (self.server, self.ca_file, self.ca_choose, self.username):
            w.setEnabled(False)
        self._locked = True

    def _server_changed(self) -> None:
        if self._ca_for is None:
            return
        saved = self._ca_for(self.server.text().strip())
        if saved:
            self.ca_file.setText(saved)

    def choose_ca_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Station CA file"), self.ca_file.text().strip(),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_file.setText(path)

    def submit(self) -> None:
        server, user = self.server.text().strip(), self.username.text().strip()
        password = self.password.text()
        ca = self.ca_file.text().strip()
        if not server or not user or not password:
            self.message.setText(self.tr("Enter the server address, your user name and your password."))
            return
        if "://" not in server:
            server = ("https://" if ca else "http://") + server
            self.server.setText(server)
        self.message.setToolTip("")
        if ca:
            if server.lower().startswith("http://"):
                self.message.setText(self.tr(
                    "A CA file is for an https:// server, but this address starts with http://: the "
                    "password would cross the network unencrypted. Write the address with https://, "
                    "or clear the CA file."))
                return
            try:
                self.chosen_ca_file = str(check_ca_file(ca))
            except CaFileError as exc:
                self.message.setText(fmt(self.tr(
                    "The CA file %1 cannot be used: it is missing, unreadable or holds no "
                    "certificate. Ask your station's operator for the station CA file."), ca))
                self.message.setToolTip(str(exc))
                return
        else:
            self.chosen_ca_file = None
        self._busy(True)
        self.message.setText(self.tr("Connecting…"))
        self._attempt(server, user, password, self._succeeded, self._failed)

    def _busy(self, on: bool) -> None:
        for w in (self.server, self.ca_file, self.ca_choose, self.username, self.password, self.buttons):
            w.setEnabled(not on)
        if self._locked:
            for w in (self.server, self.ca_file, self.ca_choose, self.username):
                w.setEnabled(False)

    def _succeeded(self, value: object) -> None:
        self._busy(False)
        self.result_value = value
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.message.setText(message)
        self.password.selectAll()
        self.password.setFocus()
