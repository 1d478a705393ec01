"""The region canvases paint what they promise: the privacy-mask canvas black regions on a
plain frame, the publication canvas shaded numbered boxes over the clip's picture."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QPointF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from widgets.privacy_masks import MaskCanvas
from widgets.publication_dialogs import FrameCanvas


def _jpeg(colour: str) -> bytes:
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    return bytes(buffer.data().data())


def _pixel(canvas: MaskCanvas, x: float, y: float) -> QColor:
    frame = canvas.frame()
    image = canvas.grab().toImage()
    return image.pixelColor(int(frame.left() + x * frame.width()),
                            int(frame.top() + y * frame.height()))


def test_masks_are_black_and_boxes_shaded_over_the_picture(qtbot: QtBot) -> None:
    masks = MaskCanvas()
    qtbot.addWidget(masks)
    masks.resize(480, 270)
    assert masks.add(QPointF(0.1, 0.1), QPointF(0.4, 0.5))
    assert _pixel(masks, 0.25, 0.3).name() == "#000000"
    assert _pixel(masks, 0.7, 0.8).name() == "#55606b"  # the plain frame outside

    boxes = FrameCanvas()
    qtbot.addWidget(boxes)
    boxes.resize(480, 270)
    assert boxes.set_picture(_jpeg("#2060c0"))
    assert boxes.add(QPointF(0.1, 0.1), QPointF(0.4, 0.5))
    inside, outside = _pixel(boxes, 0.25, 0.3), _pixel(boxes, 0.7, 0.8)
    assert abs(outside.blue() - 0xc0) < 16 and abs(outside.red() - 0x20) < 16  # the picture
    assert inside.red() > outside.red() + 40  # shaded, not blacked out
    assert inside.name() != "#000000"
