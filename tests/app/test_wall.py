"""The wall controller with real parts: a real VideoService (the lab is not needed: the stream is
refused, which the tile must report), a real backend receiving view_start / view_stop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.domain import Camera
from app.messages import MessageBridge
from app.ops import Ops
from app.video import StreamState, VideoService
from app.wall import WallController
from layouts import TEMPLATES, template


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


@pytest.fixture
def operator(backend_url: str) -> Iterator[BackendClient]:
    client = BackendClient(backend_url)
    client.login("ioc.operator", "demo")
    yield client
    client.close()


@pytest.fixture
def surface(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    widget.resize(320, 180)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def audit_rows(client: BackendClient, camera_id: int) -> list[str]:
    assert client.session is not None
    reply = requests.get(f"{client.server_url}/api/v1/audit", timeout=5,
                         headers={"Authorization": f"Bearer {client.session.access_token}"})
    reply.raise_for_status()
    return [row["event"] for row in sorted(reply.json(), key=lambda r: r["id"])
            if row.get("camera_id") == camera_id and row["event"].startswith("view_")]


def test_templates() -> None:
    assert {"1x1", "2x2", "3x3"} <= set(TEMPLATES)
    assert template("2x2").size == 4 and template("3x3").size == 9
    with pytest.raises(KeyError):
        template("5x7")


def test_assign_plays_the_sub_stream_and_audits(qtbot: QtBot, ops: Ops, messages: MessageBridge,
                                                video: VideoService, operator: BackendClient,
                                                surface: QWidget) -> None:
    cameras = operator.cameras()
    wall = WallController(video, ops, messages, audit=operator,
                          sessions=operator.stream_session_url)
    wall.set_cameras(cameras)
    camera: Camera = cameras[0]
    assert wall.next_free_cell() == 0
    with qtbot.waitSignal(wall.cell_changed, timeout=1000) as blocker:
        assert wall.assign(0, camera.id, int(surface.winId()))
    assert blocker.args == [0, camera]
    assert wall.cells == [camera.id, None, None, None]
    assert wall.next_free_cell() == 1
    key = wall.tile_key(0)
    assert wall.cell_of_tile_key(key) == 0
    # The fake manifest's stream does not exist: the tile must say so rather than stay silent.
    qtbot.waitUntil(lambda: video.status(key).state in (StreamState.CONNECTING,
                                                        StreamState.OFFLINE), timeout=5000)
    qtbot.waitUntil(lambda: audit_rows(operator, camera.id) == ["view_start"], timeout=5000)

    with qtbot.waitSignal(wall.cell_changed, timeout=1000) as blocker:
        wall.clear(0)
    assert blocker.args == [0, None]
    assert video.status(key).state is StreamState.STOPPED
    qtbot.waitUntil(lambda: audit_rows(operator, camera.id) == ["view_start", "view_stop"],
                    timeout=5000)


def test_unknown_camera_is_refused_with_a_message(qtbot: QtBot, ops: Ops,
                                                  messages: MessageBridge, video: VideoService,
                                                  surface: QWidget) -> None:
    wall = WallController(video, ops, messages)
    with qtbot.waitSignal(messages.posted, timeout=1000):
        assert not wall.assign(1, 999, int(surface.winId()))
    assert wall.cells == [None] * 4
    with pytest.raises(IndexError):
        wall.assign(4, 1, int(surface.winId()))
