"""Blurring bystanders out of a clip before it is published (Art. 14; Decree 13/2023/NĐ-CP).

A person draws boxes by hand over the faces and number plates that must not be recognised.
A *track* follows one of them across the clip: its keyframes give the box (fractions of the
picture: x, y, width, height) at a time (seconds from the clip's start); between two keyframes
the box moves in a straight line. A track of one keyframe holds its box for the whole clip (a
parked car's plate). Tracks start at their first keyframe and end at their last.

The renderer never follows the line exactly: each ``STEP_S`` of a track is covered by one box
that contains the interpolated box at both ends of the step (their union, plus a margin), so a
box that moves is blurred a little wider, never a little beside. Each step is a crop of the
picture, blurred hard (``gblur``), laid back over the same place only while its step lasts.
The result is H.264 without sound (a bystander's voice is personal data too).
"""

from __future__ import annotations

import math
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

STEP_S = 0.5
MARGIN = 0.01  # of the picture, on every side of a moving box
MAX_TRACKS = 16
MAX_KEYFRAMES = 64
MAX_STEPS = 600  # filter branches in one graph: beyond that ffmpeg's graph gets slow to build
BLUR_SIGMA = 40
TIMEOUT_S = 600

Box = tuple[float, float, float, float]


class RedactionInvalid(ValueError):
    """The tracks do not describe boxes inside the picture and the clip (message names the
    field as ``tracks: …``)."""


@dataclass(frozen=True)
class Keyframe:
    t: float
    box: Box


@dataclass(frozen=True)
class Step:
    """One blurred box, shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    box: Box


def parse_tracks(raw: Sequence[Sequence[dict[str, object]]], duration_s: float
                 ) -> list[list[Keyframe]]:
    """Tracks as the API receives them (``[[{"t": 0, "box": [x, y, w, h]}, …], …]``), checked:
    boxes inside the picture and not empty, times inside the clip and increasing."""
    if len(raw) > MAX_TRACKS:
        raise RedactionInvalid(f"tracks: at most {MAX_TRACKS} tracks")
    tracks: list[list[Keyframe]] = []
    for number, track in enumerate(raw, start=1):
        if not track:
            raise RedactionInvalid(f"tracks: track {number} has no box")
        if len(track) > MAX_KEYFRAMES:
            raise RedactionInvalid(f"tracks: track {number} has more than {MAX_KEYFRAMES} "
                                   "keyframes")
        frames: list[Keyframe] = []
        for item in track:
            t, box = item.get("t"), item.get("box")
            if not isinstance(t, int | float) or isinstance(t, bool) or not math.isfinite(t):
                raise RedactionInvalid(f"tracks: track {number} has a keyframe without a time")
            if not 0 <= t <= duration_s + 0.001:
                raise RedactionInvalid(f"tracks: track {number} has a keyframe at {t} s, "
                                       f"outside the clip (0 to {duration_s:.1f} s)")
            if frames and t <= frames[-1].t:
                raise RedactionInvalid(f"tracks: track {number}'s keyframes are not in order "
                                       "of time")
            frames.append(Keyframe(float(t), _box(box, number)))
        tracks.append(frames)
    return tracks


def _box(value: object, number: int) -> Box:
    if (not isinstance(value, list | tuple) or len(value) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool)
                       and math.isfinite(v) for v in value)):
        raise RedactionInvalid(f"tracks: track {number} has a box that is not [x, y, width, "
                               "height]")
    x, y, width, height = (float(v) for v in value)
    if width < 0.005 or height < 0.005:
        raise RedactionInvalid(f"tracks: track {number} has an empty box")
    if x < 0 or y < 0 or x + width > 1.0001 or y + height > 1.0001:
        raise RedactionInvalid(f"tracks: track {number} has a box outside the picture")
    return (x, y, width, height)


def _at(frames: list[Keyframe], t: float) -> Box:
    for a, b in zip(frames, frames[1:], strict=False):
        if a.t <= t <= b.t:
            share = (t - a.t) / (b.t - a.t)
            return tuple(p + (q - p) * share for p, q in zip(a.box, b.box, strict=True))  # type: ignore[return-value]
    return frames[-1].box if t >= frames[-1].t else frames[0].box


def _union(a: Box, b: Box, margin: float) -> Box:
    left = max(0.0, min(a[0], b[0]) - margin)
    top = max(0.0, min(a[1], b[1]) - margin)
    right = min(1.0, max(a[0] + a[2], b[0] + b[2]) + margin)
    bottom = min(1.0, max(a[1] + a[3], b[1] + b[3]) + margin)
    return (left, top, right - left, bottom - top)


def steps(tracks: list[list[Keyframe]], duration_s: float) -> list[Step]:
    """The blurred boxes over time that cover every track."""
    found: list[Step] = []
    for frames in tracks:
        if len(frames) == 1:
            found.append(Step(0.0, duration_s + 1.0, frames[0].box))
            continue
        start, end = frames[0].t, frames[-1].t
        count = max(1, math.ceil((end - start) / STEP_S))
        for index in range(count):
            a = start + index * (end - start) / count
            b = start + (index + 1) * (end - start) / count
            moving = _at(frames, a) != _at(frames, b)
            found.append(Step(a, b, _union(_at(frames, a), _at(frames, b),
                                           MARGIN if moving else 0.0)))
    if len(found) > MAX_STEPS:
        raise RedactionInvalid(f"tracks: too many moving boxes for one clip (more than "
                               f"{MAX_STEPS} half-second steps)")
    return found


def filter_graph(blurred: list[Step]) -> str:
    """The ``-filter_complex`` graph: each step's crop blurred and laid back in place."""
    if not blurred:
        return "[0:v]setpts=PTS-STARTPTS,format=yuv420p[out]"
    parts = [f"[0:v]setpts=PTS-STARTPTS,format=yuv420p,split={len(blurred) + 1}[base]"
             + "".join(f"[s{i}]" for i in range(len(blurred)))]
    current = "base"
    for i, step in enumerate(blurred):
        x, y, width, height = step.box
        # the blur is the cost: each branch blurs only inside its own half second (a crop
        # outside it is a pointer move, an overlay outside it a pass-through) — blurring every
        # frame on every branch made two tracks over a minute take minutes
        during = f"enable='between(t,{step.start:.3f},{step.end:.3f})'"
        parts.append(f"[s{i}]crop=w=iw*{width:.5f}:h=ih*{height:.5f}:x=iw*{x:.5f}:"
                     f"y=ih*{y:.5f},gblur=sigma={BLUR_SIGMA}:steps=3:{during}[b{i}]")
        out = "out" if i == len(blurred) - 1 else f"o{i}"
        parts.append(f"[{current}][b{i}]overlay=x=main_w*{x:.5f}:y=main_h*{y:.5f}:"
                     f"{during}[{out}]")
        current = out
    return ";".join(parts)


def clip_duration(ffprobe: str, clip: Path) -> float:
    out = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of",
         "default=noprint_wrappers=1:nokey=1", str(clip)],
        capture_output=True, text=True, timeout=60, check=False)
    try:
        return float(out.stdout.strip())
    except ValueError as exc:
        raise RuntimeError("the clip's length could not be read") from exc


def render(ffmpeg: str, clip: Path, blurred: list[Step], destination: Path) -> None:
    """Write the redacted clip to ``destination`` whole or not at all."""
    part = destination.with_name(f".{destination.name}.part")
    # the graph goes in a file: with hundreds of steps it outgrows one command-line argument
    graph = destination.with_name(f".{destination.name}.graph")
    graph.write_text(filter_graph(blurred), encoding="ascii")
    command = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(clip),
               "-filter_complex_script", str(graph), "-map", "[out]", "-an",
               "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
               "-movflags", "+faststart", "-f", "mp4", str(part)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                                check=False)
        if result.returncode != 0:
            raise RuntimeError(f"ffmpeg failed: {result.stderr.strip()[-300:]}")
        with open(part, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(part, destination)
    finally:
        part.unlink(missing_ok=True)
        graph.unlink(missing_ok=True)


def frame_jpeg(ffmpeg: str, clip: Path, at_s: float) -> bytes:
    """One picture of the clip near ``at_s`` seconds, as JPEG (to draw the boxes on)."""
    out = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-ss", f"{at_s:.3f}", "-i",
         str(clip), "-frames:v", "1", "-an", "-c:v", "mjpeg", "-q:v", "4", "-f", "image2", "-"],
        capture_output=True, timeout=30, check=False)
    if out.returncode != 0 or not out.stdout.startswith(b"\xff\xd8"):
        raise RuntimeError("no picture at that time in the clip")
    return out.stdout
