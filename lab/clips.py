"""Each lab camera's picture, encoded once with ffmpeg and cached.

Live x264 costs 11 % of a core per 360p mount and 60 % per 1080p mount on this class of machine, so
64 cameras could not be encoded live beside the client. Instead every camera gets one short clip
per stream (a moving test pattern, the camera's name and a running timecode burned in, so a frozen
tile is visible), encoded once into ``<data_dir>/lab-cache`` and then served looped by
``lab/rtsp_server.py`` without re-encoding.

The files are raw Annex-B H.264 (or H.265) with an access unit delimiter before every frame (the
RTSP child splits on them), parameter sets repeated before every IDR and a fixed, closed GOP (one
second unless the camera asks for more: ``gop_seconds``; the clip is then lengthened to a whole
number of GOPs, so the loop point keeps the rhythm). Cache entries are keyed by every parameter
that changes the bytes, and written atomically (temporary name, then rename), so parallel labs and
interrupted runs never see half a file.

The default (profile ``baseline``) is x264 ultrafast without B-frames: PTS = DTS, the child stamps
frames in order. Real cameras send main/high profile with B-frames and deblocking, so profiles
``main`` and ``high`` (x264 veryfast) and H.265 (always Main, x265 ultrafast, which keeps
deblocking) are encoded with two B-frames; their frames arrive in decode order with PTS ≠ DTS,
and ffmpeg's ``framecrc`` of the same packets (written beside the clip through the ``tee``
muxer, ``*.pts``) gives the child each frame's PTS and DTS, so it never parses slice headers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
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
    codec: str = "h264"  # "h264" or "h265"
    profile: str = "baseline"  # "baseline" (no B-frames), "main" or "high" (two B-frames)

    def key(self) -> str:
        fields = asdict(self)
        # Fields at their first default are left out, so today's clips keep their cached files.
        for name, default in (("gop_seconds", 1), ("codec", "h264"), ("profile", "baseline")):
            if fields[name] == default:
                del fields[name]
        payload = json.dumps({"v": FORMAT_VERSION, **fields}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


    @property
    def has_b_frames(self) -> bool:
        return self.profile != "baseline"


@dataclass(frozen=True)
class CameraClips:
    """The cached files of one camera. ``main_pts``/``sub_pts``: the ``framecrc`` timestamps of
    a clip with B-frames (None without: PTS = DTS)."""

    main: Path
    sub: Path
    snapshot: Path
    main_pts: Path | None = None
    sub_pts: Path | None = None

    def files(self) -> list[Path]:
        return [p for p in (self.snapshot, self.sub_pts, self.sub, self.main_pts, self.main) if p]


def paths_for(cache_dir: Path, spec: ClipSpec) -> CameraClips:
    stem = f"cam{spec.index + 1:02d}-{spec.key()}"
    ext = spec.codec
    return CameraClips(
        main=cache_dir / f"{stem}-main.{ext}",
        sub=cache_dir / f"{stem}-sub.{ext}",
        snapshot=cache_dir / f"{stem}-snapshot.jpg",
        main_pts=cache_dir / f"{stem}-main.pts" if spec.has_b_frames else None,
        sub_pts=cache_dir / f"{stem}-sub.pts" if spec.has_b_frames else None,
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


B_FRAMES = 2  # I P B B P…: what camera encoders with B-frames send (a fixed pattern, b-adapt off)


def _encoder(spec: ClipSpec, kbps: int, out: Path, pts: Path | None) -> list[str]:
    """The output options of one stream: today's baseline x264, or a camera-like encoding."""
    if not spec.has_b_frames:
        return [*_x264(kbps, spec.fps, spec.gop_seconds), str(out)]
    gop = spec.fps * spec.gop_seconds
    rate = ["-b:v", f"{kbps}k", "-maxrate", f"{kbps}k", "-bufsize", f"{kbps}k"]
    if spec.codec == "h265":
        params = (f"keyint={gop}:min-keyint={gop}:scenecut=0:open-gop=0:repeat-headers=1:aud=1:"
                  f"bframes={B_FRAMES}:b-adapt=0:pools=1:frame-threads=1:log-level=error")
        # x265's ultrafast keeps deblocking (unlike x264's) and takes half superfast's time: a 4 s
        # 4K clip in ≈ 5 s on one core instead of 10
        codec = ["-c:v", "libx265", "-preset", "ultrafast", *rate, "-x265-params", params]
        muxer = "hevc"
    else:
        # veryfast keeps CABAC, deblocking and 8x8 transforms (high) that ultrafast drops.
        codec = ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", spec.profile,
                 "-bf", str(B_FRAMES), "-g", str(gop), "-keyint_min", str(gop),
                 "-sc_threshold", "0", *rate, "-x264-params",
                 "aud=1:repeat-headers=1:b-adapt=0:open-gop=0", "-threads", "1"]
        muxer = "h264"
    assert pts is not None
    # tee: the same packets go to the raw file and to framecrc (their PTS and DTS, decode order).
    return [*codec, "-f", "tee", f"[f={muxer}]{_tee_path(out)}|[f=framecrc]{_tee_path(pts)}"]


def _tee_path(path: Path) -> str:
    return str(path).replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[")


def read_pts(path: Path) -> list[tuple[int, int]]:
    """(DTS, PTS) of every frame in decode order, in frames, from a ``framecrc`` file."""
    frames = []
    for line in path.read_text(encoding="ascii").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        frames.append((int(fields[1]), int(fields[2])))
    return frames


def main_kbps_for(width: int, height: int) -> int:
    """3000 kbit/s up to 1080p (today's clips); more for 1440p and 4K, as such cameras send."""
    pixels = width * height / (1920 * 1080)
    return 3000 if pixels <= 1 else int(3000 * pixels**0.5)


def encode_camera(cache_dir: Path, spec: ClipSpec) -> CameraClips:
    """Return the camera's cached clips, encoding them first if they are missing."""
    out = paths_for(cache_dir, spec)
    if all(p.exists() for p in out.files()):
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
        staged = paths_for(tmp, spec)
        main, sub, snap = staged.main, staged.sub, staged.snapshot
        cmd = [
            ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-filter_threads", "1", "-filter_complex", _filter_graph(spec, name_file),
            "-map", "[main]", *_encoder(spec, spec.main_kbps, main, staged.main_pts),
            "-map", "[sub]", *_encoder(spec, spec.sub_kbps, sub, staged.sub_pts),
            "-map", "[snap]", "-frames:v", "1", "-q:v", "4", str(snap),
        ]  # fmt: skip
        log.info("%s: encoding %ss clips (%s %s, %dx%d + %dx%d, %d fps, GOP %d s)", spec.name,
                 spec.seconds, spec.codec, spec.profile, spec.main_width, spec.main_height,
                 *SUB_SIZE, spec.fps, spec.gop_seconds)
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not main.exists() or main.stat().st_size == 0:
            raise ClipError(f"ffmpeg failed for {spec.name}: {proc.stderr.strip()[-800:]}")
        log.info("%s: clips encoded in %.1f s", spec.name, time.monotonic() - started)
        # Main last: encode_camera's existence check sees main last.
        for staged_file, final in zip(staged.files(), out.files(), strict=True):
            os.replace(staged_file, final)
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
