"""The media gateway and its GOP keeper, beside direct connections to the same cameras.

    .venv/bin/python -m bench.bench_gateway [--quick] [--opens 8] [--rounds 2] [--cpu-seconds 10]
        [--processes] [--many-only] [--fps-probe-frames N]

For each camera GOP (1, 4, 10 s; ``--quick``: 1 and 4) a lab of 8 cameras is started whose
camera 1 (360p sub stream) and camera 7 (1080p main stream) have that GOP and do not restart it
for a new client (``key_frame_on_connect=False``: a direct viewer waits for the next key frame,
as with a camera whose encoder runs on its own), and a gateway (``python3 -m gateway``, GOP
keeper on) in front of it. A holder viewer keeps each measured stream watched through the
gateway (the recorder or another operator: the first viewer of an idle camera has nothing kept
and waits for the camera's key frame like a direct one). Then, for each stream:
- **first picture and time to live** (``bench/viewer.py``): N = 1: ``--opens`` times, after a
  random pause within a GOP (so the opens fall at different points of the GOP), one viewer
  through the gateway and one direct to the camera open at the same instant; N = 16:
  ``--rounds`` times, 16 viewers through the gateway at once, then 16 direct at once;
  p50 / p95 over every viewer;
- **camera connections** (the lab's pipelines for the stream) with 1, 8 and 16 viewers through
  the gateway, beside the same number of direct viewers (GOP 1 lab only);
- **CPU** (``/proc``: utime + stime over ``--cpu-seconds``) with 16 viewers of one camera:
  the gateway, the lab's RTSP server, and this process's 16 PyAV readers (demux only), first
  through the gateway, then 16 direct readers (GOP 1 lab only).
With ``--processes`` every viewer of an N = 16 open runs in a process of its own (a pool started
beforehand), as 16 players on 16 workstations or a wall's 16 decoders would, and the same
16 gateway viewers are also opened as threads of this one process in the same round (rows
"… one process"): the difference is the bench's own queue (one interpreter handshaking,
probing and decoding 16 key frames at once), not the gateway's. ``--many-only`` measures only
the N = 16 opens. The baselines are measured in the same run. Numbers depend on the machine's load: the report
starts with the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import bench.viewer
from bench.viewer import Watch
from common import stream_tokens
from common.stream_tokens import StreamToken
from gateway.process import GatewayProcess
from lab import Lab, LabCamera
from lab.testing import start_test_lab

GOPS = (1, 4, 10)
CAMERAS = 8
STREAMS = (("360p", 1, "sub"), ("1080p", 7, "main"))  # (label, lab camera index, stream)
CONNECTION_COUNTS = (1, 8, 16)
MANY = 16
CLK_TCK = os.sysconf("SC_CLK_TCK")
FPS_PROBE_FRAMES: int | None = None  # --fps-probe-frames: av.open's fpsprobesize
POOL: ProcessPoolExecutor | None = None  # --processes: one viewer per process
ONE_PROCESS = " one process"  # the label suffix of the rows opened as threads beside the pool


def watch(url: str, seconds: float, **kwargs: Any) -> Watch:
    return bench.viewer.watch(url, seconds, fps_probe_frames=FPS_PROBE_FRAMES, **kwargs)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * fraction
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


# -- the gateway in front of a lab --------------------------------------------------------------
@dataclass
class Site:
    """A lab, a gateway before it, and the key that signs viewers' tokens."""

    lab: Lab
    gateway: GatewayProcess
    key: Ed25519PrivateKey

    def camera_id(self, cam: LabCamera) -> int:
        return cam.index + 1

    def gateway_url(self, cam: LabCamera, stream: str) -> str:
        issued = int(time.time()) - 1
        claims = StreamToken(session_id="b-" + secrets.token_hex(8), user_id=1,
                             username="bench", camera_id=self.camera_id(cam), stream=stream,
                             issued_at=issued, expires_at=issued + 3000)
        token = stream_tokens.encode(claims, self.key.sign)
        return stream_tokens.session_url("127.0.0.1", self.gateway.rtsp_port,
                                         self.camera_id(cam), stream, token)

    @staticmethod
    def direct_url(cam: LabCamera, stream: str) -> str:
        url = cam.main_url if stream == "main" else cam.sub_url
        return url.replace("rtsp://", f"rtsp://{cam.rtsp_username}:{cam.rtsp_password}@")

    def camera_sessions(self, cam: LabCamera, stream: str) -> int:
        row = self.lab.rtsp_stats().get(f"/{cam.slug}/{stream}")
        return int(row["pipelines"]) if row else 0


def gateway_config(lab: Lab, key: Ed25519PrivateKey) -> dict[str, Any]:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    cameras = [{"camera_id": cam.index + 1, "stream": stream, "url": url,
                "username": cam.rtsp_username, "password": cam.rtsp_password,
                "transport": "tcp", "name": cam.name}
               for cam in lab.cameras
               for stream, url in (("main", cam.main_url), ("sub", cam.sub_url))]
    return {"rtsp": {"address": "127.0.0.1", "port": 0},
            "control": {"address": "127.0.0.1", "port": 0, "secret": secrets.token_urlsafe(24)},
            "token_keys": [pem], "max_token_lifetime_s": 3600, "cameras": cameras}


@contextmanager
def site(data_dir: Path, cameras: int, gop_seconds: dict[int, int]) -> Iterator[Site]:
    key = Ed25519PrivateKey.generate()
    with start_test_lab(data_dir, cameras=cameras, gop_seconds=gop_seconds,
                        key_frame_on_connect=False) as lab:
        with GatewayProcess(gateway_config(lab, key)) as gateway:
            yield Site(lab, gateway, key)


# -- viewers ------------------------------------------------------------------------------------
@dataclass
class Holder:
    """Viewers that keep reading (demux only) until closed."""

    urls: list[str]
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    pictured: list[threading.Event] = field(default_factory=list)
    results: list[Watch] = field(default_factory=list)

    def __enter__(self) -> Holder:
        for url in self.urls:
            event = threading.Event()
            self.pictured.append(event)
            thread = threading.Thread(target=lambda u=url, e=event: self.results.append(
                watch(u, seconds=1e9, stop=self.stop, pictured=e)), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def wait_pictured(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        return all(e.wait(max(0.0, deadline - time.monotonic())) for e in self.pictured)

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def _watch_at(start_at: float, url: str, seconds: float, open_timeout: float,
              fps_probe_frames: int | None) -> Watch:
    """In a pool process: wait for ``start_at`` (CLOCK_MONOTONIC is the machine's), then watch."""
    time.sleep(max(0.0, start_at - time.monotonic()))
    return bench.viewer.watch(url, seconds, open_timeout=open_timeout,
                              fps_probe_frames=fps_probe_frames)


def start_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` processes with PyAV loaded, each busy once so that all of them exist."""
    pool = ProcessPoolExecutor(max_workers=workers)
    ready = [pool.submit(time.sleep, 0.5) for _ in range(workers)]
    for future in ready:
        future.result()
    return pool


def open_together(urls: Sequence[str], seconds: float = 2.0,
                  open_timeout: float = 20.0, pool: ProcessPoolExecutor | None = None
                  ) -> list[Watch]:
    """Open every URL at the same instant, each on its own thread (or, with ``pool``, in its
    own process); what each saw."""
    if pool is not None:
        start_at = time.monotonic() + 0.5  # every process is past its queue by then
        futures = [pool.submit(_watch_at, start_at, url, seconds, open_timeout,
                               FPS_PROBE_FRAMES) for url in urls]
        return [f.result(timeout=open_timeout + seconds + 60) for f in futures]
    results: list[Watch | None] = [None] * len(urls)
    barrier = threading.Barrier(len(urls))

    def run(n: int, url: str) -> None:
        barrier.wait()
        results[n] = watch(url, seconds=seconds, open_timeout=open_timeout)

    threads = [threading.Thread(target=run, args=(n, u), daemon=True)
               for n, u in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return [r if r is not None else Watch(error="no answer") for r in results]


@dataclass
class Timings:
    """First picture and time to live of many opens, through the gateway and direct."""

    gateway: list[Watch] = field(default_factory=list)
    direct: list[Watch] = field(default_factory=list)
    one_process: list[Watch] = field(default_factory=list)  # --processes: gateway as threads


def measure_opens(s: Site, cam: LabCamera, stream: str, gop: int, viewers: int, repeats: int,
                  rng: random.Random, pause: Callable[[float], None] = time.sleep) -> Timings:
    """``repeats`` times, after a random pause within a GOP: ``viewers`` through the gateway
    (with one direct beside it at the same instant when 1), then as many direct."""
    out = Timings()
    timeout = gop + 20.0  # a direct viewer waits up to a GOP for its key frame
    for _ in range(repeats):
        pause(rng.uniform(0, gop))  # a point of the GOP at random: pacing, not waiting
        if viewers == 1:
            kept, direct = open_together([s.gateway_url(cam, stream), s.direct_url(cam, stream)],
                                         open_timeout=timeout)
            out.gateway.append(kept)
            out.direct.append(direct)
        else:
            out.gateway += open_together([s.gateway_url(cam, stream) for _ in range(viewers)],
                                         open_timeout=timeout, pool=POOL)
            if POOL is not None:
                pause(rng.uniform(0, gop))
                out.one_process += open_together(
                    [s.gateway_url(cam, stream) for _ in range(viewers)], open_timeout=timeout)
            out.direct += open_together([s.direct_url(cam, stream) for _ in range(viewers)],
                                        open_timeout=timeout, pool=POOL)
        wait_released(s, cam, stream, keep=1)  # the holder's session stays
    return out


def wait_released(s: Site, cam: LabCamera, stream: str, keep: int, timeout: float = 20) -> None:
    """Until the lab has dropped the direct viewers' sessions (it has no signal for it)."""
    end = time.monotonic() + timeout
    while s.camera_sessions(cam, stream) > keep and time.monotonic() < end:
        time.sleep(0.1)


def connections(s: Site, cam: LabCamera, stream: str, counts: Sequence[int],
                timeout: float) -> list[tuple[int, int, int]]:
    """(viewers, camera sessions through the gateway, camera sessions direct)."""
    rows = []
    for n in counts:
        seen = []
        for make in (lambda: s.gateway_url(cam, stream), lambda: s.direct_url(cam, stream)):
            with Holder([make() for _ in range(n)]) as holder:
                if not holder.wait_pictured(timeout):
                    raise RuntimeError(f"{n} viewers did not all play within {timeout:.0f} s")
                seen.append(s.camera_sessions(cam, stream))
            wait_released(s, cam, stream, keep=0)
        rows.append((n, seen[0], seen[1]))
    return rows


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


@dataclass
class Cpu:
    """% of one core over the window."""

    gateway: float
    lab: float
    readers: float


def measure_cpu(s: Site, urls: Sequence[str], seconds: float, timeout: float) -> Cpu:
    with Holder(list(urls)) as holder:
        if not holder.wait_pictured(timeout):
            raise RuntimeError("the CPU run's viewers did not all play")
        holder.stop.wait(1.0)  # settle: the burst and the opens are not the steady cost
        pids = (s.gateway.pid, s.lab.rtsp_pid(), os.getpid())
        before = [cpu_seconds(p) for p in pids]
        started = time.monotonic()
        holder.stop.wait(seconds)
        after = [cpu_seconds(p) for p in pids]
        wall = time.monotonic() - started
    gw, lab, me = ((a - b) / wall * 100 for a, b in zip(after, before, strict=True))
    return Cpu(gw, lab, me)


# -- the report ---------------------------------------------------------------------------------
def _stat(samples: Sequence[Watch], attr: str) -> str:
    values = [getattr(w, attr) for w in samples if getattr(w, attr) is not None]
    if not values:
        return "–"
    return f"{percentile(values, 0.5):.2f} / {percentile(values, 0.95):.2f}"


def _ratio(kept: Sequence[Watch], direct: Sequence[Watch], attr: str) -> str:
    a = [getattr(w, attr) for w in kept if getattr(w, attr) is not None]
    b = [getattr(w, attr) for w in direct if getattr(w, attr) is not None]
    if not a or not b or percentile(b, 0.5) == 0:
        return "–"
    return f"{percentile(a, 0.5) / percentile(b, 0.5):.2f}×"


def timing_rows(results: dict[tuple[str, int, int], Timings]) -> list[str]:
    lines = ["| stream | GOP s | N | gateway first picture p50 / p95 s | direct first picture "
             "p50 / p95 s | ratio (p50) | gateway live p50 / p95 s | direct live p50 / p95 s "
             "| ratio (p50) | failed (gw / direct) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for (label, gop, n), t in results.items():
        ways = [("", t.gateway)]
        if t.one_process:
            ways.append((ONE_PROCESS, t.one_process))
        for suffix, kept in ways:
            failed = (f"{sum(w.first_picture is None for w in kept)} / "
                      f"{sum(w.first_picture is None for w in t.direct)}")
            lines.append(
                f"| {label}{suffix} | {gop} | {n} | {_stat(kept, 'first_picture')} | "
                f"{_stat(t.direct, 'first_picture')} | "
                f"{_ratio(kept, t.direct, 'first_picture')} | {_stat(kept, 'live_at')} | "
                f"{_stat(t.direct, 'live_at')} | {_ratio(kept, t.direct, 'live_at')} | "
                f"{failed} |")
    return lines


def verdicts(results: dict[tuple[str, int, int], Timings]) -> list[str]:
    kept = [w for t in results.values() for w in t.gateway]
    first = [w.first_picture for w in kept if w.first_picture is not None]
    live = [w.live_at for w in kept if w.live_at is not None]
    failed = sum(w.first_picture is None for w in kept)
    worst_p50 = max((percentile([w.first_picture for w in t.gateway
                                 if w.first_picture is not None], 0.5)
                     for t in results.values()), default=float("nan"))
    worst_p95 = max((percentile([w.first_picture for w in t.gateway
                                 if w.first_picture is not None], 0.95)
                     for t in results.values()), default=float("nan"))
    return [
        "| target (every stream, GOP and N) | measured (worst row) | verdict |",
        "| --- | --- | --- |",
        f"| first picture p50 ≤ 0.5 s | {worst_p50:.2f} s | "
        f"{'met' if worst_p50 <= 0.5 else 'missed'} |",
        f"| first picture p95 ≤ 0.8 s | {worst_p95:.2f} s | "
        f"{'met' if worst_p95 <= 0.8 else 'missed'} |",
        f"| live within 1.5 s of opening (every viewer) | max {max(live, default=0):.2f} s "
        f"({len(live)} of {len(kept)} viewers live) | "
        f"{'met' if live and max(live) <= 1.5 and len(live) == len(kept) else 'missed'} |",
        f"| all {len(kept)} gateway viewers had a picture | {len(first)} "
        f"({failed} failed) | {'met' if not failed else 'missed'} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="GOP 1 and 4 s only, fewer opens")
    parser.add_argument("--opens", type=int, default=8, help="N = 1 opens per stream and GOP")
    parser.add_argument("--rounds", type=int, default=2, help="N = 16 rounds per stream, GOP")
    parser.add_argument("--cpu-seconds", type=float, default=10.0)
    parser.add_argument("--fps-probe-frames", type=int, default=None,
                        help="av.open's fpsprobesize for every viewer (FFmpeg's default: 20 "
                        "frames with growing timestamps before the first picture; 0: none)")
    parser.add_argument("--processes", action="store_true",
                        help="N = 16: each viewer in its own process (and as threads beside)")
    parser.add_argument("--many-only", action="store_true",
                        help="only the N = 16 opens (no N = 1, connection or CPU rows)")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir())
                        / "iocwall-bench-gateway", help="the labs' clips are cached here")
    args = parser.parse_args()
    global FPS_PROBE_FRAMES, POOL
    FPS_PROBE_FRAMES = args.fps_probe_frames
    if args.processes:
        POOL = start_pool(MANY)
    gops = GOPS[:2] if args.quick else GOPS
    opens = 3 if args.quick else args.opens
    rounds = 1 if args.quick else args.rounds
    rng = random.Random(20261206)
    print(f"start: {load()}; av.open fpsprobesize "
          f"{'FFmpeg default' if FPS_PROBE_FRAMES is None else FPS_PROBE_FRAMES}; N = {MANY} "
          f"{'one process per viewer' if POOL else 'threads of this process'}", flush=True)
    timings: dict[tuple[str, int, int], Timings] = {}
    conn_rows: list[tuple[int, int, int]] = []
    cpu: dict[str, tuple[Cpu, Cpu]] = {}
    for gop in gops:
        with site(args.data_dir / f"gop{gop}", CAMERAS, {i: gop for _, i, _ in STREAMS}) as s:
            print(f"GOP {gop} s: lab and gateway up ({load()})", flush=True)
            for label, index, stream in STREAMS:
                cam = s.lab.cameras[index]
                holder_timeout = gop + 20.0
                with Holder([s.gateway_url(cam, stream)]) as holder:
                    if not holder.wait_pictured(holder_timeout):
                        print(f"| {label} | {gop} | – | the holder viewer (first through the "
                              f"gateway) got no picture in {holder_timeout:.0f} s: skipped |",
                              flush=True)
                        continue
                    sizes = ((MANY, rounds),) if args.many_only else ((1, opens), (MANY, rounds))
                    for n, repeats in sizes:
                        timings[(label, gop, n)] = measure_opens(s, cam, stream, gop, n,
                                                                 repeats, rng)
                        print("\n".join(timing_rows({(label, gop, n):
                                                     timings[(label, gop, n)]})[2:]),
                              flush=True)
                if gop == gops[0] and not args.many_only:
                    if stream == "sub":
                        conn_rows = connections(s, cam, stream, CONNECTION_COUNTS,
                                                holder_timeout + 10)
                    kept = measure_cpu(s, [s.gateway_url(cam, stream) for _ in range(MANY)],
                                       args.cpu_seconds, holder_timeout + 10)
                    direct = measure_cpu(s, [s.direct_url(cam, stream) for _ in range(MANY)],
                                         args.cpu_seconds, holder_timeout + 10)
                    cpu[label] = (kept, direct)
    print(f"\nend: {load()}\n")
    print("\n".join(timing_rows(timings)))
    print()
    print("| viewers | camera sessions through the gateway | camera sessions direct |")
    print("| --- | --- | --- |")
    for n, through, direct_sessions in conn_rows:
        print(f"| {n} | {through} | {direct_sessions} |")
    print()
    print("| 1 camera → 16 viewers | gateway CPU % | lab (camera) CPU % | 16 PyAV readers CPU % "
          "| camera side + gateway | ratio to direct |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, (kept, direct) in cpu.items():
        total_kept, total_direct = kept.gateway + kept.lab, direct.lab
        print(f"| {label} through the gateway | {kept.gateway:.1f} | {kept.lab:.1f} | "
              f"{kept.readers:.1f} | {total_kept:.1f} | "
              f"{total_kept / total_direct if total_direct else float('nan'):.2f}× |")
        print(f"| {label} direct (baseline) | – | {direct.lab:.1f} | {direct.readers:.1f} | "
              f"{total_direct:.1f} | 1.00× |")
    print()
    print("\n".join(verdicts(timings)))


if __name__ == "__main__":
    try:
        main()
    finally:
        if POOL is not None:
            POOL.shutdown(cancel_futures=True)
