"""Proposing a case for publication (Art. 14): the public title, one evidence clip, and the boxes
to blur drawn on pictures of that clip.

The picture at the chosen moment comes from the server (``PublicationService.load_frame``);
boxes drawn on it belong to that moment (a keyframe). The n-th box of each keyframe is the same
bystander followed across the clip: the server moves the blur in a straight line between two
keyframes, and holds a box alone in its keyframe for the whole clip. Nothing here blurs: the
server does, and the blurred clip is reviewed before a leader can approve it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.cases import Case
from app.clips import ClipRequest, range_text
from app.i18n import arg
from app.publications import Box, PublicationService
from widgets.forms import form_footer
from widgets.privacy_masks import MaskCanvas

STEP_S = 0.5  # the slider's unit


def seconds_text(value: float) -> str:
    """``1,5 s`` (Vietnamese decimal comma)."""
    return f"{value:.1f}".replace(".", ",") + " s"


class FrameCanvas(MaskCanvas):
    """The regions drawn over a picture of the clip (outlined and shaded: the server blurs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__((), parent)
        self.setObjectName("redactionCanvas")
        self.picture: QPixmap | None = None

    def set_picture(self, data: bytes) -> bool:
        picture = QPixmap()
        if not picture.loadFromData(data):
            return False
        self.picture = picture
        self.update()
        return True

    def paint_picture(self, painter: QPainter, frame: QRectF) -> None:
        if self.picture is not None:
            painter.drawPixmap(frame, self.picture, QRectF(self.picture.rect()))
        else:
            super().paint_picture(painter, frame)

    def paint_region(self, painter: QPainter, area: QRectF, number: int) -> None:
        """Shaded, numbered: the n-th box of each moment is the same object."""
        painter.fillRect(area, QColor(255, 107, 90, 110))
        painter.setPen(QPen(QColor("#ff6b5a"), 2))
        painter.drawRect(area)
        painter.drawText(area.topLeft() + QPointF(4, 14), str(number))


class ProposeDialog(QDialog):
    """Title, clip, and the boxes per moment; OK sends the proposal (the dialog stays open on a
    refusal, closed by the caller once the server agreed)."""

    def __init__(self, case: Case, clips: list[ClipRequest], publications: PublicationService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self._publications = publications
        self.keyframes: dict[float, list[Box]] = {}
        self._loading = False
        self.setWindowTitle(arg(self.tr("Propose case #%1 for publication"), case.id))
        self.setMinimumSize(760, 640)
        outer = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "The public will see the violation type, the ward, the date, this title and the "
            "blurred clip. Draw a box over every face and number plate of a bystander: the "
            "n-th box at each moment is the same object, moved in a straight line between "
            "moments; a box drawn at one moment only stays for the whole clip. The blurred "
            "clip is reviewed, then an IOC leader approves it."))
        hint.setWordWrap(True)
        outer.addWidget(hint)
        form = QFormLayout()
        outer.addLayout(form)
        self.title_edit = QLineEdit(case.public_title or "")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText(self.tr("e.g. Red-light violation at the junction"))
        form.addRow(self.tr("Public title"), self.title_edit)
        self.clip_combo = QComboBox()
        self.clip_combo.addItem(self.tr("No clip (title only)"), None)
        self._clips = {c.id: c for c in clips}
        for clip_id in case.clip_request_ids:
            request = self._clips.get(clip_id)
            if request is None or request.clip_sha256 is None:
                continue  # not extracted: nothing to blur or publish
            self.clip_combo.addItem(
                arg(self.tr("Clip request #%1: %2, %3"), request.id, request.camera_name,
                    range_text(request)), request.id)
        form.addRow(self.tr("Clip"), self.clip_combo)
        self.time_slider = QSlider(Qt.Orientation.Horizontal)
        # a picture is asked of the server per moment: once the handle is let go, not per pixel
        # of a drag
        self.time_slider.setTracking(False)
        self.time_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.time_slider, 1)
        row.addWidget(self.time_label)
        form.addRow(self.tr("Moment"), row)
        self.canvas = FrameCanvas()
        outer.addWidget(self.canvas, 1)
        tools = QHBoxLayout()
        self.clear_button = QPushButton(self.tr("Remove the boxes of this moment"))
        self.clear_button.clicked.connect(self.canvas.clear)
        tools.addWidget(self.clear_button)
        self.keyframes_label = QLabel()
        self.keyframes_label.setWordWrap(True)
        tools.addWidget(self.keyframes_label, 1)
        outer.addLayout(tools)
        footer = QFormLayout()
        outer.addLayout(footer)
        self.error_label, self.buttons = form_footer(self, footer, self.tr("Propose"))

        self.clip_combo.currentIndexChanged.connect(self._clip_changed)
        self.time_slider.valueChanged.connect(self._moment_changed)
        self.canvas.changed.connect(self._boxes_changed)
        publications.frame_loaded.connect(self._frame_loaded)
        if self.clip_combo.count() > 1:
            self.clip_combo.setCurrentIndex(1)
        self._clip_changed()

    # -- what is proposed -------------------------------------------------------------------------
    def title(self) -> str:
        return self.title_edit.text().strip()

    def clip_id(self) -> int | None:
        value = self.clip_combo.currentData()
        return int(value) if value is not None else None

    def moment(self) -> float:
        return self.time_slider.value() * STEP_S

    # -- drawing ----------------------------------------------------------------------------------
    def _clip_changed(self) -> None:
        self.keyframes.clear()
        clip = self._clips.get(self.clip_id() or 0)
        has_clip = clip is not None
        for widget in (self.time_slider, self.canvas, self.clear_button):
            widget.setEnabled(has_clip)
        length = (clip.end - clip.start).total_seconds() if clip is not None else 0.0
        self.time_slider.blockSignals(True)
        self.time_slider.setRange(0, max(0, int(length / STEP_S) - 1))
        self.time_slider.setValue(0)
        self.time_slider.blockSignals(False)
        self._moment_changed()

    def _moment_changed(self) -> None:
        self.time_label.setText(seconds_text(self.moment()))
        self._loading = True
        self.canvas.masks = list(self.keyframes.get(self.moment(), []))
        self.canvas.picture = None
        self.canvas.update()
        self._loading = False
        clip_id = self.clip_id()
        if clip_id is not None:
            self._publications.load_frame(clip_id, self.moment())
        self._show_keyframes()

    def _frame_loaded(self, clip_id: int, at: float, picture: bytes) -> None:
        if clip_id == self.clip_id() and abs(at - self.moment()) < 1e-6:
            self.canvas.set_picture(picture)

    def _boxes_changed(self) -> None:
        if self._loading:
            return
        if self.canvas.masks:
            self.keyframes[self.moment()] = list(self.canvas.masks)
        else:
            self.keyframes.pop(self.moment(), None)
        self._show_keyframes()

    def _show_keyframes(self) -> None:
        if not self.keyframes:
            self.keyframes_label.setText(self.tr("No box drawn yet."))
            return
        parts = [arg(self.tr("%1: %2 box(es)"), seconds_text(at), len(boxes))
                 for at, boxes in sorted(self.keyframes.items())]
        self.keyframes_label.setText("; ".join(parts))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)
