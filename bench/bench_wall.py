"""The wall's video cost beside the decode floor and beside QtMultimedia, in one run.

    .venv/bin/python -m bench.bench_wall [--quick] [--tiles 16[,25]] [--seconds 10]
                                         [--no-peer] [--profile] [--perf] [--repeat K]
                                         [--gateway]

Starts its own Xvfb and a camera lab (``lab.Lab``, 32 cameras, clips cached in
``.cache/bench-lab``), then for N = 1, 4, 9, 16, 25 tiles of 360p sub streams and N = 1, 4 tiles
of 1080p main streams (the lab's every fourth camera) measures, one after the other:

- **client**: the wall's pipeline (``app.video.VideoService`` into ``widgets.tile.VideoTile``
  surfaces) in a child process (``bench.wall_client``), so that psutil counts the client alone:
  CPU (% of one core, user+system ÷ wall time over ``--seconds`` once every tile is live), RSS
  per tile ((RSS − RSS with the tiles shown and nothing playing) ÷ N), and each tile's time to
  first picture (``play()`` → the service's first ``LIVE``, which its watchdog reports within one
  0.1 s tick of libvlc's first displayed picture);
- **floor**: the same streams decoded by ``ffmpeg -rtsp_transport tcp -i URL -an -f null -``
  processes (sum of their CPU): the cost of decoding alone, and the client ÷ floor ratio;
- **peer**: the same tiles played by PySide6's QtMultimedia (``QMediaPlayer`` + ``QVideoWidget``,
  ``QT_XCB_GL_INTEGRATION=none``): its CPU, RSS and time to first frame.

Also, in the 16-tile client run: a layout switch (stop the 16 tiles, play 16 other cameras in
the same tiles) until all are live; in the 4-tile client run: reconnects, from
``lab.start_stream`` after an outage of a few seconds until the tile is ``LIVE`` again.

``--gateway``: only the wall at ``--tiles`` (16) × 360p played direct and through a media
gateway (``python3 -m gateway`` before the lab, session URLs with tokens), alternating
``--repeat`` times, with the gateway's CPU in the same window: the gateway must not make the
wall costlier (target ≤ 1.1×).

Scenarios run one at a time: the box has 2 cores, and client, floor and peer running together
would measure each other. ``--quick`` (development) runs N = 1, 4 at 360p and N = 1 at 1080p,
a 4-tile switch and one reconnect. ``--tiles 16`` (development) runs only those N at 360p (the
switch at the largest, no reconnect, no 1080p); ``--no-peer`` leaves QtMultimedia out;
``--repeat K`` runs each scenario K times in a row (numbers are noisy on a shared box). The table
says whether each target is met or missed.

Profiles of the client over its CPU window at 16 tiles (or the largest N of the run):
``--profile`` py-spy (Python-owned threads only), ``--perf`` Linux perf (every thread, native
code: libvlc's decoder and video output included), reported by shared object, by symbol and by
thread into ``.cache/bench-wall-perf-N.txt`` (its decode floor: ``-N-floor.txt``).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psutil

REPO = Path(__file__).resolve().parent.parent
LAB_DIR = REPO / ".cache" / "bench-lab"
LAB_CAMERAS = 32  # 25 sub streams + 16 others for the switch; 1080p mains at 3, 7, 11, 15
CLIP_SECONDS = 10
LIVE_TIMEOUT = 30.0  # a tile not live by then counts as failed (the bench goes on)

# the wall's targets on this 2-core machine
TARGET_FLOOR_RATIO = 1.3  # client CPU ≤ 1.3 × decode floor at 16 tiles
TARGET_FIRST_P50 = 0.8
TARGET_FIRST_P95 = 1.5
TARGET_SWITCH = 2.0
TARGET_RSS_PER_TILE_MB = 30.0
TARGET_RECONNECT = 2.0


@dataclass(frozen=True)
class Stream:
    """One tile's stream: credentialed URL and a label for logs."""

    url: str
    label: str


@dataclass
class ClientResult:
    """One run of N tiles in one client process (the wall's or the peer's)."""

    backend: str
    tiles: int
    cpu_percent: float  # of one core
    rss_mb: float  # at the end of the measurement
    rss_idle_mb: float  # tiles shown, nothing playing
    first_frame: list[float]  # seconds, one per tile that went live
    failed: int  # tiles not live within LIVE_TIMEOUT
    xserver_cpu_percent: float | None = None  # the X server's CPU in the same window
    switch_seconds: float | None = None  # stop N, play N others, until all live
    switch_failed: int = 0
    reconnects: list[tuple[float, float | None]] = field(default_factory=list)  # (outage, s)

    @property
    def rss_per_tile_mb(self) -> float:
        return (self.rss_mb - self.rss_idle_mb) / self.tiles


@dataclass
class FloorResult:
    tiles: int
    cpu_percent: float  # sum over the ffmpeg processes, % of one core


def with_credentials(url: str, username: str, password: str) -> str:
    """Credentials into a URL, for example ``rtsp://host/p`` → ``rtsp://user:pass@host/p``."""
    parts = urlsplit(url)
    netloc = f"{quote(username, safe='')}:{quote(password, safe='')}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def lab_streams(lab: Any, indexes: Sequence[int], which: str) -> list[Stream]:
    """Credentialed ``sub`` or ``main`` streams of the given lab cameras."""
    streams = []
    for index in indexes:
        camera = lab.cameras[index]
        url = camera.sub_url if which == "sub" else camera.main_url
        streams.append(Stream(with_credentials(url, camera.rtsp_username, camera.rtsp_password),
                              f"{camera.name} ({which})"))
    return streams


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (the p95 of 4 values leans to the largest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _cpu_seconds(processes: Sequence[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        times = process.cpu_times()
        total += times.user + times.system
    return total


def measure_cpu(processes: Sequence[psutil.Process], seconds: float,
                also: Sequence[psutil.Process] = ()) -> tuple[float, float]:
    """CPU of ``processes`` and, separately, of ``also`` over the next ``seconds``, in % of one
    core each."""
    before_wall = time.monotonic()
    before, before_also = _cpu_seconds(processes), _cpu_seconds(also)
    time.sleep(seconds)
    wall = time.monotonic() - before_wall
    return ((_cpu_seconds(processes) - before) / wall * 100.0,
            (_cpu_seconds(also) - before_also) / wall * 100.0)


# -- the client child process -----------------------------------------------------------------


class ClientProcess:
    """A ``bench.wall_client`` child: send commands, wait for its events."""

    def __init__(self, backend: str, tiles: int, log_path: Path,
                 video_options: dict[str, Any] | None = None) -> None:
        env = dict(os.environ)
        env["QT_QPA_PLATFORM"] = "xcb"
        env["QT_XCB_GL_INTEGRATION"] = "none"
        env["BENCH_WALL_VIDEO"] = json.dumps(video_options or {})
        self._log = log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.wall_client", "--backend", backend,
             "--tiles", str(tiles)],
            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, text=True, bufsize=1,
        )
        self.psutil = psutil.Process(self.proc.pid)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.history: list[dict[str, Any]] = []
        threading.Thread(target=self._read, name="bench-client-out", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith("{"):
                self.events.put(json.loads(line))
        self.events.put({"ev": "exit"})

    def send(self, command: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def wait_for(self, done: Callable[[dict[str, Any]], bool], timeout: float) -> bool:
        """Consume events until ``done(event)`` or the timeout; every event lands in history."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                return False
            self.history.append(event)
            if event["ev"] == "exit":
                raise RuntimeError(f"the client exited (code {self.proc.wait()}); see its log")
            if done(event):
                return True

    def play_until_live(self, streams: Sequence[Stream], slots: Sequence[int],
                        timeout: float = LIVE_TIMEOUT) -> tuple[dict[int, float], dict[int, float]]:
        """Play, wait until every slot is live; returns (play time, first-live time) per slot."""
        played: dict[int, float] = {}
        live: dict[int, float] = {}
        wanted = set(slots)

        def done(event: dict[str, Any]) -> bool:
            slot = event.get("slot")
            if slot in wanted:
                if event["ev"] == "played":
                    played[slot] = event["t"]
                elif event["ev"] == "state" and event["state"] == "live" and slot in played:
                    live.setdefault(slot, event["t"])
            return set(live) == wanted

        self.send({"cmd": "play", "tiles": [[slot, s.url, s.label]
                                            for slot, s in zip(slots, streams, strict=True)]})
        self.wait_for(done, timeout)
        return played, live

    def rss_mb(self) -> float:
        return float(self.psutil.memory_info().rss) / 2**20

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.wait(timeout=15)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def measure_client(backend: str, streams: Sequence[Stream], seconds: float, *,
                   settle: float = 2.0, switch_to: Sequence[Stream] = (),
                   reconnect: Callable[[ClientProcess], list[tuple[float, float | None]]]
                   | None = None, log_path: Path | None = None,
                   on_measure: Callable[[int], None] | None = None,
                   xserver_pid: int | None = None,
                   video_options: dict[str, Any] | None = None) -> ClientResult:
    """Play ``streams`` in N tiles of a fresh client process and measure it (see module doc).

    ``reconnect(client)``: afterwards, measures reconnects (it drives the lab). ``switch_to``:
    then stop every tile and play these in the same tiles, timed from the first stop to the
    last new tile live. ``on_measure(pid)`` runs as the CPU window opens (e.g. a profiler).
    ``xserver_pid``: the X server's CPU is measured in the same window (pictures drawn into X
    windows cost the server too: not counted as the client's, shown beside it).
    """
    log_path = log_path or Path(tempfile.gettempdir()) / "bench-wall-client.log"
    n = len(streams)
    client = ClientProcess(backend, n, log_path, video_options)
    try:
        if not client.wait_for(lambda e: e["ev"] == "ready", 30):
            raise RuntimeError("the client did not show its tiles within 30 s")
        time.sleep(0.5)
        rss_idle = client.rss_mb()
        slots = list(range(n))
        played, live = client.play_until_live(streams, slots)
        first = [live[s] - played[s] for s in slots if s in live]
        time.sleep(settle)
        if on_measure is not None:
            on_measure(client.proc.pid)
        xserver = [psutil.Process(xserver_pid)] if xserver_pid else []
        cpu, xcpu = measure_cpu([client.psutil], seconds, also=xserver)
        rss = client.rss_mb()
        result = ClientResult(backend, n, cpu, rss, rss_idle, first, n - len(live),
                              xcpu if xserver else None)
        if reconnect is not None:
            result.reconnects = reconnect(client)
        if switch_to:
            stopped_at: list[float] = []
            wanted = set(slots)

            def stopped(event: dict[str, Any]) -> bool:
                if event["ev"] == "stopped" and event["slot"] in wanted:
                    stopped_at.append(event["t"])
                return len(stopped_at) == n

            client.send({"cmd": "stop", "slots": slots})
            client.wait_for(stopped, 15)
            _played, new_live = client.play_until_live(switch_to, slots)
            if stopped_at and len(new_live) == n:
                result.switch_seconds = max(new_live.values()) - min(stopped_at)
            result.switch_failed = n - len(new_live)
        return result
    finally:
        client.close()


def reconnect_runs(lab: Any, camera_index: int, slot: int,
                   outages: Sequence[float]) -> Callable[[ClientProcess],
                                                         list[tuple[float, float | None]]]:
    """Stop the camera's streams, wait ``outage`` seconds once its tile is offline, start them,
    and time ``start_stream`` → the tile LIVE again; once per outage."""

    def run(client: ClientProcess) -> list[tuple[float, float | None]]:
        results: list[tuple[float, float | None]] = []
        for outage in outages:
            lab.stop_stream(camera_index)
            client.wait_for(lambda e: e.get("slot") == slot and e["ev"] == "state"
                            and e["state"] == "offline", 15)
            time.sleep(outage)
            returned = time.monotonic()
            lab.start_stream(camera_index)
            back: list[float] = []

            def live_again(event: dict[str, Any], returned: float = returned,
                           back: list[float] = back) -> bool:
                if (event.get("slot") == slot and event["ev"] == "state"
                        and event["state"] == "live" and event["t"] >= returned):
                    back.append(event["t"])
                    return True
                return False

            client.wait_for(live_again, LIVE_TIMEOUT)
            results.append((outage, back[0] - returned if back else None))
        return results

    return run


# -- the decode floor ---------------------------------------------------------------------------


def measure_floor(streams: Sequence[Stream], seconds: float, settle: float = 3.0,
                  on_measure: Callable[[list[int]], None] | None = None) -> FloorResult:
    """The same streams decoded by one ``ffmpeg -f null`` process each: their summed CPU.
    ``on_measure(pids)`` runs as the CPU window opens (e.g. a profiler)."""
    processes = [
        subprocess.Popen(
            ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
             "-rtsp_transport", "tcp", "-i", s.url, "-an", "-f", "null", "-"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for s in streams
    ]
    try:
        time.sleep(settle)
        dead = [p.args for p in processes if p.poll() is not None]
        if dead:
            raise RuntimeError(f"{len(dead)} ffmpeg decoders ended early (lab down?)")
        if on_measure is not None:
            on_measure([p.pid for p in processes])
        cpu, _ = measure_cpu([psutil.Process(p.pid) for p in processes], seconds)
        return FloorResult(len(streams), cpu)
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)


# -- what the lab itself allows ----------------------------------------------------------------


def measure_first_keyframe(streams: Sequence[Stream]) -> list[float]:
    """Per stream, open (TCP, no probing, as the ingest does) → the first keyframe packet: no
    player can show a picture sooner. One stream at a time."""
    import av

    options = {"rtsp_transport": "tcp", "fflags": "nobuffer", "analyzeduration": "0",
               "probesize": "32"}
    times = []
    for stream in streams:
        started = time.monotonic()
        container = av.open(stream.url, options=options, timeout=(5, 5))
        try:
            for packet in container.demux(video=0):
                if packet.is_keyframe:
                    times.append(time.monotonic() - started)
                    break
        finally:
            container.close()
    return times


# -- the run and its table ----------------------------------------------------------------------


@dataclass
class Scenario:
    name: str  # "360p" / "1080p"
    tiles: int
    client: ClientResult | None = None
    floor: FloorResult | None = None
    peer: ClientResult | None = None


@dataclass
class RunResult:
    scenarios: list[Scenario]
    first_keyframe: list[float]  # the lab's own lower bound on any first frame


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None or value != value else format(value, spec)


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def report(scenarios: Sequence[Scenario], load: tuple[float, float, float],
           first_keyframe: Sequence[float] = ()) -> str:
    lines = [
        f"load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({psutil.cpu_count()} cores)",
    ]
    if first_keyframe:
        lines.append(
            f"lab's first keyframe after open (PyAV, TCP, no probing; {len(first_keyframe)} "
            f"streams): p50 {percentile(first_keyframe, 0.5):.2f} s, "
            f"p95 {percentile(first_keyframe, 0.95):.2f} s — no player can show a picture sooner")
    lines += [
        "",
        "| stream | N | client CPU % (X server) | floor CPU % | client ÷ floor "
        "| peer CPU % (X server) "
        "| client RSS MB (per tile) | peer RSS MB (per tile) | client first frame p50 / p95 s "
        "| peer first frame p50 / p95 s | not live |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in scenarios:
        c, f, p = s.client, s.floor, s.peer
        ratio = c.cpu_percent / f.cpu_percent if c and f and f.cpu_percent > 0 else None
        lines.append(
            f"| {s.name} | {s.tiles} | {_fmt(c and c.cpu_percent, '.1f')} "
            f"({_fmt(c and c.xserver_cpu_percent, '.1f')}) "
            f"| {_fmt(f and f.cpu_percent, '.1f')} | {_fmt(ratio)}× "
            f"| {_fmt(p and p.cpu_percent, '.1f')} ({_fmt(p and p.xserver_cpu_percent, '.1f')}) "
            f"| {_fmt(c and c.rss_mb, '.0f')} ({_fmt(c and c.rss_per_tile_mb, '.1f')}) "
            f"| {_fmt(p and p.rss_mb, '.0f')} ({_fmt(p and p.rss_per_tile_mb, '.1f')}) "
            f"| {_fmt(c and percentile(c.first_frame, 0.5))} / "
            f"{_fmt(c and percentile(c.first_frame, 0.95))} "
            f"| {_fmt(p and percentile(p.first_frame, 0.5))} / "
            f"{_fmt(p and percentile(p.first_frame, 0.95))} "
            f"| {c.failed if c else '—'} / {p.failed if p else '—'} |"
        )
    lines += ["", *targets(scenarios)]
    return "\n".join(lines)


def targets(scenarios: Sequence[Scenario]) -> list[str]:
    """The wall's targets, each with the measured number and met / MISSED."""
    sub = [s for s in scenarios if s.name == "360p" and s.client]
    # the targets are stated at 16 tiles; --quick has at most 4: judge its largest N
    sixteen = [s for s in sub if s.tiles == 16]
    head = sixteen[0] if sixteen else (max(sub, key=lambda s: s.tiles) if sub else None)
    rows = ["| target | measured | verdict |", "| --- | --- | --- |"]
    if head and head.client:
        c = head.client
        label = f"{head.tiles} × 360p"
        if head.floor and head.floor.cpu_percent > 0:
            ratio = c.cpu_percent / head.floor.cpu_percent
            rows.append(f"| client CPU ≤ {TARGET_FLOOR_RATIO}× decode floor ({label}) "
                        f"| {ratio:.2f}× ({c.cpu_percent:.1f} % vs {head.floor.cpu_percent:.1f} %)"
                        f" | {_verdict(ratio <= TARGET_FLOOR_RATIO)} |")
        if head.peer:
            rows.append(f"| client CPU < QtMultimedia's ({label}) | {c.cpu_percent:.1f} % vs "
                        f"{head.peer.cpu_percent:.1f} % "
                        f"| {_verdict(c.cpu_percent < head.peer.cpu_percent)} |")
        p50, p95 = percentile(c.first_frame, 0.5), percentile(c.first_frame, 0.95)
        rows.append(f"| first frame p50 ≤ {TARGET_FIRST_P50} s ({label}) | {_fmt(p50)} s "
                    f"| {_verdict(p50 <= TARGET_FIRST_P50 and not c.failed)} |")
        rows.append(f"| first frame p95 ≤ {TARGET_FIRST_P95} s ({label}) | {_fmt(p95)} s "
                    f"| {_verdict(p95 <= TARGET_FIRST_P95 and not c.failed)} |")
        every = [t for s in scenarios if s.client for t in s.client.first_frame]
        failed = sum(s.client.failed for s in scenarios if s.client)
        rows.append(f"| first frame p50 / p95 over every client tile of the run "
                    f"({len(every)} tiles, {failed} never live) "
                    f"| {_fmt(percentile(every, 0.5))} / {_fmt(percentile(every, 0.95))} s "
                    f"| {_verdict(percentile(every, 0.5) <= TARGET_FIRST_P50 and percentile(every, 0.95) <= TARGET_FIRST_P95 and not failed)} |")  # noqa: E501
        # per tile = growth over the process with its tiles shown and nothing playing, so the
        # first tile also carries libvlc's decoder and output modules: judged at 16 tiles
        rows.append(f"| RSS ≤ {TARGET_RSS_PER_TILE_MB:.0f} MB per 360p tile ({label}) "
                    f"| {c.rss_per_tile_mb:.1f} MB "
                    f"| {_verdict(c.rss_per_tile_mb <= TARGET_RSS_PER_TILE_MB)} |")
    for s in scenarios:
        c = s.client
        if c and (c.switch_seconds is not None or c.switch_failed):
            rows.append(f"| {s.tiles}-tile layout switch all live ≤ {TARGET_SWITCH} s "
                        f"| {_fmt(c.switch_seconds)} s ({c.switch_failed} not live) "
                        f"| {_verdict(c.switch_seconds is not None and not c.switch_failed and c.switch_seconds <= TARGET_SWITCH)} |")  # noqa: E501
        if c and c.reconnects:
            times = ", ".join(f"{_fmt(t)} s after {outage:.0f} s out" for outage, t in c.reconnects)
            ok = all(t is not None and t <= TARGET_RECONNECT for _o, t in c.reconnects)
            rows.append(f"| reconnect ≤ {TARGET_RECONNECT} s after the camera returns "
                        f"| {times} | {_verdict(ok)} |")
    return rows


def run(lab: Any, *, quick: bool, seconds: float, work_dir: Path,
        profile: bool = False, xserver_pid: int | None = None,
        tiles: Sequence[int] = (), peer: bool = True, perf: bool = False,
        repeat: int = 1) -> RunResult:
    log = work_dir / "bench-wall-client.log"
    if tiles:
        plan = [("360p", n) for n in tiles]
        switch_tiles = max(tiles)
        outages: tuple[float, ...] = ()
    else:
        plan = [("360p", n) for n in ((1, 4) if quick else (1, 4, 9, 16, 25))]
        plan += [("1080p", n) for n in ((1,) if quick else (1, 4))]
        switch_tiles = 4 if quick else 16
        outages = (2.0,) if quick else (2.0, 5.0, 10.0)
    profiled = 16 if any(n == 16 for _name, n in plan) else max(n for _name, n in plan)
    plan = [step for step in plan for _ in range(max(1, repeat))]
    mains = [i for i in range(len(lab.cameras)) if i % 4 == 3]
    print("first keyframe from the lab …", flush=True)
    first_keyframe = measure_first_keyframe(lab_streams(lab, range(4 if quick else 16), "sub"))
    scenarios = []
    for name, n in plan:
        scenario = Scenario(name, n)
        streams = (lab_streams(lab, range(n), "sub") if name == "360p"
                   else lab_streams(lab, mains[:n], "main"))
        extras: dict[str, Any] = {}
        floor_extras: dict[str, Any] = {}
        if name == "360p" and n == switch_tiles:
            # the other cameras: from the end of the lab, none of them on screen before
            others = range(len(lab.cameras) - n, len(lab.cameras))
            extras["switch_to"] = lab_streams(lab, others, "sub")
        if name == "360p" and n == 4 and outages:
            extras["reconnect"] = reconnect_runs(lab, camera_index=0, slot=0, outages=outages)
        if name == "360p" and n == profiled and (profile or perf):
            def on_measure(pid: int, n: int = n) -> None:
                if profile:
                    _profile(pid, seconds, work_dir)
                if perf:
                    _perf([pid], seconds, work_dir, f"{n}")

            extras["on_measure"] = on_measure
            if perf:
                floor_extras["on_measure"] = lambda pids, n=n: _perf(pids, seconds, work_dir,
                                                                      f"{n}-floor")
        print(f"[{name} × {n}] client …", flush=True)
        scenario.client = measure_client("vlc", streams, seconds, log_path=log,
                                         xserver_pid=xserver_pid, **extras)
        print(f"[{name} × {n}] decode floor …", flush=True)
        scenario.floor = measure_floor(streams, seconds, **floor_extras)
        if peer:
            print(f"[{name} × {n}] QtMultimedia …", flush=True)
            scenario.peer = measure_client("qtmm", streams, seconds, log_path=log,
                                           xserver_pid=xserver_pid)
        scenarios.append(scenario)
        c, f = scenario.client, scenario.floor
        print(f"[{name} × {n}] client {c.cpu_percent:.1f} % (X {_fmt(c.xserver_cpu_percent, '.1f')})"
              f", floor {f.cpu_percent:.1f} %, ratio {c.cpu_percent / max(f.cpu_percent, 1e-9):.2f}×"
              + (f", peer {scenario.peer.cpu_percent:.1f} %" if scenario.peer else ""),
              flush=True)
    return RunResult(scenarios, first_keyframe)


def run_ab(lab: Any, variants: Sequence[dict[str, Any]], *, tiles: int, seconds: float,
           rounds: int, work_dir: Path, xserver_pid: int | None = None) -> str:
    """The wall client at ``tiles`` × 360p with each ``VideoService`` variant in turn, ``rounds``
    times (A B A B …: a shared machine's load drifts), and the decode floor once per round."""
    log = work_dir / "bench-wall-client.log"
    streams = lab_streams(lab, range(tiles), "sub")
    cpu: dict[int, list[float]] = {i: [] for i in range(len(variants))}
    first: dict[int, list[float]] = {i: [] for i in range(len(variants))}
    rss: dict[int, list[float]] = {i: [] for i in range(len(variants))}
    floors: list[float] = []
    loads: list[float] = []
    for round_ in range(rounds):
        for i, variant in enumerate(variants):
            loads.append(os.getloadavg()[0])
            result = measure_client("vlc", streams, seconds, log_path=log,
                                    xserver_pid=xserver_pid, video_options=variant)
            cpu[i].append(result.cpu_percent)
            first[i].extend(result.first_frame)
            rss[i].append(result.rss_per_tile_mb)
            print(f"round {round_ + 1} {json.dumps(variant)}: {result.cpu_percent:.1f} % "
                  f"(first frame p50 {percentile(result.first_frame, 0.5):.2f} s, "
                  f"{result.failed} not live)", flush=True)
        floors.append(measure_floor(streams, seconds).cpu_percent)
        print(f"round {round_ + 1} floor: {floors[-1]:.1f} %", flush=True)
    floor = percentile(floors, 0.5)
    lines = [f"A/B at {tiles} × 360p, {rounds} rounds of {seconds:.0f} s; load average (1 min) "
             f"{min(loads):.2f}–{max(loads):.2f}; decode floor median {floor:.1f} % "
             f"({', '.join(f'{f:.1f}' for f in floors)})", "",
             "| variant | client CPU % median (each run) | ÷ floor | first frame p50 / p95 s "
             "| RSS per tile MB |", "| --- | --- | --- | --- | --- |"]
    for i, variant in enumerate(variants):
        median = percentile(cpu[i], 0.5)
        lines.append(f"| `{json.dumps(variant)}` | {median:.1f} "
                     f"({', '.join(f'{c:.1f}' for c in cpu[i])}) | {median / floor:.2f}× "
                     f"| {percentile(first[i], 0.5):.2f} / {percentile(first[i], 0.95):.2f} "
                     f"| {percentile(rss[i], 0.5):.1f} |")
    return "\n".join(lines)


TARGET_GATEWAY_RATIO = 1.1  # the wall's CPU through the media gateway ≤ 1.1 × direct


class BackgroundCpu:
    """One process's CPU over ``seconds`` (% of one core), measured on a thread from
    :meth:`start` (``measure_client``'s ``on_measure``: the client's own CPU window)."""

    def __init__(self, process: psutil.Process, seconds: float) -> None:
        self._process = process
        self._seconds = seconds
        self._value: list[float] = []
        self._thread: threading.Thread | None = None

    def start(self, _client_pid: int) -> None:
        self._thread = threading.Thread(target=lambda: self._value.append(
            measure_cpu([self._process], self._seconds)[0]), daemon=True)
        self._thread.start()

    def result(self) -> float | None:
        if self._thread is None:
            return None
        self._thread.join()
        return self._value[0] if self._value else None


def gateway_streams(lab: Any, gateway: Any, key: Any, indexes: Sequence[int]) -> list[Stream]:
    """The ``sub`` streams of the given lab cameras as the wall plays them: session URLs at the
    gateway, a token each (signed by ``key``, as the backend signs them)."""
    from common import stream_tokens
    from tests.gateway.helpers import camera_id, issue

    streams = []
    for index in indexes:
        camera = lab.cameras[index]
        claims = issue(key, camera_id(camera), "sub", lifetime=600)
        url = stream_tokens.session_url("127.0.0.1", gateway.rtsp_port, claims.camera_id, "sub",
                                        stream_tokens.encode(claims, key.sign))
        streams.append(Stream(url, f"{camera.name} (sub, gateway)"))
    return streams


def run_gateway(lab: Any, *, tiles: int, seconds: float, rounds: int, work_dir: Path,
                xserver_pid: int | None = None) -> str:
    """The wall client at ``tiles`` × 360p, direct to the cameras and through a media gateway
    (``python3 -m gateway``, GOP keeper on) in turn, ``rounds`` times (A B A B …); the
    gateway's own CPU in the same window."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gateway.process import GatewayProcess
    from tests.gateway.helpers import gateway_config

    log = work_dir / "bench-wall-client.log"
    key = Ed25519PrivateKey.generate()
    direct = lab_streams(lab, range(tiles), "sub")
    cpu: dict[str, list[float]] = {"direct": [], "gateway": []}
    first: dict[str, list[float]] = {"direct": [], "gateway": []}
    gateway_cpu: list[float] = []
    loads: list[float] = []
    with GatewayProcess(gateway_config(lab, key)) as gateway:
        gateway_process = psutil.Process(gateway.pid)
        for round_ in range(rounds):
            for way in ("direct", "gateway"):
                streams = direct if way == "direct" else gateway_streams(
                    lab, gateway, key, range(tiles))
                gateway_window = BackgroundCpu(gateway_process, seconds)
                loads.append(os.getloadavg()[0])
                result = measure_client("vlc", streams, seconds, log_path=log,
                                        xserver_pid=xserver_pid,
                                        on_measure=gateway_window.start
                                        if way == "gateway" else None)
                measured = gateway_window.result()
                cpu[way].append(result.cpu_percent)
                first[way].extend(result.first_frame)
                if measured is not None:
                    gateway_cpu.append(measured)
                print(f"round {round_ + 1} {way}: client {result.cpu_percent:.1f} %"
                      + (f", gateway {measured:.1f} %" if measured is not None else "")
                      + f" (first frame p50 {percentile(result.first_frame, 0.5):.2f} s, "
                      f"{result.failed} not live)", flush=True)
    client_direct, client_gateway = percentile(cpu["direct"], 0.5), percentile(cpu["gateway"],
                                                                               0.5)
    ratio = client_gateway / client_direct
    lines = [f"The wall at {tiles} × 360p, direct and through the media gateway, {rounds} rounds "
             f"of {seconds:.0f} s; load average (1 min) {min(loads):.2f}–{max(loads):.2f}", "",
             "| way | client CPU % median (each run) | ratio | first frame p50 / p95 s "
             "| gateway CPU % median |", "| --- | --- | --- | --- | --- |"]
    for way in ("direct", "gateway"):
        median = percentile(cpu[way], 0.5)
        gw = f"{percentile(gateway_cpu, 0.5):.1f}" if way == "gateway" and gateway_cpu else "–"
        lines.append(f"| {way} | {median:.1f} ({', '.join(f'{c:.1f}' for c in cpu[way])}) "
                     f"| {median / client_direct:.2f}× | {percentile(first[way], 0.5):.2f} / "
                     f"{percentile(first[way], 0.95):.2f} | {gw} |")
    lines += ["", f"target: the wall through the gateway ≤ {TARGET_GATEWAY_RATIO}× direct: "
              f"{ratio:.2f}× — {_verdict(ratio <= TARGET_GATEWAY_RATIO)}"]
    return "\n".join(lines)


def _profile(pid: int, seconds: float, work_dir: Path) -> None:
    """py-spy (native frames too) over the CPU window, in the background; output in work_dir."""
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which(
        "py-spy")
    if py_spy is None:
        print("py-spy not installed: pip install -e '.[bench]'", flush=True)
        return
    out = work_dir / "bench-wall-profile-16.txt"
    subprocess.Popen(
        [py_spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--native",
         "--threads", "--format", "raw", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    print(f"profiling the 16-tile client into {out}", flush=True)


PERF_FREQUENCY = 499  # samples per second per thread (a prime, off the 25 fps beat)


_perf_runs: list[tuple[subprocess.Popen[bytes], Path, Path]] = []


def _perf(pids: Sequence[int], seconds: float, work_dir: Path, name: str) -> None:
    """Linux perf over the CPU window (every thread of ``pids``, native code), in the
    background; :func:`finish_perf` writes the reports (after the run: perf report costs CPU).
    ``name``: "16" for the 16-tile client, "16-floor" for its decode floor."""
    perf = shutil.which("perf")
    if perf is None:
        print("perf not installed: apt-get install linux-perf", flush=True)
        return
    data = work_dir / f"bench-wall-perf-{name}.data"
    out = work_dir / f"bench-wall-perf-{name}.txt"
    process = subprocess.Popen(
        [perf, "record", "-F", str(PERF_FREQUENCY), "-g", "-p", ",".join(map(str, pids)),
         "-o", str(data),
         "--", "sleep", str(seconds)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _perf_runs.append((process, data, out))
    print(f"perf on {name} into {data}", flush=True)


def finish_perf() -> None:
    """Wait for the perf recordings of the run and write their reports."""
    perf = shutil.which("perf") or "perf"
    while _perf_runs:
        process, data, out = _perf_runs.pop(0)
        process.wait()
        out.write_text(perf_report(perf, data))
        print(f"perf report: {out}", flush=True)


def perf_report(perf: str, data: Path) -> str:
    """Flat (self-time) views of a perf recording: by shared object, by symbol, by thread."""
    parts = []
    for title, sort in (("by shared object", "dso"), ("by symbol", "dso,sym"),
                        ("by thread", "comm,pid"), ("by thread and shared object", "comm,dso")):
        done = subprocess.run(
            [perf, "report", "-i", str(data), "--no-children", "--sort", sort, "--stdio",
             "--percent-limit", "0.3", "-g", "none"],
            capture_output=True, text=True, check=False,
        )
        parts.append(f"## {title}\n{done.stdout}")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1, 4 only (development)")
    parser.add_argument("--seconds", type=float, default=10.0, help="CPU window per run")
    parser.add_argument("--tiles", type=lambda v: [int(n) for n in v.split(",")], default=[],
                        help="only these N at 360p, e.g. 16 or 4,16 (development)")
    parser.add_argument("--no-peer", action="store_true", help="leave QtMultimedia out")
    parser.add_argument("--repeat", type=int, default=1, help="run each scenario K times")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the 16-tile client over its CPU window")
    parser.add_argument("--ab", action="append", type=json.loads, default=[], metavar="JSON",
                        help="A/B mode: a VideoService variant, e.g. '{\"feed\": \"callback\"}' "
                        "(give two or more; client only, at --tiles, --repeat rounds)")
    parser.add_argument("--gateway", action="store_true",
                        help="only the wall direct and through a media gateway, A/B")
    parser.add_argument("--perf", action="store_true",
                        help="Linux perf the 16-tile client over its CPU window (every thread)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from lab import Lab
    from tests.xvfb import start_xvfb

    work_dir = REPO / ".cache"
    work_dir.mkdir(exist_ok=True)
    load = os.getloadavg()
    xvfb = start_xvfb(1920, 1080)
    os.environ["DISPLAY"] = xvfb.display
    try:
        print("starting the lab (first time: encoding clips into .cache/bench-lab) …", flush=True)
        with Lab.start(cameras=LAB_CAMERAS, data_dir=LAB_DIR, rtsp_port=0, onvif_base_port=0,
                       control_port=None, clip_seconds=CLIP_SECONDS) as lab:
            if args.gateway or args.ab:
                common = {"tiles": max(args.tiles or [16]), "seconds": args.seconds,
                          "rounds": args.repeat, "work_dir": work_dir,
                          "xserver_pid": xvfb.process.pid}
                text = (run_gateway(lab, **common) if args.gateway
                        else run_ab(lab, args.ab, **common))
                print()
                print(f"load average before the run: {' '.join(f'{v:.2f}' for v in load)}")
                print(text)
                return 0
            result = run(lab, quick=args.quick, seconds=args.seconds, work_dir=work_dir,
                         profile=args.profile, xserver_pid=xvfb.process.pid,
                         tiles=args.tiles, peer=not args.no_peer, perf=args.perf,
                         repeat=args.repeat)
    finally:
        xvfb.stop()
    finish_perf()
    print()
    print(report(result.scenarios, load, result.first_keyframe))
    print(f"load average after the run: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
