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
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

from app.backend import normalize_server_url

log = logging.getLogger("iocwall.demo")

REPO_ROOT = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1


@dataclass
class LabPorts:
    rtsp: int | None = None
    onvif_base: int | None = None
    control: int | None = None
    cameras: int | None = None


def backend_answers(server_url: str, timeout: float = 1.0) -> bool:
    try:
        response = requests.get(f"{normalize_server_url(server_url)}/api/v1/health",
                                timeout=timeout)
    except requests.RequestException:
        return False
    return response.status_code == 200


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

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"

    @property
    def manifest_path(self) -> Path:
        return self.demo_dir / "lab.json"

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

    def start(self, timeout: float = 90.0) -> None:
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
        try:
            lab = self._spawn("lab", lab_args)
            self._wait(lambda: self.manifest_path.exists()
                       and self.manifest_path.stat().st_mtime_ns != before, lab, "lab manifest",
                       deadline)
            parts = urlsplit(normalize_server_url(self.server_url))
            server = self._spawn("server", [
                sys.executable, "-m", "server", "--demo", "--lab-manifest",
                str(self.manifest_path), "--host", parts.hostname or "127.0.0.1",
                "--port", str(parts.port or 8700)])
            self._wait(lambda: backend_answers(self.server_url, 0.5), server, "backend health",
                       deadline)
        except BaseException:
            self.stop()
            raise

    def _wait(self, ready: object, process: subprocess.Popen[bytes], what: str,
              deadline: float) -> None:
        assert callable(ready)
        while not ready():
            if process.poll() is not None:
                raise RuntimeError(f"{what}: the child process exited with {process.returncode}"
                                   f" (see {self.demo_dir})")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not ready in time (see {self.demo_dir})")
            time.sleep(0.2)

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
