"""libvlc side of a tile: decode the TS byte buffer and render into a native window.

Everything here runs on the GUI thread except the three C callbacks, which libvlc calls on its
input thread. Those callbacks touch only the thread-safe :class:`TsByteBuffer` (never libvlc, never
Qt), and they are module-level singletons so that ctypes can never free a callback a player still
uses. Each media gets a small non-zero integer as its opaque pointer (0 would read as NULL).
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import os
import sys
import threading
import time
from typing import Literal

import vlc

from app.video.tsbuffer import TsByteBuffer

log = logging.getLogger("iocwall.video")

HwDecode = Literal["auto", "none", "any"]

_UNKNOWN_SIZE = 2**64 - 1

# How long libvlc's video output must have known its picture size before the first picture counts
# as shown (measured here: the size comes 0–45 ms before the picture is on screen).
PICTURE_SIZE_GRACE = 0.05

_buffers: dict[int, TsByteBuffer] = {}
_buffers_lock = threading.Lock()
_opaque_ids = itertools.count(1)


def _register(buffer: TsByteBuffer) -> int:
    with _buffers_lock:
        key = next(_opaque_ids)
        _buffers[key] = buffer
    return key


def _unregister(key: int) -> None:
    with _buffers_lock:
        _buffers.pop(key, None)


def _lookup(opaque: int | None) -> TsByteBuffer | None:
    if not opaque:
        return None
    with _buffers_lock:
        return _buffers.get(opaque)


@vlc.CallbackDecorators.MediaOpenCb
def _open_cb(opaque, datap, sizep):  # type: ignore[no-untyped-def]
    # libvlc's input thread. Pass the registry key through as the per-open data pointer.
    if _lookup(opaque) is None:
        return -1
    datap[0] = opaque
    sizep[0] = _UNKNOWN_SIZE
    return 0


@vlc.CallbackDecorators.MediaReadCb
def _read_cb(opaque, buf, length):  # type: ignore[no-untyped-def]
    # libvlc's input thread. Blocks in 0.2 s slices until data or close; 0 = end of stream.
    buffer = _lookup(opaque)
    if buffer is None:
        return 0
    chunk = buffer.read(length)
    if chunk:
        ctypes.memmove(buf, chunk, len(chunk))
    return len(chunk)


@vlc.CallbackDecorators.MediaCloseCb
def _close_cb(opaque):  # type: ignore[no-untyped-def]
    # Nothing to free here: the player owns the buffer's lifetime on the GUI thread.
    return None


def resolve_hw_decode(setting: HwDecode) -> str:
    """The value for ``--avcodec-hw``: "auto" means hardware only where a GPU device exists.

    Without a GPU, libvlc's VA-API/VDPAU probing costs start-up time and logs errors per tile.
    """
    if setting != "auto":
        return setting
    if sys.platform.startswith("linux") and not os.path.exists("/dev/dri"):
        return "none"
    return "any"


def instance_args(hw_decode: HwDecode = "auto", muted: bool = True) -> list[str]:
    """Command-line options for the process-wide ``vlc.Instance``."""
    args = [
        f"--avcodec-hw={resolve_hw_decode(hw_decode)}",
        "--no-video-title-show",
        "--no-osd",
        "--no-snapshot-preview",
        "--no-spu",
        "--no-lua",
        "--no-xlib",
        "--quiet",
    ]
    if muted:
        args.append("--no-audio")
    return args


def attach_window(player: vlc.MediaPlayer, window_id: int) -> None:
    """Render ``player`` into the native window ``window_id`` (the platform's own call)."""
    if sys.platform.startswith("win"):
        player.set_hwnd(window_id)
    elif sys.platform == "darwin":
        player.set_nsobject(window_id)
    else:
        player.set_xwindow(window_id)


class TilePlayer:
    """One libvlc media player bound to one native window. GUI thread only."""

    def __init__(self, instance: vlc.Instance, label: str) -> None:
        self.label = label
        self._instance = instance
        self._player: vlc.MediaPlayer = instance.media_player_new()
        # let the tile (Qt) receive clicks and keys, not libvlc's own window
        self._player.video_set_mouse_input(False)
        self._player.video_set_key_input(False)
        self._media: vlc.Media | None = None
        self._buffer: TsByteBuffer | None = None
        self._opaque: int | None = None
        self._stats = vlc.MediaStats()
        self._size_seen_at: float | None = None

    @property
    def playing(self) -> bool:
        """True between :meth:`play` and :meth:`stop`."""
        return self._media is not None

    def play(self, buffer: TsByteBuffer, window_id: int, muted: bool = True) -> None:
        """Start rendering ``buffer`` into ``window_id`` (stops what played before).

        ``muted``: the media gets no audio output at all (no audio device is opened).
        """
        self.stop()
        self._size_seen_at = None
        self._buffer = buffer
        self._opaque = _register(buffer)
        media = self._instance.media_new_callbacks(
            _open_cb, _read_cb, None, _close_cb, ctypes.c_void_p(self._opaque)
        )
        if media is None:
            raise RuntimeError(f"{self.label}: libvlc could not create a callback media")
        media.add_option(":demux=ts")
        if muted:
            media.add_option(":no-audio")
        self._media = media
        self._player.set_media(media)
        self._attach_window(window_id)
        if self._player.play() != 0:
            raise RuntimeError(f"{self.label}: libvlc refused to play")

    def _attach_window(self, window_id: int) -> None:
        attach_window(self._player, window_id)

    def first_picture_shown(self) -> bool:
        """The first picture is on screen.

        libvlc's picture counter (:meth:`displayed_pictures`) lags the screen by ≈ 0.4 s at start
        (its statistics are refreshed only now and then): measured on a 360p lab stream under
        Xvfb, the picture was on screen ≈ 0.27 s after play, the counter moved at ≈ 0.66 s. The
        video output knowing its picture size for :data:`PICTURE_SIZE_GRACE` is the earlier sign.
        Only for "the tile is live"; frame rates and stalls keep using the real counter.
        """
        if self.displayed_pictures() > 0:
            return True
        if self._media is None:
            return False
        try:
            width, height = self._player.video_get_size(0)
        except vlc.VLCException:
            width = height = 0
        now = time.monotonic()
        if not (width and height):
            self._size_seen_at = None
            return False
        if self._size_seen_at is None:
            self._size_seen_at = now
        return now - self._size_seen_at >= PICTURE_SIZE_GRACE

    def displayed_pictures(self) -> int:
        """Pictures libvlc has shown since play (0 when nothing plays)."""
        if self._media is None or not self._media.get_stats(self._stats):
            return 0
        return int(self._stats.displayed_pictures)

    def has_failed(self) -> bool:
        """True when libvlc gave up on the media (error or end of stream)."""
        if self._media is None:
            return False
        return self._player.get_state() in (vlc.State.Error, vlc.State.Ended)

    def stop(self) -> None:
        """Stop rendering. Closes the buffer first so libvlc's read callback returns at once."""
        if self._buffer is not None:
            self._buffer.close()
        if self._media is not None:
            self._player.stop()
            self._media.release()
            self._media = None
        if self._opaque is not None:
            _unregister(self._opaque)
            self._opaque = None
        self._buffer = None

    def release(self) -> None:
        """Stop and free the libvlc player; the object is unusable afterwards."""
        self.stop()
        self._player.release()
