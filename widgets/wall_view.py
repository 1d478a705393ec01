"""The wall: VideoTiles placed on a layout template's grid, driven by a WallController.

The view only relays: drops, clicks and keys become controller commands; controller and video
signals become tile updates. It can live in any window (one WallView per WallController).

Tiles are kept in a pool and never rebuilt: tile *i* always shows cell *i* of whatever template is
on the wall, so switching 4×4 → 2×2 leaves the first four streams untouched (same native windows),
and maximising only changes one tile's geometry (the others are hidden; see app/wall.py for why
their streams keep playing).

Input:
    drop a camera (tree) on a tile → that tile; drop a ward/system group → free tiles from there on;
    drag a tile onto another → swap; click → select; double-click / Enter → maximise, again or Esc →
    back; Delete → clear the selected tile; numpad digits → select tile N (two digits in a row for
    tiles 10–64); Ctrl+1…9 → the first nine templates (``template_actions``, shared with menus).

Tours (``app.tours.TourRunner``, one per view): a tile's context menu starts a tour of all the
cameras, or of the cameras of the tile's ward, through that tile, and stops it; hovering a touring
tile pauses it, input on it (click, wheel, key) holds it a full dwell; the tile shows "Tour 2/5".

Bookmarks: the key B (on the wall or a focused tile) or a tile's bookmark button →
``bookmark_requested(cell)``; the main window opens the bookmark dialog for that camera.

PTZ (``set_ptz_session``: the main window's session for the selected tile's camera, or None): on
the selected tile's picture, press-and-drag drives (speed ∝ distance), release stops, a click
centres on the point (after the double-click interval, so a double-click still maximises without
moving the camera), the wheel zooms; with the wall focused, arrows pan/tilt while held, +/- zoom,
Alt+digit goes to a preset (Ctrl+digit stays the template shortcut). Losing focus stops a drive.
Dragging a PTZ tile by its title strip still swaps it.

Signals:
    selection_changed(int): the selected cell.
    bookmark_requested(int): bookmark the camera of this cell now.
    fault_report_requested(int): "Report a fault…" in a camera tile's context menu (cell).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.i18n import arg
from app.ports import VideoPort
from app.ptz.base import Velocity
from app.ptz.input import (
    DragTracker,
    KeyboardDriver,
    Kind,
    PtzCommand,
    SessionLike,
    dispatch,
    wheel_steps,
)
from app.tours import DEFAULT_DWELL_S, WALL, TourRunner
from app.wall import CellKind, WallCell, WallController
from layouts import TEMPLATE_ORDER, GridTemplate
from widgets.tile import VideoTile

log = logging.getLogger("iocwall.ui")

CAMERA_MIME = "application/x-iocwall-camera-id"
CAMERA_LIST_MIME = "application/x-iocwall-camera-ids"  # a group: ids, comma-separated, in order
TILE_MIME = "application/x-iocwall-wall-tile"  # "<wall id>:<cell>" (a tile dragged to another)

SPACING = 3  # px between tiles; the selection frame is drawn in it
NUMPAD_DIGIT_WINDOW_MS = 1200  # a second numpad digit within this makes a two-digit tile number

_NUMPAD_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}


def camera_ids_from_mime(mime: QMimeData) -> list[int]:
    """Camera ids carried by a drag: a group's list, or a single camera."""
    for fmt in (CAMERA_LIST_MIME, CAMERA_MIME):
        if mime.hasFormat(fmt):
            raw = bytes(mime.data(fmt).data()).decode("ascii", "replace")
            return [int(p) for p in raw.split(",") if p.strip().isdigit()]
    return []


def zoom_velocity(steps: int) -> Velocity:
    """A wheel notch as the ZOOM_STEP command's direction."""
    return Velocity(0.0, 0.0, 1.0 if steps > 0 else -1.0)


def cell_rects(grid: GridTemplate, area: QRect, spacing: int = SPACING) -> list[QRect]:
    """Each cell's rectangle in ``area`` (integer-exact: the cells tile the area)."""
    xs = [area.x() + round(area.width() * c / grid.columns) for c in range(grid.columns + 1)]
    ys = [area.y() + round(area.height() * r / grid.rows) for r in range(grid.rows + 1)]
    half = spacing // 2
    rects = []
    for cell in grid.cells:
        left, right = xs[cell.column], xs[cell.column + cell.column_span]
        top, bottom = ys[cell.row], ys[cell.row + cell.row_span]
        rects.append(QRect(left + half, top + half, right - left - spacing,
                           bottom - top - spacing))
    return rects


class WallView(QWidget):
    selection_changed = Signal(int)
    bookmark_requested = Signal(int)
    fault_report_requested = Signal(int)

    def __init__(self, controller: WallController, video: VideoPort,
                 parent: QWidget | None = None, *, tours: TourRunner | None = None,
                 tour_dwell: float = DEFAULT_DWELL_S) -> None:
        super().__init__(parent)
        self.setObjectName("wall")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(False)  # tiles take drops
        self.controller = controller
        self._video = video
        self.selected_cell = 0
        self._pool: list[VideoTile] = []
        self._drag_start: tuple[int, QPoint] | None = None
        self._digits = ""
        self._digit_timer = QTimer(self)
        self._digit_timer.setSingleShot(True)
        self._digit_timer.setInterval(NUMPAD_DIGIT_WINDOW_MS)
        self._digit_timer.timeout.connect(self._end_digits)
        self._stream_timer = QTimer(self)  # coalesce resizes into one stream re-check
        self._stream_timer.setSingleShot(True)
        self._stream_timer.setInterval(300)
        self._stream_timer.timeout.connect(controller.update_streams)
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(0)
        self._sync_timer.timeout.connect(self._sync_native_windows)

        self.template_actions: list[QAction] = []
        for number, grid in enumerate(TEMPLATE_ORDER, start=1):
            action = QAction(self.template_label(grid), self)
            action.setCheckable(True)
            action.setData(grid.key)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(functools.partial(self._choose_template, grid))
            self.addAction(action)
            self.template_actions.append(action)

        self.ptz_session: SessionLike | None = None
        self._ptz_drag = DragTracker()
        self._ptz_keys = KeyboardDriver()
        self._ptz_dragging_tile: VideoTile | None = None
        self._pending_center: PtzCommand | None = None
        self._center_timer = QTimer(self)  # a click waits: a double-click maximises instead
        self._center_timer.setSingleShot(True)
        self._center_timer.setInterval(QApplication.doubleClickInterval())
        self._center_timer.timeout.connect(self._send_center)

        self.tours = tours or TourRunner(controller, self)
        self.tour_dwell = tour_dwell
        self.tours.badge_changed.connect(self._on_tour_badge)
        self._ensure_tiles(controller.grid.size)
        controller.cell_updated.connect(self._on_cell_updated)
        controller.template_changed.connect(self._on_template_changed)
        controller.maximised_changed.connect(self._on_maximised)
        video.tile_status_changed.connect(self._on_tile_status)
        switched = getattr(video, "stream_switched", None)
        if switched is not None:
            switched.connect(self._on_stream_switched)
        self._on_template_changed(controller.grid)
        for cell in range(controller.grid.size):
            self._on_cell_updated(cell, controller.cell(cell))
        controller.attach(self)
        # a controller that outlives its view (a closed window) must stop asking its tiles
        self.destroyed.connect(controller.detach)

    # -- what the controller asks (app.wall.WallSurfaces) ----------------------------------------
    def window_id(self, cell: int) -> int:
        return self._pool[cell].video_window_id()

    def spare_window_id(self, cell: int) -> int | None:
        return self._pool[cell].spare_window_id()

    def pixel_height(self, cell: int) -> float:
        tile = self._pool[cell]
        if tile.isHidden():
            return 0.0
        # the tile's own height: its inner layout (and so the surface) follows a moment later
        return float(tile.height() * tile.devicePixelRatioF())

    def visible_tiles(self) -> int:
        return 1 if self.controller.maximised is not None else self.controller.grid.size

    # -- public ---------------------------------------------------------------------------------
    @property
    def tiles(self) -> list[VideoTile]:
        """The tiles of the current template, in cell order."""
        return self._pool[: self.controller.grid.size]

    def template_label(self, grid: GridTemplate) -> str:
        if "+" in grid.key:
            return arg(self.tr("%1 (%2 tiles)"), grid.key, grid.size)
        return arg(self.tr("%1×%2 (%3 tiles)"), grid.rows, grid.columns, grid.size)

    def add_camera(self, camera_id: int) -> bool:
        """Put a camera in the next free tile, or in the selected tile when the wall is full."""
        cell = self.controller.next_free_cell()
        if cell is None:
            cell = self.selected_cell
        return self.show_camera(cell, camera_id)

    def show_camera(self, cell: int, camera_id: int) -> bool:
        return self.controller.assign(cell, camera_id)

    def drop_cameras(self, cell: int, camera_ids: Sequence[int]) -> list[int]:
        """A drop on ``cell``: one camera goes there; a group fills free tiles from there on."""
        self.select(cell)
        if len(camera_ids) == 1:
            return [cell] if self.show_camera(cell, camera_ids[0]) else []
        return self.controller.fill(camera_ids, start=cell)

    def select(self, cell: int) -> None:
        if not 0 <= cell < self.controller.grid.size:
            return
        if cell != self.selected_cell:
            self.selected_cell = cell
            self.selection_changed.emit(cell)
        self.update()

    # -- PTZ ------------------------------------------------------------------------------------
    def set_ptz_session(self, session: SessionLike | None) -> None:
        """The session driving the selected tile's camera (None: no PTZ on the wall). A drive on
        the previous session is stopped first."""
        if session is self.ptz_session:
            return
        self._ptz_cancel()
        self.ptz_session = session

    def _ptz_send(self, commands: list[PtzCommand]) -> None:
        if self.ptz_session is not None and commands:
            dispatch(self.ptz_session, commands)

    def _ptz_cancel(self) -> None:
        """Focus lost, window deactivated, session switched: end any drive (Stop)."""
        self._center_timer.stop()
        self._pending_center = None
        self._ptz_dragging_tile = None
        commands = self._ptz_drag.cancel() + self._ptz_keys.focus_lost()
        self._ptz_send(commands[:1])
        focus_lost = getattr(self.ptz_session, "focus_lost", None)
        if focus_lost is not None:
            focus_lost()

    def _send_center(self) -> None:
        command, self._pending_center = self._pending_center, None
        if command is not None:
            self._ptz_send([command])

    def _ptz_tile(self, tile: VideoTile) -> bool:
        """PTZ input applies to this tile: it is the selected one and has a session."""
        return self.ptz_session is not None and tile.index == self.selected_cell \
            and tile.camera_id is not None

    def _ptz_mouse(self, tile: VideoTile, event: QEvent) -> bool:
        """Mouse input on the selected PTZ tile's picture; True when consumed."""
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            steps = wheel_steps(event.angleDelta().y())
            if steps:
                self._ptz_send([PtzCommand(Kind.ZOOM_STEP, zoom_velocity(steps))])
            return True
        if not isinstance(event, QMouseEvent):
            return False
        area = tile.video_area()
        point = event.position()
        if kind == QEvent.Type.MouseButtonPress:
            if event.button() != Qt.MouseButton.LeftButton \
                    or not area.contains(point.toPoint()):
                return False
            self._ptz_dragging_tile = tile
            self._ptz_drag.press(point.x() - area.x(), point.y() - area.y(), area.width(),
                                 area.height())
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            return True
        if self._ptz_dragging_tile is not tile:
            return False
        if kind == QEvent.Type.MouseMove:
            self._ptz_send(self._ptz_drag.move(point.x() - area.x(), point.y() - area.y()))
            return True
        if kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            self._ptz_dragging_tile = None
            commands = self._ptz_drag.release(point.x() - area.x(), point.y() - area.y())
            if commands and commands[0].kind is Kind.CENTER:
                self._pending_center = commands[0]
                self._center_timer.start()
            else:
                self._ptz_send(commands)
            return True
        if kind == QEvent.Type.MouseButtonDblClick:
            self._center_timer.stop()
            self._pending_center = None
            self._ptz_dragging_tile = None
        return False

    def _on_tile_bookmark(self, index: int) -> None:
        self.select(index)
        self.bookmark_requested.emit(index)

    def tile_mime(self, cell: int) -> QMimeData:
        """What dragging tile ``cell`` carries (its camera, and where it comes from)."""
        mime = QMimeData()
        mime.setData(TILE_MIME, QByteArray(f"{id(self)}:{cell}".encode("ascii")))
        camera_id = self.controller.cells[cell]
        if camera_id is not None:
            mime.setData(CAMERA_MIME, QByteArray(str(camera_id).encode("ascii")))
        return mime

    def handle_drop(self, cell: int, mime: QMimeData) -> bool:
        """Apply a drop of ``mime`` on ``cell`` (tile swap, group, camera). False if refused."""
        if mime.hasFormat(TILE_MIME):
            wall, _, source = bytes(mime.data(TILE_MIME).data()).decode("ascii").partition(":")
            if wall == str(id(self)) and source.isdigit():
                if int(source) < self.controller.grid.size:
                    self.controller.swap(int(source), cell)
                    self.select(cell)
                    return True
                return False
        ids = camera_ids_from_mime(mime)
        if not ids:
            return False
        return bool(self.drop_cameras(cell, ids))

    # -- building -------------------------------------------------------------------------------
    def _ensure_tiles(self, count: int) -> None:
        while len(self._pool) < count:
            tile = VideoTile(len(self._pool), self)
            tile.activated.connect(self._on_tile_activated)
            tile.camera_dropped.connect(self._on_camera_dropped)
            tile.replay_requested.connect(self.controller.toggle_replay)
            tile.menu_requested.connect(self._tile_menu)
            tile.bookmark_requested.connect(self._on_tile_bookmark)
            tile.installEventFilter(self)
            tile.hide()
            self._pool.append(tile)

    def _layout_tiles(self) -> None:
        grid = self.controller.grid
        area = self.rect().adjusted(SPACING, SPACING, -SPACING, -SPACING)
        rects = cell_rects(grid, area)
        maximised = self.controller.maximised
        for index, tile in enumerate(self._pool):
            if index >= grid.size or (maximised is not None and index != maximised):
                tile.hide()
                continue
            tile.setGeometry(area.adjusted(1, 1, -1, -1) if index == maximised
                             else rects[index])
            tile.show()
        self.update()
        self._sync_native_windows()
        self._sync_timer.start()  # again once the tiles' own layouts have settled

    def _sync_native_windows(self) -> None:
        """Put every native window (video surfaces, overlay badge) where its widget is.

        Qt (6.11, xcb) does not move the X window of a native child when an alien ancestor (the
        tile) moves without changing its size: after 3×3 → 1+5 the picture stayed at the old
        place, over the neighbour. Measured with xwininfo; so the wall moves them itself."""
        for tile in self._pool:
            if tile.isHidden():
                continue
            for child in tile.findChildren(QWidget):
                handle = child.windowHandle()
                if handle is None or not child.internalWinId():
                    continue
                parent = child.nativeParentWidget()
                if parent is None:
                    continue
                position = child.mapTo(parent, QPoint(0, 0))
                if handle.position() != position:
                    handle.setPosition(position)
                    child.update()  # X leaves the old pixels where libvlc does not draw

    # -- controller → tiles ---------------------------------------------------------------------
    def _on_template_changed(self, grid: GridTemplate) -> None:
        self._ensure_tiles(grid.size)
        for action in self.template_actions:
            action.setChecked(action.data() == grid.key)
        if self.selected_cell >= grid.size:
            self.select(0)
        self._layout_tiles()

    def _on_maximised(self, _cell: int | None) -> None:
        self._layout_tiles()

    def _on_cell_updated(self, cell: int, state: WallCell) -> None:
        tile = self._pool[cell]
        if state.kind is CellKind.EMPTY:
            tile.clear()
        elif state.kind is CellKind.CAMERA and state.camera_id is not None:
            if tile.camera_id != state.camera_id or tile.camera_name() != state.name:
                tile.set_camera(state.camera_id, state.name)
            # A tile that kept its stream (template switch) shows its health as it is now:
            # statuses only come on changes.
            status = self._video.status(self.controller.tile_key(cell))
            if getattr(status, "state", None) is not None and status.state.value != "stopped":
                tile.set_status(status)
        elif state.kind is CellKind.NO_PERMISSION:
            tile.set_no_permission(
                state.name or arg(self.tr("Camera #%1"), state.camera_id))
        else:  # waiting for the camera list: it plays as soon as the list arrives
            tile.set_camera(state.camera_id or 0, state.name)

    def _on_tile_status(self, tile_key: str, status: object) -> None:
        cell = self.controller.cell_of_tile_key(tile_key)
        if cell is not None and self.controller.cell(cell).kind is CellKind.CAMERA:
            self._pool[cell].set_status(status)  # type: ignore[arg-type]

    def _on_tour_badge(self, cell: int, text: str) -> None:
        if cell == WALL:  # the wall's tour shows on its first tile
            self._pool[0].set_tour_badge(text)
        elif 0 <= cell < len(self._pool):
            self._pool[cell].set_tour_badge(text)

    # -- tours ----------------------------------------------------------------------------------
    def tile_menu(self, cell: int) -> QMenu:
        """The tile's context menu (tours): built fresh each time."""
        menu = QMenu(self)
        cameras = self.controller.camera_list()
        here = self.controller.cell(cell)
        ward = next((c.ward for c in cameras if c.id == here.camera_id), "")
        everything = menu.addAction(self.tr("Tour all cameras in this tile"))
        everything.setEnabled(bool(cameras))
        everything.triggered.connect(functools.partial(
            self.start_tile_tour, cell, [c.id for c in cameras]))
        if ward:
            local = menu.addAction(arg(self.tr("Tour the cameras of %1 in this tile"), ward))
            local.triggered.connect(functools.partial(
                self.start_tile_tour, cell, [c.id for c in cameras if c.ward == ward]))
        stop = menu.addAction(self.tr("Stop this tile's tour"))
        stop.setEnabled(self.tours.touring(cell))
        stop.triggered.connect(functools.partial(self.tours.stop, cell))
        menu.addSeparator()
        fault = menu.addAction(self.tr("Report a fault…"))
        fault.setEnabled(here.kind is CellKind.CAMERA)
        fault.triggered.connect(functools.partial(self.fault_report_requested.emit, cell))
        return menu

    def start_tile_tour(self, cell: int, camera_ids: Sequence[int]) -> bool:
        return self.tours.start_tile_tour(cell, camera_ids, self.tour_dwell)

    def _tile_menu(self, cell: int, position: QPoint) -> None:
        if cell < self.controller.grid.size:
            self.select(cell)
            self.tile_menu(cell).popup(position)

    def _on_stream_switched(self, tile_key: str, window_id: int) -> None:
        cell = self.controller.cell_of_tile_key(tile_key)
        if cell is not None:
            self._pool[cell].show_surface(window_id)

    # -- input ----------------------------------------------------------------------------------
    def _choose_template(self, grid: GridTemplate) -> None:
        self.controller.set_template(grid)
        for action in self.template_actions:  # a re-chosen template stays checked
            action.setChecked(action.data() == self.controller.grid.key)

    def _on_tile_activated(self, index: int) -> None:
        self.select(index)
        self.controller.toggle_maximise(index)

    def _on_camera_dropped(self, index: int, camera_id: int) -> None:
        self.drop_cameras(index, [camera_id])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(watched, VideoTile) or watched.index >= self.controller.grid.size:
            return False
        kind = event.type()
        if kind == QEvent.Type.Enter:
            self.tours.hover(watched.index, True)
        elif kind == QEvent.Type.Leave:
            self.tours.hover(watched.index, False)
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.KeyPress):
            self.tours.touch(watched.index)
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
                    QEvent.Type.Wheel) and self._ptz_tile(watched) \
                and self._ptz_mouse(watched, event):
            return True
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton:
                self.select(watched.index)
                self.setFocus(Qt.FocusReason.MouseFocusReason)
                self._drag_start = (watched.index, event.position().toPoint())
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self._maybe_drag(watched, event)
        elif kind == QEvent.Type.MouseButtonRelease:
            self._drag_start = None
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) \
                and isinstance(event, QDragEnterEvent | QDropEvent):
            mime = event.mimeData()
            if mime.hasFormat(TILE_MIME) or mime.hasFormat(CAMERA_LIST_MIME):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            mime = event.mimeData()
            if mime.hasFormat(TILE_MIME) or mime.hasFormat(CAMERA_LIST_MIME):
                if self.handle_drop(watched.index, mime):
                    event.acceptProposedAction()
                else:
                    event.ignore()
                return True
        return False

    def _maybe_drag(self, tile: VideoTile, event: QMouseEvent) -> None:
        if self._drag_start is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        cell, start = self._drag_start
        distance = (event.position().toPoint() - start).manhattanLength()
        if cell != tile.index or distance < QApplication.startDragDistance():
            return
        self._drag_start = None
        if self.controller.cells[cell] is None:
            return
        drag = QDrag(tile)
        drag.setMimeData(self.tile_mime(cell))
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        self.tours.touch(self.selected_cell)
        key = event.key()
        keypad = bool(event.modifiers() & Qt.KeyboardModifier.KeypadModifier)
        if self.ptz_session is not None and not (keypad and key in _NUMPAD_KEYS):
            if event.isAutoRepeat() and self._ptz_keys.held:
                event.accept()  # a held key: the drive goes on, nothing new to send
                return
            self._ptz_keys.speed = float(getattr(self.ptz_session, "speed", 0.5))
            commands = self._ptz_keys.press(Qt.Key(key), event.modifiers())
            if commands is not None:
                self._ptz_send(commands)
                event.accept()
                return
        if key == Qt.Key.Key_B and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if not event.isAutoRepeat() and self.controller.cells[self.selected_cell] is not None:
                self.bookmark_requested.emit(self.selected_cell)
        elif keypad and key in _NUMPAD_KEYS:
            self._numpad_digit(_NUMPAD_KEYS[Qt.Key(key)])
        elif key == Qt.Key.Key_Delete:
            self.controller.clear(self.selected_cell)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.controller.toggle_maximise(self.selected_cell)
        elif key == Qt.Key.Key_Escape and self.controller.maximised is not None:
            self.controller.maximise(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self.ptz_session is not None and not event.isAutoRepeat():
            commands = self._ptz_keys.release(Qt.Key(event.key()))
            if commands is not None:
                self._ptz_send(commands)
                event.accept()
                return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        # a drag on a tile keeps the wall focused; anything else taking focus ends a drive
        self._ptz_cancel()
        super().focusOutEvent(event)

    def _numpad_digit(self, digit: int) -> None:
        """Numpad N selects tile N (1-based); a second digit soon after makes tiles 10–64."""
        size = self.controller.grid.size
        typed = self._digits + str(digit)
        if self._digits and 1 <= int(typed) <= size:
            number = int(typed)
            self._digits = ""
            self._digit_timer.stop()
        else:
            number = digit
            self._digits = str(digit) if digit and digit * 10 <= size else ""
            if self._digits:
                self._digit_timer.start()
        if 1 <= number <= size:
            self.select(number - 1)
            if self.controller.maximised is not None:
                self.controller.maximise(number - 1)

    def _end_digits(self) -> None:
        self._digits = ""

    # -- painting and geometry ------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._layout_tiles()
        self._stream_timer.start()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if not 0 <= self.selected_cell < len(self._pool):
            return
        tile = self._pool[self.selected_cell]
        if tile.isHidden():
            return
        painter = QPainter(self)
        pen = QPen(QColor("#f0b400"))
        pen.setWidth(SPACING)
        painter.setPen(pen)
        painter.drawRect(tile.geometry().adjusted(-2, -2, 1, 1))
        painter.end()
