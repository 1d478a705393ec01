"""What the video tests see on screen: a tile's picture as the X server shows it, and its luma."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QImage
from pytestqt.qtbot import QtBot

from widgets.tile import VideoTile


def grab_tile(tile: VideoTile) -> QImage:
    """The tile's video area as the X server shows it (whichever surface is on top), grey."""
    surface = tile.surface()
    origin = surface.mapToGlobal(surface.rect().topLeft())
    pixmap = QGuiApplication.primaryScreen().grabWindow(
        0, origin.x(), origin.y(), surface.width(), surface.height()
    )
    return pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def mean_luma(image: QImage, box: tuple[int, int, int, int] | None = None) -> float:
    """Mean luma of ``image`` (or of its ``box``: x, y, width, height), every other row."""
    x0, y0, width, height = box or (0, 0, image.width(), image.height())
    raw, stride = bytes(image.constBits()), image.bytesPerLine()
    rows = range(y0, y0 + height, 2)
    total = sum(sum(raw[y * stride + x0: y * stride + x0 + width]) for y in rows)
    return total / (width * len(rows))


def luma_difference(a: QImage, b: QImage) -> float:
    """Mean absolute luma difference of two grabs of the same size (every other pixel)."""
    raw_a, raw_b, stride = bytes(a.constBits()), bytes(b.constBits()), a.bytesPerLine()
    rows, columns = range(0, a.height(), 2), range(0, a.width(), 2)
    total = sum(abs(raw_a[y * stride + x] - raw_b[y * stride + x]) for y in rows for x in columns)
    return total / (len(rows) * len(columns))


def shown_tile(qtbot: QtBot, x: int, y: int, width: int, height: int, index: int = 0
               ) -> VideoTile:
    """A tile shown at (x, y) of the screen. Away from the origin: a libvlc player that cannot
    embed opens its own window there, and a tile at the origin would take its picture for its
    own."""
    tile = VideoTile(index)
    qtbot.addWidget(tile)
    tile.setGeometry(x, y, width, height)
    tile.show()
    qtbot.waitExposed(tile)
    return tile
