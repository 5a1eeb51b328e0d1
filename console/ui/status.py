"""Connection state everywhere: the offline banner, the status bar fields, each panel's data age,
and the loading page each panel shows until the first sync is complete (SyncStatus.loading)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from console.domain.clock import in_operation_zone
from console.domain.roles import Role
from console.protocol.schema import UserInfo
from console.sync.events import FailureKind, SyncFailure
from console.ui.alerts import alert_player
from console.ui.events import ChangeBus, Connection, SyncStatus
from console.ui.i18n import is_korean
from console.ui.labels import failure_text, failure_words, label
from console.ui.qt import (
    QCoreApplication,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLocale,
    QObject,
    QStatusBar,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    fmt,
)
from console.ui.timefmt import age as age_of
from console.ui.timefmt import local_time

STALE_AFTER_S = 120.0  # data older than this is shown as stale even while online


Speed = Callable[[], float]


def _real_time() -> float:
    return 1.0


def data_age(status: SyncStatus, now: datetime, speed: float = 1.0) -> float | None:
    """Real seconds since the last successful pull. `data_as_of` and `now` are on the server's
    clock, which the demo runs `speed` times faster than real time: a long-poll that waits 20 s
    for news must read as 20 s, not as 48 scenario minutes (and not as stale)."""
    if status.data_as_of is None:
        return None
    return max(0.0, (now - status.data_as_of).total_seconds()) / max(speed, 1e-6)


def count_text(n: int) -> str:
    """A count as people read it: 42,827."""
    return QLocale().toString(int(n))


def first_sync_text(status: SyncStatus) -> str:
    """Where the first sync is, for the status bar and the panel strips (context "Status")."""
    if status.synced:
        return QCoreApplication.translate("Status", "First sync complete · loading the panels")
    if status.rows_total is None:
        return QCoreApplication.translate("Status", "First sync: waiting for the server")
    return fmt(QCoreApplication.translate("Status", "First sync: %1 of %2 rows"),
               count_text(status.rows_synced), count_text(status.rows_total))


def failure_tooltip(status: SyncStatus) -> str:
    """What went wrong and what to do, with the raw detail for whoever helps (context "Status")."""
    if status.failure is None:
        return ""
    text = failure_text(status.failure)
    if status.failure.detail:
        text += "\n\n" + fmt(QCoreApplication.translate("Status", "Detail: %1"), status.failure.detail)
    return text


def is_accelerated(speed: float) -> bool:
    return abs(speed - 1.0) > 0.01


def scenario_text(template: str, now: datetime, speed: float) -> str:
    """'Scenario 06-03 07:07 KST ×144' (template "Scenario %1 %2 ×%3", translated) for an
    accelerated (or slowed) server clock, '' at real time. The date says which day of the phased
    operation is played (an early-voting day or election day)."""
    if not is_accelerated(speed):
        return ""
    local = in_operation_zone(now)
    return fmt(template, local.strftime("%m-%d %H:%M"), local.tzname() or "", f"{speed:g}").strip()


class ConnectionBanner(QFrame):
    """Across the whole window: red when offline, amber when degraded, hidden when online."""

    def __init__(self, changes: ChangeBus, now: Callable[[], datetime],
                 parent: QWidget | None = None, speed: Speed = _real_time) -> None:
        super().__init__(parent)
        self.setObjectName("connection_banner")
        self._changes, self._now, self._speed = changes, now, speed
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.text = QLabel()
        self.text.setObjectName("connection_banner_text")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        changes.sync_state_changed.connect(self._on_status)
        changes.tick.connect(self.refresh)
        self.refresh()

    def _on_status(self, _status: SyncStatus) -> None:
        self.refresh()

    def refresh(self) -> None:
        s = self._changes.status
        if s.connection == Connection.ONLINE:
            self.hide()
            return
        age = data_age(s, self._now(), self._speed())
        if s.loading:
            data = self.tr("The first sync is not complete: the panels show no data yet.")
        elif age is not None:
            data = fmt(self.tr("Working from local data as of %1 (%2 ago)."), local_time(s.data_as_of),
                       age_of(age))
        else:
            data = self.tr("No data received from the server yet.")
        if s.connection == Connection.OFFLINE:
            role = "banner-offline"
            what = failure_words(s.failure or SyncFailure(FailureKind.UNREACHABLE))[0]
            text = fmt(self.tr("OFFLINE — %1 %2 %3 change(s) waiting to be sent; they go out when the "
                               "connection returns."), what, data, s.pending)
        else:
            role = "banner-degraded"
            text = fmt(self.tr("CONNECTION DEGRADED — the server answers slowly or with errors; "
                               "retrying. %1"), data)
        self.setToolTip(failure_tooltip(s))
        if self.property("role") != role:
            self.setProperty("role", role)
            self.style().unpolish(self)
            self.style().polish(self)
        self.text.setText(text)
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)


class StatusFields(QObject):
    """The permanent fields of the status bar (a QObject child of the bar, so its connections
    end with the window)."""

    def __init__(self, bar: QStatusBar, changes: ChangeBus, user: UserInfo,
                 now: Callable[[], datetime], speed: Speed = _real_time) -> None:
        super().__init__(bar)
        self._changes, self._user, self._now, self._speed = changes, user, now, speed
        # The demo's accelerated clock, said first: it is why ages move fast.
        self.scenario = QLabel()
        self.scenario.setObjectName("status_scenario")
        self.connection = QLabel()
        self.connection.setObjectName("status_connection")
        self.as_of = QLabel()
        self.as_of.setObjectName("status_as_of")
        self.pending = QLabel()
        self.pending.setObjectName("status_pending")
        self.conflicts = QLabel()
        self.conflicts.setObjectName("status_conflicts")
        self.user = QLabel()
        self.user.setObjectName("status_user")
        self.office = QLabel()
        self.office.setObjectName("status_office")
        # A muted console in a situation room is a risk: said where it is always seen.
        self.muted = QLabel()
        self.muted.setObjectName("status_muted")
        self.muted.setProperty("conn", "offline")  # the offline colour: it must stand out
        for w in (self.muted, self.scenario, self.connection, self.as_of, self.pending, self.conflicts,
                  self.user, self.office):
            bar.addPermanentWidget(w)
        self._player = alert_player()
        self._player.settings_changed.connect(self.refresh)
        changes.sync_state_changed.connect(self._on_status)
        changes.tick.connect(self.refresh)
        self.refresh()

    def _on_status(self, _status: SyncStatus) -> None:
        self.refresh()

    def refresh(self) -> None:
        s = self._changes.status
        names = {Connection.ONLINE: self.tr("● Online"), Connection.DEGRADED: self.tr("● Degraded"),
                 Connection.OFFLINE: self.tr("● OFFLINE")}
        self.connection.setText(names[s.connection])
        self.connection.setToolTip(failure_tooltip(s))
        if self.connection.property("conn") != s.connection.value:
            self.connection.setProperty("conn", s.connection.value)
            self.connection.style().unpolish(self.connection)
            self.connection.style().polish(self.connection)
        now, speed = self._now(), self._speed()
        scenario = scenario_text(self.tr("Scenario %1 %2 ×%3"), now, speed)
        self.scenario.setText(scenario)
        self.scenario.setVisible(bool(scenario))
        self.scenario.setToolTip(fmt(self.tr(
            "The server runs a scenario clock %1 times faster than real time: ages and overdue "
            "checks follow it. How old the data is counts real seconds."), f"{speed:g}") if scenario else "")
        # The data's age starts with the first complete sync: before, there is no picture to date.
        age = None if s.loading else data_age(s, now, speed)
        if s.loading:
            self.as_of.setText(first_sync_text(s))
        else:
            self.as_of.setText(fmt(self.tr("Data as of %1 (%2 ago)"), local_time(s.data_as_of), age_of(age))
                               if age is not None else self.tr("No data yet"))
        self.pending.setText(fmt(self.tr("Outbox %1"), s.pending))
        self.conflicts.setText(fmt(self.tr("Conflicts %1 · Rejected %2"), s.conflicts, s.rejected))
        # The role in the console's language and the login name; the display name, as the server
        # keeps it (in whatever language it was written), only in the tooltip.
        self.user.setText(fmt(self.tr("%1 · %2"), label(Role(self._user.role)), self._user.username))
        self.user.setToolTip(self._user.display_name)
        self.office.setText(self._user.org_name_ko if is_korean() else self._user.org_name_en)
        self.muted.setText(self.tr("ALERT SOUNDS MUTED"))
        self.muted.setToolTip(self.tr("Alert sounds are off: View → Alert sound turns them on again"))
        self.muted.setVisible(self._player.muted)


class LoadingPage(QFrame):
    """What a panel shows instead of its figures until the first sync is complete: how far the
    sync is, with a progress bar; never an empty panel that reads as "nothing happens"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel_loading")
        self.setAutoFillBackground(True)  # it covers the panel beneath
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addStretch(1)
        self.title = QLabel()
        self.title.setObjectName("panel_loading_title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setObjectName("panel_loading_bar")
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(420)
        layout.addWidget(self.bar)
        self.note = QLabel()
        self.note.setObjectName("panel_loading_note")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addStretch(2)

    def show_status(self, s: SyncStatus) -> None:
        if s.synced:
            self.title.setText(self.tr("Loading: the synced data is being read"))
            self.bar.setRange(0, 0)  # busy, no figure to give
        elif s.rows_total is None:
            self.title.setText(self.tr("Loading: waiting for the server"))
            self.bar.setRange(0, 0)
        else:
            self.title.setText(fmt(self.tr("Loading: %1 of %2 rows synced"), count_text(s.rows_synced),
                                   count_text(s.rows_total)))
            self.bar.setRange(0, max(1, s.rows_total))
            self.bar.setValue(min(s.rows_synced, s.rows_total))
        note = self.tr("This panel shows its figures once the first sync with the server is complete.")
        if s.connection == Connection.OFFLINE and s.failure is not None:
            note += " " + failure_text(s.failure)
        self.note.setText(note)
        self.setToolTip(failure_tooltip(s))


class PanelFrame(QWidget):
    """A panel under a thin strip saying how old the data behind it is. Until the first sync is
    complete (SyncStatus.loading) a loading page covers the panel: the panel goes on loading
    beneath it, but what it would show (an empty queue, "no order in force") is not the truth
    yet."""

    def __init__(self, body: QWidget, changes: ChangeBus, now: Callable[[], datetime],
                 parent: QWidget | None = None, speed: Speed = _real_time) -> None:
        super().__init__(parent)
        self.body = body
        self._changes, self._now, self._speed = changes, now, speed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.age = QLabel()
        self.age.setObjectName("panel_data_age")
        self.age.setProperty("role", "age")
        self.age.setContentsMargins(6, 1, 6, 1)
        layout.addWidget(self.age)
        self.loading_page = LoadingPage()
        stack = QWidget()
        self._stack = QtWidgets.QStackedLayout(stack)
        # All pages stay shown (the panel keeps working beneath); the current one is on top.
        self._stack.setStackingMode(QtWidgets.QStackedLayout.StackingMode.StackAll)
        self._stack.addWidget(body)
        self._stack.addWidget(self.loading_page)
        self.loading_page.hide()  # shown (on top) only while loading
        layout.addWidget(stack, 1)
        changes.sync_state_changed.connect(self._on_status)
        changes.tick.connect(self.refresh)
        self.refresh()

    @property
    def loading(self) -> bool:
        """The loading page covers the panel."""
        return self._stack.currentWidget() is self.loading_page

    def _on_status(self, _status: SyncStatus) -> None:
        self.refresh()

    def refresh(self) -> None:
        s = self._changes.status
        if s.loading:
            self.loading_page.show_status(s)
            if not self.loading:
                self.loading_page.show()
                self._stack.setCurrentWidget(self.loading_page)
        elif self.loading:
            self._stack.setCurrentWidget(self.body)
            self.loading_page.hide()
        age = None if s.loading else data_age(s, self._now(), self._speed())
        if s.loading:
            text = first_sync_text(s)
            stale = True
        elif age is None:
            text = self.tr("Local data · not yet synchronised with the server")
            stale = True
        else:
            text = fmt(self.tr("Data as of %1 · %2 old"), local_time(s.data_as_of), age_of(age))
            stale = s.connection != Connection.ONLINE or age > STALE_AFTER_S
        if s.connection == Connection.OFFLINE and (s.loading or age is not None):
            text += " · " + self.tr("OFFLINE")
        self.age.setText(text)
        if self.age.property("stale") != stale:
            self.age.setProperty("stale", stale)
            self.age.style().unpolish(self.age)
            self.age.style().polish(self.age)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
