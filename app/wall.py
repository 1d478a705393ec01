"""The wall's state, apart from its widgets: which camera is in which cell of which template.

Cells refer to cameras by id (never by URL); stream URLs come only from the camera list the backend
gave this user (``set_cameras``). A cell holding a camera that is not in that list, or that a saved
layout marks ``permitted: false``, shows "no permission" and the wall never asks for its stream.
A cell whose camera list has not arrived yet waits (it plays as soon as the list arrives).

Streams: the view the controller is attached to (``attach``, a :class:`WallSurfaces`) tells it each
tile's native window and physical height; the video engineer's :class:`StreamChooser` picks main
or sub per tile; when the choice or the camera of a playing tile changes, the controller switches
make-before-break (``video.switch``: the new stream renders into the tile's spare surface and the
old one stays on screen until the new one has its first picture).

Maximise: the other tiles keep playing, hidden. Restoring then shows a live wall at once (no
"connecting" on every tile, no reconnect burst of up to 64 cameras against the 8-attempt limit),
and the audit log keeps one view per camera instead of a stop/start pair per glance. Their cost is
small: hidden tiles play the sub stream once the maximised one has the main stream.

Audit (Art. 5: every view is recorded): ``view_start`` when a camera appears on this wall,
``view_stop`` when it leaves it; swapping, switching templates or streams is not a new view.

Signals:
    cell_changed(int, object): a cell now plays this Camera, or None when emptied.
    cell_updated(int, object): any change of a cell, with its :class:`WallCell` (empty, camera,
        no permission, waiting for the camera list).
    template_changed(object): the wall now has this GridTemplate (cells were re-filled after).
    maximised_changed(object): the maximised cell (int), or None when the wall is back.
"""

from __future__ import annotations

import enum
import functools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain import Camera, Layout
from app.messages import MessageBridge
from app.ops import Ops
from app.ports import AuditSink, VideoPort
from app.video.sources import SessionSource, StreamSource, describe
from app.video.streams import StreamChooser, StreamKind
from common.vocabulary import Action, ViewEvent
from layouts import DEFAULT_TEMPLATE, GridTemplate, template

log = logging.getLogger("iocwall.wall")

RECHECK_STREAMS_MS = 2000  # the chooser's 5 s rule may say "later": ask it again this often


class CellKind(enum.Enum):
    EMPTY = "empty"
    CAMERA = "camera"              # plays (or is about to) the camera's stream
    NO_PERMISSION = "no_permission"  # the user may not view it: never asked for a stream
    WAITING = "waiting"            # the camera list has not arrived: nothing to play yet


@dataclass(frozen=True)
class WallCell:
    kind: CellKind = CellKind.EMPTY
    camera_id: int | None = None
    name: str = ""  # the camera's name when known ("" for a camera the user may not view)
    camera: Camera | None = None


EMPTY_CELL = WallCell()


SessionIssuer = Callable[[int, str], str]  # (camera id, stream) → a session URL; blocking


class WallSurfaces(Protocol):
    """What the controller needs of the view that shows it (``widgets.wall_view.WallView``)."""

    def window_id(self, cell: int) -> int:
        """The native window the cell's stream renders into now."""
        ...

    def spare_window_id(self, cell: int) -> int | None:
        """The cell's second surface for a switch without black (None: the tile has none)."""
        ...

    def pixel_height(self, cell: int) -> float:
        """The cell's video height in physical pixels (0 while hidden)."""
        ...

    def visible_tiles(self) -> int:
        ...


class WallController(QObject):
    cell_changed = Signal(int, object)
    cell_updated = Signal(int, object)
    template_changed = Signal(object)
    maximised_changed = Signal(object)

    def __init__(self, video: VideoPort, ops: Ops, messages: MessageBridge,
                 audit: AuditSink | None = None, grid: GridTemplate | None = None,
                 parent: QObject | None = None, *, key_prefix: str = "wall",
                 chooser: StreamChooser | None = None,
                 sessions: SessionIssuer | None = None) -> None:
        """``sessions(camera_id, stream)`` asks the backend for a gateway session URL (blocking:
        the video service calls it on its ingest thread) for cameras served by the gateway."""
        super().__init__(parent)
        self._video = video
        self._sessions = sessions
        self._ops = ops
        self._messages = messages
        self._audit = audit
        self._prefix = key_prefix
        self._chooser = chooser or StreamChooser()
        self.grid = grid or template(DEFAULT_TEMPLATE)
        self._cells: list[WallCell] = [EMPTY_CELL] * self.grid.size
        self._cameras: dict[int, Camera] | None = None  # None: the list has not arrived
        self._surfaces: WallSurfaces | None = None
        self._windows: dict[int, int] = {}  # cell → window given to assign() (no view attached)
        self._playing: dict[int, tuple[int, StreamKind]] = {}  # cell → (camera id, stream)
        self._viewing: Counter[int] = Counter()  # camera id → cells showing it (audit)
        self.maximised: int | None = None
        self.layout: Layout | None = None  # the saved layout last applied or saved (or None)
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_STREAMS_MS)
        self._recheck.timeout.connect(self.update_streams)

    # -- state ----------------------------------------------------------------------------------
    def set_cameras(self, cameras: list[Camera]) -> None:
        """The cameras this user may see now; cells are re-checked against them (a camera that
        left the list stops and shows "no permission"; waiting cells start)."""
        self._cameras = {c.id: c for c in cameras}
        for cell, state in enumerate(self._cells):
            if state.kind in (CellKind.CAMERA, CellKind.WAITING):
                self._set_cell(cell, self._resolve(state.camera_id, state.name))

    def camera(self, camera_id: int) -> Camera | None:
        return (self._cameras or {}).get(camera_id)

    def camera_list(self) -> list[Camera]:
        """The cameras this user may see, by id ([] before the list arrived)."""
        return sorted((self._cameras or {}).values(), key=lambda c: c.id)

    @property
    def cameras_loaded(self) -> bool:
        return self._cameras is not None

    @property
    def cells(self) -> list[int | None]:
        """Camera id per cell (None = empty), in template order (no-permission cells too)."""
        return [c.camera_id for c in self._cells]

    def cell(self, cell: int) -> WallCell:
        return self._cells[cell]

    def next_free_cell(self, start: int = 0) -> int | None:
        free = self.free_cells(start)
        return free[0] if free else None

    def free_cells(self, start: int = 0) -> list[int]:
        """Empty cells in template order, beginning at ``start`` and wrapping round."""
        size = len(self._cells)
        order = [(start + i) % size for i in range(size)] if size else []
        return [c for c in order if self._cells[c].kind is CellKind.EMPTY]

    def tile_key(self, cell: int) -> str:
        return f"{self._prefix}/{cell}"

    def cell_of_tile_key(self, tile_key: str) -> int | None:
        prefix, _, number = tile_key.rpartition("/")
        if prefix != self._prefix or not number.isdigit():
            return None
        cell = int(number)
        return cell if cell < len(self._cells) else None

    def stream_of(self, cell: int) -> StreamKind | None:
        """The stream the cell plays (None when it plays nothing)."""
        playing = self._playing.get(cell)
        return None if playing is None else playing[1]

    def to_layout(self, name: str, **fields: Any) -> Layout:
        """What the wall shows now, as a layout to save."""
        return Layout.from_wall(name, self.grid, self.cells, **fields)

    # -- the view --------------------------------------------------------------------------------
    def attach(self, surfaces: WallSurfaces) -> None:
        """Render into this view's tiles (one view per controller)."""
        self._surfaces = surfaces
        self._start_pending()
        self._recheck.start()

    def detach(self) -> None:
        self._surfaces = None
        self._recheck.stop()

    # -- commands -------------------------------------------------------------------------------
    def assign(self, cell: int, camera_id: int, window_id: int | None = None) -> bool:
        """Show ``camera_id`` in ``cell`` (rendering into ``window_id`` when no view is
        attached). False, with a message, when the user may not view it."""
        self._check(cell)
        camera = (self._cameras or {}).get(camera_id)
        if camera is None:
            self._messages.warning(f"Camera {camera_id} is not available to this user")
            return False
        if not camera.can(Action.VIEW) or not camera.playable:
            self._messages.warning(f"{camera.name}: no permission to view this camera")
            return False
        if window_id is not None:
            self._windows[cell] = window_id
        self._set_cell(cell, WallCell(CellKind.CAMERA, camera.id, camera.name, camera))
        return True

    def fill(self, camera_ids: Iterable[int], start: int = 0) -> list[int]:
        """Put cameras (a ward or system group) in the free cells from ``start`` on, in order;
        cameras already on this wall are skipped. Returns the cells filled."""
        shown = {c.camera_id for c in self._cells if c.camera_id is not None}
        wanted = [c for c in dict.fromkeys(camera_ids) if c not in shown]
        filled: list[int] = []
        free = self.free_cells(start)
        for camera_id, cell in zip(wanted, free, strict=False):
            if self.assign(cell, camera_id):
                filled.append(cell)
        left = len(wanted) - len(free)
        if left > 0:
            self._messages.info(f"{left} camera(s) did not fit on the wall")
        return filled

    def clear(self, cell: int) -> None:
        self._check(cell)
        self._set_cell(cell, EMPTY_CELL)
        if self.maximised == cell:
            self.maximise(None)

    def clear_all(self) -> None:
        for cell in range(len(self._cells)):
            self.clear(cell)

    def swap(self, a: int, b: int) -> None:
        """Exchange two cells' cameras (a tile dragged onto another)."""
        self._check(a)
        self._check(b)
        if a == b:
            return
        first, second = self._cells[a], self._cells[b]
        # Count both as on the wall throughout: a swap is not a new view.
        held = [c.camera_id for c in (first, second)
                if c.kind is CellKind.CAMERA and c.camera_id is not None]
        self._viewing.update(held)
        self._set_cell(a, second)
        self._set_cell(b, first)
        self._release(held)

    def set_template(self, grid: GridTemplate | str) -> None:
        """Switch templates. Cameras keep their cells when every one of them fits; otherwise
        they are carried over in order into the new cells (the first ones win)."""
        new = template(grid) if isinstance(grid, str) else grid
        old = list(self._cells)
        occupied = [i for i, c in enumerate(old) if c.kind is not CellKind.EMPTY]
        if all(i < new.size for i in occupied):
            carried = [old[i] if i < len(old) else EMPTY_CELL for i in range(new.size)]
        else:
            kept = [old[i] for i in occupied][: new.size]
            carried = kept + [EMPTY_CELL] * (new.size - len(kept))
        self._apply(new, carried)

    def apply_layout(self, layout: Layout) -> None:
        """Show a saved layout (its grid and cameras; a broken grid raises TemplateError)."""
        grid = layout.grid()
        cells = []
        for item in layout.items:
            if item.camera_id is None:
                cells.append(EMPTY_CELL)
            elif not item.permitted:
                cells.append(WallCell(CellKind.NO_PERMISSION, item.camera_id))
            else:
                cells.append(self._resolve(item.camera_id, item.camera_name or ""))
        self.layout = layout
        self._apply(grid, cells)
        log.info("layout %r on the wall (%s, %d cells)", layout.name, grid.key, grid.size)

    def maximise(self, cell: int | None) -> None:
        """Show one cell over the whole wall (None: back to the grid)."""
        if cell is not None:
            self._check(cell)
        if cell == self.maximised:
            return
        self.maximised = cell
        self.maximised_changed.emit(cell)
        self.update_streams()

    def toggle_maximise(self, cell: int) -> None:
        self.maximise(None if self.maximised is not None else cell)

    def toggle_replay(self, cell: int) -> None:
        """Instant replay of a playing tile's last 30 s, or back to live when it replays."""
        if cell not in self._playing or self._surfaces is None:
            return
        key = self.tile_key(cell)
        spare = self._surfaces.spare_window_id(cell)
        status = self._video.status(key)
        if getattr(getattr(status, "state", None), "value", None) == "replay":
            back = getattr(self._video, "back_to_live", None)
            if back is not None:
                back(key, spare)
        else:
            replay = getattr(self._video, "replay", None)
            if replay is not None:
                replay(key, 30.0, spare)

    def update_streams(self) -> None:
        """Ask the chooser, for every playing tile, whether main or sub fits its size now."""
        if self._surfaces is None:
            return
        now = time.monotonic()
        visible = self._surfaces.visible_tiles()
        for cell, (camera_id, kind) in list(self._playing.items()):
            if self.maximised is not None and cell != self.maximised:
                continue  # hidden: keeps what it plays
            wanted = self._chooser.decide(self.tile_key(cell), self._surfaces.pixel_height(cell),
                                          visible, cell == self.maximised, now)
            camera = (self._cameras or {}).get(camera_id)
            if wanted is None or wanted is kind or camera is None:
                continue
            if self._source(camera, wanted) == self._source(camera, kind):
                continue  # a camera with one stream
            self._play(cell, camera, wanted, switch=True)

    def stop_for_exit(self) -> list[Camera]:
        """Stop every tile without queueing audit calls (the loop is ending); return the cameras
        that were on the wall so the caller can report their ``view_stop`` synchronously."""
        self._recheck.stop()
        shown: list[Camera] = []
        for cell in list(self._playing):
            self._video.stop(self.tile_key(cell))
        self._playing.clear()
        for cell, state in enumerate(self._cells):
            if state.kind is CellKind.CAMERA and state.camera is not None \
                    and state.camera not in shown:
                shown.append(state.camera)
            self._cells[cell] = EMPTY_CELL
        self._viewing.clear()
        return shown

    # -- internals ------------------------------------------------------------------------------
    def _check(self, cell: int) -> None:
        if not 0 <= cell < len(self._cells):
            raise IndexError(f"cell {cell} outside the {self.grid.key} wall")

    def _resolve(self, camera_id: int | None, name: str = "") -> WallCell:
        if camera_id is None:
            return EMPTY_CELL
        if self._cameras is None:
            return WallCell(CellKind.WAITING, camera_id, name)
        camera = self._cameras.get(camera_id)
        if camera is None or not camera.can(Action.VIEW) \
                or not camera.playable:
            return WallCell(CellKind.NO_PERMISSION, camera_id)
        return WallCell(CellKind.CAMERA, camera.id, camera.name, camera)

    def _apply(self, grid: GridTemplate, cells: list[WallCell]) -> None:
        # Cameras that stay on the wall (perhaps in another cell) are not a new view: hold them.
        held = [c.camera_id for c in cells if c.kind is CellKind.CAMERA
                and c.camera_id is not None and c.camera_id in self._viewing]
        self._viewing.update(held)
        for cell in range(grid.size, len(self._cells)):
            self._set_cell(cell, EMPTY_CELL, emit=False)
        if self.maximised is not None:
            self.maximised = None
            self.maximised_changed.emit(None)
        changed = grid != self.grid
        self.grid = grid
        self._cells = self._cells[: grid.size] + [EMPTY_CELL] * (grid.size - len(self._cells))
        self._windows = {c: w for c, w in self._windows.items() if c < grid.size}
        if changed:
            self.template_changed.emit(grid)
        for cell, state in enumerate(cells):
            self._set_cell(cell, state, force_emit=True)
        self._release(held)
        self.update_streams()

    def _release(self, held: list[int]) -> None:
        self._viewing.subtract(held)
        for camera_id in set(held):
            if self._viewing[camera_id] <= 0:
                del self._viewing[camera_id]

    def _set_cell(self, cell: int, new: WallCell, *, emit: bool = True,
                  force_emit: bool = False) -> None:
        old = self._cells[cell]
        playing = self._playing.get(cell)
        if new == old and (playing is not None or new.kind is not CellKind.CAMERA):
            if force_emit:
                self._emit(cell, new)
            return
        self._cells[cell] = new
        was_view = old.kind is CellKind.CAMERA and old.camera is not None
        same_camera = was_view and old.camera_id == new.camera_id
        if new.kind is CellKind.CAMERA and new.camera is not None:
            if not same_camera:
                self._add_view(new.camera)
            if playing is None or playing[0] != new.camera_id or old.camera != new.camera:
                self._play(cell, new.camera, None, switch=playing is not None)
        else:
            same_camera = False
            if playing is not None:
                self._video.stop(self.tile_key(cell))
                self._chooser.forget(self.tile_key(cell))
                del self._playing[cell]
        if was_view and old.camera is not None and not same_camera:
            self._remove_view(old.camera)
        if emit:
            self._emit(cell, new)

    def _emit(self, cell: int, state: WallCell) -> None:
        self.cell_updated.emit(cell, state)
        if state.kind is CellKind.EMPTY:
            self.cell_changed.emit(cell, None)
        elif state.kind is CellKind.CAMERA:
            self.cell_changed.emit(cell, state.camera)

    def _window(self, cell: int) -> int | None:
        if self._surfaces is not None:
            return self._surfaces.window_id(cell)
        return self._windows.get(cell)

    def _play(self, cell: int, camera: Camera, kind: StreamKind | None, *, switch: bool) -> None:
        """Start (or switch) the cell's stream; without a window yet it starts on attach."""
        key = self.tile_key(cell)
        window = self._window(cell)
        if window is None:
            self._playing.pop(cell, None)
            return
        if kind is None:
            self._chooser.forget(key)
            if self._surfaces is not None:
                kind = self._chooser.decide(key, self._surfaces.pixel_height(cell),
                                            self._surfaces.visible_tiles(),
                                            cell == self.maximised, time.monotonic())
            kind = kind or StreamKind.SUB
        url = self._source(camera, kind)
        if url is None:
            return
        spare = self._surfaces.spare_window_id(cell) if self._surfaces is not None else None
        switcher = getattr(self._video, "switch", None)
        if switch and switcher is not None and spare is not None:
            log.info("%s: cell %d switches to %s %s", camera.name, cell, kind.value,
                     describe(url))
            switcher(key, url, spare)
        else:
            log.info("%s: cell %d plays %s %s", camera.name, cell, kind.value, describe(url))
            self._video.play(key, url, window, camera.name, spare_window=spare)
        self._playing[cell] = (camera.id, kind)

    def _source(self, camera: Camera, kind: StreamKind) -> StreamSource | None:
        """The camera's own URL for ``kind`` (or its other stream), else a gateway session."""
        url = _url(camera, kind)
        if url is not None or not camera.streams or self._sessions is None:
            return url
        stream = kind.value if kind.value in camera.streams else camera.streams[0]
        return SessionSource(camera.id, stream,
                             functools.partial(self._sessions, camera.id, stream))

    def _start_pending(self) -> None:
        for cell, state in enumerate(self._cells):
            if state.kind is CellKind.CAMERA and state.camera is not None \
                    and cell not in self._playing:
                self._play(cell, state.camera, None, switch=False)

    def _add_view(self, camera: Camera) -> None:
        self._viewing[camera.id] += 1
        if self._viewing[camera.id] == 1:
            self._report(ViewEvent.VIEW_START, camera)

    def _remove_view(self, camera: Camera) -> None:
        self._viewing[camera.id] -= 1
        if self._viewing[camera.id] <= 0:
            del self._viewing[camera.id]
            self._report(ViewEvent.VIEW_STOP, camera)

    def _report(self, event: str, camera: Camera) -> None:
        if self._audit is None:
            return
        self._ops.run(functools.partial(self._audit.audit_event, event, camera.id),
                      label=f"audit {event} {camera.name}")


def _url(camera: Camera, kind: StreamKind) -> str | None:
    if kind is StreamKind.MAIN:
        return camera.main_stream_url or camera.sub_stream_url
    return camera.sub_stream_url or camera.main_stream_url
