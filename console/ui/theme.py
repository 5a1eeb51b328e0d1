"""Dark (situation-room wall) and light themes: one palette of named colours, a QPalette, a style sheet."""

from __future__ import annotations

from dataclasses import dataclass

from console.ui.qt import QApplication, QColor, QObject, QPalette, Signal


@dataclass(frozen=True)
class Theme:
    name: str  # "dark" | "light"
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    accent: str
    border: str
    code0: str  # 112 code 0: violent crime in progress
    code1: str
    code2: str
    code3: str
    code4: str
    overdue_bg: str  # rows not acknowledged within their code's limit
    alert_bg: str  # unacknowledged duty order, new urgent incident
    alert_fg: str
    offline_bg: str
    offline_fg: str
    degraded_bg: str
    ok: str
    pending: str  # local edit not yet acknowledged by the server

    def color(self, name: str) -> QColor:
        return QColor(str(getattr(self, name)))

    def code_color(self, code: int) -> QColor:
        return QColor(str(getattr(self, f"code{max(0, min(4, int(code)))}")))


DARK = Theme(
    name="dark", window="#11151c", base="#171c24", alt_base="#1d232d", text="#e6e9ef",
    muted="#8b95a7", accent="#4f8cff", border="#2c3442",
    code0="#ff4d4f", code1="#ff9f1a", code2="#f5d90a", code3="#5aa9ff", code4="#9aa4b2",
    overdue_bg="#5a1a1f", alert_bg="#b3141c", alert_fg="#ffffff", offline_bg="#b3141c",
    offline_fg="#ffffff", degraded_bg="#8a5a00", ok="#3fb950", pending="#d29922",
)
LIGHT = Theme(
    name="light", window="#f3f4f6", base="#ffffff", alt_base="#f7f8fa", text="#111827",
    muted="#5b6472", accent="#1f5fd6", border="#d0d5dd",
    code0="#c8102e", code1="#d35400", code2="#9a7b00", code3="#1f5fd6", code4="#5b6472",
    overdue_bg="#fde2e1", alert_bg="#c8102e", alert_fg="#ffffff", offline_bg="#c8102e",
    offline_fg="#ffffff", degraded_bg="#f0b429", ok="#1a7f37", pending="#9a6700",
)
THEMES: dict[str, Theme] = {t.name: t for t in (DARK, LIGHT)}


def palette_for(theme: Theme) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(theme.window))
    p.setColor(role.WindowText, QColor(theme.text))
    p.setColor(role.Base, QColor(theme.base))
    p.setColor(role.AlternateBase, QColor(theme.alt_base))
    p.setColor(role.Text, QColor(theme.text))
    p.setColor(role.Button, QColor(theme.alt_base))
    p.setColor(role.ButtonText, QColor(theme.text))
    p.setColor(role.Highlight, QColor(theme.accent))
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(role.ToolTipBase, QColor(theme.base))
    p.setColor(role.ToolTipText, QColor(theme.text))
    p.setColor(role.PlaceholderText, QColor(theme.muted))
    p.setColor(role.Link, QColor(theme.accent))
    for group in (QPalette.ColorGroup.Disabled,):
        p.setColor(group, role.Text, QColor(theme.muted))
        p.setColor(group, role.ButtonText, QColor(theme.muted))
        p.setColor(group, role.WindowText, QColor(theme.muted))
    return p


def style_sheet(theme: Theme) -> str:
    t = theme
    return f"""
QMainWindow::separator {{ background: {t.border}; width: 3px; height: 3px; }}
QDockWidget {{ color: {t.text}; font-weight: 600; }}
QDockWidget::title {{ background: {t.alt_base}; padding: 4px 6px; border-bottom: 1px solid {t.border}; }}
QHeaderView::section {{ background: {t.alt_base}; color: {t.muted}; padding: 3px 6px;
    border: none; border-right: 1px solid {t.border}; border-bottom: 1px solid {t.border}; }}
QTableView {{ gridline-color: {t.border}; selection-background-color: {t.accent}; }}
QTabBar::tab {{ background: {t.alt_base}; color: {t.muted}; padding: 4px 10px;
    border: 1px solid {t.border}; }}
QTabBar::tab:selected {{ color: {t.text}; border-bottom: 2px solid {t.accent}; }}
QLabel[role="age"] {{ color: {t.muted}; font-size: 11px; }}
QLabel[role="age"][stale="true"] {{ color: {t.pending}; font-weight: 600; }}
QLabel[role="muted"] {{ color: {t.muted}; }}
QLabel[role="heading"] {{ font-size: 16px; font-weight: 700; }}
QLabel[role="big"] {{ font-size: 26px; font-weight: 800; }}
QLabel[role="error"] {{ color: {t.code0}; }}
QFrame[role="banner-offline"] {{ background: {t.offline_bg}; }}
QFrame[role="banner-offline"] QLabel {{ color: {t.offline_fg}; font-size: 15px; font-weight: 700; }}
QFrame[role="banner-degraded"] {{ background: {t.degraded_bg}; }}
QFrame[role="banner-degraded"] QLabel {{ color: #000000; font-weight: 700; }}
QFrame[role="alert"] {{ background: {t.alert_bg}; border-radius: 4px; }}
QFrame[role="alert"] QLabel {{ color: {t.alert_fg}; font-weight: 700; }}
QFrame[role="card"] {{ background: {t.alt_base}; border: 1px solid {t.border}; border-radius: 4px; }}
QStatusBar QLabel {{ padding: 0 6px; }}
QLabel#status_scenario {{ color: {t.accent}; font-weight: 700; border: 1px solid {t.accent};
    border-radius: 3px; }}
QLabel[conn="online"] {{ color: {t.ok}; font-weight: 700; }}
QLabel[conn="degraded"] {{ color: {t.code1}; font-weight: 700; }}
QLabel[conn="offline"] {{ color: {t.offline_fg}; background: {t.offline_bg}; font-weight: 700; }}
"""


class ThemeManager(QObject):
    """Holds the current theme and applies it to the application; panels that paint colours
    themselves (item models) re-read `current` on `changed`."""

    changed = Signal(str)

    def __init__(self, name: str = "dark", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.current: Theme = THEMES.get(name, DARK)

    def set_theme(self, name: str) -> None:
        self.current = THEMES.get(name, DARK)
        self.apply()
        self.changed.emit(self.current.name)

    def apply(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyle("Fusion")
            app.setPalette(palette_for(self.current))
            app.setStyleSheet(style_sheet(self.current))
