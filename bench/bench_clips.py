"""Clip extraction time beside ``cp`` of the same bytes, and recorder CPU beside the lab's.

    .venv/bin/python -m bench.bench_clips [--cameras 2] [--record-seconds 70] [--long-minutes 10]

1. Starts the camera lab (``lab.testing.start_test_lab``), the backend's embedded media gateway
   and the real recorder (``server.recorder.Recorder``, 2 s MPEG-TS segments, stream copy
   through the gateway's live mount) on every lab camera for ``--record-seconds``; reports
   each record child's CPU (user+sys ÷ wall) beside the CPU of the lab's own processes (RTSP
   server child) over the same interval (the gateway's is not in either).
2. Cuts a 60 s clip from those segments with ``server.clips.extract_clip`` (the worker's code:
   keyframe search in the TS packets, byte cut, in-process stream copy through PyAV's
   libavformat, faststart MP4, fsync beside the SHA-256, rename), and times ``cp`` + ``sync -f`` of the same segment files in the same run
   (both end on the disk: target ≤ 3×), alternating, ``--rounds`` times each; medians. A
   ``sync`` before each timed step (not timed) starts both from the same dirty-page state, so
   neither pays for writeback left by the other or by other work on the machine.
3. The ``--long-minutes`` clip: recording 10 minutes in real time is too slow for a bench, so
   the recorded segments are copied over and over (new files, times laid end to end) until they
   span the length, then cut the same way. The bytes and the muxing work are those of a real
   recording of that length; the pictures repeat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
from fastapi.testclient import TestClient
from sqlalchemy import select

from lab.testing import start_test_lab
from server.clips import extract_clip
from server.config import Settings
from server.db import migrate
from server.demo import read_manifest, seed_demo
from server.main import create_app
from server.models import Camera, RecordingSegment
from server.recorder import Recorder


@dataclass
class Segment:
    """What ``extract_clip`` reads of a segment row."""

    path: str
    start_at: datetime
    end_at: datetime
    size_bytes: int


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system + times.children_user + times.children_system)


def _contention() -> str:
    """The load average and, where the kernel has it, the share of time tasks waited for a core
    (``/proc/pressure/cpu``, "some" over 10 s): the load average alone understates contention."""
    text = "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    try:
        first = Path("/proc/pressure/cpu").read_text(encoding="ascii").splitlines()[0]
    except (OSError, IndexError):
        return text
    fields = dict(part.split("=", 1) for part in first.split()[1:] if "=" in part)
    return f"{text}; CPU pressure {fields.get('avg10', '?')} % (10 s)"


def _settle() -> None:
    """Write back every dirty page first (``sync``), so that cp and the extraction each start
    from the same state and neither pays for the other's (or another process's) writeback."""
    subprocess.run(["sync"], check=True)


def _time_cp(files: list[Path], target: Path) -> float:
    target.mkdir()
    _settle()
    started = time.perf_counter()
    subprocess.run(["cp", *map(str, files), str(target)], check=True)
    subprocess.run(["sync", "-f", str(target)], check=True)
    return time.perf_counter() - started


def _time_extract(segments: list[Segment], start: datetime, end: datetime,
                  out: Path) -> tuple[float, int]:
    _settle()
    started = time.perf_counter()
    result = extract_clip(segments, start, end, out)  # type: ignore[arg-type]
    return time.perf_counter() - started, result.size


def _stretch(segments: list[Segment], seconds: float, directory: Path) -> list[Segment]:
    directory.mkdir()
    stretched: list[Segment] = []
    cursor = segments[0].start_at
    index = 0
    while not stretched or (stretched[-1].end_at - stretched[0].start_at).total_seconds() \
            < seconds:
        source = segments[index % len(segments)]
        copy = directory / f"{index:05d}.ts"
        shutil.copyfile(source.path, copy)
        length = source.end_at - source.start_at
        stretched.append(Segment(str(copy), cursor, cursor + length, source.size_bytes))
        cursor += length
        index += 1
    return stretched


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=2)
    parser.add_argument("--record-seconds", type=float, default=70.0)
    parser.add_argument("--long-minutes", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=5, help="cp and extract, alternating")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-clips-") as tmp:
        root = Path(tmp)
        with start_test_lab(root / "lab", cameras=args.cameras) as lab:
            # the product's way: the backend's embedded gateway, the recorder through it
            settings = Settings.from_env({}, data_dir=root / "data", segment_seconds=2,
                                         argon2_time_cost=1, argon2_memory_cost=1024,
                                         argon2_parallelism=1, gateway_rtsp_port=0,
                                         gateway_ptz_port=0, clip_worker=False)
            migrate(settings.database_url)
            app = create_app(settings)
            runtime = app.state.runtime
            with runtime.sessions() as session:
                seed_demo(session, runtime.passwords, runtime.secrets, datetime.now(UTC),
                          read_manifest(lab.manifest_path), settings)
            me = psutil.Process()
            before_children = {p.pid for p in me.children(recursive=True)}
            backend = TestClient(app).__enter__()  # its lifespan: the gateway
            supervisor = runtime.gateway_supervisor
            assert supervisor is not None and supervisor.ready.wait(60), "no gateway"
            recorder = Recorder(runtime.sessions, settings, runtime.stream_key)
            recorder.start()
            time.sleep(3)  # connected
            pids = {cid: cam.pid for cid, cam in recorder.cameras.items()}
            rec_procs = {cid: psutil.Process(pid) for cid, pid in pids.items() if pid}
            lab_procs = [psutil.Process(pid) for pid in before_children if psutil.pid_exists(pid)]
            rec_start = {cid: _cpu(p) for cid, p in rec_procs.items()}
            lab_start = sum(_cpu(p) for p in lab_procs) + float(sum(me.cpu_times()[:2]))
            wall_start = time.monotonic()
            time.sleep(args.record_seconds)
            wall = time.monotonic() - wall_start
            rec_cpu = {cid: (_cpu(p) - rec_start[cid]) / wall * 100 for cid, p in
                       rec_procs.items()}
            lab_cpu = (sum(_cpu(p) for p in lab_procs) + float(sum(me.cpu_times()[:2]))
                       - lab_start) / wall * 100
            recorder.stop()
            restarts = sum(c.restarts for c in recorder.cameras.values())
            backend.__exit__(None, None, None)
        with runtime.sessions() as session:
            camera_id = session.execute(select(Camera.id).where(Camera.external_id == "lab:0")
                                        ).scalar_one()
            rows = session.execute(select(RecordingSegment)
                                   .where(RecordingSegment.camera_id == camera_id)
                                   .order_by(RecordingSegment.start_at)).scalars().all()
            segments = [Segment(r.path, r.start_at, r.end_at, r.size_bytes) for r in rows]
        runtime.engine.dispose()

        print(f"at the start of the cuts: {_contention()}")
        print(f"recorded {wall:.0f} s, {args.cameras} cameras, {restarts} restarts")
        for cid, value in rec_cpu.items():
            print(f"  recorder child camera {cid}: {value:.1f} % of one core")
        print(f"  lab (RTSP child + this process, which also runs the recorder threads): "
              f"{lab_cpu:.1f} % of one core")

        def clip(label: str, chosen: list[Segment], seconds: float) -> None:
            start = chosen[0].start_at + timedelta(seconds=1.5)
            end = start + timedelta(seconds=seconds)
            used = [s for s in chosen if s.end_at > start and s.start_at < end]
            size = sum(s.size_bytes for s in used)
            cps: list[float] = []
            extracts: list[float] = []
            out_size = 0
            for round_ in range(args.rounds):  # alternating, so load from others hits both
                cps.append(_time_cp([Path(s.path) for s in used], root / f"cp-{label}-{round_}"))
                ex_s, out_size = _time_extract(used, start, end,
                                               root / f"clip-{label}-{round_}.mp4")
                extracts.append(ex_s)
            cp_s, ex_s = statistics.median(cps), statistics.median(extracts)
            print(f"{label}: {len(used)} segments, {size / 1e6:.1f} MB in, {out_size / 1e6:.1f} "
                  f"MB out; median of {args.rounds}: extract {ex_s:.2f} s, cp {cp_s:.2f} s, "
                  f"ratio {ex_s / cp_s:.1f}× (extract {', '.join(f'{v:.2f}' for v in extracts)};"
                  f" cp {', '.join(f'{v:.2f}' for v in cps)})", flush=True)

        if (segments[-1].end_at - segments[0].start_at).total_seconds() >= 63:
            clip("60 s", segments, 60)
        else:
            print("60 s: not enough recording (raise --record-seconds)")
        if args.long_minutes > 0:
            long_seconds = args.long_minutes * 60
            stretched = _stretch(segments, long_seconds + 4, root / "stretched")
            clip(f"{args.long_minutes:g} min", stretched, long_seconds)
        print(f"at the end: {_contention()}")


if __name__ == "__main__":
    main()
