"""No camera password where anybody but the gateway can read it, while the wall plays through
the gateway, a commander holds a PTZ lease and the recorder records: not in any API answer to
any demo role, not in any log line (backend, gateway, recorder, this client), not in any
process's command line or environment on the machine, not in the backend's data folder (its
database holds the passwords sealed to the gateway's key only).

The lab is the cameras: its manifest and its own log are where the passwords come from, as
the installer's sheet would be on a real site; nothing else is exempt."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.credentials import TokenStore
from app.demo import DemoStack
from app.settings import SettingsStore
from app.video import VideoService
from server.demo import DEMO_PASSWORD, USERS
from tests.e2e.helpers import play_four_tiles

pytestmark = [pytest.mark.video, pytest.mark.lab]

MEDIA = (".ts", ".mkv", ".mp4")  # recorded pictures: no text in them to leak


def camera_secrets(stack: DemoStack) -> set[str]:
    cameras = json.loads(stack.manifest_path.read_text(encoding="utf-8"))["cameras"]
    found = {camera.get(name) for camera in cameras
             for name in ("rtsp_password", "onvif_password")}
    secrets = {s for s in found if isinstance(s, str) and s}
    assert len(secrets) >= len(cameras), "the lab's cameras have passwords"
    return secrets


class Api:
    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.http = requests.Session()
        reply = self.http.post(f"{base}/api/v1/auth/login",
                               json={"username": username, "password": DEMO_PASSWORD}, timeout=10)
        assert reply.status_code == 200, reply.text
        self.http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.base}/api/v1{path}", timeout=30, **kwargs)


def every_answer(base: str, camera_ids: list[int]) -> list[bytes]:
    """Every GET of the API (camera routes for every camera, other ids 1) and every session the
    API hands out, for every demo role: the bytes of each answer, refusals included."""
    paths = requests.get(f"{base}/openapi.json", timeout=10).json()["paths"]
    answers: list[bytes] = []
    for username, *_ in USERS:
        api = Api(base, username)
        for path, operations in paths.items():
            if "get" not in operations or not path.startswith("/api/v1/"):
                continue
            route = path.removeprefix("/api/v1")
            ids = camera_ids if "{camera_id}" in route else [1]
            for camera_id in ids:
                concrete = re.sub(r"\{[^}]+\}", "1", route.replace("{camera_id}",
                                                                   str(camera_id)))
                answers.append(api.call("GET", concrete).content)
        for camera_id in camera_ids:
            for stream in ("main", "sub"):
                answers.append(api.call("POST", f"/cameras/{camera_id}/streams/{stream}/session"
                                        ).content)
            answers.append(api.call("POST", f"/cameras/{camera_id}/ptz/access").content)
    return answers


def every_process() -> dict[str, bytes]:
    """The command line and environment of every process this account can read."""
    seen: dict[str, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        for part in ("cmdline", "environ"):
            try:
                seen[f"{entry.name}/{part}"] = (entry / part).read_bytes()
            except OSError:
                continue  # gone meanwhile, or not ours to read
    return seen


def every_file(folder: Path, exempt: set[Path]) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in folder.rglob("*")
            if path.is_file() and path not in exempt and path.suffix not in MEDIA}


def test_no_camera_password_in_any_answer_log_process_or_file_while_it_all_runs(
        qtbot: QtBot, qapp: QApplication, stack: DemoStack, tmp_path: Path,
        video: VideoService, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = camera_secrets(stack)
    base = stack.server_url.rstrip("/")

    # the wall: four tiles through the gateway, as the ward police sees them
    auth = AuthService(SettingsStore(tmp_path), TokenStore())
    auth.login(stack.server_url, "ward.dongphu.police", DEMO_PASSWORD, False)
    client = auth.client
    assert client is not None
    keys, _tiles, _ids = play_four_tiles(qtbot, video, client, "leak")

    # a commander holds a PTZ lease (its answer carries the gateway's PTZ access)
    operator = Api(base, "police.commander")
    all_cameras = operator.call("GET", "/cameras").json()
    camera_ids = sorted(c["id"] for c in all_cameras)
    ptz_camera = next(c["id"] for c in all_cameras if "ptz" in c["actions"])
    lease = operator.call("POST", f"/cameras/{ptz_camera}/ptz/lease")
    assert lease.status_code == 200, lease.text

    # the recorder has recorded (a segment closed and indexed)
    def recorded() -> bool:
        reply = operator.call("GET", f"/cameras/{camera_ids[0]}/recordings")
        return reply.status_code == 200 and bool(reply.json().get("ranges"))

    deadline = time.monotonic() + 60
    while not recorded():
        assert time.monotonic() < deadline, "the recorder recorded nothing in 60 s"
        qtbot.wait(500)

    try:
        exposed: dict[str, bytes] = {"lease answer": lease.content}
        exposed.update({f"answer {n}": body
                        for n, body in enumerate(every_answer(base, camera_ids))})
        exposed.update(every_process())
        # backend, gateway and recorder logs, and the backend's data folder (its database)
        exposed.update(every_file(stack.demo_dir, {stack.manifest_path,
                                                   stack.demo_dir / "lab.log"}))
        exposed["client log"] = caplog.text.encode()
        assert len(exposed) > 500, "the scan read almost nothing"
        assert any(b"session" in body for body in exposed.values())
        leaks = sorted({where for where, data in exposed.items()
                        for secret in secrets if secret.encode() in data})
        assert leaks == [], f"a camera password in: {leaks[:20]}"
    finally:
        operator.call("DELETE", f"/cameras/{ptz_camera}/ptz/lease")
        for key in keys:
            video.stop(key)
