"""Smoke test of ``main.py --demo`` as a user starts it: on free ports (so it never collides with a
running demo), it starts the lab and the backend (HTTPS with the demo's own site CA, which the
client trusts without a question since it runs that backend; the tiles play RTSPS through the
embedded gateway), logs in as ioc.operator, gets four live tiles, and on SIGTERM exits 0
leaving no child process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.app.helpers import free_port

pytestmark = [pytest.mark.video, pytest.mark.lab]

REPO = Path(__file__).resolve().parents[2]


def process_group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def test_main_demo_starts_logs_in_fills_the_wall_and_exits_cleanly(tmp_path: Path) -> None:
    server_port = free_port()
    env = {**os.environ, "IOCWALL_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "main.py", "--demo", "--server", f"https://127.0.0.1:{server_port}",
         "--lab-cameras", "4", "--lab-rtsp-port", str(free_port()),
         "--lab-control-port", str(free_port()), "--lab-onvif-base-port", "0"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")),  # type: ignore[union-attr]
                              daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while not any("wall live: 4/4 tiles" in line for line in lines):
            assert process.poll() is None, "main.py exited early:\n" + "".join(lines[-40:])
            assert time.monotonic() < deadline, "no live wall in time:\n" + "".join(lines[-40:])
            time.sleep(0.2)
        log = "".join(lines)
        assert "logged in as ioc.operator" in log
        site_ca = tmp_path / "data" / "demo" / "server" / "tls" / "ca.crt"
        (pinned,) = (tmp_path / "data" / "trust").glob("*.crt")
        assert pinned.read_bytes().strip() == site_ca.read_bytes().strip()
        # A fresh data dir: the lab encodes its clips first, and the terminal says how far.
        assert "iocwall: preparing camera lab: 0/4 clips…" in log
        assert "iocwall: preparing camera lab: 4/4 clips…" in log
        assert "iocwall: starting camera lab: 8/8 streams answer…" in log
        assert "iocwall: starting the demo backend… 0 s" in log
        window = next(line for line in lines if "main window: menus" in line)
        assert "Chứng cứ" in window or "Evidence" in window, window  # the evidence panels
        assert "ptzDock" in window and "bookmarks_dock" in window, window
        shot = tmp_path / "main-demo.png"
        subprocess.run(["import", "-window", "root", str(shot)], check=True, timeout=30)
        print(f"\nmain.py --demo screenshot: {shot}")
        children = [int(pid) for pid in re.findall(r"started (?:lab|server) \(pid (\d+)\)", log)]
        assert len(children) == 2, log
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, "".join(lines[-40:])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    reader.join(timeout=5)
    log = "".join(lines)
    assert "iocwall stopped" in log
    assert "rtsp://" not in log or not re.search(r"rtsp://[^/\s]*:[^/\s]*@", log), \
        "a credentialed URL was logged"
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or process_group_members(pid) == [], \
            f"child {pid} (or its group) outlived main.py"
        assert process_group_members(pid) == []
