"""The main window: dock panels discovered from console.ui.panels, menus, the offline banner
and the status bar; the layout is saved per user (with a state version) and restored."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from console.ui.alerts import AlertSoundMenu
from console.ui.cap_actions import ImportCapAction
from console.ui.geojson_actions import geojson_export_action
from console.ui.i18n import LanguageSwitcher
from console.ui.layout import AREAS, DEFAULT_LAYOUT, DockLayout, apply_sizes, place_docks, raise_fronts
from console.ui.panels.base import PANEL_TITLE_CONTEXT, PanelContext, PanelSpec, discover_panels
from console.ui.qt import (
    QAction,
    QByteArray,
    QCloseEvent,
    QCoreApplication,
    QDockWidget,
    QEvent,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSettings,
    Qt,
    QtGui,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from console.ui.report_dialog import report_action, retranslate_action
from console.ui.status import ConnectionBanner, PanelFrame, StatusFields
from console.ui.timefmt import use_clock

log = logging.getLogger(__name__)

# Bump when the set of docks or their arrangement changes incompatibly: a saved state of an
# older version is ignored (the default layout is used) instead of restoring a broken one.
# 4: the wall layout (console/ui/layout.py: map large on the left, queue and detail on the right).
WINDOW_STATE_VERSION = 4


@dataclass
class SessionActions:
    """What the window can ask of the session that owns it (it never holds the engine)."""

    sync_now: Callable[[], None] = lambda: None
    log_out: Callable[[], None] = lambda: None


class MainWindow(QMainWindow):
    def __init__(self, ctx: PanelContext, settings: QSettings, languages: LanguageSwitcher,
                 specs: list[PanelSpec] | None = None, actions: SessionActions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sitroom_main")
        self.ctx = ctx
        self.settings = settings
        self.languages = languages
        self.session_actions = actions or SessionActions()
        self.specs = specs if specs is not None else discover_panels()
        self.docks: dict[str, QDockWidget] = {}
        self.panels: dict[str, QWidget] = {}
        self.setDockNestingEnabled(True)
        opt = QMainWindow.DockOption
        self.setDockOptions(opt.AnimatedDocks | opt.AllowNestedDocks | opt.AllowTabbedDocks
                            | opt.GroupedDragging)
        self.resize(1600, 1000)

        use_clock(ctx.clock.now)
        speed = self._clock_speed
        self.banner = ConnectionBanner(ctx.changes, ctx.clock.now, speed=speed)
        self._build_menu_and_banner()
        self.status_fields = StatusFields(self.statusBar(), ctx.changes, ctx.user, ctx.clock.now, speed)
        # Both columns run the full height; a panel placed top or bottom sits between them.
        self.layout_spec: DockLayout = DEFAULT_LAYOUT
        for corner, area in ((Qt.Corner.TopLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea),
                             (Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea),
                             (Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea),
                             (Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)):
            self.setCorner(corner, area)
        self._build_docks()
        self._default_state = self.saveState(WINDOW_STATE_VERSION)
        self._sized = False
        self.restored = self.restore_layout()
        ctx.selection.opened.connect(self._raise_for_kind)
        # A create request (File > New, the map's "New incident here") shows the panel answering it.
        ctx.selection.create_requested.connect(lambda kind, _prefill: self._raise_for_kind(kind, ""))
        ctx.ops.failed.connect(self._show_failure)
        self.retranslate()

    def _clock_speed(self) -> float:
        """How many server-clock seconds pass per real second (the demo's scenario runs faster)."""
        return self.ctx.clock.speed or 1.0

    # -- construction -----------------------------------------------------------------------
    def _build_menu_and_banner(self) -> None:
        # The banner sits under the menu bar, across the full width, above every dock.
        top = QWidget()
        top.setObjectName("menu_and_banner")
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = self.menuBar()
        layout.addWidget(bar)
        layout.addWidget(self.banner)
        self.setMenuWidget(top)

        self.file_menu = QMenu(self)
        self.view_menu = QMenu(self)
        self.help_menu = QMenu(self)
        for menu in (self.file_menu, self.view_menu, self.help_menu):
            bar.addMenu(menu)
        self.new_incident_action = QAction(self)
        self.new_incident_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_incident_action.triggered.connect(self._new_incident)
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.sync_action.triggered.connect(lambda: self.session_actions.sync_now())
        self.logout_action = QAction(self)
        self.logout_action.triggered.connect(lambda: self.session_actions.log_out())
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.report_action = report_action(self.ctx, self)  # File > Report... (console.ui.report_dialog)
        self.file_menu.addActions([self.new_incident_action, self.sync_action, self.report_action])
        self.geojson_action = geojson_export_action(self.ctx, self)  # console.ui.geojson_actions
        self.file_menu.addAction(self.geojson_action)
        self.cap_import_action = ImportCapAction(self.ctx, self)  # File > Import CAP alert... (cap_actions)
        self.file_menu.addAction(self.cap_import_action)
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.logout_action, self.quit_action])

        self.panels_menu = QMenu(self)
        self.view_menu.addMenu(self.panels_menu)
        self.reset_layout_action = QAction(self)
        self.reset_layout_action.triggered.connect(self.reset_layout)
        self.view_menu.addAction(self.reset_layout_action)
        self.view_menu.addSeparator()
        self.theme_menu = QMenu(self)
        self.theme_group = QtGui.QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name in ("dark", "light"):
            a = QAction(self, checkable=True)
            a.setData(name)
            a.triggered.connect(lambda _c=False, n=name: self.set_theme(n))
            self.theme_group.addAction(a)
            self.theme_menu.addAction(a)
            self.theme_actions[name] = a
        self.language_menu = QMenu(self)
        self.language_group = QtGui.QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang, text in (("en", "English"), ("ko", "한국어")):
            a = QAction(text, self, checkable=True)  # each language named in itself
            a.triggered.connect(lambda _c=False, code=lang: self.set_language(code))
            self.language_group.addAction(a)
            self.language_menu.addAction(a)
            self.language_actions[lang] = a
        self.view_menu.addMenu(self.theme_menu)
        self.view_menu.addMenu(self.language_menu)
        # --- alert sound: mute and volume per user (console/ui/alerts.py owns the menu) ---
        self.alert_sound_menu = AlertSoundMenu(self.settings, self.ctx.user.username, self)
        self.view_menu.addMenu(self.alert_sound_menu)
        # --- end alert sound ---
        self.view_menu.addSeparator()
        self.fullscreen_action = QAction(self, checkable=True)
        self.fullscreen_action.setShortcut(QKeySequence.StandardKey.FullScreen)
        self.fullscreen_action.triggered.connect(self._toggle_fullscreen)
        self.view_menu.addAction(self.fullscreen_action)

        self.shortcuts_action = QAction(self)
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action.triggered.connect(self._show_shortcuts)
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self._show_about)
        self.help_menu.addActions([self.shortcuts_action, self.about_action])

    def _build_docks(self) -> None:
        for spec in self.specs:
            try:
                body = spec.factory(self.ctx)
            except Exception:
                log.exception("panel %s failed to build; skipped", spec.object_name)
                body = QLabel(QCoreApplication.translate("MainWindow", "This panel failed to start."))
            self.panels[spec.object_name] = body
            dock = QDockWidget(self)
            dock.setObjectName(f"dock_{spec.object_name}")
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            dock.setWidget(PanelFrame(body, self.ctx.changes, self.ctx.clock.now, speed=self._clock_speed))
            self.docks[spec.object_name] = dock
            self.panels_menu.addAction(dock.toggleViewAction())
        # The layout's docks first, then any other panel by its spec (area, and group as tabs).
        placed = place_docks(self, self.layout_spec, self.docks)
        groups: dict[tuple[str, str], QDockWidget] = {}
        for spec in self.specs:
            dock = self.docks[spec.object_name]
            if spec.object_name not in placed:
                key = (spec.area, spec.group)
                if spec.group and key in groups:
                    self.tabifyDockWidget(groups[key], dock)
                else:
                    self.addDockWidget(AREAS[spec.area], dock, Qt.Orientation.Vertical
                                       if spec.area in ("left", "right") else Qt.Orientation.Horizontal)
                    groups.setdefault(key, dock)
            dock.setVisible(spec.visible_by_default)
        raise_fronts(self.layout_spec, self.docks)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            # Dock sizes only take once the window has its size: set the default proportions
            # on the first show, then remember that as the default layout for View > Reset.
            self._sized = True
            if not self.restored:
                self._apply_default_sizes()
            QTimer.singleShot(0, self._capture_default)

    def _capture_default(self) -> None:
        if not self.restored:
            self._default_state = self.saveState(WINDOW_STATE_VERSION)

    def _apply_default_sizes(self) -> None:
        apply_sizes(self, self.layout_spec, self.docks)

    # -- layout -------------------------------------------------------------------------------
    def _layout_key(self) -> str:
        return f"layout/{self.ctx.user.username}"

    def save_layout(self) -> None:
        key = self._layout_key()
        self.settings.setValue(f"{key}/version", WINDOW_STATE_VERSION)
        self.settings.setValue(f"{key}/geometry", self.saveGeometry())
        self.settings.setValue(f"{key}/state", self.saveState(WINDOW_STATE_VERSION))
        self.settings.sync()

    def restore_layout(self) -> bool:
        """Restore this user's saved layout; False (default kept) if none or of another version."""
        key = self._layout_key()
        version = self.settings.value(f"{key}/version")
        state, geometry = self.settings.value(f"{key}/state"), self.settings.value(f"{key}/geometry")
        if version is None or int(str(version)) != WINDOW_STATE_VERSION or not isinstance(state, QByteArray):
            return False
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        return bool(self.restoreState(state, WINDOW_STATE_VERSION))

    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
        self.restoreState(self._default_state, WINDOW_STATE_VERSION)
        for spec in self.specs:
            self.docks[spec.object_name].setVisible(spec.visible_by_default)
        raise_fronts(self.layout_spec, self.docks)
        self._apply_default_sizes()

    # -- theme and language -------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.ctx.theme.set_theme(name)
        self.settings.setValue("ui/theme", name)
        self.theme_actions[name].setChecked(True)

    def set_language(self, lang: str) -> None:
        self.languages.set_language(lang)
        self.settings.setValue("ui/language", self.languages.language)
        self.language_actions[self.languages.language].setChecked(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        u = self.ctx.user
        self.setWindowTitle(self.tr("sitroom — election security situation room") + f" · {u.org_code}")
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.new_incident_action.setText(self.tr("&New incident…"))
        self.sync_action.setText(self.tr("&Sync now"))
        self.logout_action.setText(self.tr("&Log out"))
        self.quit_action.setText(self.tr("&Quit"))
        retranslate_action(self.report_action)
        self.panels_menu.setTitle(self.tr("&Panels"))
        self.reset_layout_action.setText(self.tr("&Reset layout"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        self.theme_actions["dark"].setText(self.tr("Dark (situation-room wall)"))
        self.theme_actions["light"].setText(self.tr("Light"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.fullscreen_action.setText(self.tr("&Full screen"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.about_action.setText(self.tr("&About sitroom"))
        self.theme_actions.get(self.ctx.theme.current.name, self.theme_actions["dark"]).setChecked(True)
        self.language_actions[self.languages.language].setChecked(True)
        for spec in self.specs:
            self.docks[spec.object_name].setWindowTitle(
                QCoreApplication.translate(PANEL_TITLE_CONTEXT, spec.title))

    # -- reactions ----------------------------------------------------------------------------
    def _raise_for_kind(self, kind: str, _id: str) -> None:
        for spec in self.specs:
            if kind in spec.opens:
                dock = self.docks[spec.object_name]
                dock.show()
                dock.raise_()

    def _new_incident(self) -> None:
        self.ctx.selection.request_create("incident")

    def _show_failure(self, title: str, message: str) -> None:
        self.statusBar().showMessage(f"{title}: {message}", 15000)
        if self.isVisible():
            QMessageBox.warning(self, title, message)

    def _toggle_fullscreen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.tr(
            "Incident queue: Enter opens the incident, A acknowledges it, D dispatches it.\n"
            "Ctrl+N: new incident · F5: sync now · F11: full screen · Ctrl+Q: quit."))

    def _show_about(self) -> None:
        from console import __version__

        QMessageBox.about(self, self.tr("About sitroom"), self.tr(
            "sitroom %1 — election security situation-room console.").replace("%1", __version__))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
