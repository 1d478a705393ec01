"""Each lab camera's picture, encoded once with ffmpeg and cached.

Live x264 costs 11 % of a core per 360p mount and 60 % per 1080p mount on this class of machine, so
64 cameras could not be encoded live beside the client. Instead every camera gets one short clip
per stream (a moving test pattern, the camera's name and a running timecode burned in, so a frozen
tile is visible), encoded once into ``<data_dir>/lab-cache`` and then served looped by
``lab/rtsp_server.py`` without re-encoding.

The files are raw Annex-B H.264 with an access unit delimiter before every frame (the RTSP child
splits on them), SPS/PPS repeated before every IDR, no B-frames (PTS = DTS, so the child can stamp
frames in order) and a fixed GOP (one second unless the camera asks for more: ``gop_seconds``;
the clip is then lengthened to a whole number of GOPs, so the loop point keeps the rhythm). Cache
entries are keyed by every parameter that
changes the bytes, and written atomically (temporary name, then rename), so parallel labs and
interrupted runs never see half a file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger("iocwall.lab")

FORMAT_VERSION = 5  # bump when the ffmpeg command changes in a way the key does not capture
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
NAME_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
CLOCK_FONT = FONT_DIR / "DejaVuSansMono-Bold.ttf"
SUB_SIZE = (640, 360)


class ClipError(RuntimeError):
    """ffmpeg could not produce a camera's clips (missing binary, font or encoder)."""


@dataclass(frozen=True)
class ClipSpec:
    """Everything that decides the bytes of one camera's clips."""

    index: int
    name: str
    main_width: int
    main_height: int
    seconds: int = 20
    fps: int = 25
    main_kbps: int = 3000
    sub_kbps: int = 1000
    gop_seconds: int = 1

    def key(self) -> str:
        fields = asdict(self)
        if self.gop_seconds == 1:
            del fields["gop_seconds"]  # today's clips keep their cached files
        payload = json.dumps({"v": FORMAT_VERSION, **fields}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class CameraClips:
    """The cached files of one camera."""

    main: Path
    sub: Path
    snapshot: Path


def paths_for(cache_dir: Path, spec: ClipSpec) -> CameraClips:
    stem = f"cam{spec.index + 1:02d}-{spec.key()}"
    return CameraClips(
        main=cache_dir / f"{stem}-main.h264",
        sub=cache_dir / f"{stem}-sub.h264",
        snapshot=cache_dir / f"{stem}-snapshot.jpg",
    )


def _source(spec: ClipSpec) -> str:
    """A moving pattern that differs per camera and is cheap to generate."""
    w, h, fps, i = spec.main_width, spec.main_height, spec.fps, spec.index
    if i % 2 == 1:
        # Cellular automaton scrolling upwards: texture everywhere, different rule per camera.
        rule = (30, 90, 110, 150, 182, 105)[i // 2 % 6]
        return (
            f"cellauto=s={w // 4}x{h // 4}:r={fps}:rule={rule}:scroll=1:seed={i + 1},"
            f"scale={w}x{h}:flags=neighbor,format=yuv420p"
        )
    return f"testsrc2=s={w}x{h}:r={fps},format=yuv420p"


def _filter_graph(spec: ClipSpec, name_file: Path) -> str:
    def esc(p: Path) -> str:
        return str(p).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")

    box = "box=1:boxcolor=black@0.6:boxborderw=8"
    name = (
        f"drawtext=fontfile='{esc(NAME_FONT)}':textfile='{esc(name_file)}':"
        f"x=24:y=24:fontsize=h/16:fontcolor=white:{box}"
    )
    # The timecode runs from 00:00:00.000 to the clip's length, then loops with the clip.
    clock = (
        f"drawtext=fontfile='{esc(CLOCK_FONT)}':text='%{{pts\\:hms}}':"
        f"x=24:y=24+h/11:fontsize=h/16:fontcolor=yellow:{box}"
    )
    sw, sh = SUB_SIZE
    return (
        f"{_source(spec)},trim=duration={spec.seconds},{name},{clock},split=3[main][s][j];"
        f"[s]scale={sw}:{sh}[sub];[j]select='eq(n\\,{spec.fps})',scale={sw}:{sh}[snap]"
    )


def clip_seconds_for(seconds: int, gop_seconds: int) -> int:
    """The clip's length: at least ``seconds``, a whole number of GOPs (the loop starts a GOP)."""
    return -(-max(seconds, gop_seconds) // gop_seconds) * gop_seconds


def _x264(kbps: int, fps: int, gop_seconds: int = 1) -> list[str]:
    gop = str(fps * gop_seconds)
    return [
        "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "main", "-bf", "0",
        "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
        "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k", "-bufsize", f"{kbps}k",
        "-x264-params", "aud=1:repeat-headers=1", "-threads", "1", "-f", "h264",
    ]  # fmt: skip


def encode_camera(cache_dir: Path, spec: ClipSpec) -> CameraClips:
    """Return the camera's cached clips, encoding them first if they are missing."""
    out = paths_for(cache_dir, spec)
    if out.main.exists() and out.sub.exists() and out.snapshot.exists():
        return out
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ClipError("ffmpeg is not installed (Debian package ffmpeg)")
    if not NAME_FONT.exists():
        raise ClipError(f"font {NAME_FONT} missing (Debian package fonts-dejavu-core)")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".enc-", dir=cache_dir) as tmp_name:
        tmp = Path(tmp_name)
        name_file = tmp / "name.txt"
        name_file.write_text(spec.name, encoding="utf-8")
        main, sub, snap = tmp / "main.h264", tmp / "sub.h264", tmp / "snapshot.jpg"
        cmd = [
            ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-filter_threads", "1", "-filter_complex", _filter_graph(spec, name_file),
            "-map", "[main]", *_x264(spec.main_kbps, spec.fps, spec.gop_seconds), str(main),
            "-map", "[sub]", *_x264(spec.sub_kbps, spec.fps, spec.gop_seconds), str(sub),
            "-map", "[snap]", "-frames:v", "1", "-q:v", "4", str(snap),
        ]  # fmt: skip
        log.info("%s: encoding %ss clips (%dx%d + %dx%d, GOP %d s)", spec.name, spec.seconds,
                 spec.main_width, spec.main_height, *SUB_SIZE, spec.gop_seconds)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not main.exists() or main.stat().st_size == 0:
            raise ClipError(f"ffmpeg failed for {spec.name}: {proc.stderr.strip()[-800:]}")
        # Snapshot and sub first, main last: encode_camera's existence check sees main last.
        os.replace(snap, out.snapshot)
        os.replace(sub, out.sub)
        os.replace(main, out.main)
    return out


def encode_all(
    cache_dir: Path, specs: Sequence[ClipSpec], workers: int | None = None
) -> list[CameraClips]:
    """Encode the missing clips in parallel: one single-threaded ffmpeg per core. The first
    start of a lab takes a minute on a loaded 2-core machine, so each finished camera is
    reported (:func:`report_progress`)."""
    jobs = workers or max(1, os.cpu_count() or 1)
    missing = [s for s in specs if not paths_for(cache_dir, s).main.exists()]
    if missing:
        log.info("encoding clips for %d of %d cameras with %d ffmpeg processes "
                 "(cached for later starts)", len(missing), len(specs), jobs)
    done = len(specs) - len(missing)
    report_progress("clips", done, len(specs))
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="lab-encode") as pool:
        futures = {pool.submit(encode_camera, cache_dir, s): s.index for s in specs}
        results: dict[int, CameraClips] = {}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if futures[future] in {s.index for s in missing}:
                done += 1
                report_progress("clips", done, len(specs))
    return [results[s.index] for s in specs]


progress_log = logging.getLogger("iocwall.lab.progress")


def report_progress(stage: str, done: int, total: int) -> None:
    """One line ``progress STAGE DONE/TOTAL`` in the lab's log: the demo launcher reads it
    to show how far the lab's start is (docs/contracts.md)."""
    progress_log.info("progress %s %d/%d", stage, done, total)


PANORAMA_SIZE = (2560, 1440)


PANORAMA_SOURCES = ("testsrc2", "mandelbrot", "smptehdbars", "rgbtestsrc")


def make_panorama(cache_dir: Path, variant: int = 0) -> Path:
    """The scene a PTZ camera looks at: one large still (a test pattern under a labelled grid, so
    every crop differs), made once with ffmpeg and cached. Each camera gets its own ``variant``:
    two PTZ cameras on one wall must not show the same picture."""
    w, h = PANORAMA_SIZE
    source = PANORAMA_SOURCES[variant % len(PANORAMA_SOURCES)]
    hue = (variant // len(PANORAMA_SOURCES)) * 47 % 360
    out = cache_dir / f"panorama-{w}x{h}-{source}-h{hue}-v2.jpg"
    if out.exists():
        return out
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp.jpg")
    labels = ",".join(
        f"drawtext=fontfile={NAME_FONT}:text='{col}{row}':fontsize=48:fontcolor=white:"
        f"box=1:boxcolor=black@0.6:x={col_i * w // 8 + 20}:y={row - 1} * {h // 6} + 20"
        for col_i, col in enumerate("ABCDEFGH") for row in range(1, 7)
    )
    vf = f"hue=h={hue},drawgrid=w={w // 8}:h={h // 6}:t=4:c=white@0.8,{labels}"
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
           f"{source}=size={w}x{h}:rate=1", "-frames:v", "1", "-vf", vf, "-q:v", "3", str(tmp)]
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        tmp.unlink(missing_ok=True)
        raise ClipError(f"ffmpeg could not make the PTZ panorama: {err}") from err
    os.replace(tmp, out)
    return out
