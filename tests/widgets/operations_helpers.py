"""A main window with the wall and the Operations menu installed for one signed-in user, as
the client builds it, for the tests of what that menu opens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.capabilities import Capabilities
from app.messages import MessageBridge
from app.ops import Ops
from app.video import VideoService
from app.wall import WallController
from widgets.operations import Operations, install_operations
from widgets.wall_view import WallView


@contextmanager
def operations_window(client: BackendClient, ops: Ops, messages: MessageBridge, qtbot: QtBot,
                      **services: Any) -> Iterator[Operations]:
    """``install_operations`` on a fresh window for ``client``'s user with ``services``
    (incidents, cases, public_cameras, publications, duty …); closed and stopped after."""
    assert client.session is not None
    video = VideoService()
    controller = WallController(video, ops, messages)
    window = QMainWindow()
    qtbot.addWidget(window)
    view = WallView(controller, video, window)
    window.setCentralWidget(view)
    services.setdefault("cases", None)
    services.setdefault("public_cameras", None)
    try:
        operations = install_operations(
            window, capabilities=Capabilities.of(client.session.user), messages=messages,
            main_view=view, **services)
        yield operations
        operations.close()
    finally:
        controller.stop_for_exit()
        video.shutdown()
