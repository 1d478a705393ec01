"""The PTZ pad: arrows (press = move, release = stop), zoom ±, speed, presets, home, patrol,
and who holds the camera.

It talks only to a PtzSession-like service passed in (``set_session``) and listens to its
signals; it never touches ONVIF or the network. Losing focus or being hidden while an arrow is
held sends Stop (the session also stops on window deactivation, wired by the main window).
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.i18n import arg
from app.ptz.base import LeaseState, LeaseStatus, Patrol, PatrolStop, Preset, PtzError, Velocity
from widgets.forms import ask_text

PATROL_DWELL_S = 10.0


class PadSession(Protocol):
    """What the pad needs of ``app.ptz.session.PtzSession``."""

    speed: float
    presets: list[Preset]
    error: Any
    lease_changed: Any
    lease_lost: Any
    presets_changed: Any
    patrol_changed: Any

    def move(self, velocity: Velocity) -> None: ...
    def stop(self) -> None: ...
    def focus_lost(self) -> None: ...
    def refresh_presets(self) -> None: ...
    def goto_preset(self, token: str) -> None: ...
    def save_preset(self, name: str) -> None: ...
    def rename_preset(self, token: str, name: str) -> None: ...
    def remove_preset(self, token: str) -> None: ...
    def goto_home(self) -> None: ...
    def set_home(self) -> None: ...
    def start_patrol(self, patrol: Patrol) -> None: ...
    def stop_patrol(self) -> None: ...


class PtzPad(QWidget):
    """Signals: none of its own (everything goes to the session)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: PadSession | None = None
        self._held: QPushButton | None = None
        self.setObjectName("ptzPad")

        self.holder_label = QLabel(self.tr("PTZ: not in use"))
        self.holder_label.setWordWrap(True)
        self.error_label = QLabel("")
        self.error_label.setWordWrap(True)

        grid = QGridLayout()
        self.arrows: dict[tuple[int, int], QPushButton] = {}
        for (pan, tilt), (row, col), text in (
            ((0, 1), (0, 1), "▲"), ((-1, 0), (1, 0), "◀"), ((1, 0), (1, 2), "▶"),
            ((0, -1), (2, 1), "▼"), ((-1, 1), (0, 0), "◤"), ((1, 1), (0, 2), "◥"),
            ((-1, -1), (2, 0), "◣"), ((1, -1), (2, 2), "◢"),
        ):
            button = self._hold_button(text, Velocity(float(pan), float(tilt), 0.0))
            self.arrows[(pan, tilt)] = button
            grid.addWidget(button, row, col)
        self.home_button = QPushButton(self.tr("Home"))
        self.home_button.clicked.connect(lambda: self._call("goto_home"))
        grid.addWidget(self.home_button, 1, 1)

        self.zoom_in = self._hold_button(self.tr("Zoom +"), Velocity(0.0, 0.0, 1.0))
        self.zoom_out = self._hold_button(self.tr("Zoom −"), Velocity(0.0, 0.0, -1.0))
        zoom_row = QHBoxLayout()
        zoom_row.addWidget(self.zoom_out)
        zoom_row.addWidget(self.zoom_in)

        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setRange(1, 100)
        self.speed_slider.setValue(50)
        self.speed_slider.setToolTip(self.tr("Speed"))
        self.speed_slider.valueChanged.connect(self._speed_changed)
        speed_row = QHBoxLayout()
        speed_row.addWidget(QLabel(self.tr("Speed")))
        speed_row.addWidget(self.speed_slider)

        self.preset_list = QListWidget()
        self.preset_list.itemActivated.connect(self._goto_item)
        self.go_button = QPushButton(self.tr("Go"))
        self.save_button = QPushButton(self.tr("Save as…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.go_button.clicked.connect(self._goto_selected)
        self.save_button.clicked.connect(self._save_as)
        self.rename_button.clicked.connect(self._rename)
        self.remove_button.clicked.connect(self._remove)
        preset_buttons = QHBoxLayout()
        for b in (self.go_button, self.save_button, self.rename_button, self.remove_button):
            preset_buttons.addWidget(b)

        self.set_home_button = QPushButton(self.tr("Set home"))
        self.set_home_button.clicked.connect(lambda: self._call("set_home"))
        self.patrol_button = QPushButton(self.tr("Start patrol"))
        self.patrol_button.setCheckable(True)
        self.patrol_button.toggled.connect(self._patrol_toggled)
        bottom = QHBoxLayout()
        bottom.addWidget(self.set_home_button)
        bottom.addWidget(self.patrol_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.holder_label)
        layout.addLayout(grid)
        layout.addLayout(zoom_row)
        layout.addLayout(speed_row)
        layout.addWidget(QLabel(self.tr("Presets")))
        layout.addWidget(self.preset_list)
        layout.addLayout(preset_buttons)
        layout.addLayout(bottom)
        layout.addWidget(self.error_label)
        self.set_session(None)

    # -- session --------------------------------------------------------------------------------
    def set_session(self, session: PadSession | None) -> None:
        """Drive another camera (None: the pad is disabled)."""
        if self.session is not None:
            self._release_held()
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self.session = session
        self.setEnabled(session is not None)
        self.preset_list.clear()
        self.error_label.clear()
        self.holder_label.setText(self.tr("PTZ: not in use"))
        if session is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
            session.speed = self.speed_slider.value() / 100.0
            self._show_presets(session.presets)

    def _connections(self) -> list[tuple[Any, Any]]:
        s = self.session
        assert s is not None
        return [(s.error, self._show_error), (s.lease_changed, self._show_lease),
                (s.lease_lost, self._show_lost), (s.presets_changed, self._show_presets),
                (s.patrol_changed, self._show_patrol)]

    def _call(self, name: str, *args: Any) -> None:
        if self.session is not None:
            self.error_label.clear()
            getattr(self.session, name)(*args)

    # -- hold-to-move buttons -------------------------------------------------------------------
    def _hold_button(self, text: str, direction: Velocity) -> QPushButton:
        button = QPushButton(text)
        button.setAutoRepeat(False)
        button.pressed.connect(lambda: self._press(button, direction))
        button.released.connect(lambda: self._release(button))
        return button

    def _press(self, button: QPushButton, direction: Velocity) -> None:
        if self.session is None:
            return
        self._held = button
        self._call("move", direction.scaled(self.session.speed))

    def _release(self, button: QPushButton) -> None:
        if self._held is button:
            self._held = None
            self._call("stop")

    def _release_held(self) -> None:
        if self._held is not None:
            self._held.setDown(False)
            self._held = None
            self._call("stop")

    def _speed_changed(self, value: int) -> None:
        if self.session is not None:
            self.session.speed = value / 100.0

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Hide, QEvent.Type.WindowDeactivate):
            self._release_held()
        return super().event(event)

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        self._release_held()
        super().focusOutEvent(event)

    # -- presets --------------------------------------------------------------------------------
    def _show_presets(self, presets: list[Preset]) -> None:
        self.preset_list.clear()
        for number, preset in enumerate(presets, start=1):
            item = QListWidgetItem(f"{number}. {preset.name}")
            item.setData(Qt.ItemDataRole.UserRole, preset.token)
            self.preset_list.addItem(item)

    def selected_token(self) -> str | None:
        item = self.preset_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _goto_item(self, item: QListWidgetItem) -> None:
        self._call("goto_preset", str(item.data(Qt.ItemDataRole.UserRole)))

    def _goto_selected(self) -> None:
        token = self.selected_token()
        if token is not None:
            self._call("goto_preset", token)

    # Opened, not exec()'d: the lease renewals and the camera's answers run on the same loop.
    def _save_as(self) -> QInputDialog:
        def save(name: str) -> None:
            if name.strip():
                self._call("save_preset", name.strip())

        return ask_text(self, self.tr("Save preset"), self.tr("Preset name:"), save)

    def _rename(self) -> QInputDialog | None:
        token = self.selected_token()
        if token is None:
            return None

        def rename(name: str) -> None:
            if name.strip():
                self._call("rename_preset", token, name.strip())

        return ask_text(self, self.tr("Rename preset"), self.tr("New name:"), rename)

    def _remove(self) -> None:
        token = self.selected_token()
        if token is not None:
            self._call("remove_preset", token)

    # -- patrol ---------------------------------------------------------------------------------
    def _patrol_toggled(self, on: bool) -> None:
        if self.session is None:
            return
        if on:
            stops = tuple(PatrolStop(p.token, PATROL_DWELL_S) for p in self.session.presets)
            self._call("start_patrol", Patrol(self.tr("All presets"), stops))
        else:
            self._call("stop_patrol")

    def _show_patrol(self, running: bool) -> None:
        self.patrol_button.blockSignals(True)
        self.patrol_button.setChecked(running)
        self.patrol_button.setText(self.tr("Stop patrol") if running else self.tr("Start patrol"))
        self.patrol_button.blockSignals(False)

    # -- status ---------------------------------------------------------------------------------
    def _show_lease(self, state: LeaseState) -> None:
        if state.status is LeaseStatus.GRANTED:
            self.holder_label.setText(self.tr("PTZ: you hold the camera"))
        elif state.status is LeaseStatus.QUEUED:
            who = state.holder.display if state.holder else "?"
            self.holder_label.setText(
                arg(self.tr("PTZ in use by %1; you are number %2 in the queue"), who,
                    state.position))
        elif state.status is LeaseStatus.TAKEN and state.holder is not None:
            self.holder_label.setText(
                arg(self.tr("PTZ taken by %1"), state.holder.display))
        else:
            self.holder_label.setText(self.tr("PTZ: not in use"))

    def _show_lost(self, reason: str) -> None:
        self._release_held()
        self.error_label.setText(reason)

    def _show_error(self, error: PtzError) -> None:
        self.error_label.setText(f"{error.kind}: {error}")
