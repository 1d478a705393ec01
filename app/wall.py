"""The wall's state, apart from its widgets: which camera is in which cell.

Cells refer to cameras by id (never by URL). Putting a camera in a cell asks the video service to
play the camera's **sub** stream (a 2×2 wall does not need 1080p) into the window the tile gives,
and reports ``view_start`` / ``view_stop`` to the backend's audit log through :mod:`app.ops`
(Art. 5: every view is recorded).

Signals:
    cell_changed(int, object): a cell now shows this Camera, or None when emptied.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QObject, Signal

from app.domain import Action, Camera
from app.messages import MessageBridge
from app.ops import Ops
from app.ports import AuditSink, VideoPort
from app.security import mask_url
from layouts import DEFAULT_TEMPLATE, GridTemplate, template

log = logging.getLogger("iocwall.wall")


class WallController(QObject):
    cell_changed = Signal(int, object)

    def __init__(self, video: VideoPort, ops: Ops, messages: MessageBridge,
                 audit: AuditSink | None = None, grid: GridTemplate | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._video = video
        self._ops = ops
        self._messages = messages
        self._audit = audit
        self.grid = grid or template(DEFAULT_TEMPLATE)
        self._cells: list[int | None] = [None] * self.grid.size
        self._cameras: dict[int, Camera] = {}

    # -- state ----------------------------------------------------------------------------------
    def set_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = {c.id: c for c in cameras}

    def camera(self, camera_id: int) -> Camera | None:
        return self._cameras.get(camera_id)

    @property
    def cells(self) -> list[int | None]:
        """Camera id per cell (None = empty), in template order."""
        return list(self._cells)

    def next_free_cell(self) -> int | None:
        for index, camera_id in enumerate(self._cells):
            if camera_id is None:
                return index
        return None

    @staticmethod
    def tile_key(cell: int) -> str:
        return f"wall/{cell}"

    def cell_of_tile_key(self, tile_key: str) -> int | None:
        prefix, _, number = tile_key.partition("/")
        if prefix != "wall" or not number.isdigit():
            return None
        cell = int(number)
        return cell if cell < len(self._cells) else None

    # -- commands -------------------------------------------------------------------------------
    def assign(self, cell: int, camera_id: int, window_id: int) -> bool:
        """Show ``camera_id`` in ``cell``, rendering into ``window_id``. False when refused."""
        if not 0 <= cell < len(self._cells):
            raise IndexError(f"cell {cell} outside the {self.grid.key} wall")
        camera = self._cameras.get(camera_id)
        if camera is None:
            self._messages.warning(f"Camera {camera_id} is not available to this user")
            return False
        url = camera.sub_stream_url or camera.main_stream_url
        if not camera.can(Action.VIEW) or not url:
            self._messages.warning(f"{camera.name}: no permission to view this camera")
            return False
        if self._cells[cell] is not None:
            self.clear(cell)
        self._cells[cell] = camera.id
        log.info("%s: cell %d plays %s", camera.name, cell, mask_url(url))
        self._video.play(self.tile_key(cell), url, window_id, camera.name)
        self._report("view_start", camera)
        self.cell_changed.emit(cell, camera)
        return True

    def clear(self, cell: int) -> None:
        camera_id = self._cells[cell]
        if camera_id is None:
            return
        self._video.stop(self.tile_key(cell))
        self._cells[cell] = None
        camera = self._cameras.get(camera_id)
        if camera is not None:
            self._report("view_stop", camera)
        self.cell_changed.emit(cell, None)

    def clear_all(self) -> None:
        for cell in range(len(self._cells)):
            self.clear(cell)

    def stop_for_exit(self) -> list[Camera]:
        """Stop every tile without queueing audit calls (the loop is ending); return the cameras
        that were on the wall so the caller can report their ``view_stop`` synchronously."""
        shown = []
        for cell, camera_id in enumerate(self._cells):
            if camera_id is None:
                continue
            self._video.stop(self.tile_key(cell))
            self._cells[cell] = None
            camera = self._cameras.get(camera_id)
            if camera is not None:
                shown.append(camera)
        return shown

    def _report(self, event: str, camera: Camera) -> None:
        if self._audit is None:
            return
        self._ops.run(functools.partial(self._audit.audit_event, event, camera.id),
                      label=f"audit {event} {camera.name}")
