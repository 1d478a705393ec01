"""A private Xvfb for the suite: video needs a real X server (offscreen cannot host libvlc)."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Xvfb:
    process: subprocess.Popen[bytes]
    display: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _die_with_parent() -> None:
    """In the child before exec: a crashed test run takes its Xvfb with it (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_xvfb(width: int = 1920, height: int = 1080, screens: int = 1) -> Xvfb:
    """Start Xvfb on a free display number it picks itself (-displayfd) and return it."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed: run 'make test' (it installs xvfb with apt-get)")
    read_fd, write_fd = os.pipe()
    args = ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset"]
    for n in range(screens):
        args += ["-screen", str(n), f"{width}x{height}x24"]
    process = subprocess.Popen(
        args, pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as reader:
        number = reader.readline().strip()
    if not number:
        process.kill()
        raise RuntimeError("Xvfb did not report a display number")
    return Xvfb(process=process, display=f":{number}")
