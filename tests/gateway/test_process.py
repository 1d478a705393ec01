"""The gateway as a process: its secrets stay out of argv, environment, logs and files; it
restarts cleanly on the same port; a taken port fails loudly."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayError, GatewayProcess
from lab import Lab
from tests.gateway.helpers import Reader, camera_id, gateway_config, issue, probe_video, session_url

pytestmark = pytest.mark.lab


def secrets_of(lab: Lab, config: dict) -> list[str]:
    return [*(c.rtsp_password for c in lab.cameras), config["control"]["secret"]]


def test_no_secret_in_argv_environment_logs_or_files(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    config = gateway_config(lab, signing_key)
    secrets = secrets_of(lab, config)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    with GatewayProcess(config, cwd=workdir) as gateway:
        for index in (1, 2):
            claims = issue(signing_key, camera_id(lab.cameras[index]), "main")
            probe_video(session_url(gateway, claims, signing_key))
        proc = Path(f"/proc/{gateway.pid}")
        exposed = {"cmdline": (proc / "cmdline").read_bytes(),
                   "environ": (proc / "environ").read_bytes()}
        for fd in (proc / "fd").iterdir():
            try:  # a descriptor may close between the listing and the look
                target = Path(os.readlink(fd))
                if target.is_file():
                    exposed[str(target)] = target.read_bytes()
            except FileNotFoundError:
                continue
        umask = next(line for line in (proc / "status").read_text().splitlines()
                     if line.startswith("Umask:"))
        assert umask.split()[1] == "0077"
    written = [p for p in workdir.rglob("*") if p.is_file()]
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
        exposed[str(path)] = path.read_bytes()
    exposed["stderr"] = "\n".join(gateway.stderr_lines).encode()
    exposed["stdout"] = "\n".join(map(str, gateway.events)).encode()
    assert b"session_start" in exposed["stdout"]
    for where, data in exposed.items():
        for secret in secrets:
            assert secret.encode() not in data, f"a secret in {where}"


def test_killed_and_restarted_on_the_same_port_it_plays_again(
        lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    first = GatewayProcess(gateway_config(lab, signing_key))
    port = first.rtsp_port
    cam = lab.cameras[2]
    viewer = Reader(session_url(first, issue(signing_key, camera_id(cam), "sub"),
                                signing_key)).start()
    try:
        viewer.wait_playing()
        first.kill()  # as a crash: connections left behind in TIME_WAIT
        assert viewer.ended.wait(10)
    finally:
        viewer.close()
        first.stop()
    with GatewayProcess(gateway_config(lab, signing_key, rtsp_port=port)) as second:
        assert second.rtsp_port == port
        claims = issue(signing_key, camera_id(cam), "sub")
        assert probe_video(session_url(second, claims, signing_key))["codec_name"] == "h264"
        # the port is taken now: GStreamer's silent refusal becomes a loud one
        with pytest.raises(GatewayError, match="cannot listen"):
            GatewayProcess(gateway_config(lab, signing_key, rtsp_port=port))


def test_a_bad_configuration_fails_loudly_without_echoing_it(
        lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    config = gateway_config(lab, signing_key)
    config["token_keys"] = ["not a key"]
    with pytest.raises(GatewayError, match="token_keys") as caught:
        GatewayProcess(config)
    assert lab.cameras[0].rtsp_password not in str(caught.value)


def test_stopping_ends_every_live_session_with_a_line(
        lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    gateway = GatewayProcess(gateway_config(lab, signing_key))
    claims = issue(signing_key, camera_id(lab.cameras[1]), "sub")
    viewer = Reader(session_url(gateway, claims, signing_key)).start()
    try:
        viewer.wait_playing()
        gateway.stop()  # EOF on its stdin, as when the backend goes away
        assert viewer.ended.wait(10)
    finally:
        viewer.close()
        gateway.stop()
    end = gateway.wait_for(lambda e: e.get("event") == "session_end"
                           and e.get("session_id") == claims.session_id, 5)
    assert end is not None and end["reason"] == "shutdown"
    assert gateway.proc.returncode == 0
