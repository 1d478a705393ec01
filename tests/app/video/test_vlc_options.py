"""libvlc gets the tile's decode options, and plays a TS stream from the OS-pipe feed to its end.

Real libvlc under the suite's Xvfb, rendering into a real tile; the MPEG-TS is encoded here with
PyAV's x264 (a moving test pattern, written at 25 fps), so no camera lab is needed. libvlc's own log
(its debug messages, through ``libvlc_log_set``) tells which options its modules took.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time
from collections.abc import Iterator

import av
import numpy as np
import pytest
import vlc
from pytestqt.qtbot import QtBot

from app.video.player import DecodeOptions, TilePlayer, instance_args
from app.video.tsbuffer import TsByteBuffer
from widgets.tile import VideoTile

pytestmark = [pytest.mark.video]

_libc = ctypes.CDLL(ctypes.util.find_library("c"))
_libc.vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]


class _VlcLog:
    """Every message libvlc logs (all levels), formatted, while attached to an instance."""

    def __init__(self, instance: vlc.Instance) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

        @vlc.CallbackDecorators.LogCb
        def on_log(data, level, ctx, fmt, args):  # type: ignore[no-untyped-def]
            text = ctypes.create_string_buffer(1024)
            _libc.vsnprintf(text, len(text), fmt, args)
            with self._lock:
                self.lines.append(text.value.decode("utf-8", "replace"))

        self._callback = on_log  # ctypes must keep it alive while libvlc may call it
        instance.log_set(on_log, None)

    def matching(self, needle: str) -> list[str]:
        with self._lock:
            return [line for line in self.lines if needle in line]


class _Chunks:
    """The file-like object the TS muxer writes into: one chunk of bytes per muxed packet."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)


def _ts_frames(
    seconds: float = 2.0, width: int = 640, height: int = 360, fps: int = 25
) -> list[bytes]:
    """A moving H.264 test pattern in MPEG-TS, one chunk per frame as the ingest's remuxer hands
    them over (flushed per packet), a key frame first and every second."""
    sink = _Chunks()
    container = av.open(sink, mode="w", format="mpegts", options={"flush_packets": "1"})
    stream = container.add_stream("libx264", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.options = {"preset": "ultrafast", "tune": "zerolatency", "g": str(fps)}
    x = np.arange(width, dtype=np.uint16)[None, :]
    y = np.arange(height, dtype=np.uint16)[:, None]
    frames: list[bytes] = []
    for index in range(int(seconds * fps)):
        luma = ((x + y + index * 8) % 256).astype(np.uint8)
        frame = av.VideoFrame.from_ndarray(np.dstack([luma, luma, luma]), format="rgb24")
        for packet in stream.encode(frame):
            container.mux(packet)
        frames.append(b"".join(sink.chunks))
        sink.chunks.clear()
    container.close()
    return [f for f in frames if f]


def _feed_live(qtbot: QtBot, buffer: TsByteBuffer, frames: list[bytes], fps: int = 25) -> None:
    """Write ``frames`` at the camera's pace (the GUI loop keeps running meanwhile)."""
    started = time.monotonic()
    for index, frame in enumerate(frames):
        buffer.write(frame)
        qtbot.wait(max(0, int((started + (index + 1) / fps - time.monotonic()) * 1000)))


@pytest.fixture
def tile(qtbot: QtBot) -> VideoTile:
    widget = VideoTile(0)
    qtbot.addWidget(widget)
    widget.setGeometry(0, 0, 480, 300)  # smaller than the 640×360 clip: libvlc scales
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def instance() -> Iterator[vlc.Instance]:
    made = vlc.Instance(instance_args("none", muted=True, decode=DecodeOptions()))
    assert made is not None
    try:
        yield made
    finally:
        made.log_unset()
        made.release()


def test_instance_args_carry_the_tile_decode_options() -> None:
    args = instance_args("none", decode=DecodeOptions(decoder_threads=1, scaler=0))
    assert "--avcodec-threads=1" in args and "--swscale-mode=0" in args
    # the clip player keeps libvlc's own choices
    assert not any(a.startswith(("--avcodec-threads", "--swscale-mode")) for a in instance_args())


def test_pipe_fed_tile_plays_with_one_decoder_thread_and_the_fast_scaler_then_ends(
    qtbot: QtBot, tile: VideoTile, instance: vlc.Instance
) -> None:
    log = _VlcLog(instance)
    frames = _ts_frames()
    buffer = TsByteBuffer()
    player = TilePlayer(instance, "options test", feed="pipe")
    try:
        player.play(buffer, tile.video_window_id())
        _feed_live(qtbot, buffer, frames)  # libvlc already waits on the pipe, as for a camera
        buffer.finish()
        # end of stream once the pipe is drained: libvlc ends the media by itself
        qtbot.waitUntil(player.has_failed, timeout=10_000)
        # libvlc's counter is refreshed only now and then: most of the 50 pictures, not all
        assert player.displayed_pictures() > len(frames) // 2
    finally:
        started = time.monotonic()
        player.release()
        assert time.monotonic() - started < 2.0

    assert log.matching('using access module "filesystem"'), "libvlc did not read the pipe"
    # the pipe's access would buffer 1000 ms before the first picture; the tile asks for 300 ms
    buffering = log.matching("Stream buffering done")
    assert buffering, "libvlc never finished buffering"
    assert all(int(line.split("(")[1].split(" ms")[0]) < 600 for line in buffering), buffering
    threads = log.matching("thread(s) for decoding")
    assert threads and all("allowing 1 thread(s)" in line for line in threads), threads
    scalers = log.matching("with scaling using")
    assert scalers, "libvlc's output did not scale the picture (tile smaller than the clip?)"
    assert all("Fast bilinear" in line for line in scalers), scalers


def test_pipe_feed_stops_at_once_while_libvlc_waits_for_bytes(
    qtbot: QtBot, tile: VideoTile, instance: vlc.Instance
) -> None:
    buffer = TsByteBuffer()
    player = TilePlayer(instance, "stop test", feed="pipe")
    player.play(buffer, tile.video_window_id())
    _feed_live(qtbot, buffer, _ts_frames(1.0))  # a second of pictures, then nothing more
    qtbot.waitUntil(lambda: player.displayed_pictures() > 0, timeout=10_000)
    qtbot.wait(1000)  # libvlc has shown what it got and waits in its read of the pipe
    assert not player.has_failed()
    started = time.monotonic()
    player.stop()
    assert time.monotonic() - started < 1.0, "stop() waited for libvlc's blocked read"
    assert not buffer.feeds_pipe and buffer.closed
    player.release()


def test_callback_feed_still_plays_and_ends(
    qtbot: QtBot, tile: VideoTile, instance: vlc.Instance
) -> None:
    # the feed for platforms without /dev/fd (Windows): libvlc's memory-input read callback
    frames = _ts_frames()
    buffer = TsByteBuffer()
    player = TilePlayer(instance, "callback test", feed="callback")
    try:
        player.play(buffer, tile.video_window_id())
        _feed_live(qtbot, buffer, frames)
        buffer.finish()
        qtbot.waitUntil(player.has_failed, timeout=10_000)
        assert player.displayed_pictures() > len(frames) // 2
        assert not buffer.feeds_pipe
    finally:
        player.release()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts Linux descriptors")
def test_pipe_feed_leaves_no_descriptor_behind_over_restarts(
    qtbot: QtBot, tile: VideoTile, instance: vlc.Instance
) -> None:
    # a tile restarts its player on every reconnect, switch and replay: each start makes a pipe
    frames = _ts_frames(0.5)
    counts = []
    for _ in range(6):
        player = TilePlayer(instance, "restart test", feed="pipe")
        player.play(TsByteBuffer(), tile.video_window_id())
        buffer = player._buffer
        assert buffer is not None and buffer.feeds_pipe
        _feed_live(qtbot, buffer, frames)
        player.release()
        assert not buffer.feeds_pipe
        counts.append(len(os.listdir("/proc/self/fd")))
    assert counts[-1] <= counts[1], counts  # the first start may open libvlc's own for good
