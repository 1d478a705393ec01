"""The PTZ pad against a recording fake session (pytest-qt, real mouse presses)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from app.ptz.base import (
    LeaseHolder,
    LeaseState,
    LeaseStatus,
    Patrol,
    Preset,
    PtzError,
    PtzErrorKind,
    Velocity,
)
from widgets.ptz_pad import PtzPad


class FakeSession(QObject):
    error = Signal(object)
    lease_changed = Signal(object)
    lease_lost = Signal(str)
    presets_changed = Signal(object)
    patrol_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.speed = 0.5
        self.presets = [Preset("P1", "Cổng chợ"), Preset("P2", "Ngã tư")]
        self.calls: list[tuple[str, Any]] = []

    def _rec(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))

    def move(self, velocity: Velocity) -> None: self._rec("move", velocity)
    def stop(self) -> None: self._rec("stop")
    def focus_lost(self) -> None: self._rec("focus_lost")
    def refresh_presets(self) -> None: self._rec("refresh_presets")
    def goto_preset(self, token: str) -> None: self._rec("goto_preset", token)
    def save_preset(self, name: str) -> None: self._rec("save_preset", name)
    def rename_preset(self, token: str, name: str) -> None: self._rec("rename_preset", token, name)
    def remove_preset(self, token: str) -> None: self._rec("remove_preset", token)
    def goto_home(self) -> None: self._rec("goto_home")
    def set_home(self) -> None: self._rec("set_home")
    def start_patrol(self, patrol: Patrol) -> None: self._rec("start_patrol", patrol)
    def stop_patrol(self) -> None: self._rec("stop_patrol")

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]


def make(qtbot: QtBot) -> tuple[PtzPad, FakeSession]:
    pad = PtzPad()
    qtbot.addWidget(pad)
    session = FakeSession()
    pad.set_session(session)
    pad.show()
    qtbot.waitExposed(pad)
    return pad, session


def test_arrow_press_moves_and_release_stops(qtbot: QtBot) -> None:
    pad, session = make(qtbot)
    right = pad.arrows[(1, 0)]
    qtbot.mousePress(right, Qt.MouseButton.LeftButton)
    assert session.calls == [("move", (Velocity(0.5, 0.0, 0.0),))]
    qtbot.mouseRelease(right, Qt.MouseButton.LeftButton)
    assert session.names() == ["move", "stop"]


def test_speed_slider_and_zoom(qtbot: QtBot) -> None:
    pad, session = make(qtbot)
    pad.speed_slider.setValue(100)
    assert session.speed == 1.0
    qtbot.mousePress(pad.zoom_in, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(pad.zoom_in, Qt.MouseButton.LeftButton)
    up = pad.arrows[(0, 1)]
    qtbot.mousePress(up, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(up, Qt.MouseButton.LeftButton)
    assert session.calls == [("move", (Velocity(0.0, 0.0, 1.0),)), ("stop", ()),
                             ("move", (Velocity(0.0, 1.0, 0.0),)), ("stop", ())]


def test_hiding_the_pad_while_an_arrow_is_held_stops(qtbot: QtBot) -> None:
    pad, session = make(qtbot)
    qtbot.mousePress(pad.arrows[(-1, -1)], Qt.MouseButton.LeftButton)
    pad.hide()
    assert session.names() == ["move", "stop"]


def test_switching_camera_while_held_stops_the_old_one(qtbot: QtBot) -> None:
    pad, session = make(qtbot)
    qtbot.mousePress(pad.arrows[(0, -1)], Qt.MouseButton.LeftButton)
    other = FakeSession()
    pad.set_session(other)
    assert session.names() == ["move", "stop"]
    assert other.calls == []


def test_presets_home_patrol_and_holder(qtbot: QtBot) -> None:
    pad, session = make(qtbot)
    assert pad.preset_list.count() == 2
    assert pad.preset_list.item(0).text() == "1. Cổng chợ"
    pad.preset_list.setCurrentRow(1)
    qtbot.mouseClick(pad.go_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.home_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.set_home_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.patrol_button, Qt.MouseButton.LeftButton)
    assert session.calls[:4] == [("goto_preset", ("P2",)), ("remove_preset", ("P2",)),
                                 ("goto_home", ()), ("set_home", ())]
    name, (patrol,) = session.calls[4]
    assert name == "start_patrol" and [s.preset_token for s in patrol.stops] == ["P1", "P2"]
    session.patrol_changed.emit(True)
    assert pad.patrol_button.isChecked()
    qtbot.mouseClick(pad.patrol_button, Qt.MouseButton.LeftButton)
    assert session.names()[-1] == "stop_patrol"
    session.presets_changed.emit([Preset("P9", "Mới")])
    assert pad.preset_list.count() == 1
    holder = LeaseHolder("police.commander", "Trần Văn Chỉ Huy", "Công an thành phố",
                         "commander")
    session.lease_changed.emit(LeaseState(1, LeaseStatus.QUEUED, holder, 2))
    assert "Trần Văn Chỉ Huy, Công an thành phố" in pad.holder_label.text()
    assert "2" in pad.holder_label.text()
    session.lease_lost.emit("PTZ taken by Trần Văn Chỉ Huy, Công an thành phố")
    assert pad.error_label.text().startswith("PTZ taken by")
    session.error.emit(PtzError(PtzErrorKind.AUTH_FAILED, "the camera refused"))
    assert "auth failed" in pad.error_label.text()


def test_without_session_the_pad_is_disabled(qtbot: QtBot) -> None:
    pad = PtzPad()
    qtbot.addWidget(pad)
    assert not pad.isEnabled()


def _open_question(pad: PtzPad) -> QInputDialog:
    shown = [d for d in pad.findChildren(QInputDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_preset_names_are_asked_without_blocking(qtbot: QtBot) -> None:
    """Save as… and Rename… open their question and return (the lease keeps renewing on the
    loop meanwhile); OK with a name calls the session, Cancel or a blank name does not."""
    pad, session = make(qtbot)
    qtbot.mouseClick(pad.save_button, Qt.MouseButton.LeftButton)
    dialog = _open_question(pad)
    dialog.setTextValue("  Bến xe  ")
    dialog.accept()
    pad.preset_list.setCurrentRow(0)
    qtbot.mouseClick(pad.rename_button, Qt.MouseButton.LeftButton)
    dialog = _open_question(pad)
    dialog.setTextValue("   ")
    dialog.accept()
    qtbot.mouseClick(pad.rename_button, Qt.MouseButton.LeftButton)
    dialog = _open_question(pad)
    dialog.setTextValue("Cổng chợ mới")
    dialog.reject()
    qtbot.mouseClick(pad.rename_button, Qt.MouseButton.LeftButton)
    dialog = _open_question(pad)
    dialog.setTextValue("Chợ")
    dialog.accept()
    assert session.calls == [("save_preset", ("Bến xe",)), ("rename_preset", ("P1", "Chợ"))]
