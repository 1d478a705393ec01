"""Keep the old picture on screen while a new video window is raised (X11 only).

libvlc's X11 output (VLC 3, xcb) renders into a child window of the tile's surface, placed on the
letterboxed picture rectangle and created with a black background pixel. When the tile raises a
surface for a make-before-break switch, the X server clears that window to black at once and
libvlc paints it only with its next picture (up to a frame later): a grab in between shows black,
which a switch must never do (measured here: one black grab in about two switches). With the
background set to None, the server leaves the exposed area as it was (the old stream's last
picture) until libvlc draws.

It is never set back to black: a window raised again later (back from replay) was then cleared
to black until libvlc's next picture, a flash the replay test caught. The letterbox margins around
libvlc's window belong to the tile's surface, which Qt fills black (``widgets.tile.VideoSurface``;
X clips that fill by libvlc's window, so it never covers the picture).

Plain libX11 through ctypes on a private display connection; errors (a window that vanished)
are ignored by a no-op Xlib error handler. Anywhere but an X11 session this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
import threading
from typing import Any

log = logging.getLogger("iocwall.video")

_lock = threading.Lock()
_state: dict[str, Any] = {}

_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


@_ErrorHandler
def _ignore_errors(display, event):  # type: ignore[no-untyped-def]
    return 0


def _display() -> tuple[Any, Any] | None:
    with _lock:
        if "lib" in _state:
            return _state["lib"], _state["display"]
        _state["lib"] = None
        _state["display"] = None
        if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY"):
            return None
        if os.environ.get("QT_QPA_PLATFORM", "xcb") not in ("xcb", ""):
            return None
        name = ctypes.util.find_library("X11")
        if name is None:
            return None
        lib = ctypes.CDLL(name)
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XSetErrorHandler.argtypes = [_ErrorHandler]
        lib.XQueryTree.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
            ctypes.POINTER(ctypes.c_uint),
        ]
        lib.XSetWindowBackgroundPixmap.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
        ]
        lib.XFree.argtypes = [ctypes.c_void_p]
        lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        display = lib.XOpenDisplay(None)
        if not display:
            log.debug("x11: cannot open the display; switches may flash black")
            return None
        lib.XSetErrorHandler(_ignore_errors)
        _state["lib"], _state["display"] = lib, display
        return lib, display


def keep_contents_on_expose(window_id: int) -> None:
    """Background None for ``window_id`` and its descendants (libvlc's video window), so that
    raising it keeps the old picture until libvlc draws (see the module docstring)."""
    opened = _display()
    if opened is None or not window_id:
        return
    lib, display = opened
    with _lock:
        for window in _tree(lib, display, window_id):
            lib.XSetWindowBackgroundPixmap(display, window, 0)
        lib.XSync(display, 0)


def _tree(lib: Any, display: Any, window_id: int, limit: int = 64) -> list[int]:
    """``window_id`` and its descendants (at most ``limit``); the caller holds the lock."""
    found: list[int] = []
    pending = [window_id]
    while pending and len(found) < limit:
        window = pending.pop()
        found.append(window)
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        if lib.XQueryTree(
            display, window, ctypes.byref(root), ctypes.byref(parent),
            ctypes.byref(children), ctypes.byref(count),
        ):
            pending.extend(children[i] for i in range(count.value))
            if children:
                lib.XFree(children)
    return found
