"""A PyAV viewer that times what an operator sees: the first picture, and when the tile is live.

Shared by ``bench.bench_gateway`` and ``tests/gateway/test_keeper.py``.

- **First picture**: from just before ``av.open`` to the first decoded frame (``av.open`` itself
  probes the stream, so it is inside the time, as it is for a player).
- **Live**: a viewer of the GOP keeper first gets the kept GOP as a burst (frames back to back),
  then the camera's frames at its pace. It is live from the first frame that arrives after a
  pause of at least half a frame interval once the first picture is out: every older frame has
  been handed over, and the frame it holds is the camera's latest one (plus the network's delay).
  A direct viewer (or a relay's) has no burst: it is live at its first picture (or once the
  frames ``av.open`` read while probing are drained). ``first_picture_age_s``: how old the first
  picture was, the burst's frames times the frame interval (the kept key frame's age).

Only the frames up to the first picture are decoded unless ``decode_all`` (then every frame
is, and ``pts`` lists the decoded frames' timestamps), so many viewers can be timed at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import av

FRAME_INTERVAL_S = 0.04  # the lab's cameras run at 25 fps


@dataclass
class Watch:
    """What one viewer saw (times in seconds from the start of ``av.open``)."""

    first_picture: float | None = None
    live_at: float | None = None
    first_picture_age_s: float = 0.0  # the burst's frames × the frame interval
    frames: int = 0  # video packets (frames) received
    arrivals: list[float] = field(default_factory=list)
    pts: list[float] = field(default_factory=list)  # decoded frames' timestamps (decode_all)
    error: str | None = None


def watch(url: str, seconds: float, decode_all: bool = False,
          stop: threading.Event | None = None, pictured: threading.Event | None = None,
          open_timeout: float = 20.0, fps_probe_frames: int | None = None) -> Watch:
    """Open ``url`` (RTSP over TCP), read it for ``seconds`` after the first picture (or until
    ``stop``), and say when the first picture came and when the viewer was live.
    ``fps_probe_frames``: FFmpeg's ``fpsprobesize`` (how many frames with growing timestamps
    ``av.open`` waits for to guess the frame rate, 20 by default; 0 = none, as a player that
    shows the first decoded frame at once)."""
    result = Watch()
    started = time.monotonic()
    options = {"rtsp_transport": "tcp"}
    if fps_probe_frames is not None:
        options["fpsprobesize"] = str(fps_probe_frames)
    try:
        container = av.open(url, options=options,
                            timeout=(open_timeout, open_timeout))
    except av.error.FFmpegError as err:
        result.error = f"open: {err}"
        return result
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        until: float | None = None
        burst_frames = 0
        for packet in container.demux(stream):
            if packet.size == 0:
                break
            now = time.monotonic() - started
            result.frames += 1
            result.arrivals.append(now)
            had_picture = result.first_picture is not None
            if not had_picture or decode_all:
                for frame in packet.decode():
                    if result.first_picture is None:
                        result.first_picture = time.monotonic() - started
                        until = result.first_picture + seconds
                        if pictured is not None:
                            pictured.set()
                    if frame.time is not None:
                        result.pts.append(float(frame.time))
            if had_picture and result.live_at is None:
                assert result.first_picture is not None
                previous = result.arrivals[-2]
                if now - previous >= FRAME_INTERVAL_S / 2:
                    result.live_at = max(previous, result.first_picture)
                    result.first_picture_age_s = burst_frames * FRAME_INTERVAL_S
                else:
                    burst_frames += 1
            if until is not None and time.monotonic() - started >= until:
                break
            if stop is not None and stop.is_set():
                break
    except av.error.FFmpegError as err:
        result.error = f"read: {err}"
    finally:
        container.close()
    return result
