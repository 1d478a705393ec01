"""CameraDirectory: polls the list, says ``changed`` only for a different one, survives a
failed poll. (The backend's side of a change reaching a running wall: tests/e2e.)"""

from __future__ import annotations

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.camera_directory import CameraDirectory
from app.domain import Camera, CameraSystem
from app.errors import BackendUnreachable
from app.ops import Ops


def cam(ident: int, ward: str = "Đồng Phú") -> Camera:
    return Camera(id=ident, name=f"CAM-{ident}", ward=ward, ward_id=1,
                  system=CameraSystem.SMART_CITY, streams=("main", "sub"))


class Server:
    def __init__(self, cameras: list[Camera]) -> None:
        self.cameras = cameras
        self.down = False
        self.asked = 0

    def fetch(self) -> list[Camera]:
        self.asked += 1
        if self.down:
            raise BackendUnreachable("server down")
        return list(self.cameras)


def test_a_change_on_the_server_is_announced_once_and_the_same_list_is_quiet(
        qtbot: QtBot, ops: Ops) -> None:
    owner = QObject()
    server = Server([cam(1), cam(2)])
    directory = CameraDirectory(server.fetch, ops, owner, interval_ms=50)
    seen: list[list[Camera]] = []
    directory.changed.connect(seen.append)
    directory.shown([cam(2), cam(1)])  # the window loaded it itself, in another order
    directory.start()
    qtbot.waitUntil(lambda: server.asked >= 3, timeout=5000)
    assert seen == []  # the same list: nothing rebuilt
    assert server.asked >= 3  # polled on its own, from one interval on

    server.cameras = [cam(1), cam(2, ward="Hải Thành"), cam(3)]  # moved, and a new one
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    assert [c.id for c in seen[0]] == [1, 2, 3] and seen[0][1].ward == "Hải Thành"
    asked = server.asked
    qtbot.waitUntil(lambda: server.asked >= asked + 3, timeout=5000)
    assert len(seen) == 1

    server.cameras = [cam(1)]  # deactivated, or no longer this user's
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert [c.id for c in seen[1]] == [1]
    directory.stop()


def test_a_failed_poll_keeps_the_list_and_polling_goes_on(qtbot: QtBot, ops: Ops) -> None:
    owner = QObject()
    server = Server([cam(1)])
    directory = CameraDirectory(server.fetch, ops, owner, interval_ms=50)
    directory.shown([cam(1)])
    seen: list[list[Camera]] = []
    directory.changed.connect(seen.append)
    server.down = True
    directory.start()
    qtbot.waitUntil(lambda: server.asked >= 3, timeout=5000)
    assert seen == [] and directory.cameras == [cam(1)]
    server.down = False
    server.cameras = [cam(1), cam(4)]
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    assert [c.id for c in seen[0]] == [1, 4]
    directory.stop()
