"""Recorded footage for the evidence tests: a one-camera lab, the real backend recording it in
2 s segments, and a wait for as much recorded video as a test needs."""

from __future__ import annotations

import json
import math
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.backend import BackendClient
from lab.testing import start_test_lab
from server.testing import start_test_server, stop_test_server


@dataclass
class Footage:
    base_url: str
    data_dir: Path
    camera_id: int  # CAM-01, in Đồng Phú

    def client(self, username: str = "ioc.operator") -> BackendClient:
        client = BackendClient(self.base_url)
        client.login(username, "demo")
        return client

    def recorded_range(self, seconds: float = 4.0, *, whole_seconds: bool = False
                       ) -> tuple[datetime, datetime]:
        """A span of ``seconds`` inside what is recorded now (waits until that much is), ending
        0.5 s before the newest recorded moment; ``whole_seconds`` rounds it inwards (the
        request dialog's editors have no finer unit)."""
        client = self.client()
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                ranges = client.recordings(self.camera_id)
                if ranges and (ranges[-1][1] - ranges[-1][0]).total_seconds() >= seconds + 2:
                    end = ranges[-1][1] - timedelta(seconds=0.5)
                    start = end - timedelta(seconds=seconds)
                    if not whole_seconds:
                        return start, end
                    return (datetime.fromtimestamp(math.ceil(start.timestamp()), UTC),
                            datetime.fromtimestamp(math.floor(end.timestamp()), UTC))
                time.sleep(0.3)
        finally:
            client.close()
        raise AssertionError(f"the recorder did not record {seconds + 2} s in 90 s")

    def public(self, path: str) -> Any:
        """The unauthenticated public API, as anyone on the internet reads it."""
        with urllib.request.urlopen(f"{self.base_url}/public/v1{path}", timeout=10) as reply:
            assert reply.status == 200
            return json.loads(reply.read())


@contextmanager
def recorded_footage(root: Path) -> Iterator[Footage]:
    """Lab and recording backend under ``root``, stopped on exit."""
    lab = start_test_lab(root / "lab", cameras=1)
    data_dir = root / "data"
    try:
        base, process = start_test_server(data_dir, lab.manifest_path, record=True,
                                          env_overrides={"IOCWALL_SEGMENT_SECONDS": "2"})
        try:
            client = BackendClient(base)
            client.login("ioc.operator", "demo")
            try:
                camera = next(c for c in client.cameras() if c.name.startswith("CAM-01"))
            finally:
                client.close()
            yield Footage(base, data_dir, camera.id)
        finally:
            stop_test_server(process)
    finally:
        lab.close()
