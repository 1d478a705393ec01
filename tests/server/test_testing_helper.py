"""``server.testing.start_test_server``: a real ``python -m server --demo`` on a free port."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from server.testing import start_test_server, stop_test_server
from tests.server.conftest import write_manifest


def test_child_server_serves_the_demo(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "lab.json")
    base_url, process = start_test_server(tmp_path / "data", manifest)
    try:
        request = urllib.request.Request(
            f"{base_url}/api/v1/auth/login", method="POST",
            data=json.dumps({"username": "ward.dongphu.police", "password": "demo"}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            token = json.loads(reply.read())["access_token"]
        request = urllib.request.Request(f"{base_url}/api/v1/cameras",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            cameras = json.loads(reply.read())
    finally:
        stop_test_server(process)
    assert process.returncode is not None
    assert [c["ward"] for c in cameras] == ["Đồng Phú"] * 4
    assert (tmp_path / "data" / "secret.key").stat().st_mode & 0o777 == 0o600
