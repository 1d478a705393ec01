"""The backend's data — database, keys, recordings, letters — is readable by its own user only:
the data dir 0700 and everything the server (and its ffmpeg) writes 0600 / 0700."""

from __future__ import annotations

import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from server.testing import start_test_server, stop_test_server
from tests.server.conftest import TestDatabases
from tests.server.test_access_requests import PDF


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_the_server_writes_is_private(tmp_path: Path, lab: Any,
                                                database: TestDatabases) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # as an installer might leave it
    data.chmod(0o755)
    database_url = database.create(data)
    url, process = start_test_server(data, lab.manifest_path, record=True,
                                     env_overrides={"IOCWALL_SEGMENT_SECONDS": "1",
                                                    "IOCWALL_DATABASE_URL": database_url})
    try:
        api = f"{url}/api/v1"
        token = requests.post(f"{api}/auth/login", json={"username": "agency.viewer",
                                                         "password": "demo"}, timeout=10
                              ).json()["access_token"]
        now = datetime.now(UTC)
        camera = requests.get(f"{api}/access-requests/cameras", timeout=10,
                              headers={"Authorization": f"Bearer {token}"}).json()[0]["id"]
        filed = requests.post(f"{api}/access-requests", timeout=10,
                              headers={"Authorization": f"Bearer {token}"},
                              data={"content": "Xem camera khu vực chợ",
                                    "purpose": "Điều tra vụ trộm cắp tài sản",
                                    "commitment": "Cam kết chỉ sử dụng cho mục đích đã nêu",
                                    "camera_ids": str(camera),
                                    "wanted_from": now.isoformat(),
                                    "wanted_until": (now + timedelta(days=1)).isoformat()},
                              files={"letter": ("cong-van.pdf", PDF, "application/pdf")})
        assert filed.status_code == 201, filed.text
        deadline = time.monotonic() + 30
        while not list(data.glob("recordings/*/*.ts")) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_test_server(process)
    written = [p for p in data.rglob("*") if p.name != "server.log"]  # the test's own log
    assert any(p.suffix == ".ts" for p in written), "no recording was written"
    assert any(p.parent.name == "letters" for p in written), "no letter was stored"
    assert any(p.name.endswith(".db") for p in written) == (database.dialect == "sqlite")
    assert any(p.name.endswith(".key") for p in written)
    assert _mode(data) == 0o700
    loose = [f"{p.relative_to(data)} {oct(_mode(p))}" for p in written
             if _mode(p) != (0o700 if p.is_dir() else 0o600)]
    assert loose == []
