"""The clip player widget: a native surface for libvlc, play/pause, a seek slider and the
recorded time in UTC+7 (from the manifest's ``clip_start``).

The widget never touches libvlc: it drives a player object with the methods of
:class:`app.clip_player.ClipPlayer` (``open``, ``toggle``, ``seek``, ``wall_time``, signals
``position_changed(int, int)`` and ``state_changed(str)``), passed in at construction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from app.i18n import arg


def _clock(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class ClipPlayerWidget(QWidget):
    def __init__(self, player: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self._dragging = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title_label = QLabel(self.tr("No clip open"))
        layout.addWidget(self.title_label)
        self.surface = QWidget()
        self.surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.surface.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.surface.setStyleSheet("background: black;")
        self.surface.setMinimumSize(320, 180)
        layout.addWidget(self.surface, 1)
        controls = QHBoxLayout()
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setEnabled(False)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.position_label = QLabel("00:00 / 00:00")
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.position_label)
        layout.addLayout(controls)
        self.time_label = QLabel()
        layout.addWidget(self.time_label)

        self.play_button.clicked.connect(self.player.toggle)
        self.slider.sliderPressed.connect(self._drag_started)
        self.slider.sliderReleased.connect(self._drag_ended)
        self.slider.sliderMoved.connect(self._show_position)
        self.slider.actionTriggered.connect(self._slider_action)
        player.position_changed.connect(self._on_position)
        player.state_changed.connect(self._on_state)

    def open_clip(self, path: Path, manifest: dict[str, Any] | None = None) -> None:
        manifest = manifest or {}
        camera = manifest.get("camera") or {}
        name = camera.get("name") if isinstance(camera, dict) else None
        request = manifest.get("request_id")
        self.title_label.setText(" — ".join(str(p) for p in (
            name, arg(self.tr("request #%1"), request) if request else None,
            Path(path).name) if p))
        self.play_button.setEnabled(True)
        self.slider.setEnabled(True)
        self.player.open(Path(path), int(self.surface.winId()), manifest)

    def seek(self, position_ms: int) -> None:
        self.player.seek(position_ms)

    def _drag_started(self) -> None:
        self._dragging = True

    def _drag_ended(self) -> None:
        self._dragging = False
        self.player.seek(self.slider.value())

    def _slider_action(self, action: int) -> None:
        # clicks on the groove / keyboard page steps (not drags): seek to where the slider goes
        if action != QSlider.SliderAction.SliderMove.value and not self._dragging:
            self.player.seek(self.slider.sliderPosition())

    def _show_position(self, position: int) -> None:
        self.position_label.setText(f"{_clock(position)} / {_clock(self.slider.maximum())}")
        self._show_time(position)

    def _show_time(self, position: int) -> None:
        moment = self.player.wall_time(position)
        self.time_label.setText(moment.strftime("%H:%M:%S.%f")[:-3] + moment.strftime(
            "  %d/%m/%Y (UTC+7)") if moment is not None else "")

    def _on_position(self, position: int, length: int) -> None:
        if self._dragging:
            return
        if length > 0 and self.slider.maximum() != length:
            self.slider.setRange(0, length)
            self.slider.setPageStep(max(1000, length // 10))
        self.slider.blockSignals(True)
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self.position_label.setText(f"{_clock(position)} / {_clock(length)}")
        self._show_time(position)

    def _on_state(self, state: str) -> None:
        self.play_button.setText(self.tr("Pause") if state == "playing" else self.tr("Play"))
