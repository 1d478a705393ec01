"""Tours: a tile cycles through cameras, or a whole wall through saved layouts (or pages of
cameras), each step shown for a dwell time (default 10 s).

An operator looking at a touring tile must not have it change under them: hovering the tile
pauses its tour for as long as the pointer stays; any input on it (click, key, wheel) holds it for
a full dwell from that moment. A paused tour then shows its item a full dwell before moving on.

:class:`TourClock` (pure, a clock function in) decides when a step is due; :class:`TourRunner`
(QtCore) ticks the tours and applies their steps through the :class:`~app.wall.WallController` —
``assign`` / ``apply_layout`` — so the audit log stays right: a camera leaving a tile is a
``view_stop``, the next one a ``view_start``, as if the operator had dropped it.

Signals (TourRunner):
    badge_changed(int, str): a tile's tour position ("2/5"; "" when its tour ended). Cell -1 is
        the whole wall's tour.
    tours_changed(): a tour started or stopped (menus update their checks).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain import Layout
from app.wall import CellKind, WallController

log = logging.getLogger("iocwall.wall")

DEFAULT_DWELL_S = 10.0
TICK_MS = 200
WALL = -1  # the key of the whole wall's tour

T = TypeVar("T")


@dataclass
class Tour(Generic[T]):
    """A list of items shown in turn; ``position`` is the item on screen now (0-based)."""

    items: Sequence[T]
    dwell: float = DEFAULT_DWELL_S
    position: int = 0
    shown_at: float = 0.0          # when the current item's dwell began
    hovered: bool = False
    held_until: float = 0.0        # operator input holds the item until then
    step_count: int = field(default=0)

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a tour needs at least one item")
        if self.dwell <= 0:
            raise ValueError("the dwell time must be positive")

    @property
    def current(self) -> T:
        return self.items[self.position]

    @property
    def badge(self) -> str:
        return f"{self.position + 1}/{len(self.items)}"


class TourClock(Generic[T]):
    """When each tour steps, given a clock (``time.monotonic`` or a test's fake)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.tours: dict[int, Tour[T]] = {}

    def start(self, key: int, items: Sequence[T], dwell: float = DEFAULT_DWELL_S) -> Tour[T]:
        tour = Tour(list(items), dwell, shown_at=self._clock())
        self.tours[key] = tour
        return tour

    def stop(self, key: int) -> Tour[T] | None:
        return self.tours.pop(key, None)

    def hover(self, key: int, inside: bool) -> None:
        """The pointer entered (True) or left the tile: paused while inside; leaving starts a
        full dwell."""
        tour = self.tours.get(key)
        if tour is None or tour.hovered == inside:
            return
        tour.hovered = inside
        if not inside:
            tour.shown_at = self._clock()

    def touch(self, key: int) -> None:
        """Operator input on the tile: hold the item a full dwell from now."""
        tour = self.tours.get(key)
        if tour is not None:
            tour.held_until = self._clock() + tour.dwell
            tour.shown_at = self._clock()

    def due(self) -> list[tuple[int, Tour[T]]]:
        """Step every tour whose dwell is over (and not paused); the tours that stepped."""
        now = self._clock()
        stepped = []
        for key, tour in list(self.tours.items()):
            if tour.hovered or now < tour.held_until or now - tour.shown_at < tour.dwell:
                continue
            tour.position = (tour.position + 1) % len(tour.items)
            tour.shown_at = now
            tour.step_count += 1
            stepped.append((key, tour))
        return stepped


@dataclass(frozen=True)
class CameraPage:
    """One page of a wall tour through cameras: the cameras shown together."""

    camera_ids: tuple[int, ...]


class TourRunner(QObject):
    badge_changed = Signal(int, str)
    tours_changed = Signal()

    def __init__(self, controller: WallController, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.controller = controller
        self.clock: TourClock[int | Layout | CameraPage] = TourClock(clock)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._applying = False
        controller.cell_updated.connect(self._on_cell_updated)
        controller.template_changed.connect(self._on_template_changed)

    # -- commands -------------------------------------------------------------------------------
    def start_tile_tour(self, cell: int, camera_ids: Sequence[int],
                        dwell: float = DEFAULT_DWELL_S) -> bool:
        """Cycle ``cell`` through ``camera_ids`` (the first at once). False: nothing to tour."""
        ids = list(dict.fromkeys(camera_ids))
        if not ids or not 0 <= cell < self.controller.grid.size:
            return False
        current = self.controller.cells[cell]
        start = ids.index(current) if current in ids else 0
        tour = self.clock.start(cell, ids, dwell)
        tour.position = start
        log.info("tour of cell %d: %d cameras, %.0f s each", cell, len(ids), dwell)
        self._show(cell, tour)
        self._changed()
        return True

    def start_wall_tour(self, layouts: Sequence[Layout], dwell: float = DEFAULT_DWELL_S) -> bool:
        """Cycle the whole wall through saved layouts (the first at once)."""
        if not layouts:
            return False
        self._stop_tile_tours()
        tour = self.clock.start(WALL, list(layouts), dwell)
        log.info("wall tour: %d layouts, %.0f s each", len(layouts), dwell)
        self._show(WALL, tour)
        self._changed()
        return True

    def start_wall_camera_tour(self, camera_ids: Sequence[int],
                               dwell: float = DEFAULT_DWELL_S) -> bool:
        """Cycle the whole wall through pages of cameras (as many as it has cells)."""
        ids = list(dict.fromkeys(camera_ids))
        size = self.controller.grid.size
        if not ids:
            return False
        pages = [CameraPage(tuple(ids[i:i + size])) for i in range(0, len(ids), size)]
        self._stop_tile_tours()
        tour = self.clock.start(WALL, pages, dwell)
        self._show(WALL, tour)
        self._changed()
        return True

    def stop(self, key: int) -> None:
        if self.clock.stop(key) is not None:
            self.badge_changed.emit(key, "")
            log.info("tour of %s stopped", "the wall" if key == WALL else f"cell {key}")
            self._changed()

    def stop_all(self) -> None:
        for key in list(self.clock.tours):
            self.stop(key)

    def touring(self, key: int) -> bool:
        return key in self.clock.tours

    def badge(self, key: int) -> str:
        tour = self.clock.tours.get(key)
        return "" if tour is None else tour.badge

    def hover(self, cell: int, inside: bool) -> None:
        self.clock.hover(cell, inside)

    def touch(self, cell: int) -> None:
        self.clock.touch(cell)
        self.clock.touch(WALL)  # input anywhere on the wall holds the wall's tour too

    # -- stepping -------------------------------------------------------------------------------
    def tick(self) -> None:
        for key, tour in self.clock.due():
            self._show(key, tour)

    def _show(self, key: int, tour: Tour[int | Layout | CameraPage]) -> None:
        item = tour.current
        self._applying = True
        try:
            if key == WALL and isinstance(item, Layout):
                self.controller.apply_layout(item)
            elif key == WALL and isinstance(item, CameraPage):
                self.controller.clear_all()
                self.controller.fill(item.camera_ids)
            elif isinstance(item, int):
                self.controller.assign(key, item)
        finally:
            self._applying = False
        self.badge_changed.emit(key, tour.badge)

    def _changed(self) -> None:
        if self.clock.tours and not self._timer.isActive():
            self._timer.start()
        elif not self.clock.tours:
            self._timer.stop()
        self.tours_changed.emit()

    def _stop_tile_tours(self) -> None:
        for key in [k for k in self.clock.tours if k != WALL]:
            self.stop(key)

    # -- the wall changed under a tour ----------------------------------------------------------
    def _on_cell_updated(self, cell: int, state: object) -> None:
        """The operator put something else in a touring tile: its tour ends."""
        if self._applying:
            return
        if WALL in self.clock.tours:
            self.stop(WALL)
        tour = self.clock.tours.get(cell)
        kind = getattr(state, "kind", None)
        if tour is not None and (kind is not CellKind.CAMERA
                                 or getattr(state, "camera_id", None) != tour.current):
            self.stop(cell)

    def _on_template_changed(self, grid: object) -> None:
        size = getattr(grid, "size", 0)
        for key in [k for k in self.clock.tours if k != WALL and k >= size]:
            self.stop(key)
