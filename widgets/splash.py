"""The start-up splash: what the client is waiting for, before any window can show.

The first demo start encodes the camera lab's clips (about a minute on a loaded 2-core
machine); without a sign of life a newcomer would think it hung.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QSplashScreen

from app.i18n import arg

SIZE = (560, 240)
BACKGROUND = QColor("#14181f")
ACCENT = QColor("#2f81f7")
TEXT = QColor("#e6edf3")
DIM = QColor("#8b949e")


class StartupSplash(QSplashScreen):
    """A splash with a title, the current step and a progress bar (``show_step``)."""

    def __init__(self) -> None:
        super().__init__(QPixmap(*SIZE))
        self._title = self.tr("iocwall — Video wall of the Đồng Hới IOC")
        self._step = self.tr("Starting…")
        self._fraction: float | None = None
        self.setObjectName("startupSplash")
        self._render()

    @property
    def step(self) -> str:
        return self._step

    def show_step(self, stage: str, done: int, total: int) -> None:
        """``stage``: clips / streams (``done`` of ``total``) or backend (``done`` seconds)."""
        if stage == "clips":
            self._step = arg(self.tr("Preparing the camera lab: %1/%2 clips (only the first "
                                     "start takes this long)…"), done, total)
        elif stage == "streams":
            self._step = arg(self.tr("Starting the camera lab: %1/%2 streams answer…"), done,
                             total)
        else:
            self._step = arg(self.tr("Starting the demo backend… %1 s"), done)
        self._fraction = done / total if total > 0 else None
        self._render()
        QCoreApplication.processEvents()

    def _render(self) -> None:
        width, height = SIZE
        pixmap = QPixmap(width, height)
        pixmap.fill(BACKGROUND)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_font = QFont(self.font())
        title_font.setPointSize(15)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(TEXT)
        painter.drawText(QRect(24, 28, width - 48, 60), Qt.AlignmentFlag.AlignLeft
                         | Qt.TextFlag.TextWordWrap, self._title)
        step_font = QFont(self.font())
        step_font.setPointSize(11)
        painter.setFont(step_font)
        painter.setPen(DIM)
        painter.drawText(QRect(24, 110, width - 48, 60), Qt.AlignmentFlag.AlignLeft
                         | Qt.TextFlag.TextWordWrap, self._step)
        bar = QRect(24, height - 48, width - 48, 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#30363d"))
        painter.drawRoundedRect(bar, 4, 4)
        if self._fraction is not None:
            filled = QRect(bar)
            filled.setWidth(max(8, int(bar.width() * min(1.0, self._fraction))))
            painter.setBrush(ACCENT)
            painter.drawRoundedRect(filled, 4, 4)
        painter.end()
        self.setPixmap(pixmap)
