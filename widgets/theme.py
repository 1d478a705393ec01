"""The dark theme of the command room (a dim room, many screens): ``resources/theme.qss``."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QApplication

log = logging.getLogger("iocwall.ui")

THEME_PATH = Path(__file__).resolve().parent.parent / "resources" / "theme.qss"


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    try:
        app.setStyleSheet(THEME_PATH.read_text(encoding="utf-8"))
    except OSError as exc:
        log.error("theme %s unreadable: %s", THEME_PATH, exc)
