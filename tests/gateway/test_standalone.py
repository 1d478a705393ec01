"""A gateway on another machine: ``python3 -m gateway --config FILE`` as systemd runs it. It
reads its configuration from an owner-only file, ignores its stdin, gets its cameras from the
backend (``PUT /cameras``) and stops at SIGTERM; a file others may read is refused unread."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import PASSED_ENVIRONMENT, ROOT, GatewayProcess
from lab import Lab
from tests.gateway.helpers import Reader, camera_id, gateway_config, issue, refused, session_url

pytestmark = pytest.mark.lab

SYSTEM_PYTHON = "/usr/bin/python3"  # as systemd's unit starts it


def write_config(path: Path, config: dict[str, Any], mode: int) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(config, handle)
    os.chmod(path, mode)  # the umask may have taken bits off
    return path


def site_config(lab: Lab, key: Ed25519PrivateKey, tmp_path: Path) -> dict[str, Any]:
    """What an administrator writes: ports, secret, token key, key file; no camera."""
    config = gateway_config(lab, key)
    del config["cameras"]
    config["key_file"] = str(tmp_path / "state" / "x25519.key")
    config["ptz"] = {"address": "127.0.0.1", "port": 0}
    return config


def run_refused(path: Path) -> subprocess.CompletedProcess[str]:
    env = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([SYSTEM_PYTHON, "-m", "gateway", "--config", str(path)],
                          capture_output=True, text=True, env=env, cwd=str(ROOT),
                          stdin=subprocess.DEVNULL, timeout=60, check=False)


def test_it_runs_from_its_file_past_stdin_eof_plays_what_it_is_sent_and_stops_at_sigterm(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    config = site_config(lab, signing_key, tmp_path)
    path = write_config(tmp_path / "gateway.json", config, 0o600)
    with GatewayProcess(config, config_file=path) as gateway:
        ready = gateway.wait_for(lambda e: e.get("event") == "ready", 0)
        assert ready is not None and ready["ok"]
        assert {"rtsp_port", "control_port", "ptz_port"} <= set(ready)
        assert gateway.public_key and ready["public_key"] == gateway.public_key
        assert gateway.stdin.closed  # its stdin reached EOF, and it serves on
        assert gateway.control("GET", "/health")[1]["cameras_version"] == ""
        cam = lab.cameras[1]
        table = [e for e in gateway_config(lab, signing_key)["cameras"]
                 if e["camera_id"] == camera_id(cam)]
        assert gateway.replace_cameras(table, "site-v1")["mounted"] == 2
        assert gateway.control("GET", "/health")[1]["cameras_version"] == "site-v1"
        viewer = Reader(session_url(gateway, issue(signing_key, camera_id(cam), "sub"),
                                    signing_key)).start()
        try:
            viewer.wait_playing()
            assert gateway.alive()
            # a camera it was not sent is not served
            assert refused(session_url(gateway, issue(signing_key, camera_id(lab.cameras[2])),
                                       signing_key))
            gateway.proc.send_signal(signal.SIGTERM)
            assert gateway.wait(10) == 0
        finally:
            viewer.close()
        end = gateway.wait_for(lambda e: e.get("event") == "session_end", 5)
        assert end is not None and end["reason"] == "shutdown"
        assert any("gateway stopping" in line for line in gateway.stderr_lines)
        logs = "\n".join(gateway.stderr_lines)
        assert config["control"]["secret"] not in logs and cam.rtsp_password not in logs


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_file_others_may_read_or_write_is_refused_naming_its_mode_not_its_secret(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path, mode: int) -> None:
    config = site_config(lab, signing_key, tmp_path)
    path = write_config(tmp_path / "gateway.json", config, mode)
    done = run_refused(path)
    assert done.returncode == 2, done.stderr
    assert f"file mode {mode:04o}" in done.stderr and str(path) in done.stderr
    for stream in (done.stderr, done.stdout):
        assert config["control"]["secret"] not in stream
    (event,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert event["event"] == "ready" and event["ok"] is False
    assert not (tmp_path / "state").exists()  # refused before the key file was touched


def test_what_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "gateway.fifo"
    os.mkfifo(fifo, 0o600)
    directory = tmp_path / "etc"
    directory.mkdir(mode=0o700)
    for path in (fifo, directory):
        done = run_refused(path)
        assert done.returncode == 2
        assert f"{path}: not a regular file" in done.stderr
    missing = run_refused(tmp_path / "absent.json")
    assert missing.returncode == 2 and "cannot be opened" in missing.stderr
