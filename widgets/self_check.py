"""``iocwall --self-check``: does this workstation's client start, and can it show a camera?

For the installer and the technician at an offline command-room workstation: the checks load what
the client loads — Qt on X11 (xcb), the translations and theme, the Vietnamese fonts, then the
libraries ``app.self_check`` checks (libvlc, PyAV, ONVIF) — and, when a stream URL is given, play it
into a real :class:`~widgets.tile.VideoTile` through the video service, as the wall does, until the
tile is LIVE and its picture on screen is not black. One line per check on standard output,
``self-check: ok`` at the end (exit 0), or ``self-check: FAILED: <what> — <why>`` (exit 1).

The URL is read by the caller from standard input, never from the command line, since it may carry
a camera's password; it is only ever printed masked.

The library checks and the video service are handed in: this module may not import libvlc, FFmpeg
or ONVIF (import-linter), and the wall gets its video service the same way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QTranslator, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from app.i18n import TRANSLATIONS_DIR
from app.ports import VideoPort
from app.video.status import StreamState, TileStatus
from common.urls import mask_url
from widgets.theme import THEME_PATH
from widgets.tile import VideoTile

STREAM_TIMEOUT_S = 45.0
TILE_KEY = "self-check"
# A picture counts as "not black" when this share of its pixels is brighter than BRIGHT_LEVEL
# (0–255 grey): a black surface with a stray bright pixel or two does not pass.
BRIGHT_LEVEL = 40
BRIGHT_SHARE = 0.02
_DARK = bytes(range(BRIGHT_LEVEL + 1))


class LibraryCheck(Protocol):
    """``app.self_check.LibraryCheck``: ``run()`` describes what it found or raises."""

    @property
    def name(self) -> str: ...

    @property
    def run(self) -> Callable[[], str]: ...


class SelfCheckVideo(VideoPort, Protocol):
    """``app.video.VideoService``, which the check also shuts down."""

    def shutdown(self) -> None: ...


class CheckFailed(Exception):
    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what} — {why}")
        self.what = what
        self.why = why


def run_self_check(stream_url: str | None, library_checks: Sequence[LibraryCheck],
                   video_factory: Callable[[], SelfCheckVideo], *,
                   timeout_s: float = STREAM_TIMEOUT_S, out: TextIO | None = None) -> int:
    """Run every check in order, stop at the first failure; 0 when all passed, else 1."""
    report = _Report(out or sys.stdout)
    try:
        app = _start_qt()
        report.ok("qt", f"Qt {qVersion()}, PySide6 {pyside_version}, {app.platformName()} on "
                        f"{os.environ.get('DISPLAY', '?')}")
        report.ok("resources", _check_resources())
        for check in library_checks:
            try:
                detail = check.run()
            except Exception as exc:  # noqa: BLE001 (whatever breaks a library is the answer)
                raise CheckFailed(check.name, str(exc) or type(exc).__name__) from exc
            report.ok(check.name, detail)
        if stream_url:
            report.ok("stream", _play_into_tile(stream_url, video_factory, timeout_s, report))
        else:
            report.line("stream skipped (no URL on standard input)")
    except CheckFailed as failed:
        report.line(f"FAILED: {failed.what} — {failed.why}")
        return 1
    report.line("ok")
    return 0


class _Report:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def line(self, text: str) -> None:
        print(f"self-check: {text}", file=self.out, flush=True)

    def ok(self, what: str, detail: str) -> None:
        self.line(f"{what} ok ({detail})")


# -- Qt ----------------------------------------------------------------------------------------

def _start_qt() -> QApplication:
    """A QApplication on xcb, after checking what would otherwise end the process inside Qt
    (no display, an X server that does not answer, an xcb plugin whose libraries are missing:
    Qt aborts on those with a message on stderr, and the installer would see only a crash)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    display = os.environ.get("DISPLAY")
    if not display:
        raise CheckFailed("qt", "DISPLAY is not set (run it in the desktop session or under Xvfb)")
    _check_x_server(display)
    _check_xcb_plugin()
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # the tiles are X11 windows libvlc renders into
    app = QApplication([sys.argv[0] if sys.argv else "iocwall", "-platform", "xcb"])
    app.setApplicationName("iocwall")
    return app


def _check_x_server(display: str) -> None:
    name = ctypes.util.find_library("xcb")
    if name is None:
        raise CheckFailed("qt", "libxcb is not installed (package libxcb1)")
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        if xcb.xcb_connection_has_error(connection):
            raise CheckFailed("qt", f"cannot connect to the X display {display}")
    finally:
        xcb.xcb_disconnect(connection)


def _check_xcb_plugin() -> None:
    """Load Qt's xcb platform plugin by hand: a missing system library is named by the loader."""
    candidates = [Path(d) / "platforms" / "libqxcb.so" for d in QCoreApplication.libraryPaths()]
    plugin = next((p for p in candidates if p.is_file()), None)
    if plugin is None:
        searched = ", ".join(str(p.parent) for p in candidates) or "no plugin directory"
        raise CheckFailed("qt", f"the xcb platform plugin libqxcb.so is not in {searched}")
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        raise CheckFailed("qt", f"the xcb platform plugin does not load: {exc}") from exc


def _check_resources() -> str:
    catalogue = TRANSLATIONS_DIR / "iocwall_vi.qm"
    if not QTranslator().load(str(catalogue)):
        raise CheckFailed("resources", f"the Vietnamese catalogue {catalogue} does not load")
    if not THEME_PATH.is_file():
        raise CheckFailed("resources", f"the theme {THEME_PATH} is missing")
    fonts = QFontDatabase.families(QFontDatabase.WritingSystem.Vietnamese)
    if not fonts:
        raise CheckFailed("resources", "no font with Vietnamese letters (package fonts-noto-core)")
    return f"{catalogue.name}, {THEME_PATH.name}, {len(fonts)} Vietnamese font families"


# -- the stream --------------------------------------------------------------------------------

def _play_into_tile(url: str, video_factory: Callable[[], SelfCheckVideo], timeout_s: float,
                    report: _Report) -> str:
    shown = mask_url(url)
    window = QWidget()
    window.setWindowTitle("iocwall self-check")
    tile = VideoTile(0, window)
    QVBoxLayout(window).addWidget(tile)
    window.setGeometry(0, 0, 480, 320)
    window.show()
    _wait_exposed(window)
    try:
        video = video_factory()
    except Exception as exc:  # noqa: BLE001 (the service's constructor loads libvlc)
        window.close()
        raise CheckFailed("stream", f"the video service does not start: {exc}") from exc
    watch = _StreamWatch(video, tile, shown, timeout_s, report)
    try:
        return watch.run(url)
    finally:
        video.stop(TILE_KEY)
        video.shutdown()
        window.close()
        window.deleteLater()


def _wait_exposed(window: QWidget, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    handle = window.windowHandle()
    while handle is None or not handle.isExposed():
        if time.monotonic() > deadline:
            raise CheckFailed("stream", "the check's window was never shown on the display")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        handle = window.windowHandle()


class _StreamWatch:
    """Plays the URL and waits — on the service's status signal and a one-second tick — until
    the tile is LIVE with a picture that is not black, the stream fails, or time runs out."""

    def __init__(self, video: SelfCheckVideo, tile: VideoTile, shown_url: str, timeout_s: float,
                 report: _Report) -> None:
        self.video = video
        self.tile = tile
        self.shown_url = shown_url
        self.timeout_s = timeout_s
        self.report = report
        self.loop = QEventLoop()
        self.started = 0.0
        self.live_after: float | None = None
        self.result: str | None = None
        self.failure: CheckFailed | None = None

    def run(self, url: str) -> str:
        self.video.tile_status_changed.connect(self._on_status)
        tick = QTimer()
        tick.setInterval(1000)
        tick.timeout.connect(self._on_tick)
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(self._on_timeout)
        self.tile.set_camera(0, "self-check")
        self.started = time.monotonic()
        self.video.play(TILE_KEY, url, self.tile.video_window_id(), "self-check")
        tick.start()
        deadline.start(int(self.timeout_s * 1000))
        if self.result is None and self.failure is None:
            self.loop.exec()
        tick.stop()
        deadline.stop()
        self.video.tile_status_changed.disconnect(self._on_status)
        if self.failure is not None:
            raise self.failure
        assert self.result is not None
        return self.result

    def _elapsed(self) -> float:
        return time.monotonic() - self.started

    def _on_status(self, key: str, status: Any) -> None:
        if key != TILE_KEY or not isinstance(status, TileStatus):
            return
        self.tile.set_status(status)
        if status.state is StreamState.OFFLINE:
            self._finish(failure=CheckFailed(
                "stream", f"{self.shown_url} is offline ({status.reason or 'no reason given'})"))
        elif status.state is StreamState.LIVE:
            if self.live_after is None:
                self.live_after = self._elapsed()
            self._look_at_picture(status)

    def _on_tick(self) -> None:
        status = self.video.status(TILE_KEY)
        state = status.state.value if isinstance(status, TileStatus) else "unknown"
        if isinstance(status, TileStatus) and status.state is StreamState.LIVE:
            self._look_at_picture(status)
            if self.result is not None:
                return
            state = "live, picture still black"
        self.report.line(f"stream: {state} ({self._elapsed():.0f} s)")

    def _on_timeout(self) -> None:
        status = self.video.status(TILE_KEY)
        state = status.state.value if isinstance(status, TileStatus) else "unknown"
        if self.live_after is not None:
            why = f"live after {self.live_after:.1f} s but the tile's picture stayed black"
        else:
            why = f"not live after {self.timeout_s:.0f} s (state: {state})"
        self._finish(failure=CheckFailed("stream", f"{self.shown_url}: {why}"))

    def _look_at_picture(self, status: TileStatus) -> None:
        share = bright_share(self._grab())
        if share >= BRIGHT_SHARE:
            size = f"{status.width}×{status.height}" if status.width else "size unknown"
            self._finish(result=f"{self.shown_url}: live after {self.live_after or 0:.1f} s, "
                                f"{size}, {share:.0%} of the tile's picture lit")

    def _grab(self) -> QImage:
        """The tile's video surface as the X server shows it (libvlc's pixels), without the
        state badge in its top-left corner."""
        surface = self.tile.surface()
        badge = self.tile.overlay()
        top = badge.geometry().bottom() + 1 if badge.isVisible() else 0
        origin = surface.mapToGlobal(surface.rect().topLeft())
        screen = QGuiApplication.primaryScreen()
        pixmap = screen.grabWindow(0, origin.x(), origin.y() + top, surface.width(),
                                   max(1, surface.height() - top))
        return pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)

    def _finish(self, *, result: str | None = None, failure: CheckFailed | None = None) -> None:
        if self.result is not None or self.failure is not None:
            return
        self.result, self.failure = result, failure
        self.loop.quit()


def bright_share(image: QImage) -> float:
    """The share of a greyscale image's pixels brighter than :data:`BRIGHT_LEVEL`."""
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    if width == 0 or height == 0:
        return 0.0
    raw = bytes(image.constBits())
    rows = (raw[y * stride: y * stride + width] for y in range(height))
    bright = sum(len(row.translate(None, _DARK)) for row in rows)  # what is left is bright
    return bright / (width * height)
