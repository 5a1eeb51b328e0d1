"""CAP 1.2 in the console: "Export as CAP…" on a duty order or a code 0/1 incident (context menus of
the duty panel and the incident queue) and File > "Import CAP alert…", which shares an outside
agency's alert with the offices in this office's scope as an external_alert.

The alert is built and checked against the schema on the database worker (console.interop); the
file dialogs and messages stay on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.domain.errors import DomainError
from console.domain.records import RecordKind
from console.domain.roles import Role, may
from console.interop.cap import CapError, alert_xml
from console.interop.cap_in import CapRefused, ImportedCap, parse_cap, read_source
from console.interop.cap_records import (
    EXPORTED_CODES,
    directive_cap,
    duty_order_cap,
    incident_cap,
    orgs_by_code,
)
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAction,
    QCoreApplication,
    QEvent,
    QKeySequence,
    QMenu,
    QMessageBox,
    QObject,
    Qt,
    QtWidgets,
    QWidget,
)

K = RecordKind
CONTEXT = "CapActions"


translate = QCoreApplication.translate


def _t(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP("CapActions", ...), translated now."""
    return translate(CONTEXT, text)


# -- where files go: module functions, so a test replaces them instead of clicking a dialog -------
def choose_save_path(parent: QWidget, suggested: str) -> Path | None:
    chosen, _filter = QtWidgets.QFileDialog.getSaveFileName(
        parent, translate("CapActions", "Export as CAP 1.2 alert"), str(Path.home() / suggested),
        translate("CapActions", "CAP alerts (*.cap *.xml);;All files (*)"))
    return Path(chosen) if chosen else None


def choose_open_path(parent: QWidget) -> str | None:
    chosen, _filter = QtWidgets.QFileDialog.getOpenFileName(
        parent, translate("CapActions", "Import CAP alert"), str(Path.home()),
        translate("CapActions", "CAP alerts (*.cap *.xml);;All files (*)"))
    return chosen or None


def tell(parent: QWidget, title: str, text: str, *, problem: bool = False) -> None:
    box = QMessageBox.warning if problem else QMessageBox.information
    box(parent, title, text)


# -- out --------------------------------------------------------------------------------------
def export_duty_order(ctx: PanelContext, order_id: str, parent: QWidget,
                      on_written: Callable[[Path], None] | None = None) -> None:
    """Write a duty order as a CAP alert (Alert, Update of older orders, or Cancel)."""
    replica, now = ctx.replica, ctx.now()

    def build() -> tuple[str, bytes]:
        row = replica.row(K.DUTY_ORDER, order_id)
        if row is None:
            raise CapError(translate("CapActions", "The order is no longer in this console's data."))
        orgs = orgs_by_code(replica.rows(K.ORG))
        orders = [dict(r.data) for r in replica.rows(K.DUTY_ORDER)]
        alert = duty_order_cap(row.data, orgs, orders, now=now)
        return alert.identifier, alert_xml(alert)

    _export(ctx, build, parent, on_written)


def export_incident(ctx: PanelContext, incident_id: str, parent: QWidget,
                    on_written: Callable[[Path], None] | None = None) -> None:
    """Write a code 0/1 incident as a CAP alert (Alert, Update while handled, Cancel once resolved)."""
    replica = ctx.replica

    def build() -> tuple[str, bytes]:
        row = replica.row(K.INCIDENT, incident_id)
        if row is None:
            raise CapError(translate("CapActions", "The incident is no longer in this console's data."))
        alert = incident_cap(row.data, orgs_by_code(replica.rows(K.ORG)))
        return alert.identifier, alert_xml(alert)

    _export(ctx, build, parent, on_written)


def export_directive(ctx: PanelContext, directive_id: str, parent: QWidget,
                     on_written: Callable[[Path], None] | None = None) -> None:
    """Write a directive as a CAP alert (Alert, or Cancel once withdrawn): for the directives
    panel's menu."""
    replica = ctx.replica

    def build() -> tuple[str, bytes]:
        row = replica.row(K.DIRECTIVE, directive_id)
        if row is None:
            raise CapError(translate("CapActions", "The directive is no longer in this console's data."))
        alert = directive_cap(row.data, orgs_by_code(replica.rows(K.ORG)))
        return alert.identifier, alert_xml(alert)

    _export(ctx, build, parent, on_written)


def _export(ctx: PanelContext, build: Callable[[], tuple[str, bytes]], parent: QWidget,
            on_written: Callable[[Path], None] | None) -> None:
    def built(result: tuple[str, bytes]) -> None:
        identifier, data = result
        path = choose_save_path(parent, f"{identifier}.cap")
        if path is None:
            return
        try:
            path.write_bytes(data)
        except OSError as exc:
            text = translate("CapActions", "The file could not be written: {error}")
            tell(parent, translate("CapActions", "Export as CAP"),
                 text.format(error=exc.strerror or exc), problem=True)
            return
        if on_written is not None:
            on_written(path)

    def failed(exc: BaseException) -> None:
        text = translate("CapActions", "No CAP alert was written: {error}")
        tell(parent, translate("CapActions", "Export as CAP"),
             text.format(error=getattr(exc, "message", None) or exc), problem=True)

    ctx.ops.query(build, built, on_error=failed)


class _Action(QAction):
    """An action whose text follows the console's language (LanguageChange reaches widgets, not
    actions: it watches the widget it belongs to), and that checks whether it applies just before
    its owner's right-click menu opens (`applies`)."""

    def __init__(self, text: str, owner: QWidget, name: str,
                 applies: Callable[[], bool] = lambda: True) -> None:
        super().__init__(owner)
        self._text = text
        self._owner = owner
        self.applies = applies
        self.setObjectName(name)
        owner.installEventFilter(self)
        if isinstance(owner, QtWidgets.QAbstractScrollArea):
            owner.viewport().installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_t(self._text))

    def refresh(self, *_args: Any) -> None:
        self.setEnabled(self.applies())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._owner and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ContextMenu:
            self.refresh()
        return False


def install_incident_menu(ctx: PanelContext, table: QtWidgets.QAbstractItemView,
                          selected_id: Callable[[], str | None],
                          selected_code: Callable[[], int | None]) -> QAction:
    """"Export as CAP…" in the queue's right-click menu (beside its CSV export), enabled for
    code 0 and 1 incidents only."""
    action = _Action(QT_TRANSLATE_NOOP("CapActions", "Export as CAP…"), table, "export_cap",
                     lambda: selected_code() in EXPORTED_CODES)

    def run() -> None:
        incident_id = selected_id()
        if incident_id is not None and selected_code() in EXPORTED_CODES:
            export_incident(ctx, incident_id, table.window())

    table.selectionModel().currentRowChanged.connect(action.refresh)
    action.triggered.connect(run)
    table.addAction(action)
    action.refresh()
    return action


def install_directive_menu(ctx: PanelContext, view: QtWidgets.QAbstractItemView,
                           selected_id: Callable[[], str | None]) -> QAction:
    """"Export as CAP…" in the right-click menu of a list of directives (those standing for the
    office, those it issued), for the directive chosen in it."""
    action = _Action(QT_TRANSLATE_NOOP("CapActions", "Export as CAP…"), view, "export_cap",
                     lambda: selected_id() is not None)

    def run() -> None:
        directive_id = selected_id()
        if directive_id is not None:
            export_directive(ctx, directive_id, view.window())

    action.triggered.connect(run)
    view.addAction(action)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    action.refresh()
    return action


def install_duty_menu(ctx: PanelContext, panel: QWidget, labels: list[QWidget],
                      orders: Callable[[], list[tuple[str, str]]]) -> None:
    """Right-click on the duty panel: "Export as CAP…" for each order it shows (`orders` gives
    (order id, what to call it)). The `labels` showing the order pass the right-click on to the
    panel (they keep Ctrl+C)."""

    def show(pos: Any) -> None:
        shown = orders()
        if not shown:
            return
        menu = QMenu(panel)
        menu.setObjectName("duty_context_menu")
        for order_id, name in shown:
            action = menu.addAction(translate("CapActions", "Export as CAP: {order}…").format(order=name)
                                    if len(shown) > 1 else translate("CapActions", "Export as CAP…"))
            action.setObjectName(f"export_cap_{order_id}")
            action.triggered.connect(
                lambda _checked=False, oid=order_id: export_duty_order(ctx, oid, panel.window()))
        menu.popup(panel.mapToGlobal(pos))

    for label in labels:
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    panel.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    panel.customContextMenuRequested.connect(show)


def orders_shown(view: Any) -> list[tuple[str, str]]:
    """The orders a duty view shows (in force, the one this office issued, those waiting for its
    acknowledgement), each with what to call it: level and issuer."""
    from console.domain.duty import DUTY_REQUIREMENTS
    from console.ui.i18n import is_korean

    if view is None or not getattr(view, "loaded", False):
        return []
    korean = is_korean()
    found = [view.in_force, view.issued.order if view.issued else None, *view.unacknowledged]
    out: dict[str, str] = {}
    for order in found:
        if order is None or order.id in out:
            continue
        req = DUTY_REQUIREMENTS[order.level]
        out[order.id] = (f"{req.name_ko if korean else req.name_en} "
                         f"({view.office_name(order.issuer_code, korean)})")
    return list(out.items())


# -- in ---------------------------------------------------------------------------------------
def import_cap(ctx: PanelContext, source: str, parent: QWidget,
               on_imported: Callable[[ImportedCap], None] | None = None) -> None:
    """Read and check a CAP file on the worker, then share it as an external alert; a refusal
    is said in words, and nothing changes."""

    def read() -> ImportedCap:
        data, name = read_source(source)
        return parse_cap(data, name)

    def parsed(imported: ImportedCap) -> None:
        def done(_result: Any) -> None:
            if on_imported is not None:
                on_imported(imported)

        ctx.ops.submit(MutationRequest("external_alert.import", K.EXTERNAL_ALERT, imported.record_id,
                                       imported.payload), on_done=done, on_error=refused)

    def refused(exc: BaseException) -> None:
        if isinstance(exc, DomainError) and "already exists" in exc.message:
            text = translate("CapActions", "This alert was imported before: nothing changed.")
        elif isinstance(exc, CapRefused | DomainError):
            text = translate("CapActions", "The alert was not imported: {reason}").format(
                reason=exc.message if isinstance(exc, DomainError) else str(exc))
        else:
            text = translate("CapActions", "The alert was not imported: {reason}").format(reason=exc)
        tell(parent, translate("CapActions", "Import CAP alert"), text, problem=True)

    ctx.ops.query(read, parsed, on_error=refused)


class ImportCapAction(QAction):
    """File > Import CAP alert… (Ctrl+Shift+I): station commanders and HQ, who may share it."""

    def __init__(self, ctx: PanelContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.setObjectName("import_cap_alert")
        self.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.setEnabled(may(Role(ctx.user.role), "external_alert.import"))
        self.triggered.connect(self.run)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(translate("CapActions", "&Import CAP alert…"))
        self.setStatusTip(translate("CapActions", "Share another agency's CAP 1.2 alert with your scope"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def run(self) -> None:
        source = choose_open_path(self.window)
        if source:
            import_cap(self.ctx, source, self.window)
