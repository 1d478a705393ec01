"""Evidence-grade clips cut from the recorded segments and hashed (Art. 5, 12.2); signing and
verifying are in ``server.signing``, reading the segments' key frames in ``server.ts_index``.

Extraction is FFmpeg stream copy (no re-encoding, so the pictures are the recorded ones). The cut
starts at the keyframe at or before the requested start so the clip decodes from its first frame;
the clip's true start is kept in the manifest beside the requested one. The keyframes come from
``index_ts`` reading the first segment's TS packets (ffprobe only for a file that is not
MPEG-TS). The recorder's MPEG-TS segments are read as one byte stream (``concatf:`` protocol),
cut in bytes at the keyframe's PAT/PMT and at the first video packet past the end, and remuxed
inside this process through PyAV's libavformat (``_remux_in_process``: no process to start, no
probing); the ``ffmpeg`` command does the same where that does not apply, and anything else
(audio, an unusual file) goes through its concat demuxer with inpoint/outpoint. All give the
same MP4 bytes but the muxer's version tag (tests). Matroska segments (the recorder's, for a
camera with G.711 sound) take the concat demuxer, their sound re-encoded to AAC: MP4 cannot
hold G.711. The MP4 (``+faststart``: moov first) is
written to a ``.part`` file, fsynced while it is hashed, and renamed: nothing half-written ever
carries the final name.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av

from common.files import fsync_dir
from server.models import RecordingSegment
from server.recorder import start_child
from server.ts_index import TsIndex, index_ts, scan_ts

log = logging.getLogger("iocwall.clips")

class ExtractionError(RuntimeError):
    """ffmpeg or ffprobe failed; the message holds no credentials (segments are local files)."""


@dataclass(frozen=True)
class Extracted:
    path: Path
    sha256: str
    size: int
    clip_start: datetime  # the keyframe the clip starts at (≤ the requested start)
    clip_end: datetime


def _probe(ffprobe: str, path: Path) -> tuple[float, list[float]]:
    """(file start time, video keyframe times) of a segment, in the file's timestamps."""
    scanned = scan_ts(path)
    if scanned is not None and scanned[1]:
        return scanned
    out = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries",
         "format=start_time:packet=pts_time,flags", "-of", "json", str(path)],
        capture_output=True, text=True, timeout=60, check=False)
    if out.returncode != 0:
        raise ExtractionError(f"ffprobe failed on {path.name}: {out.stderr.strip()[-300:]}")
    data = json.loads(out.stdout or "{}")
    start = float(data.get("format", {}).get("start_time") or 0.0)
    keyframes = [float(p["pts_time"]) for p in data.get("packets", [])
                 if "K" in p.get("flags", "") and p.get("pts_time") not in (None, "N/A")]
    return start, sorted(keyframes)


def _ffprobe_reference(ffprobe: str, path: Path) -> tuple[float, list[float]]:
    """What ffprobe says of a segment (tests compare ``scan_ts`` with it)."""
    out = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries",
         "format=start_time:packet=pts_time,flags", "-of", "json", str(path)],
        capture_output=True, text=True, timeout=60, check=True)
    data = json.loads(out.stdout or "{}")
    start = float(data.get("format", {}).get("start_time") or 0.0)
    return start, sorted(float(p["pts_time"]) for p in data.get("packets", [])
                         if "K" in p.get("flags", "") and p.get("pts_time") not in (None, "N/A"))


G711 = ("pcm_alaw", "pcm_mulaw")


def _g711_audio(ffprobe: str, path: Path) -> bool:
    """Whether the segment's audio is G.711, which MP4 cannot hold."""
    out = subprocess.run([ffprobe, "-v", "error", "-select_streams", "a", "-show_entries",
                          "stream=codec_name", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, timeout=60, check=False)
    return any(line.strip() in G711 for line in out.stdout.splitlines())


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "'\\''") + "'"


def _byte_cut(segments: list[RecordingSegment], first: TsIndex, last: TsIndex,
              inpoint: float, outpoint: float | None) -> list[str] | None:
    """``concatf`` lines reading the same packets the concat demuxer's inpoint/outpoint keep.

    The recorder's segments are MPEG-TS, which is made to be concatenated: read as one byte
    stream (the concat protocol), ffmpeg's TS timestamp-discontinuity handling lays the segments
    end to end exactly as the concat demuxer does, without opening and probing every file (which
    was most of the time on a clip of many short segments). The cut is in bytes: from the PAT/PMT
    run before the keyframe, to the first video PES whose DTS reaches the outpoint (the demuxer's
    rule). Only for video-only segments whose keyframe has that PAT/PMT run (None otherwise:
    the caller uses the concat demuxer). The output is byte-identical (tests/server/test_clips.py).
    """
    if not (first.video_only and last.video_only):
        return None
    try:
        begin = first.keyframe_offsets[first.keyframes.index(inpoint)]
    except ValueError:
        return None
    if begin is None:
        return None
    stop = 0
    if outpoint is not None:
        stop = next((o for o, dts in last.video_starts if dts >= outpoint - 1e-9), 0)
        if stop == 0 and last.video_starts and last.video_starts[0][1] >= outpoint:
            return None  # nothing of the last segment is kept: leave it to the demuxer
    urls = [f"file:{os.path.abspath(s.path)}" for s in segments]
    if len(segments) == 1:
        if begin or stop:
            urls[0] = f"subfile,,start,{begin},end,{stop},,:{urls[0]}"
        return urls
    if begin:
        urls[0] = f"subfile,,start,{begin},end,0,,:{urls[0]}"
    if stop:
        urls[-1] = f"subfile,,start,0,end,{stop},,:{urls[-1]}"
    return urls


# What the in-process remux asks of libavformat's probe of the cut: the stream parameters are in
# the keyframe's SPS right after the PAT/PMT the cut starts at; a longer probe changes nothing.
_PROBE_OPTIONS = {"probesize": "32", "analyzeduration": "0"}


_AV_TIME_BASE = 1_000_000
_DTS_DELTA_THRESHOLD = 10 * _AV_TIME_BASE  # ffmpeg's -dts_delta_threshold default (10 s)


def _rescale(value: int, from_num: int, from_den: int, to_num: int, to_den: int) -> int:
    """``av_rescale_q`` (round to nearest, halves away from zero) on integers."""
    numerator, denominator = value * from_num * to_den, from_den * to_num
    half = denominator // 2
    if numerator >= 0:
        return (numerator + half) // denominator
    return -((-numerator + half) // denominator)


class _NeedsParser(Exception):
    """The parser-free demux cannot promise the parsed packets here: demux with the parser."""


# the first slice NAL unit after a start code (types 1–5, any nal_ref_idc)
_FIRST_SLICE = re.compile(rb"\x00\x00\x01([\x01-\x05\x21-\x25\x41-\x45\x61-\x65])")


def _is_idr(packet: Any) -> bool:
    """Whether an H.264 access unit (Annex B; any buffer) holds an IDR picture: its first slice
    NAL unit is of type 5 (what the h264 parser calls a key frame on the recorder's streams)."""
    found = _FIRST_SLICE.search(packet)
    return found is not None and found.group(1)[0] & 0x1F == 5


def _remux_in_process(url: str, part: Path, first_keys: frozenset[int] = frozenset(),
                      first_end: int | None = None) -> None:
    """Stream copy of the MPEG-TS at ``url`` into a fast-start MP4 at ``part``, in this process.

    The same libavformat work as ``ffmpeg -i url -map 0 -c copy -movflags +faststart`` (the
    mpegts demuxer, the mp4 muxer), without starting a process or probing seconds of input: the
    TS was indexed already. The command's timestamp rules for a stream copy are repeated here
    exactly, since they decide every sample time in the MP4: all timestamps shifted by the
    input's start time (the clip starts at 0, no edit list), and at each backward jump (the
    recorder restarts timestamps in every segment: ``-reset_timestamps 1``) or jump over 10 s,
    the following packets moved to follow the previous packet end to end (ffmpeg's TS
    discontinuity handling, in AV_TIME_BASE units with its roundings). Video only
    (``_byte_cut`` declines anything else). Tests compare the MP4 with the command's byte for
    byte.

    First without the h264 parser (half of the demux's time): the recorder's TS carries one
    access unit per PES, so the packets are the same; what the parser adds is set here — the
    key flag (an IDR slice), the duration (one frame at the stream's frame rate, rounded down as
    libavformat does) and the start time (the first packet's). Where that could differ, the
    parsed demux is used instead: H.264 only, a known frame rate, no B-frames, no packet shown
    before the first, and on the first segment (``first_keys``: the keyframe PTS its TS marks
    random-access, up to PTS ``first_end``) exactly the same keyframes.

    Measured and not kept: muxing into memory, then moving the moov to the front while writing
    the file once, hashed beside the write. It was slower (memory to fill, then the page cache)
    than letting +faststart shift the file within the page cache (docs/benchmarks.md).
    """
    if first_end is not None:
        try:
            _remux(url, part, parsed=False, first_keys=first_keys, first_end=first_end)
            return
        except _NeedsParser as exc:
            log.info("Clip cut demuxed with the h264 parser: %s", exc)
            part.unlink(missing_ok=True)
    _remux(url, part, parsed=True)


def _remux(url: str, part: Path, *, parsed: bool, first_keys: frozenset[int] = frozenset(),
           first_end: int | None = None) -> None:
    options = dict(_PROBE_OPTIONS)
    if not parsed:
        options["fflags"] = "+noparse+nofillin"
    with av.open(url, format="mpegts", options=options) as source:
        if len(source.streams) != 1 or not source.streams.video:
            raise ExtractionError("not a single video stream")
        video = source.streams.video[0]
        time_base = video.time_base
        if time_base is None:
            raise ExtractionError("no time base in the cut")
        num, den = time_base.numerator, time_base.denominator
        frame_ticks = 0  # the parser's packet duration (parser-free only)
        if parsed:
            if source.start_time is None:
                raise ExtractionError("no start time in the cut")
            start_us: int | None = int(source.start_time)
        else:
            context = video.codec_context
            rate = context.framerate
            if context.name != "h264" or not rate or context.has_b_frames:
                raise _NeedsParser("not H.264 at a known frame rate without B-frames")
            # libavformat: av_rescale_rnd(1, rate.den * tb.den, rate.num * tb.num, ROUND_DOWN)
            frame_ticks = (rate.denominator * den) // (rate.numerator * num)
            if frame_ticks <= 0:
                raise _NeedsParser("frame rate")
            start_us = None

        def to_us(value: int) -> int:
            return _rescale(value, num, den, 1, _AV_TIME_BASE)

        def from_us(value: int) -> int:
            return _rescale(value, 1, _AV_TIME_BASE, num, den)

        offset = -start_us if start_us is not None else 0  # ffmpeg's ts_offset (µs)
        shift = from_us(offset)
        next_dts: int | None = None  # where the next packet is expected (µs)
        last_dts = 0  # ist->dts after the previous packet (µs)
        frame_us = 0
        if video.average_rate:
            frame_us = int(_AV_TIME_BASE * video.average_rate.denominator
                           // video.average_rate.numerator)
        first_pts: int | None = None
        prev_raw_dts: int | None = None
        in_first = not parsed  # still in the first segment (parser-free checks)
        wrap = 1 << 33
        # no flush at every packet (libavformat's default for a seekable output it does not
        # know): 1 MiB writes instead of one per picture
        target = av.open(str(part), "w", format="mp4",
                         options={"flush_packets": "0", "movflags": "+faststart"},
                         buffer_size=1 << 20)
        with target:
            stream = target.add_stream_from_template(video)
            mux = target.mux_one
            for packet in source.demux(video):
                dts = packet.dts
                pts = packet.pts
                if dts is None:
                    if pts is None:
                        continue  # the demuxer's flush packet
                    raise ExtractionError("a packet without a decoding time")
                if not parsed:
                    if pts is None:
                        raise _NeedsParser("a packet without a presentation time")
                    key = _is_idr(packet)
                    if prev_raw_dts is not None and dts < prev_raw_dts:
                        in_first = False  # the next segment, its timestamps restarted
                    prev_raw_dts = dts
                    if first_pts is None:
                        if not key:
                            raise _NeedsParser("the cut does not start on an IDR picture")
                        first_pts = pts
                        offset = -to_us(pts)  # the input's start time, as probing finds it
                        shift = from_us(offset)
                    elif in_first and pts < first_pts:
                        raise _NeedsParser("a picture shown before the first one")
                    if in_first:
                        raw = pts % wrap
                        if first_end is not None and raw > first_end:
                            in_first = False
                        elif key != (raw in first_keys):
                            raise _NeedsParser("keyframes differ from the segment's index")
                    if key:
                        packet.is_keyframe = True
                    packet.duration = frame_ticks
                dts += shift
                if pts is not None:
                    pts += shift
                dts_us = to_us(dts)
                if next_dts is not None:
                    delta = dts_us - next_dts
                    if (delta > _DTS_DELTA_THRESHOLD or delta < -_DTS_DELTA_THRESHOLD
                            or dts_us + _AV_TIME_BASE // 10 < last_dts):
                        offset -= delta
                        shift = from_us(offset)
                        jump = from_us(delta)
                        dts -= jump
                        if pts is not None:
                            pts -= jump
                        dts_us = to_us(dts)
                        in_first = False
                packet.dts = dts
                packet.pts = pts
                last_dts = dts_us
                duration = packet.duration
                next_dts = dts_us + (to_us(duration) if duration else frame_us)
                packet.stream = stream
                mux(packet)


def _fsync_and_hash(path: Path) -> tuple[str, int]:
    """(SHA-256, size) of ``path`` once it is on the disk.

    The writeback that fsync waits for and the hash (of the pages still in the cache, mapped, not
    copied) run side by side: the thread waits on the disk while this one hashes.
    """
    with open(path, "rb") as handle:
        synced: list[BaseException] = []

        def sync() -> None:
            try:
                os.fsync(handle.fileno())
            except OSError as exc:
                synced.append(exc)

        syncer = threading.Thread(target=sync, name="clip-fsync")
        syncer.start()
        try:
            size = os.fstat(handle.fileno()).st_size
            digest = hashlib.sha256()
            if size:
                # mapped with every page at once (MAP_POPULATE): no fault per page while hashing
                flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
                with mmap.mmap(handle.fileno(), 0, flags=flags, prot=mmap.PROT_READ) as mapped:
                    digest.update(mapped)
        finally:
            syncer.join()
        if synced:
            raise synced[0]
    return digest.hexdigest(), size


def extract_clip(segments: list[RecordingSegment], start: datetime, end: datetime,
                 destination: Path, *, ffmpeg: str = "ffmpeg", ffprobe: str = "ffprobe",
                 readrate: float | None = None) -> Extracted:
    """Cut [start, end] out of ``segments`` (ordered, covering it) into ``destination``."""
    if not segments:
        raise ExtractionError("no recorded segment covers the requested range")
    first, last = segments[0], segments[-1]
    first_path, last_path = Path(first.path), Path(last.path)
    first_index = index_ts(first_path)
    if first_index is not None and first_index.keyframes:
        first_origin, keyframes = first_index.origin, sorted(first_index.keyframes)
    else:
        first_index = None
        first_origin, keyframes = _probe(ffprobe, first_path)
    wanted = first_origin + max(0.0, (start - first.start_at).total_seconds())
    before = [k for k in keyframes if k <= wanted + 1e-3]
    inpoint = before[-1] if before else (keyframes[0] if keyframes else first_origin)
    clip_start = first.start_at + timedelta(seconds=inpoint - first_origin)
    last_index = first_index if last is first else index_ts(last_path)
    if last_index is not None:
        last_origin = last_index.origin
    else:
        last_origin = first_origin if last is first else _probe(ffprobe, last_path)[0]
    outpoint = None
    if end < last.end_at:
        outpoint = last_origin + (end - last.start_at).total_seconds()
    urls = None
    codecs = ["-c", "copy"]
    if first_index is not None and last_index is not None:
        urls = _byte_cut(segments, first_index, last_index, inpoint, outpoint)
    if urls is not None:
        lines = urls
        source = ["-f", "mpegts"]
    else:
        lines = ["ffconcat version 1.0"]
        for segment in segments:
            lines.append(f"file {_quote(Path(segment.path))}")
            if segment is not first:
                # The demuxer takes the output's stream parameters from the first file; a
                # probe of every later one (find_stream_info decodes frames) changes no byte.
                lines += ["option probesize 32", "option analyzeduration 0"]
            if segment is first and inpoint > first_origin:
                lines.append(f"inpoint {inpoint:.6f}")
            if segment is last and outpoint is not None:
                lines.append(f"outpoint {outpoint:.6f}")
        source = ["-f", "concat", "-safe", "0"]
        if _g711_audio(ffprobe, first_path):
            # MP4 cannot hold G.711 (the recorder's Matroska segments): the sound is
            # re-encoded, the pictures are still copied as recorded
            codecs = ["-c:v", "copy", "-c:a", "aac"]
    destination.parent.mkdir(parents=True, exist_ok=True)
    part = destination.with_name(destination.name + ".part")
    with tempfile.NamedTemporaryFile("w", suffix=".ffconcat", dir=destination.parent,
                                     delete=False, encoding="utf-8") as listing:
        listing.write("\n".join(lines) + "\n")
    try:
        remuxed = False
        if urls is not None and not readrate and first_index is not None:
            try:
                keys = frozenset(round(k * 90000) % (1 << 33) for k in first_index.keyframes
                                 if k >= inpoint - 1e-9)
                first_end = max((round(d * 90000) % (1 << 33)
                                 for _, d in first_index.video_starts), default=None)
                _remux_in_process(f"concatf:{listing.name}", part, keys, first_end)
                remuxed = True
            except (av.FFmpegError, ExtractionError, ValueError) as exc:
                log.warning("In-process remux failed (%s); falling back to the ffmpeg command",
                            exc)
                part.unlink(missing_ok=True)
        if not remuxed:
            args = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
            if readrate:
                args += ["-readrate", str(readrate)]
            target = f"concatf:{listing.name}" if urls is not None else listing.name
            args += [*source, "-i", target, "-map", "0", *codecs,
                     "-movflags", "+faststart", "-f", "mp4", str(part)]
            process = start_child(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, errors = process.communicate()
            if process.returncode != 0:
                raise ExtractionError(f"ffmpeg exited with code {process.returncode}: "
                                      f"{errors.decode('utf-8', 'replace').strip()[-300:]}")
        digest, size = _fsync_and_hash(part)
        os.replace(part, destination)
        fsync_dir(destination.parent)
    finally:
        Path(listing.name).unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return Extracted(destination, digest, size, clip_start, end)


