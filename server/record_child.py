"""``python -m server.record_child``: one recorder run, a stream remuxed into fixed-length segments.

The recorder (``server.recorder``) starts it with the backend's venv Python and writes one JSON
line to its stdin, then closes it; nothing secret is on its command line or in its environment
(``ps``, ``/proc/<pid>/environ``), where others could read it::

    {"url": "rtsp://gateway/cam/1/main/live?token=...", "pattern": "/rec/1/r2026...-%Y%m%dT%H%M%S",
     "list": "/rec/1/.r2026....csv", "segment_seconds": 10, "timeout_s": 10, "strftime": true,
     "ca_file": "/var/lib/iocwall/tls/ca.crt"}

``ca_file`` (required for ``rtsps://``): the gateway's certificate must be from that CA.

It reads the stream with PyAV (RTSP over TCP) and writes what ``ffmpeg -i url -map 0 -c copy -f
segment -reset_timestamps 1 -strftime 1 -segment_list list.csv`` wrote: segments named by the
strftime ``pattern`` plus a suffix, and a CSV line ``name,start,end`` per closed segment, the
times relative to the run's first packet (timestamps are rebased to 0, as ffmpeg's did). The
container follows the input: MPEG-TS (``.ts``) unless the stream has G.711 audio, which MPEG-TS
does not carry playably (and MP4 not at all): then Matroska (``.mkv``).

The first packet kept is the first video key frame. A packet without a timestamp (FFmpeg's RTSP
demuxer gives none to a session's first) gets one just before the next stamped packet, and DTS
never goes back: a muxer refuses that, and a recording must not end on it.

SIGINT (and SIGTERM) finish the current segment (the trailer written, its list line appended)
and exit 0; the end of the input exits 0 too; a failing input exits 1 with its error on stderr,
any ``token=`` masked. Exit 2: the stdin line is not a usable job.
"""

from __future__ import annotations

import json
import math
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from types import FrameType
from typing import Any

import av
import av.container
import av.stream

from common.stream_tokens import mask_token
from common.tls import ffmpeg_tls_options

G711 = ("pcm_alaw", "pcm_mulaw")
SUFFIXES = {"mpegts": ".ts", "matroska": ".mkv"}
DEFAULT_FRAME_S = 0.04  # a guess at one frame, for an unstamped first packet (25 fps)


class JobError(ValueError):
    """The stdin line is not a job (the message names the field)."""


@dataclass(frozen=True)
class Job:
    url: str
    pattern: str  # strftime pattern of the segment files, without the suffix
    list_path: str
    segment_seconds: float
    timeout_s: float = 10.0
    strftime: bool = True  # False: ``pattern`` numbers its segments (``%03d``) instead
    ca_file: str | None = None  # the site CA an ``rtsps://`` gateway's certificate must be from

    @classmethod
    def from_json(cls, line: str) -> Job:
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise JobError("not JSON") from exc
        if not isinstance(data, dict):
            raise JobError("not a JSON object")
        for name in ("url", "pattern", "list"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise JobError(f"{name}: missing")
        seconds = data.get("segment_seconds")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds <= 0:
            raise JobError("segment_seconds: not a positive number")
        timeout = data.get("timeout_s", 10.0)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise JobError("timeout_s: not a positive number")
        strftime = data.get("strftime", True)
        if not isinstance(strftime, bool):
            raise JobError("strftime: not true or false")
        ca_file = data.get("ca_file")
        if ca_file is not None and not isinstance(ca_file, str):
            raise JobError("ca_file: not a path")
        if data["url"].startswith("rtsps://") and not ca_file:
            raise JobError("ca_file: an rtsps:// input needs the site CA")
        return cls(data["url"], data["pattern"], data["list"], float(seconds), float(timeout),
                   strftime, ca_file)


def container_format(source: av.container.InputContainer) -> str:
    """``matroska`` when an audio stream is G.711, else ``mpegts``."""
    if any(stream.codec_context.name in G711 for stream in source.streams.audio):
        return "matroska"
    return "mpegts"


class Rebase:
    """Timestamps of one run: rebased so the first kept packet is at 0, filled where missing,
    DTS strictly growing per stream (in each stream's own time base)."""

    def __init__(self) -> None:
        self.origin: float | None = None  # seconds: the first kept packet's DTS
        self.last_dts: dict[int, int] = {}
        self.pending: dict[int, list[av.Packet]] = {}

    def stamp(self, packet: av.Packet) -> list[av.Packet]:
        """The packets ready to mux once ``packet`` is seen (held ones first), stamped."""
        index = packet.stream.index
        if packet.dts is None and packet.pts is None:
            if index in self.last_dts:
                packet.dts = packet.pts = self.last_dts[index] + 1
            else:
                self.pending.setdefault(index, []).append(packet)  # stamped by the next one
                return []
        if packet.dts is None:
            packet.dts = packet.pts
        if packet.pts is None:
            packet.pts = packet.dts
        held = self.pending.pop(index, [])
        if held:
            first = packet.dts
            assert first is not None
            time_base = packet.time_base or Fraction(1, 90000)
            step = max(1, round(_frame_seconds(packet.stream) / time_base))
            for n, early in enumerate(held):
                early.dts = early.pts = first - step * (len(held) - n)
        ready = [*held, packet]
        for item in ready:
            self._rebase(item)
        return ready

    def _rebase(self, packet: av.Packet) -> None:
        time_base = packet.time_base or Fraction(1, 90000)
        assert packet.dts is not None and packet.pts is not None
        if self.origin is None:
            self.origin = float(packet.dts * time_base)
        shift = round(self.origin / time_base)
        dts, pts = packet.dts - shift, packet.pts - shift
        last = self.last_dts.get(packet.stream.index)
        if last is not None and dts <= last:
            pts += last + 1 - dts
            dts = last + 1
        packet.dts, packet.pts = dts, max(pts, dts)
        self.last_dts[packet.stream.index] = dts


def _frame_seconds(stream: av.stream.Stream) -> float:
    rate = getattr(stream, "average_rate", None) or getattr(stream, "guessed_rate", None)
    if rate:
        seconds = 1 / float(rate)
        if math.isfinite(seconds) and 0 < seconds < 1:
            return seconds
    return DEFAULT_FRAME_S


def kept_packets(source: av.container.InputContainer, stop: list[bool]) -> Iterator[av.Packet]:
    """The input's packets from its first video key frame on, until ``stop[0]`` or its end."""
    started = False
    for packet in source.demux():
        if stop[0]:
            return
        if packet.size == 0:
            continue  # a demuxer's flush marker, nothing to write
        if not started:
            if packet.stream.type != "video" or not packet.is_keyframe:
                continue
            started = True
        yield packet


def record(job: Job, stop: list[bool]) -> int:
    options = {"rtsp_transport": "tcp"} if job.url.startswith(("rtsp://", "rtsps://")) else {}
    options.update(ffmpeg_tls_options(job.url, job.ca_file))
    try:
        source = av.open(job.url, options=options, timeout=(job.timeout_s, job.timeout_s))
    except av.error.FFmpegError as err:
        print(f"cannot open the input: {mask_token(str(err))}", file=sys.stderr, flush=True)
        return 1
    with source:
        if not source.streams.video:
            print("the input has no video", file=sys.stderr, flush=True)
            return 1
        kind = container_format(source)
        options = {"segment_time": f"{job.segment_seconds:g}", "segment_format": kind,
                   "segment_list": job.list_path, "segment_list_type": "csv",
                   "reset_timestamps": "1", "strftime": "1" if job.strftime else "0"}
        if kind == "matroska":
            # Matroska holds a cluster in memory until it is closed (5 s by default): a crash
            # would lose it all. Short clusters, written out at once, lose at most a second.
            options["segment_format_options"] = "cluster_time_limit=1000:flush_packets=1"
        output: Any = av.open(job.pattern + SUFFIXES[kind], "w", format="segment",
                              options=options)
        code = 0
        with output:
            streams = {}
            for stream in source.streams:
                if stream.type in ("video", "audio"):
                    streams[stream.index] = output.add_stream_from_template(stream)
            rebase = Rebase()
            # Each packet waits for the next of its stream, which gives its duration: a
            # segment's listed end (its last packet's end) is then the next one's start, as
            # with a camera's own even timestamps; arrival times are not evenly spaced.
            held: dict[int, av.Packet] = {}

            def write(packet: av.Packet) -> None:
                index = packet.stream.index
                before = held.pop(index, None)
                if before is not None:
                    assert before.dts is not None and packet.dts is not None
                    before.duration = packet.dts - before.dts
                    before.stream = streams[index]
                    output.mux(before)
                held[index] = packet

            try:
                for packet in kept_packets(source, stop):
                    if packet.stream.index not in streams:
                        continue
                    for ready in rebase.stamp(packet):
                        write(ready)
            except av.error.FFmpegError as err:
                if not stop[0]:
                    print(f"the input failed: {mask_token(str(err))}", file=sys.stderr,
                          flush=True)
                    code = 1
            for index, last in held.items():
                last.stream = streams[index]
                output.mux(last)
        return code


def main() -> int:
    stop = [False]

    def finish(_signum: int, _frame: FrameType | None) -> None:
        stop[0] = True  # the loop ends after this packet; the segment is closed properly

    signal.signal(signal.SIGINT, finish)
    signal.signal(signal.SIGTERM, finish)
    line = sys.stdin.readline()
    try:
        job = Job.from_json(line)
    except JobError as err:
        print(f"record_child: {err}", file=sys.stderr, flush=True)
        return 2
    del line
    return record(job, stop)


if __name__ == "__main__":
    sys.exit(main())
