"""libvlc side of a tile: decode the TS byte buffer and render into a native window.

How the bytes reach libvlc (``Feed``):

- ``"pipe"`` (POSIX default): the buffer pushes them into an OS pipe and the media reads its other
  end, ``stream:///dev/fd/N``, in C on libvlc's own threads. The ``stream`` access marks the input
  live (no pace control: libvlc's clock follows the camera's, as with the memory input), and
  libvlc's read is interruptible, so ``stop()`` never waits on it. Its file access would buffer
  1000 ms (``file-caching``): the media asks for the memory input's 300 ms. At 16 × 360p the pipe
  cut the client's CPU by ≈ 4–5 points of a core against the read callback, which re-entered
  Python (GIL, condition variable) for every read (docs/benchmarks.md).
- ``"callback"``: libvlc's memory input calls three C callbacks on its input thread. Those touch
  only the thread-safe :class:`TsByteBuffer` (never libvlc, never Qt), and they are module-level
  singletons so that ctypes can never free a callback a player still uses. Each media gets a small
  non-zero integer as its opaque pointer (0 would read as NULL).

Everything else here runs on the GUI thread.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Literal

import vlc

from app.video.tsbuffer import TsByteBuffer

log = logging.getLogger("iocwall.video")

HwDecode = Literal["auto", "none", "any"]
Feed = Literal["pipe", "callback"]

# libvlc's buffering before the first picture of a pipe-fed media (its "file" access would wait
# 1000 ms): the memory input's fixed 300 ms, which the first-frame measurements were taken with.
PIPE_CACHING_MS = 300
MAX_CACHING_MS = 2000


BIG_PICTURE_PIXELS = 1920 * 1088  # above 1080p one decoder thread cannot keep up


def decoder_threads_for(width: int, height: int) -> int | None:
    """A tile's decoder threads for pictures of this size: above 1080p FFmpeg's own choice
    (0: one per core), since one thread fell behind a 5 fps 4K camera (no new picture for
    seconds, then a burst); None keeps the instance's (one per tile, see DecodeOptions)."""
    return 0 if width * height > BIG_PICTURE_PIXELS else None


def caching_for(frame_interval: float | None) -> int:
    """libvlc's input caching (ms) for a stream with ``frame_interval`` seconds between frames.

    A fixed 300 ms was measured too short for a 5 fps 1440p/4K camera: libvlc dropped every
    picture that came late and the tile froze; 700 ms (3.5 frame intervals) played it. Fast
    streams keep the 300 ms that makes a tile nearly live.
    """
    if frame_interval is None:
        return PIPE_CACHING_MS
    return int(min(MAX_CACHING_MS, max(PIPE_CACHING_MS, 3500 * frame_interval)))

DEFAULT_FEED: Feed = "pipe" if os.name == "posix" and os.path.isdir("/dev/fd") else "callback"

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


@dataclass(frozen=True)
class DecodeOptions:
    """How libvlc decodes and draws a tile (process-wide ``vlc.Instance`` options).

    Measured at 16 × 360p on 2 cores without a GPU (docs/benchmarks.md):

    - ``decoder_threads`` 1: FFmpeg's frame threads (libvlc picks cores + 1 = 3 here) cost thread
      hand-offs on every frame of a small stream and hold back one frame per extra thread; one
      thread per tile cut the first picture from 1.7 to 1.05 s and ≈ 5 MB per tile. 0 = libvlc's
      choice (big pictures on a machine with cores to spare).
    - ``scaler`` 0 (swscale "fast bilinear"): libvlc's X11 output converts and scales every picture
      to the tile in software; the default (2, bicubic) was the largest single cost of the client.
      Other values: 1 bilinear, 2 bicubic, 4 nearest, 5 area, 9 lanczos.
    """

    decoder_threads: int = 1
    scaler: int = 0


def instance_args(
    hw_decode: HwDecode = "auto", muted: bool = True, decode: DecodeOptions | None = None
) -> list[str]:
    """Command-line options for the process-wide ``vlc.Instance``.

    Without ``decode``, libvlc's own decoding and scaling defaults (the clip player).
    """
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
    if decode is not None:
        args += [f"--avcodec-threads={decode.decoder_threads}", f"--swscale-mode={decode.scaler}"]
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

    def __init__(self, instance: vlc.Instance, label: str, feed: Feed = DEFAULT_FEED) -> None:
        self.label = label
        self.feed = feed
        self._instance = instance
        self._player: vlc.MediaPlayer = instance.media_player_new()
        # let the tile (Qt) receive clicks and keys, not libvlc's own window
        self._player.video_set_mouse_input(False)
        self._player.video_set_key_input(False)
        self._media: vlc.Media | None = None
        self._buffer: TsByteBuffer | None = None
        self._opaque: int | None = None
        self._pipe: int | None = None  # the pipe's read end, while libvlc may read it
        self._stats = vlc.MediaStats()
        self._size_seen_at: float | None = None
        self.caching_ms = PIPE_CACHING_MS
        self.decoder_threads: int | None = None

    @property
    def playing(self) -> bool:
        """True between :meth:`play` and :meth:`stop`."""
        return self._media is not None

    def play(self, buffer: TsByteBuffer, window_id: int, muted: bool = True,
             caching_ms: int = PIPE_CACHING_MS, decoder_threads: int | None = None) -> None:
        """Start rendering ``buffer`` into ``window_id`` (stops what played before).

        ``muted``: the media gets no audio output at all (no audio device is opened).
        ``caching_ms``: how far behind the stream libvlc plays (see :func:`caching_for`).
        ``decoder_threads``: this media's FFmpeg decoder threads (None: the instance's; see
        :func:`decoder_threads_for`).
        """
        self.stop()
        self._size_seen_at = None
        self._buffer = buffer
        self.caching_ms = caching_ms
        self.decoder_threads = decoder_threads
        if self.feed == "pipe":
            self._pipe = buffer.open_pipe()
            media = self._instance.media_new_location(f"stream:///dev/fd/{self._pipe}")
            if media is not None:
                media.add_option(f":file-caching={caching_ms}")
        else:
            self._opaque = _register(buffer)
            media = self._instance.media_new_callbacks(
                _open_cb, _read_cb, None, _close_cb, ctypes.c_void_p(self._opaque)
            )
        if media is None:
            self.stop()
            raise RuntimeError(f"{self.label}: libvlc could not create a media")
        media.add_option(":demux=ts")
        if decoder_threads is not None:
            media.add_option(f":avcodec-threads={decoder_threads}")
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
        """Pictures libvlc has displayed since play (0 when nothing plays). It counts the
        redisplays of a picture too (a 5 fps stream showed 2–3× its rate): for "a new picture
        reached the screen" use :meth:`new_pictures`."""
        if self._media is None or not self._media.get_stats(self._stats):
            return 0
        return int(self._stats.displayed_pictures)

    def new_pictures(self) -> int:
        """New pictures since play that libvlc decoded and did not drop as late: each is a
        different picture on screen, never a redisplay of the last one."""
        if self._media is None or not self._media.get_stats(self._stats):
            return 0
        return max(0, int(self._stats.decoded_video) - int(self._stats.lost_pictures))

    def decoded_audio(self) -> int:
        """Audio blocks libvlc decoded since play (0 when muted: no audio is received)."""
        if self._media is None or not self._media.get_stats(self._stats):
            return 0
        return int(self._stats.decoded_audio)

    def has_failed(self) -> bool:
        """True when libvlc gave up on the media (error or end of stream)."""
        if self._media is None:
            return False
        return self._player.get_state() in (vlc.State.Error, vlc.State.Ended)

    def stop(self) -> None:
        """Stop rendering. Closes the buffer first so libvlc's read returns at once."""
        if self._buffer is not None:
            self._buffer.close()
        if self._media is not None:
            self._player.stop()
            self._media.release()
            self._media = None
        if self._opaque is not None:
            _unregister(self._opaque)
            self._opaque = None
        if self._pipe is not None:
            # libvlc opened its own descriptor of the pipe (and closed it at stop)
            os.close(self._pipe)
            self._pipe = None
        self._buffer = None

    def release(self) -> None:
        """Stop and free the libvlc player; the object is unusable afterwards."""
        self.stop()
        self._player.release()
