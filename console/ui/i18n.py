"""Languages of the console: Korean and English through Qt's translation system.

Sources are English; console/ui/i18n/sitroom_ko.ts holds the Korean translations and
sitroom_ko.qm is its compiled form, shipped in the package. Regenerate with
``python resources/translations/update.py`` (pyside6-lupdate + fill + pyside6-lrelease)."""

from __future__ import annotations

from pathlib import Path

from console.ui.qt import QCoreApplication, QLocale, QtCore, QTranslator

QLibraryInfo = QtCore.QLibraryInfo

I18N_DIR = Path(__file__).with_name("i18n")
LANGUAGES = ("en", "ko")


def system_language() -> str:
    """'ko' when the system locale is Korean, else 'en'."""
    return "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"sitroom_{lang}.qm"


class LanguageSwitcher:
    """Installs the translator for a language; widgets then receive QEvent.LanguageChange."""

    def __init__(self) -> None:
        self.language = "en"
        self._translator: QTranslator | None = None
        self._qt_translator: QTranslator | None = None  # Qt's own strings (Cancel, Yes, ...)

    def set_language(self, lang: str) -> bool:
        """Switch to `lang` ('en' or 'ko'). False if its translation file is missing."""
        lang = lang if lang in LANGUAGES else "en"
        app = QCoreApplication.instance()
        if app is not None:
            for t in (self._translator, self._qt_translator):
                if t is not None:
                    QCoreApplication.removeTranslator(t)
        self._translator = self._qt_translator = None
        ok = True
        if lang != "en":
            translator = QTranslator()
            ok = translator.load(str(qm_path(lang)))
            if ok:
                QCoreApplication.installTranslator(translator)
                self._translator = translator
                qt = QTranslator()
                if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                    QCoreApplication.installTranslator(qt)
                    self._qt_translator = qt
        self.language = lang if ok else "en"
        if self.language == "ko":
            QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
        else:
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return ok


    def remove(self) -> None:
        """Uninstall this switcher's translator (the process goes on in the source language)."""
        for t in (self._translator, self._qt_translator):
            if t is not None:
                QCoreApplication.removeTranslator(t)
        self._translator = self._qt_translator = None
        self.language = "en"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def is_korean() -> bool:
    """True while the console is shown in Korean."""
    return QLocale().language() == QLocale.Language.Korean
