"""Where the key frames of a recorded MPEG-TS segment are, read from its TS packets (PAT, PMT,
PES headers with the random-access flag) without starting a process: the clip cut starts at a
key frame and ends at the first video packet past the end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_TS_PACKET = 188
_PTS_WRAP = 1 << 33
_VIDEO_STREAM_TYPES = {0x01, 0x02, 0x10, 0x1B, 0x24, 0x42, 0xD1, 0xEA}


def _pes_times(payload: bytes) -> tuple[int, int] | None:
    """(PTS, DTS) in 90 kHz of a PES packet starting in ``payload`` (DTS = PTS when absent)."""
    if len(payload) < 14 or payload[:3] != b"\x00\x00\x01" or not payload[7] & 0x80:
        return None

    def stamp(p: bytes) -> int:
        return (((p[0] >> 1) & 0x07) << 30) | (p[1] << 22) | ((p[2] >> 1) << 15) | (p[3] << 7) \
            | (p[4] >> 1)

    pts = stamp(payload[9:14])
    if payload[7] & 0x40 and len(payload) >= 19:
        return pts, stamp(payload[14:19])
    return pts, pts


@dataclass(frozen=True)
class TsIndex:
    """What one pass over a segment's TS packets tells (times in the file's seconds)."""

    origin: float  # smallest first PTS of the elementary streams (ffprobe's format start_time)
    keyframes: list[float]  # video key packets' PTS, in file order
    # byte offset to start reading at for each keyframe: the PAT/PMT run right before it (the
    # mpegts muxer repeats them before every keyframe), None when there is no such run
    keyframe_offsets: list[int | None]
    video_starts: list[tuple[int, float]]  # (byte offset, DTS) of every video PES start
    video_only: bool  # no other elementary stream carries PES data


def index_ts(path: Path) -> TsIndex | None:
    """Index an MPEG-TS segment from its 188-byte packets, without demuxing or decoding.

    The recorder's ffmpeg (mpegts muxer) marks every video key packet with the adaptation
    field's random_access_indicator on the TS packet that starts its PES, so one pass finds the
    keyframes: what ``ffprobe -show_entries packet=pts_time,flags`` reports as ``K``, in a
    fraction of its time (tests compare both on real recordings). None when the file is not
    MPEG-TS or holds no video stream (the caller falls back to ffprobe and the concat demuxer).
    """
    data = path.read_bytes()
    if len(data) < _TS_PACKET or data[0] != 0x47:
        return None
    pmt_pids: set[int] = set()
    video_pid: int | None = None
    elementary: set[int] = set()
    first_pts: dict[int, int] = {}
    with_data: set[int] = set()
    keyframes: list[int] = []
    offsets: list[int | None] = []
    starts: list[tuple[int, int]] = []
    psi_run: int | None = None  # offset of the PAT opening the current run of PSI packets
    psi_has_pmt = False
    for offset in range(0, len(data) - _TS_PACKET + 1, _TS_PACKET):
        if data[offset] != 0x47:
            return None
        head1 = data[offset + 1]
        pid = ((head1 & 0x1F) << 8) | data[offset + 2]
        control = (data[offset + 3] >> 4) & 0x03
        start = offset + 4
        random_access = False
        if control & 0x02:
            length = data[offset + 4]
            if length and data[offset + 5] & 0x40:
                random_access = True
            start = offset + 5 + length
        if pid in elementary:
            with_data.add(pid)
        elif pid == 0:
            if psi_run is None:
                psi_run, psi_has_pmt = offset, False
        elif pid in pmt_pids:
            psi_has_pmt = psi_has_pmt or psi_run is not None
        elif pid != 0x1FFF and pid != 0x11:  # null packets and the SDT keep a PSI run going
            psi_run = None
        if not control & 0x01 or not head1 & 0x40:
            if pid in elementary:
                psi_run = None
            continue
        payload = data[start:offset + _TS_PACKET]
        if pid == 0 and not pmt_pids and len(payload) > 1:
            section = payload[1 + payload[0]:]
            if len(section) >= 8:
                end = min(len(section), 3 + (((section[1] & 0x0F) << 8) | section[2])) - 4
                for at in range(8, end - 3, 4):
                    if (section[at] << 8) | section[at + 1]:  # program 0 is the NIT
                        pmt_pids.add(((section[at + 2] & 0x1F) << 8) | section[at + 3])
        elif pid in pmt_pids and not elementary and len(payload) > 1:
            section = payload[1 + payload[0]:]
            if len(section) < 12:
                continue
            end = min(len(section), 3 + (((section[1] & 0x0F) << 8) | section[2])) - 4
            at = 12 + (((section[10] & 0x0F) << 8) | section[11])
            while at + 5 <= end:
                stream_type = section[at]
                stream_pid = ((section[at + 1] & 0x1F) << 8) | section[at + 2]
                elementary.add(stream_pid)
                if video_pid is None and stream_type in _VIDEO_STREAM_TYPES:
                    video_pid = stream_pid
                at += 5 + (((section[at + 3] & 0x0F) << 8) | section[at + 4])
        elif pid in elementary:
            times = _pes_times(payload)
            if times is not None:
                first_pts.setdefault(pid, times[0])
                if pid == video_pid:
                    starts.append((offset, times[1]))
                    if random_access:
                        keyframes.append(times[0])
                        offsets.append(psi_run if psi_run is not None and psi_has_pmt
                                       else None)
            psi_run = None
    if video_pid is None or not first_pts:
        return None
    origin = min(first_pts.values())

    def seconds(stamp: int) -> float:
        if stamp < origin - _PTS_WRAP // 2:  # wrapped past 2^33 inside the segment
            stamp += _PTS_WRAP
        return stamp / 90000.0

    return TsIndex(seconds(origin), [seconds(k) for k in keyframes], offsets,
                   [(o, seconds(d)) for o, d in starts], with_data <= {video_pid})


def scan_ts(path: Path) -> tuple[float, list[float]] | None:
    """(file start time, sorted video keyframe times) of an MPEG-TS segment (``index_ts``)."""
    index = index_ts(path)
    return None if index is None else (index.origin, sorted(index.keyframes))


