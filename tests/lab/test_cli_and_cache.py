"""``python -m lab`` as a process (manifest, no secrets on the console, controls, no orphans)
and the clip cache."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from lab import Lab
from lab.clips import ClipSpec, paths_for
from lab.util import rtsp_describe

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]


def start_cli(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lab", "--cameras", "1", "--data-dir", str(data_dir),
         "--rtsp-port", "0", "--onvif-base-port", "0", "--control-port", "0",
         "--clip-seconds", "4"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def read_until_controls(proc: subprocess.Popen[str], timeout: float = 120) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if line.startswith("controls: "):
            return lines
    raise AssertionError("no 'controls:' line; output:\n" + "\n".join(lines))


def rtsp_child(proc: subprocess.Popen[str]) -> psutil.Process:
    (child,) = [c for c in psutil.Process(proc.pid).children() if "rtsp_server.py" in " ".join(
        c.cmdline())]
    return child


def test_cli_serves_writes_manifest_hides_secrets_and_cleans_up(tmp_path: Path) -> None:
    proc = start_cli(tmp_path)
    try:
        lines = read_until_controls(proc)
        manifest = json.loads((tmp_path / "lab.json").read_text(encoding="utf-8"))
        (cam,) = manifest["cameras"]
        assert cam["name"] == "CAM-01 Quảng trường Hồ Chí Minh"
        assert (tmp_path / "lab.json").stat().st_mode & 0o077 == 0  # credentials: owner only
        console = "\n".join(lines)
        assert cam["rtsp_password"] not in console and cam["onvif_password"] not in console
        assert cam["main_url"] in console
        # a PTZ camera (its live pipeline is prepared on this DESCRIBE): 200 at once, no 503
        # (tests/lab/test_ptz_describe.py)
        assert rtsp_describe(cam["main_url"], cam["rtsp_username"], cam["rtsp_password"]) == 200
        # The HTTP control endpoint drives the same lab.
        port = int(re.search(r"127\.0\.0\.1:(\d+)/cameras", lines[-1]).group(1))  # type: ignore[union-attr]
        import urllib.request

        req = urllib.request.Request(f"http://127.0.0.1:{port}/cameras/0/stop", method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            assert json.load(r) == {"ok": True}
        assert rtsp_describe(cam["main_url"], cam["rtsp_username"], cam["rtsp_password"]) == 404
        child = rtsp_child(proc)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        child.wait(5)  # raises psutil.TimeoutExpired if the child outlived the lab
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_child_exits_when_the_lab_process_is_killed(tmp_path: Path) -> None:
    proc = start_cli(tmp_path)
    try:
        read_until_controls(proc)
        child = rtsp_child(proc)
        proc.send_signal(signal.SIGKILL)  # no cleanup code runs in the parent
        proc.wait(5)
        child.wait(5)  # stdin EOF ends it: no orphan RTSP server
        assert not psutil.pid_exists(child.pid) or child.status() == psutil.STATUS_ZOMBIE
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_lab_close_leaves_no_child(tmp_path: Path) -> None:
    lab = Lab.start(cameras=1, data_dir=tmp_path, clip_seconds=4, control_port=None)
    pid = lab.rtsp_pid()
    assert psutil.pid_exists(pid)
    lab.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_second_start_reuses_cached_clips_and_credentials(tmp_path: Path) -> None:
    with Lab.start(cameras=1, data_dir=tmp_path, clip_seconds=4, control_port=None) as first:
        cam1 = first.cameras[0]
        clip = first.clips[0].main
        mtime = clip.stat().st_mtime_ns
    started = time.monotonic()
    with Lab.start(cameras=1, data_dir=tmp_path, clip_seconds=4, control_port=None) as second:
        elapsed = time.monotonic() - started
        assert second.clips[0].main == clip and clip.stat().st_mtime_ns == mtime
        assert second.cameras[0].rtsp_password == cam1.rtsp_password
        assert second.cameras[0].onvif_password == cam1.onvif_password
    assert elapsed < 5, f"cached start took {elapsed:.1f} s"
    leftovers = [p.name for p in (tmp_path / "lab-cache").iterdir() if p.name.startswith(".")]
    assert leftovers == []  # temporary encode dirs are gone


def test_cache_key_changes_with_every_parameter(tmp_path: Path) -> None:
    base = ClipSpec(index=0, name="CAM-01", main_width=1280, main_height=720, seconds=4)
    variants = [
        ClipSpec(index=0, name="CAM-01 x", main_width=1280, main_height=720, seconds=4),
        ClipSpec(index=0, name="CAM-01", main_width=1920, main_height=1080, seconds=4),
        ClipSpec(index=0, name="CAM-01", main_width=1280, main_height=720, seconds=5),
        ClipSpec(index=0, name="CAM-01", main_width=1280, main_height=720, seconds=4,
                 main_kbps=2000),
    ]
    keys = {paths_for(tmp_path, s).main for s in [base, *variants]}
    assert len(keys) == 5


def test_lab_camera_repr_hides_the_password() -> None:
    # (the lab prints no credentialed URL; mask_url is common's: tests/common/test_urls.py)
    assert "s3cr3t" not in repr(
        __import__("lab").LabCamera(0, "n", "l", "u", "u", "viewer", "s3cr3t", False, None, None,
                                    None, None, 1280, 720))


def test_rtsp_child_imports_only_stdlib_and_gi() -> None:
    source = (ROOT / "lab" / "rtsp_server.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:from|import) (\w+)", source, flags=re.M))
    allowed = set(sys.stdlib_module_names) | {"gi"}
    assert imported <= allowed, imported - allowed
    assert os.access("/usr/bin/python3", os.X_OK)
