"""Where each wall window goes: the saved windows and the screens there are now in, placements out.

Pure logic (no Qt): the widgets turn ``QScreen``s into :class:`ScreenInfo` and apply the
:class:`Placement`s. A saved window goes back to the screen of the same name (connector names such
as "DP-1" are stable across restarts); when that screen is gone, to the screen its saved geometry
overlaps most; else to the primary screen. A window that changes screen keeps its position and size
relative to the screen, shrunk to fit.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    def overlap(self, other: Rect) -> int:
        """The area both cover (0 when apart)."""
        w = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        h = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return max(0, w) * max(0, h)

    def to_list(self) -> list[int]:
        return [self.x, self.y, self.width, self.height]

    @classmethod
    def from_list(cls, raw: Any) -> Rect | None:
        if not isinstance(raw, list | tuple) or len(raw) != 4 \
                or not all(isinstance(v, int) for v in raw):
            return None
        return cls(*raw)


@dataclass(frozen=True)
class ScreenInfo:
    name: str
    geometry: Rect
    primary: bool = False


@dataclass(frozen=True)
class WallWindowState:
    """A wall window as saved in the settings (and as it is now)."""

    key: str                       # the controller's key_prefix ("screen-1", ...): unique
    screen: str = ""               # the screen's name
    geometry: Rect | None = None   # window geometry in desktop coordinates (when windowed)
    full_screen: bool = True       # frameless full screen on its screen
    layout_id: int | None = None   # the saved layout it shows (None: an unsaved arrangement)
    layout_name: str = ""
    template: str = ""             # what it showed, for a layout not (yet) in the library
    cells: tuple[int | None, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "screen": self.screen,
            "geometry": None if self.geometry is None else self.geometry.to_list(),
            "full_screen": self.full_screen, "layout_id": self.layout_id,
            "layout_name": self.layout_name, "template": self.template,
            "cells": list(self.cells),
        }

    @classmethod
    def from_dict(cls, raw: Any) -> WallWindowState | None:
        """None for an entry that is not a window (a hand-edited or damaged file)."""
        if not isinstance(raw, dict) or not isinstance(raw.get("key"), str) or not raw["key"]:
            return None
        layout_id = raw.get("layout_id")
        cells = raw.get("cells") or []
        return cls(
            key=raw["key"],
            screen=str(raw.get("screen") or ""),
            geometry=Rect.from_list(raw.get("geometry")),
            full_screen=bool(raw.get("full_screen", True)),
            layout_id=layout_id if isinstance(layout_id, int) else None,
            layout_name=str(raw.get("layout_name") or ""),
            template=str(raw.get("template") or ""),
            cells=tuple(c if isinstance(c, int) else None for c in cells
                        if isinstance(cells, list)),
        )


class Match(enum.Enum):
    NAME = "name"
    OVERLAP = "overlap"
    PRIMARY = "primary"


@dataclass(frozen=True)
class Placement:
    window: WallWindowState
    screen: ScreenInfo
    geometry: Rect   # where the window goes (the whole screen when full screen)
    match: Match


def primary(screens: Sequence[ScreenInfo]) -> ScreenInfo:
    if not screens:
        raise ValueError("no screen to place a window on")
    return next((s for s in screens if s.primary), screens[0])


def choose_screen(window: WallWindowState,
                  screens: Sequence[ScreenInfo]) -> tuple[ScreenInfo, Match]:
    """The window's screen: by name, else the most overlapped by its geometry, else primary."""
    named = next((s for s in screens if window.screen and s.name == window.screen), None)
    if named is not None:
        return named, Match.NAME
    if window.geometry is not None:
        overlaps = [(window.geometry.overlap(s.geometry), -i, s) for i, s in enumerate(screens)]
        best = max(overlaps, default=None, key=lambda o: (o[0], o[1]))
        if best is not None and best[0] > 0:
            return best[2], Match.OVERLAP
    return primary(screens), Match.PRIMARY


def fit(geometry: Rect | None, old_screen: Rect | None, screen: Rect) -> Rect:
    """``geometry`` carried onto ``screen``: same offset from the screen's corner as it had on
    ``old_screen`` (when known), shrunk to fit; no geometry → the whole screen."""
    if geometry is None:
        return screen
    width, height = min(geometry.width, screen.width), min(geometry.height, screen.height)
    if old_screen is not None:
        dx, dy = geometry.x - old_screen.x, geometry.y - old_screen.y
    elif screen.overlap(geometry) == geometry.width * geometry.height:
        return geometry  # already wholly on it
    else:
        dx, dy = 0, 0
    x = screen.x + max(0, min(dx, screen.width - width))
    y = screen.y + max(0, min(dy, screen.height - height))
    return Rect(x, y, width, height)


def place(windows: Sequence[WallWindowState], screens: Sequence[ScreenInfo],
          old_screens: Sequence[ScreenInfo] = ()) -> list[Placement]:
    """Placements for ``windows`` on ``screens`` (in the same order). ``old_screens``: the
    screens the saved geometries refer to, when known (a screen just removed), so that a window
    keeps its place relative to its screen."""
    placements = []
    known = {s.name: s.geometry for s in old_screens}
    for window in windows:
        screen, match = choose_screen(window, screens)
        if window.full_screen:
            geometry = screen.geometry
        elif match is Match.NAME:
            geometry = fit(window.geometry, screen.geometry, screen.geometry)
        else:
            geometry = fit(window.geometry, known.get(window.screen), screen.geometry)
        placements.append(Placement(window, screen, geometry, match))
    return placements
