"""The demo stack for ``main.py --demo``: the camera lab and a demo backend as child processes.

Why child processes and not threads: the lab runs GStreamer under Debian's Python and the backend is
a separate server in production too; as children they are killed with the client. Each child gets
its own process group (so its own children go with it) and ``PR_SET_PDEATHSIG`` (so even a killed
client leaves no orphan on Linux).
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

from app.backend import normalize_server_url

# the demo's accounts: the duty operator logs in unless --user names another; every demo
# account's password is published (README, make run)
DEMO_USER = "ioc.operator"
DEMO_PASSWORD = "demo"

log = logging.getLogger("iocwall.demo")

REPO_ROOT = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1


@dataclass
class LabPorts:
    rtsp: int | None = None
    onvif_base: int | None = None
    control: int | None = None
    cameras: int | None = None


@dataclass(frozen=True)
class DemoProgress:
    """How far the demo's start is: ``clips`` (the lab encodes its clips: only the first start
    takes long), ``streams`` (its RTSP mounts answering), ``backend`` (seconds waited so far,
    ``total`` 0)."""

    stage: str
    done: int
    total: int

    def describe(self) -> str:
        """For the terminal (the splash has its own translated wording)."""
        if self.stage == "clips":
            return f"preparing camera lab: {self.done}/{self.total} clips…"
        if self.stage == "streams":
            return f"starting camera lab: {self.done}/{self.total} streams answer…"
        return f"starting the demo backend… {self.done} s"


# The lab's progress lines (lab/clips.py report_progress; docs/contracts.md).
_LAB_PROGRESS = re.compile(r"iocwall\.lab\.progress \w+ progress (\w+) (\d+)/(\d+)")


def backend_answers(server_url: str, timeout: float = 1.0, ca_file: Path | None = None) -> bool:
    """The backend answers its health check (an ``https://`` one with a certificate from
    ``ca_file``; without it, never)."""
    url = normalize_server_url(server_url)
    if url.startswith("https://") and (ca_file is None or not ca_file.is_file()):
        return False
    try:
        response = requests.get(f"{url}/api/v1/health", timeout=timeout,
                                verify=str(ca_file) if ca_file is not None else True)
    except (requests.RequestException, OSError):
        return False
    return response.status_code == 200


def demo_site_ca(data_dir: Path) -> Path:
    """Where the demo backend (its data dir ``<data>/demo/server``) keeps its site CA."""
    return data_dir / "demo" / "server" / "tls" / "ca.crt"


def _die_with_parent() -> None:  # runs in the child between fork and exec
    os.setsid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class DemoStack:
    """Lab + backend children, started by :meth:`start`, stopped by :meth:`stop`."""

    data_dir: Path
    server_url: str
    lab_ports: LabPorts = field(default_factory=LabPorts)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _last_lab_progress: DemoProgress | None = field(default=None, init=False, repr=False)

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"

    @property
    def manifest_path(self) -> Path:
        return self.demo_dir / "lab.json"

    @property
    def site_ca(self) -> Path:
        """The CA the demo backend makes for itself (as ``init`` makes a site's): the demo
        client trusts it without asking, since it runs that backend."""
        return demo_site_ca(self.data_dir)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log_path = self.demo_dir / f"{name}.log"
        with open(log_path, "ab") as log_file:
            process = subprocess.Popen(
                args, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
                env={**os.environ, "IOCWALL_DATA_DIR": str(self.demo_dir / "server")},
            )
        self.processes.append(process)
        log.info("started %s (pid %d), log %s", name, process.pid, log_path)
        return process

    def start(self, timeout: float = 600.0,
              progress: Callable[[DemoProgress], None] | None = None) -> None:
        """Start the lab, then the backend; ``progress`` hears every step (it may pump the GUI:
        it is called on this thread, between waits)."""
        report = progress or (lambda _p: None)
        self.demo_dir.mkdir(parents=True, exist_ok=True)
        (self.demo_dir / "server").mkdir(exist_ok=True)
        # The lab reuses the camera credentials of its last manifest, so the old one stays; a fresh
        # write (after every mount answers) is the readiness signal.
        before = self.manifest_path.stat().st_mtime_ns if self.manifest_path.exists() else -1
        lab_args = [sys.executable, "-m", "lab", "--data-dir", str(self.demo_dir)]
        for option, value in (("--rtsp-port", self.lab_ports.rtsp),
                              ("--onvif-base-port", self.lab_ports.onvif_base),
                              ("--control-port", self.lab_ports.control),
                              ("--cameras", self.lab_ports.cameras)):
            if value is not None:
                lab_args += [option, str(value)]
        deadline = time.monotonic() + timeout
        lab_log = self.demo_dir / "lab.log"
        lab_log_start = lab_log.stat().st_size if lab_log.exists() else 0
        try:
            lab = self._spawn("lab", lab_args)
            self._wait(lambda: self.manifest_path.exists()
                       and self.manifest_path.stat().st_mtime_ns != before, lab, "lab manifest",
                       deadline, on_tick=lambda: self._lab_progress(lab_log, lab_log_start,
                                                                    report))
            parts = urlsplit(normalize_server_url(self.server_url))
            # HTTPS unless the URL asks for plain HTTP (development on loopback only)
            plain = ["--insecure-loopback"] if parts.scheme == "http" else []
            server = self._spawn("server", [
                sys.executable, "-m", "server", "--demo", "--lab-manifest",
                str(self.manifest_path), *plain, "--host", parts.hostname or "127.0.0.1",
                "--port", str(parts.port or 8700)])
            waiting_since = time.monotonic()
            report(DemoProgress("backend", 0, 0))
            self._wait(lambda: backend_answers(self.server_url, 0.5, self.site_ca), server,
                       "backend health",
                       deadline, on_tick=lambda: report(DemoProgress(
                           "backend", int(time.monotonic() - waiting_since), 0)))
        except BaseException:
            self.stop()
            raise

    def _lab_progress(self, log_path: Path, start: int,
                      report: Callable[[DemoProgress], None]) -> None:
        """Report the newest progress line the lab wrote since this start (if it is new)."""
        try:
            with open(log_path, "rb") as log_file:
                log_file.seek(start)
                text = log_file.read().decode("utf-8", "replace")
        except OSError:
            return
        matches = _LAB_PROGRESS.findall(text)
        if not matches:
            return
        stage, done, total = matches[-1]
        latest = DemoProgress(stage, int(done), int(total))
        if latest != self._last_lab_progress:
            self._last_lab_progress = latest
            report(latest)

    def _wait(self, ready: object, process: subprocess.Popen[bytes], what: str,
              deadline: float, on_tick: Callable[[], None] | None = None) -> None:
        assert callable(ready)
        while not ready():
            if on_tick is not None:
                on_tick()
            if process.poll() is not None:
                raise RuntimeError(f"{what}: the child process exited with {process.returncode}"
                                   f" (see {self.demo_dir})")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not ready in time (see {self.demo_dir})")
            time.sleep(0.2)
        if on_tick is not None:
            on_tick()  # the last step, which made it ready

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM each child's process group, then SIGKILL what is left; reap them all."""
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in reversed(self.processes):
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log.warning("child %d ignored SIGTERM; killing it", process.pid)
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
            # The group may hold grandchildren that outlived their parent.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.processes.clear()
