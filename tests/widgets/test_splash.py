"""The start-up splash says, in Vietnamese, what the demo waits for and how far it is."""

from __future__ import annotations

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.i18n import arg
from widgets.splash import ACCENT, StartupSplash


def _accent_pixels(splash: StartupSplash) -> int:
    image = splash.pixmap().toImage()
    row = image.height() - 43  # the middle of the progress bar
    return sum(1 for x in range(image.width()) if QColor(image.pixel(x, row)) == ACCENT)


def test_steps_are_shown_in_vietnamese_with_a_growing_bar(qtbot: QtBot, vietnamese: None) -> None:
    splash = StartupSplash()
    qtbot.addWidget(splash)
    splash.show()
    assert splash.step == "Đang khởi động…"
    assert _accent_pixels(splash) == 0
    splash.show_step("clips", 2, 8)
    assert splash.step.startswith("Đang chuẩn bị phòng thử camera: 2/8")
    quarter = _accent_pixels(splash)
    splash.show_step("clips", 8, 8)
    assert _accent_pixels(splash) > 3 * quarter > 0
    splash.show_step("backend", 3, 0)
    assert splash.step == "Đang khởi động máy chủ demo… 3 giây"


def test_arg_fills_markers_in_any_order() -> None:
    assert arg("%2 trên %1", 8, 3) == "3 trên 8"
    assert arg("%1/%10", *range(1, 11)) == "1/10"
