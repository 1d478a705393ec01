"""Fixtures for the video pipeline: the real camera lab, a real libvlc service, tiles under Xvfb."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from pytestqt.qtbot import QtBot

from app.video import VideoService
from widgets.tile import VideoTile


def with_credentials(url: str, username: str, password: str) -> str:
    """``rtsp://host/path`` → ``rtsp://user:pass@host/path`` (as the backend hands them out)."""
    parts = urlsplit(url)
    netloc = f"{quote(username, safe='')}:{quote(password, safe='')}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def camera_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The real camera lab (GStreamer RTSP server) on free loopback ports, for the whole session.

    Tests that freeze or stop a camera use their own camera index and restore it.
    """
    from lab.testing import start_test_lab

    data_dir: Path = tmp_path_factory.mktemp("lab")
    with start_test_lab(data_dir) as lab:
        yield lab


def sub_url(lab: Any, index: int, password: str | None = None) -> str:
    """The credentialed 360p sub stream URL of lab camera ``index``."""
    camera = lab.cameras[index]
    return with_credentials(
        camera.sub_url, camera.rtsp_username,
        camera.rtsp_password if password is None else password,
    )


@pytest.fixture
def video_service(qtbot: QtBot) -> Iterator[VideoService]:
    """A real VideoService (libvlc, PyAV) shut down after the test."""
    service = VideoService(hw_decode="auto")
    try:
        yield service
    finally:
        service.shutdown()


@pytest.fixture
def tile(qtbot: QtBot) -> VideoTile:
    """A shown 640×400 tile at the top-left of the Xvfb screen (nothing covers it)."""
    widget = VideoTile(0)
    qtbot.addWidget(widget)
    widget.setGeometry(0, 0, 640, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
