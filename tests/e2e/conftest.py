"""The end-to-end tests' shared parts: one demo stack (lab + backend with its gateway and
recorder, as `make run` starts them) for the whole video session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from app.demo import DemoStack, LabPorts
from app.video import VideoService
from tests.app.helpers import backend_url, free_port, messages, ops, qloop  # noqa: F401 (fixtures)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStack]:
    root = tmp_path_factory.mktemp("e2e")
    demo = DemoStack(root, f"http://127.0.0.1:{free_port()}",
                     LabPorts(rtsp=free_port(), onvif_base=0, control=free_port(), cameras=8))
    demo.start(timeout=180)
    try:
        yield demo
    finally:
        demo.stop()
    assert all(p.poll() is not None for p in demo.processes)


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()
