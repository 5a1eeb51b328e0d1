"""External alerts: other agencies' CAP alerts shared with this office's scope, worst first, while
they are in force (expired ones on request), with the selected alert's text below the list."""

from __future__ import annotations

from typing import Any

from console.domain.records import RecordKind
from console.ui.cap_actions import ImportCapAction
from console.ui.i18n import is_korean
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCheckBox,
    QColor,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from console.ui.timefmt import local_time
from console.views.external_alerts import ExternalAlertRow, external_alert_rows

K = RecordKind
COLUMNS = 5  # severity, headline, sender, areas, expires
SEVERITY_COLOURS = {"Extreme": "#c62828", "Severe": "#ef6c00", "Moderate": "#f9a825", "Minor": "#2e7d32"}
SEVERITY_KO = {"Extreme": "극심", "Severe": "심각", "Moderate": "보통", "Minor": "경미", "Unknown": "미상"}


class ExternalAlertsPanel(QWidget):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ExternalAlertRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("external_alert_count")
        self.count_label.setProperty("role", "muted")
        self.show_expired = QCheckBox()
        self.show_expired.setObjectName("show_expired")
        self.show_expired.toggled.connect(lambda _on: self.reload())
        self.import_button = QtWidgets.QToolButton()
        self.import_button.setObjectName("import_cap")
        self.import_button.setDefaultAction(ImportCapAction(ctx, self))
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.show_expired)
        bar.addWidget(self.import_button)
        layout.addLayout(bar)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("external_alerts_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 84), (2, 150), (3, 150), (4, 90)):
            self.table.setColumnWidth(col, width)
        self.table.currentCellChanged.connect(lambda *_a: self._show_detail())
        self.detail = QLabel()
        self.detail.setObjectName("external_alert_detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

        self._ticks = 0
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        replica, now, korean = self.ctx.replica, self.ctx.now(), is_korean()
        expired = self.show_expired.isChecked()
        self.ctx.ops.query(lambda: external_alert_rows(replica, now, korean=korean, include_expired=expired),
                           self._loaded, key=f"external-alerts-{id(self)}")

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if K.EXTERNAL_ALERT in changes or K.EXTERNAL_ALERT.value in changes:
            self.reload()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % 30 == 0:  # alerts expire with time passing
            self.reload()

    def _loaded(self, rows: list[ExternalAlertRow]) -> None:
        current = self._current_id()
        self.rows = rows
        korean = is_korean()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            texts = [SEVERITY_KO.get(row.severity, row.severity) if korean else row.severity,
                     row.headline, row.sender, row.areas,
                     local_time(row.expires, now=self.ctx.now()) if row.expires else "—"]
            colour = SEVERITY_COLOURS.get(row.severity)
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row.expired:
                    item.setForeground(QColor("#888888"))
                elif c == 0 and colour:
                    item.setBackground(QColor(colour))
                    item.setForeground(QColor("#ffffff"))
                self.table.setItem(r, c, item)
        self._count_text()
        ids = [row.id for row in rows]
        if rows:
            self.table.selectRow(ids.index(current) if current in ids else 0)
        self._show_detail()

    def _current_id(self) -> str | None:
        r = self.table.currentRow()
        return self.rows[r].id if 0 <= r < len(self.rows) else None

    def _count_text(self) -> str:
        shown = sum(1 for r in self.rows if not r.expired)
        text = self.tr("Alerts in force: %1").replace("%1", str(shown))
        self.count_label.setText(text)
        return text

    def _show_detail(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            empty = self.tr("No external alert in force. Bring one in with File > Import CAP alert…")
            self.detail.setText(empty)
            return
        row = self.rows[r]
        lines = [f"<b>{_html(row.headline)}</b>", _html(row.event)]
        if row.description:
            lines.append(_html(row.description).replace("\n", "<br>"))
        if row.instruction:
            lines.append(f"<i>{_html(row.instruction)}</i>")
        lines.append(self.tr("From {sender}, sent {sent}; {kind}; imported by {user} ({source})").format(
            sender=_html(row.sender), sent=local_time(row.sent, now=self.ctx.now()),
            kind=self._msg_type(row.msg_type), user=_html(row.imported_by), source=_html(row.source or "—")))
        if row.expired:
            lines.append(self.tr("Expired"))
        self.detail.setText("<br>".join(line for line in lines if line))

    def _msg_type(self, value: str) -> str:
        names = {"Alert": self.tr("new alert"), "Update": self.tr("update"),
                 "Cancel": self.tr("cancellation")}
        return names.get(value, value)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Severity"), self.tr("Headline"), self.tr("Sender"),
                                              self.tr("Area"), self.tr("Expires")])
        self.show_expired.setText(self.tr("Show expired"))
        self._count_text()
        self._show_detail()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.reload()
        super().changeEvent(event)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(ctx: PanelContext) -> QWidget:
    return ExternalAlertsPanel(ctx)


PANEL = PanelSpec(
    object_name="external_alerts",
    title=QT_TRANSLATE_NOOP("Panels", "External alerts"),
    area="left",
    factory=build,
    order=90,
    opens=(K.EXTERNAL_ALERT.value,),
)
