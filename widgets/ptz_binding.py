"""PTZ follows the selected tile: the pad, the on-tile input and the joystick drive the session
of the selected camera, and the tile says who holds the camera's lease.

Sessions come from the PTZ provider (built in the wiring place: ONVIF connect, capabilities,
lease); this binding only points the inputs at the right one and shows its state.
"""

from __future__ import annotations

import functools
from collections.abc import Coroutine
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget

from app.domain import Camera
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Ops
from app.ptz.base import LeaseHolder, LeaseState, LeaseStatus, PtzError
from app.wall import CellKind, WallController
from common.vocabulary import Action
from widgets.ptz_pad import PtzPad
from widgets.wall_view import WallView


class PtzProvider(Protocol):
    """What the window needs to drive PTZ cameras (``app.ptz.sessions.PtzSessions``): a session per
    camera (``app.ptz.session.PtzSession``, opened once: ONVIF connect + capabilities), the
    current holder of a camera's lease, and the joystick pump to point at the selected camera."""

    username: str
    joystick: Any

    def open(self, camera: Camera) -> Coroutine[Any, Any, Any]: ...
    def holder(self, camera_id: int) -> Coroutine[Any, Any, LeaseHolder | None]: ...


class PtzBinding(QObject):
    """Binds the selected tile's camera to the PTZ inputs (``session``: the bound session)."""

    def __init__(self, wall: WallView, controller: WallController, pad: PtzPad,
                 dock: QDockWidget, ptz: PtzProvider | None, ops: Ops,
                 messages: MessageBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall = wall
        self._controller = controller
        self._pad = pad
        self._dock = dock
        self._ptz = ptz
        self._ops = ops
        self._messages = messages
        self.session: Any = None  # the bound session (the selected tile's camera)
        self._ptz_camera_id: int | None = None
        wall.selection_changed.connect(self._update_ptz)
        self._show_ptz_title(None)

    def selected_camera(self) -> Camera | None:
        """The camera of the selected tile when it plays one."""
        state = self._controller.cell(self.wall.selected_cell)
        return state.camera if state.kind is CellKind.CAMERA else None

    def cell_updated(self, cell: int, *_args: object) -> None:
        if cell == self.wall.selected_cell:
            self._update_ptz()

    def _update_ptz(self, *_args: object) -> None:
        """Follow the selected tile: bind its camera's session, or disable the pad."""
        camera = self.selected_camera()
        if camera is None or not camera.can(Action.PTZ) or self._ptz is None:
            self._ptz_camera_id = None
            self._bind_ptz(None)
            self._show_ptz_title(None)
            return
        if camera.id == self._ptz_camera_id:
            return
        self._ptz_camera_id = camera.id
        self._bind_ptz(None)
        self._show_ptz_title(camera)
        self._pad.holder_label.setText(arg(self.tr("Connecting to the PTZ of %1…"),
                                              camera.name))
        self._ops.run(self._ptz.open(camera), label=arg(self.tr("PTZ of %1"), camera.name),
                      owner=self) \
            .success(functools.partial(self._ptz_opened, camera.id)) \
            .failure(functools.partial(self._ptz_failed, camera.id))

    def _show_ptz_title(self, camera: Camera | None) -> None:
        if camera is None:
            self._dock.setWindowTitle(self.tr("PTZ control"))
            self._pad.holder_label.setText(self.tr("The selected camera has no PTZ."))
        else:
            self._dock.setWindowTitle(arg(self.tr("PTZ control — %1"), camera.name))

    def _ptz_opened(self, camera_id: int, session: Any) -> None:
        if camera_id != self._ptz_camera_id:
            return  # the operator moved on meanwhile
        self._bind_ptz(session)
        if self._ptz is not None:
            self._ops.run(self._ptz.holder(camera_id), owner=self) \
                .success(functools.partial(self._show_holder, camera_id)) \
                .failure(lambda _error: None)  # the holder shows after the first command

    def _ptz_failed(self, camera_id: int, error: BaseException) -> None:
        if camera_id != self._ptz_camera_id:
            return
        kind = getattr(error, "kind", None) or type(error).__name__
        text = arg(self.tr("PTZ unavailable: %1"), kind)
        self._pad.holder_label.setText(f"{text} ({error})")
        tile = self._ptz_tile()
        if tile is not None:
            tile.set_ptz_text(text, problem=True)
        self._messages.warning(f"{text}: {error}")

    def _bind_ptz(self, session: Any) -> None:
        """Point the pad, on-tile input and the joystick at ``session`` (None: nothing)."""
        old, self.session = self.session, session
        if old is not None and old is not session:
            old.focus_lost()  # a drive on the camera we leave ends here
            for signal, slot in self._ptz_connections(old):
                signal.disconnect(slot)
        for tile in self.wall.tiles:
            tile.set_ptz_text("")
        self._pad.set_session(session)
        self.wall.set_ptz_session(session)
        joystick = self._ptz.joystick if self._ptz is not None else None
        if joystick is not None:
            joystick.set_session(session)
        if session is not None and session is not old:
            for signal, slot in self._ptz_connections(session):
                signal.connect(slot)
            self._show_lease(session.lease_state())

    def _ptz_connections(self, session: Any) -> list[tuple[Any, Any]]:
        return [(session.lease_changed, self._show_lease), (session.lease_lost, self._show_lost),
                (session.error, self._show_ptz_error)]

    def _ptz_tile(self) -> Any:
        cell = self.wall.selected_cell
        if 0 <= cell < len(self.wall.tiles) and self._ptz_camera_id is not None \
                and self.wall.tiles[cell].camera_id == self._ptz_camera_id:
            return self.wall.tiles[cell]
        return None

    def ptz_holder_text(self, state: LeaseState) -> str:
        if state.status is LeaseStatus.GRANTED:
            return self.tr("PTZ: you")
        if state.status is LeaseStatus.QUEUED:
            who = state.holder.display if state.holder else "?"
            return arg(self.tr("PTZ: %1 (you wait, number %2)"), who, state.position)
        if state.status is LeaseStatus.TAKEN:
            who = state.holder.display if state.holder else "?"
            return arg(self.tr("PTZ taken by %1"), who)
        return ""

    def _show_lease(self, state: LeaseState) -> None:
        tile = self._ptz_tile()
        if tile is not None:
            tile.set_ptz_text(self.ptz_holder_text(state),
                              problem=state.status is LeaseStatus.TAKEN)

    def _show_holder(self, camera_id: int, holder: LeaseHolder | None) -> None:
        tile = self._ptz_tile()
        if camera_id != self._ptz_camera_id or tile is None or tile.ptz_text():
            return  # a fresher answer (our own lease) is shown already
        if holder is None:
            tile.set_ptz_text(self.tr("PTZ: free"))
        elif self._ptz is not None and holder.username == self._ptz.username:
            tile.set_ptz_text(self.tr("PTZ: you"))
        else:
            tile.set_ptz_text(arg(self.tr("PTZ: %1"), holder.display))

    def _show_lost(self, reason: str) -> None:
        tile = self._ptz_tile()
        if tile is not None:
            tile.set_ptz_text(reason, problem=True)

    def _show_ptz_error(self, error: PtzError) -> None:
        tile = self._ptz_tile()
        if tile is not None:
            tile.set_ptz_text(arg(self.tr("PTZ error: %1"), error.kind),
                              problem=True)
            tile.setToolTip(str(error))
