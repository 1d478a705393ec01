"""Kill the backend (the child from ``start_test_server``) while it extracts a clip; start it
again on the same data dir: the request resumes and the clip completes and verifies. The
recorder and extraction ffmpeg children die with the killed server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psutil

from server.testing import start_test_server, stop_test_server


def _call(base: str, path: str, token: str | None = None, body: Any = None,
          method: str | None = None) -> Any:
    request = urllib.request.Request(
        f"{base}/api/v1{path}", method=method or ("POST" if body is not None else "GET"),
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=15) as reply:
        return json.loads(reply.read())


def _login(base: str, username: str) -> str:
    return str(_call(base, "/auth/login", body={"username": username, "password": "demo"}
                     )["access_token"])


def _ffmpeg_children(data_dir: Path) -> list[psutil.Process]:
    """The clip cutter's ffmpeg and the recorder's record child(ren) of this backend."""
    found = []
    for process in psutil.process_iter(["name", "cmdline", "cwd"]):
        cmdline = process.info.get("cmdline") or []
        if process.info.get("name") == "ffmpeg" and any(str(data_dir) in a for a in cmdline):
            found.append(process)
        elif "server.record_child" in cmdline and _descends_from_server(process, data_dir):
            found.append(process)
    return found


def _descends_from_server(process: psutil.Process, data_dir: Path) -> bool:
    """The record child takes its job on stdin: its parent's environment names the data dir."""
    try:
        parent = process.parent()
        return parent is not None and parent.environ().get("IOCWALL_DATA_DIR") == str(data_dir)
    except psutil.Error:
        return False


def _wait(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_extraction_resumes_after_the_server_is_killed(lab: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    slow = {"IOCWALL_SEGMENT_SECONDS": "2", "IOCWALL_CLIP_READRATE": "0.5"}
    base, process = start_test_server(data_dir, lab.manifest_path, record=True,
                                      env_overrides=slow)
    try:
        token = _login(base, "ioc.operator")
        camera = next(c for c in _call(base, "/cameras", token) if c["name"].startswith("CAM-01"))

        def recorded() -> Any:
            ranges = _call(base, f"/cameras/{camera['id']}/recordings", token)["ranges"]
            return ranges if ranges and (datetime.fromisoformat(ranges[-1]["end"])
                                         - datetime.fromisoformat(ranges[-1]["start"])
                                         ).total_seconds() >= 6 else None

        ranges = _wait(recorded, 40, "6 s of recording")
        end = datetime.fromisoformat(ranges[-1]["end"]) - timedelta(seconds=0.5)
        start = end - timedelta(seconds=5)
        created = _call(base, "/clips", token, {"camera_id": camera["id"],
                                                "start": start.isoformat(),
                                                "end": end.isoformat(), "purpose": "Sự cố"})
        request_id = created["id"]
        _wait(lambda: _call(base, f"/clips/{request_id}", token)["state"] == "extracting",
              10, "extracting")
        time.sleep(1.5)  # ffmpeg is cutting at half real time: about 10 s for this clip
        children = _ffmpeg_children(data_dir)
        assert len(children) >= 2  # the recorder's child(ren) and the extraction
        assert list((data_dir / "clips").glob("*.part"))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        gone = psutil.wait_procs(children, timeout=10)[1]
        assert gone == [], "children outlived the killed server"
        assert not (data_dir / "clips" / f"clip-{request_id}.mp4").exists()
    finally:
        stop_test_server(process)

    base, process = start_test_server(data_dir, lab.manifest_path, record=False)
    try:
        token = _login(base, "ioc.operator")
        final = _wait(lambda: (r := _call(base, f"/clips/{request_id}", token))["state"]
                      == "ready" and r, 30, "the resumed clip")
        attempts = [e["detail"] for e in final["events"] if e["action"] == "extracting"]
        assert attempts == [{"attempt": 1, "resumed": False}, {"attempt": 2, "resumed": True}]
        assert not list((data_dir / "clips").glob("*.part"))
    finally:
        stop_test_server(process)
    clip = data_dir / "clips" / f"clip-{request_id}.mp4"
    manifest = data_dir / "clips" / f"clip-{request_id}.manifest.json"
    verdict = subprocess.run([sys.executable, "-m", "server", "clip", "verify", str(clip),
                              str(manifest)], env=dict(os.environ, IOCWALL_DATA_DIR=str(data_dir)),
                             capture_output=True, text=True, timeout=60)
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert final["clip_sha256"] in verdict.stdout
