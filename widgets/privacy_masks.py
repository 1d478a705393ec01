"""An administrator draws a camera's privacy masks (Decree 13/2023/NĐ-CP).

The camera's live picture plays on the left through its gateway; on the right a frame of the
same shape takes the regions, drawn with the mouse (drag to add one, right-click one to remove
it). Saving sends them to the server, which has the camera's gateway black them out before any
viewer or the recorder gets the stream: the live picture on the left then shows the result
(its session is renewed when the gateway's table changes). The regions are kept as fractions
of the picture, so they fit every stream and resolution of the camera.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.admin import AdminService
from app.domain.admin import AdminCamera
from app.i18n import arg
from widgets.admin_forms import refusal
from widgets.camera_wizard import preview_tile

Rect = tuple[float, float, float, float]
MAX_MASKS = 16
MIN_SIZE = 0.01  # a click without a drag draws nothing
PREVIEW_KEY = "admin-privacy-preview"


class MaskCanvas(QWidget):
    """A 16:9 frame holding the regions as fractions; ``changed`` after each edit."""

    changed = Signal()

    def __init__(self, masks: tuple[tuple[float, ...], ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyMaskCanvas")
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.masks: list[Rect] = [(r[0], r[1], r[2], r[3]) for r in masks]
        self._start: QPointF | None = None
        self._current: QPointF | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, 270)

    def frame(self) -> QRectF:
        """The 16:9 picture area inside the widget."""
        width, height = float(self.width()), float(self.height())
        if width / 16 > height / 9:
            shown = QRectF(0, 0, height * 16 / 9, height)
        else:
            shown = QRectF(0, 0, width, width * 9 / 16)
        shown.moveCenter(QRectF(0, 0, width, height).center())
        return shown

    def _fraction(self, point: QPointF) -> QPointF:
        frame = self.frame()
        x = min(max((point.x() - frame.left()) / frame.width(), 0.0), 1.0)
        y = min(max((point.y() - frame.top()) / frame.height(), 0.0), 1.0)
        return QPointF(x, y)

    def add(self, a: QPointF, b: QPointF) -> bool:
        """A region between two corners (fractions); False when too small or too many."""
        x, y = min(a.x(), b.x()), min(a.y(), b.y())
        width, height = abs(a.x() - b.x()), abs(a.y() - b.y())
        if width < MIN_SIZE or height < MIN_SIZE or len(self.masks) >= MAX_MASKS:
            return False
        self.masks.append((round(x, 4), round(y, 4), round(width, 4), round(height, 4)))
        self.update()
        self.changed.emit()
        return True

    def remove_at(self, point: QPointF) -> bool:
        """Remove the newest region under ``point`` (a fraction)."""
        for index in range(len(self.masks) - 1, -1, -1):
            x, y, width, height = self.masks[index]
            if x <= point.x() <= x + width and y <= point.y() <= y + height:
                del self.masks[index]
                self.update()
                self.changed.emit()
                return True
        return False

    def clear(self) -> None:
        if self.masks:
            self.masks.clear()
            self.update()
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        point = self._fraction(event.position())
        if event.button() == Qt.MouseButton.RightButton:
            self.remove_at(point)
        elif event.button() == Qt.MouseButton.LeftButton:
            self._start = self._current = point

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._start is not None:
            self._current = self._fraction(event.position())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._start is not None and event.button() == Qt.MouseButton.LeftButton:
            start, self._start, self._current = self._start, None, None
            if not self.add(start, self._fraction(event.position())):
                self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        frame = self.frame()
        painter.fillRect(self.rect(), QColor("#1b1f24"))
        self.paint_picture(painter, frame)

        def shown(x: float, y: float, width: float, height: float) -> QRectF:
            return QRectF(frame.left() + x * frame.width(), frame.top() + y * frame.height(),
                          width * frame.width(), height * frame.height())

        for number, (x, y, width, height) in enumerate(self.masks, start=1):
            self.paint_region(painter, shown(x, y, width, height), number)
        if self._start is not None and self._current is not None:
            a, b = self._start, self._current
            painter.setPen(QPen(QColor("#ffd166"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(shown(min(a.x(), b.x()), min(a.y(), b.y()),
                                   abs(a.x() - b.x()), abs(a.y() - b.y())))
        painter.end()

    def paint_picture(self, painter: QPainter, frame: QRectF) -> None:
        """Under the regions: a plain frame with quarter lines, to place regions by eye."""
        painter.fillRect(frame, QColor("#55606b"))
        painter.setPen(QPen(QColor("#8a96a3"), 1, Qt.PenStyle.DotLine))
        for step in range(1, 4):
            x = frame.left() + frame.width() * step / 4
            y = frame.top() + frame.height() * step / 4
            painter.drawLine(QPointF(x, frame.top()), QPointF(x, frame.bottom()))
            painter.drawLine(QPointF(frame.left(), y), QPointF(frame.right(), y))

    def paint_region(self, painter: QPainter, area: QRectF, _number: int) -> None:
        """A region as the gateway will show it: black."""
        painter.setPen(QPen(QColor("#ff6b5a"), 1))
        painter.fillRect(area, QColor("black"))
        painter.drawRect(area)


class PrivacyMaskDialog(QDialog):
    """See the module docstring. ``saved(AdminCamera)`` after the server took the masks."""

    saved = Signal(object)

    def __init__(self, admin: AdminService, camera: AdminCamera,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacyMaskDialog")
        self.admin, self.camera = admin, camera
        self.setWindowTitle(arg(self.tr("Privacy masks of %1"), camera.name))
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "Drag on the frame on the right to black out a region (a window, a yard); "
            "right-click a region to remove it. Once saved, the camera's gateway blacks the "
            "regions out for every viewer, the recordings and the exported clips; the live "
            "picture on the left shows the result within seconds."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        pictures = QHBoxLayout()
        self.tile = preview_tile()
        self.tile.set_camera(camera.id, camera.name)
        pictures.addWidget(self.tile, 1)
        self.canvas = MaskCanvas(camera.privacy_masks)
        pictures.addWidget(self.canvas, 1)
        layout.addLayout(pictures, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("privacyMaskCount")
        self.error_label = QLabel()
        self.error_label.setObjectName("privacyMaskError")
        self.error_label.setStyleSheet("color: #ff6b5a;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        self.clear_button = QPushButton(self.tr("Remove all"))
        self.clear_button.clicked.connect(self.canvas.clear)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("privacyMaskSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        for button in (self.clear_button, self.save_button, close):
            buttons.addWidget(button)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.canvas.changed.connect(self._count)
        self._count()
        admin.preview_status.connect(self._status)
        admin.preview(camera, PREVIEW_KEY, self.tile.video_window_id())
        self.finished.connect(lambda _result: admin.stop_preview(PREVIEW_KEY))
        self.resize(1100, 480)

    def _count(self) -> None:
        self.count_label.setText(arg(self.tr("%1 region(s), at most %2"),
                                     len(self.canvas.masks), MAX_MASKS))

    def _status(self, tile_key: str, status: object) -> None:
        from app.video.status import TileStatus

        if tile_key == PREVIEW_KEY and isinstance(status, TileStatus):
            self.tile.set_status(status)

    def submit(self) -> None:
        self.save_button.setEnabled(False)
        self.error_label.hide()
        self.admin.set_privacy_masks(self.camera.id, list(self.canvas.masks), owner=self) \
            .success(self._saved).failure(self._refused)

    def _saved(self, camera: AdminCamera) -> None:
        self.camera = camera
        self.save_button.setEnabled(True)
        self.count_label.setText(arg(self.tr("Saved: %1 region(s)."), len(camera.privacy_masks)))
        self.saved.emit(camera)

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error_label.setText(arg(self.tr("The masks were not saved: %1"),
                                     refusal(error)[1]))
        self.error_label.show()
