"""Loading the UI language (Qt translations). Source strings are English; Vietnamese is the default.

The compiled catalogue is ``resources/translations/iocwall_<lang>.qm``; Qt's own catalogue (for
standard buttons and dialogs) is loaded too when PySide6 ships it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("iocwall.i18n")

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` ("vi" or "en") and return them (keep them alive;
    a garbage-collected QTranslator silently drops the translation)."""
    installed: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS_DIR / f"iocwall_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.error("translation iocwall_%s.qm missing in %s; the UI stays in English", language,
                  TRANSLATIONS_DIR)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        installed.append(qt_base)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def arg(text: str, *values: object) -> str:
    """Qt's ``QString::arg`` for a translated string (PySide6's ``tr`` returns a Python str):
    ``arg(self.tr("%1 of %2"), done, total)``. ``lupdate`` still sees the literal in ``tr``,
    and a translation may put the markers in another order."""
    # Highest marker first, so that %1 does not eat the start of %10.
    for number in range(len(values), 0, -1):
        text = text.replace(f"%{number}", str(values[number - 1]))
    return text
