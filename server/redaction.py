"""Blurring bystanders out of a clip before it is published (Art. 14; Decree 13/2023/NĐ-CP).

A person draws boxes by hand over the faces and number plates that must not be recognised.
A *track* follows one of them across the clip: its keyframes give the box (fractions of the
picture: x, y, width, height) at a time (seconds from the clip's start); between two keyframes
the box moves in a straight line. A track of one keyframe holds its box for the whole clip (a
parked car's plate). Tracks start at their first keyframe and end at their last.

The renderer gives each track one branch of the filter graph, whatever its length: a box of
the track's largest size (plus a margin on every side when it moves) whose centre follows the
track's line frame by frame (``crop`` and ``overlay`` evaluate their position at each frame),
blurred hard (``gblur``) and laid back over the same place only while the track lasts. The
cost is one crop, one blur and one overlay per track and frame: a graph of a branch per moment
grew with the clip's length (and blurred every frame in every branch) until two people walking
across a minute took minutes to render. The result is H.264 without sound (a bystander's voice
is personal data too).
"""

from __future__ import annotations

import math
import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

MARGIN = 0.01  # of the picture, on every side of a moving box
MAX_TRACKS = 16
MAX_KEYFRAMES = 64
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
class Sweep:
    """One track's blur: a ``width`` × ``height`` box whose centre follows ``frames`` (a
    straight line between two keyframes), shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    frames: tuple[Keyframe, ...]
    width: float
    height: float

    def centre(self, t: float) -> tuple[float, float]:
        x, y, width, height = _at(list(self.frames), t)
        return (x + width / 2, y + height / 2)

    def box(self, t: float) -> Box:
        """The blurred box at ``t`` (inside the picture: pushed in at its edges)."""
        cx, cy = self.centre(t)
        return (min(max(cx - self.width / 2, 0.0), 1.0 - self.width),
                min(max(cy - self.height / 2, 0.0), 1.0 - self.height), self.width, self.height)


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


def sweeps(tracks: list[list[Keyframe]], duration_s: float) -> list[Sweep]:
    """The blurred boxes over time that cover every track."""
    found: list[Sweep] = []
    for frames in tracks:
        moving = any(a.box != b.box for a, b in zip(frames, frames[1:], strict=False))
        margin = MARGIN if moving else 0.0
        width = min(1.0, max(f.box[2] for f in frames) + 2 * margin)
        height = min(1.0, max(f.box[3] for f in frames) + 2 * margin)
        start, end = ((0.0, duration_s + 1.0) if len(frames) == 1
                      else (frames[0].t, frames[-1].t))
        found.append(Sweep(start, end, tuple(frames), width, height))
    return found


def _line(frames: Sequence[Keyframe], value: Callable[[Keyframe], float]) -> str:
    """An ffmpeg expression of ``t``: ``value`` of the keyframes, straight between them."""
    expression = f"{value(frames[-1]):.5f}"
    for a, b in reversed(list(zip(frames, frames[1:], strict=False))):
        va, vb = value(a), value(b)
        expression = (f"if(lt(t,{b.t:.3f}),{va:.5f}+({vb - va:.5f})*(t-{a.t:.3f})/"
                      f"{b.t - a.t:.3f},{expression})")
    return expression


def _position(sweep: Sweep) -> tuple[str, str]:
    """The box's left and top as fractions of the picture, at each frame."""
    left = _line(sweep.frames, lambda f: f.box[0] + f.box[2] / 2 - sweep.width / 2)
    top = _line(sweep.frames, lambda f: f.box[1] + f.box[3] / 2 - sweep.height / 2)
    return (f"clip({left},0,{1 - sweep.width:.5f})", f"clip({top},0,{1 - sweep.height:.5f})")


def filter_graph(blurred: list[Sweep]) -> str:
    """The ``-filter_complex`` graph: each track's box cut out, blurred and laid back in place
    (crop and overlay both round the position down to even pixels for 4:2:0: the same place)."""
    if not blurred:
        return "[0:v]setpts=PTS-STARTPTS,format=yuv420p[out]"
    parts = [f"[0:v]setpts=PTS-STARTPTS,format=yuv420p,split={len(blurred) + 1}[base]"
             + "".join(f"[s{i}]" for i in range(len(blurred)))]
    current = "base"
    for i, sweep in enumerate(blurred):
        left, top = _position(sweep)
        during = f"enable='between(t,{sweep.start:.3f},{sweep.end:.3f})'"
        parts.append(f"[s{i}]crop=w=iw*{sweep.width:.5f}:h=ih*{sweep.height:.5f}:"
                     f"x='iw*{left}':y='ih*{top}',gblur=sigma={BLUR_SIGMA}:steps=3:"
                     f"{during}[b{i}]")
        out = "out" if i == len(blurred) - 1 else f"o{i}"
        parts.append(f"[{current}][b{i}]overlay=x='main_w*{left}':y='main_h*{top}':"
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


def render(ffmpeg: str, clip: Path, blurred: list[Sweep], destination: Path) -> None:
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
