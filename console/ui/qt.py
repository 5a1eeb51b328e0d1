"""The one Qt import module of the UI: every console.ui module takes its Qt names from here."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStatusBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Marks `text` for translation in `context` (lupdate collects it) and returns it as is."""
    return text


def fmt(template: str, *args: object) -> str:
    """Fill Qt-style %1, %2, ... placeholders (translators may reorder them). Whole numbers read
    with thousands separators (100,530 on duty; Korean writes them the same way)."""
    for n in range(len(args), 0, -1):  # %10 before %1
        arg = args[n - 1]
        text = f"{arg:,}" if isinstance(arg, int) and not isinstance(arg, bool) else str(arg)
        template = template.replace(f"%{n}", text)
    return template


def tr(context: str, text: str) -> str:
    """Translate `text` in `context` outside a QObject (module-level tables, dataclasses)."""
    return QCoreApplication.translate(context, text)


__all__ = [
    "QT_TRANSLATE_NOOP", "QAbstractItemView", "QAbstractTableModel", "QAction", "QApplication",
    "QBrush", "QByteArray", "QCheckBox", "QCloseEvent", "QColor", "QComboBox",
    "QCoreApplication", "QDialog", "QDialogButtonBox", "QDockWidget", "QDoubleSpinBox", "QEvent",
    "QEventLoop",
    "QFont", "QFormLayout", "QFrame", "QGridLayout", "QGroupBox", "QHBoxLayout", "QHeaderView",
    "QIcon", "QKeyEvent", "QKeySequence", "QLabel", "QLineEdit", "QListWidget",
    "QListWidgetItem", "QLocale", "QMainWindow", "QMenu", "QMessageBox", "QModelIndex",
    "QObject", "QPalette", "QPersistentModelIndex", "QPlainTextEdit", "QPushButton",
    "QSettings", "QSize", "QSizePolicy", "QSortFilterProxyModel", "QSpinBox", "QSplitter",
    "QStatusBar", "QTabWidget", "QTableView", "QTableWidget", "QTableWidgetItem",
    "QTextBrowser", "QTimer", "QToolBar", "QTranslator", "QUrl", "QVBoxLayout", "QWidget", "Qt",
    "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot", "fmt", "tr",
]
