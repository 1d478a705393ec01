"""Loading the UI language (Qt translations). Source strings are English; Vietnamese is the default.

The compiled catalogue is ``resources/translations/iocwall_<lang>.qm``; Qt's own catalogue (for
standard buttons and dialogs) is loaded too when PySide6 ships it.
"""

from __future__ import annotations

import logging
import re
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


_MARKER = re.compile(r"%(\d+)")


def arg(text: str, *values: object) -> str:
    """Qt's ``QString::arg`` for a translated string (PySide6's ``tr`` returns a Python str):
    ``arg(self.tr("%1 of %2"), done, total)``. ``lupdate`` still sees the literal in ``tr``,
    and a translation may put the markers in another order.

    One pass over the text: a value that itself contains ``%2`` (a URL-encoded path, an error
    message) is inserted as it is, never filled in turn; ``%10`` is the tenth value, not ``%1``
    followed by ``0``. A marker without a value is left as it is."""

    def fill(marker: re.Match[str]) -> str:
        number = int(marker.group(1))
        return str(values[number - 1]) if 1 <= number <= len(values) else marker.group(0)

    return _MARKER.sub(fill, text)

