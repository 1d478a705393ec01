"""What blurring a published clip costs the backend, beside re-encoding it without a blur.

    .venv/bin/python -m bench.bench_redaction [--seconds 60] [--size 1920x1080] [--rounds 3]

A publication's clip is always re-encoded (the evidence clip is never served; sound is removed),
so the baseline is :func:`server.redaction.render` with no box: the decode, ``setpts``, the
libx264 ``veryfast`` encode and the faststart MP4 that every publication pays. Measured in the
same run, on the same clip, one after the other, ``--rounds`` times each (medians):
- **one fixed box**: a plate or a face that does not move (one blurred crop the whole clip);
- **two moving tracks**: two people walking across the whole clip (:func:`server.redaction.sweeps`:
  one crop + blur + overlay branch per track, its position evaluated at each frame);
- **the most a clip may carry**: :data:`MAX_TRACKS` tracks of :data:`MAX_KEYFRAMES` keyframes
  each, all moving the whole clip.
Each row: wall time, CPU (the ffmpeg child's user + sys), both as a ratio to the baseline, and
how many times faster than real time the clip was made. The source is a synthetic clip
(``testsrc2`` with film grain, H.264 at the camera's size and 25 fps) made once per run; the
report starts and ends with the machine's load (the Redactor runs one publication at a time).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from server.redaction import MAX_KEYFRAMES, MAX_TRACKS, Keyframe, Sweep, render, sweeps


@dataclass(frozen=True)
class Case:
    name: str
    blurred: list[Sweep]

    @property
    def keyframes(self) -> int:
        return sum(len(s.frames) for s in self.blurred)


@dataclass(frozen=True)
class Result:
    name: str
    tracks: int
    keyframes: int
    wall_s: float
    cpu_s: float


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def make_clip(ffmpeg: str, destination: Path, seconds: float, size: str) -> Path:
    """A camera-like H.264 clip: moving test pattern with grain (so the encoder has detail to
    spend bits on, as on a street), 25 fps, a key frame every 2 s, AAC sound to be removed."""
    subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "veryfast", "-g", "50",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-f", "mp4", str(destination)],
        check=True, timeout=600)
    return destination


def cases(seconds: float) -> list[Case]:
    walking = [
        [Keyframe(0.0, (0.05, 0.40, 0.10, 0.30)), Keyframe(seconds, (0.80, 0.45, 0.10, 0.30))],
        [Keyframe(0.0, (0.70, 0.10, 0.08, 0.25)), Keyframe(seconds, (0.10, 0.60, 0.08, 0.25))],
    ]
    # the most one publication may carry: every track zigzagging through all its keyframes
    crowd = [[Keyframe(seconds * k / (MAX_KEYFRAMES - 1),
                       (0.05 + 0.8 * (k % 2), 0.05 * i, 0.08, 0.05))
              for k in range(MAX_KEYFRAMES)] for i in range(MAX_TRACKS)]
    return [
        Case("baseline: re-encode, no box", []),
        Case("one fixed box", sweeps([[Keyframe(0.0, (0.40, 0.70, 0.15, 0.08))]], seconds)),
        Case("two moving tracks", sweeps(walking, seconds)),
        Case("the most allowed", sweeps(crowd, seconds)),
    ]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(ffmpeg: str, clip: Path, case: Case, out_dir: Path,
            run: Callable[[str, Path, list[Sweep], Path], None] = render) -> Result:
    destination = out_dir / f"{abs(hash(case.name))}.mp4"
    cpu_before, started = _children_cpu(), time.perf_counter()
    run(ffmpeg, clip, case.blurred, destination)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    if not destination.exists() or destination.stat().st_size == 0:
        raise RuntimeError(f"{case.name}: no clip written")
    destination.unlink()
    return Result(case.name, len(case.blurred), case.keyframes, wall, cpu)


def run_bench(ffmpeg: str, seconds: float, size: str, rounds: int, work: Path
              ) -> list[Result]:
    """Each case ``rounds`` times, the cases interleaved (the machine's drift falls on all);
    the median of each."""
    clip = make_clip(ffmpeg, work / "source.mp4", seconds, size)
    every = cases(seconds)
    seen: dict[str, list[Result]] = {c.name: [] for c in every}
    for _ in range(rounds):
        for case in every:
            seen[case.name].append(measure(ffmpeg, clip, case, work))
    return [Result(name, results[0].tracks, results[0].keyframes,
                   statistics.median(r.wall_s for r in results),
                   statistics.median(r.cpu_s for r in results))
            for name, results in seen.items()]


def table(results: list[Result], seconds: float) -> str:
    base = results[0]
    lines = ["| case | tracks | keyframes | wall s | × baseline | CPU s | × baseline | "
             "× real time |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(f"| {r.name} | {r.tracks} | {r.keyframes} | {r.wall_s:.2f} | "
                     f"{r.wall_s / base.wall_s:.2f} | "
                     f"{r.cpu_s:.2f} | {r.cpu_s / base.cpu_s:.2f} | {seconds / r.wall_s:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="the clip's length")
    parser.add_argument("--size", default="1920x1080", help="the camera's picture size")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ffmpeg", default="ffmpeg")
    args = parser.parse_args(argv)
    print(f"start: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-redaction-") as work:
        results = run_bench(args.ffmpeg, args.seconds, args.size, args.rounds, Path(work))
    print(f"end: {load()}\n")
    print(f"{args.seconds:.0f} s clip at {args.size}, 25 fps; medians of {args.rounds} rounds\n")
    print(table(results, args.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
