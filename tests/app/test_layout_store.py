"""Saved layouts through a real backend (child process): save, rename, startup, share, delete; a
unit mate reads a shared layout but cannot change it; a camera the user may no longer view comes
back as "no permission" and the wall never asks for its stream; the local cache brings the wall
back when the backend is down."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.domain import Layout
from app.layout_store import CachedLayouts, LayoutCache, LayoutLibrary
from app.messages import Level, MessageBridge
from app.ops import Ops
from app.video import VideoService
from app.wall import CellKind, WallController
from layouts import template
from server.testing import start_test_server, stop_test_server
from tests.app.helpers import fake_manifest


class SpyVideo(VideoService):
    """The real service, remembering which tiles it was asked to play."""

    def __init__(self) -> None:
        super().__init__()
        self.played: list[str] = []

    def play(self, tile_key: str, url: str, window_id: int, label: str,
             **kwargs: Any) -> None:
        self.played.append(tile_key)
        super().play(tile_key, url, window_id, label, **kwargs)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("layouts")
    url, process = start_test_server(root / "data", fake_manifest(root / "lab.json"))
    try:
        yield url, root / "data"
    finally:
        stop_test_server(process)


def login(url: str, username: str) -> BackendClient:
    client = BackendClient(url)
    client.login(username, "demo")
    return client


def library(client: BackendClient, ops: Ops, messages: MessageBridge,
            cache_dir: Path) -> LayoutLibrary:
    assert client.session is not None
    cache = LayoutCache(cache_dir, client.server_url, client.session.user.username)
    return LayoutLibrary(client, ops, messages, cache)


def wait_list(qtbot: QtBot, lib: LayoutLibrary, predicate: Any) -> list[Layout]:
    qtbot.waitUntil(lambda: predicate(lib.layouts), timeout=15000)
    return lib.layouts


def names(layouts: list[Layout]) -> list[str]:
    return [x.name for x in layouts]


def test_round_trip_save_rename_startup_delete(qtbot: QtBot, ops: Ops, messages: MessageBridge,
                                               server: tuple[str, Path],
                                               tmp_path: Path) -> None:
    client = login(server[0], "ioc.operator")
    cameras = sorted(client.cameras(), key=lambda c: c.id)
    lib = library(client, ops, messages, tmp_path)
    with qtbot.waitSignal(lib.layouts_changed, timeout=15000):
        lib.refresh()
    assert lib.layouts == [] and lib.backend_reachable is True

    grid = template("1+5")
    wall_cameras: list[int | None] = [cameras[0].id, None, cameras[2].id, None, None,
                                      cameras[5].id]
    with qtbot.waitSignal(lib.saved, timeout=15000) as blocker:
        lib.save_as(Layout.from_wall("Quảng trường 1+5", grid, wall_cameras))
    saved: Layout = blocker.args[0]
    assert saved.id is not None and saved.version == 1 and saved.editable
    assert saved.grid() == grid
    assert saved.camera_ids() == wall_cameras
    assert saved.items[0].camera_name == cameras[0].name and saved.items[0].permitted
    wait_list(qtbot, lib, lambda ls: names(ls) == ["Quảng trường 1+5"])

    # A second one, then rename the first and make it the startup layout.
    with qtbot.waitSignal(lib.saved, timeout=15000):
        lib.save_as(Layout.from_wall("Toàn cảnh 3×3", template("3x3"),
                                     [c.id for c in cameras]))
    with qtbot.waitSignal(lib.saved, timeout=15000) as blocker:
        lib.rename(saved, "Ca đêm")
    renamed: Layout = blocker.args[0]
    assert renamed.version == 2 and renamed.name == "Ca đêm"
    with qtbot.waitSignal(lib.saved, timeout=15000):
        lib.set_startup(renamed)
    listed = wait_list(qtbot, lib, lambda ls: names(ls) == ["Ca đêm", "Toàn cảnh 3×3"]
                       and ls[0].is_startup)
    assert not listed[1].is_startup

    # A stale version is refused with the server's reason, and the list is reloaded.
    with qtbot.waitSignal(messages.posted, timeout=15000) as blocker:
        lib.rename(saved, "Cũ")  # version 1: stale
    assert blocker.args[0].level is Level.ERROR and "version" in blocker.args[0].text

    # The startup layout comes from the backend, with its grid and cameras.
    fresh = library(client, ops, messages, tmp_path)
    with qtbot.waitSignal(fresh.startup_ready, timeout=15000) as blocker:
        fresh.load_startup()
    startup, source = blocker.args
    assert source == "backend" and startup.name == "Ca đêm"
    assert startup.grid() == grid and startup.camera_ids() == wall_cameras

    current = next(x for x in lib.layouts if x.name == "Toàn cảnh 3×3")
    with qtbot.waitSignal(lib.layouts_changed, timeout=15000):
        lib.delete(current)
    wait_list(qtbot, lib, lambda ls: names(ls) == ["Ca đêm"])
    assert names(client.layouts()) == ["Ca đêm"]
    client.close()


def test_a_shared_layout_is_read_only_for_a_unit_mate(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, server: tuple[str, Path],
        tmp_path: Path) -> None:
    owner = login(server[0], "ward.dongphu.police")
    ids = [c.id for c in sorted(owner.cameras(), key=lambda c: c.id)]
    shared = owner.create_layout(Layout.from_wall("Chợ Đồng Hới", template("2x2"), ids[:4],
                                                  shared_with_unit=True))
    owner.create_layout(Layout.from_wall("Riêng tôi", template("1x1"), ids[:1]))

    mate = login(server[0], "ward.dongphu.leader")  # the same ward police unit
    lib = library(mate, ops, messages, tmp_path)
    with qtbot.waitSignal(lib.layouts_changed, timeout=15000):
        lib.refresh()
    assert names(lib.layouts) == ["Chợ Đồng Hới"]  # the private one stays private
    seen = lib.layouts[0]
    assert not seen.editable and lib.shared() == [seen] and lib.own() == []
    assert seen.owner is not None and seen.owner.username == "ward.dongphu.police"
    assert seen.camera_ids() == ids[:4] and all(i.permitted for i in seen.items)

    with qtbot.waitSignal(messages.posted, timeout=15000) as blocker:
        lib.rename(seen, "Của tôi")
    assert blocker.args[0].level is Level.ERROR
    assert owner.layout(shared.id or 0).name == "Chợ Đồng Hới"

    outsider = login(server[0], "ward.haithanh.police")
    assert outsider.layouts() == []
    for client in (owner, mate, outsider):
        client.close()


def test_a_camera_that_moved_to_another_ward_shows_no_permission(
        qtbot: QtBot, qapp: QApplication, ops: Ops, messages: MessageBridge,
        server: tuple[str, Path], tmp_path: Path) -> None:
    url, data = server
    officer = login(url, "ward.dongphu.police")
    mine = sorted(officer.cameras(), key=lambda c: c.id)
    moved = mine[1]
    saved = officer.create_layout(Layout.from_wall("Phường Đồng Phú", template("2x2"),
                                                   [c.id for c in mine[:4]]))
    # The IOC reassigns camera 2 to Hải Thành: the Đồng Phú officer may no longer view it.
    db = sqlite3.connect(data / "iocwall.db")
    try:
        with db:
            (old_ward,) = db.execute("SELECT ward_id FROM cameras WHERE id = ?",
                                     (moved.id,)).fetchone()
            (other,) = db.execute("SELECT id FROM wards WHERE name = 'Hải Thành'").fetchone()
            db.execute("UPDATE cameras SET ward_id = ? WHERE id = ?", (other, moved.id))
        layout = officer.layout(saved.id or 0)
        cameras = officer.cameras()
    finally:
        with db:
            db.execute("UPDATE cameras SET ward_id = ? WHERE id = ?", (old_ward, moved.id))
        db.close()
    item = layout.items[1]
    assert item.camera_id == moved.id and not item.permitted and item.camera_name is None
    assert moved.id not in {c.id for c in cameras}

    video = SpyVideo()
    try:
        wall = WallController(video, ops, messages, sessions=officer.stream_session_url)
        wall.set_cameras(cameras)
        surfaces = Surfaces(qtbot)
        wall.attach(surfaces)
        wall.apply_layout(layout)
        assert wall.cell(1).kind is CellKind.NO_PERMISSION and wall.cell(1).name == ""
        assert [wall.cell(i).kind for i in (0, 2, 3)] == [CellKind.CAMERA] * 3
        assert sorted(video.played) == ["wall/0", "wall/2", "wall/3"]  # never wall/1

        # Even a cached copy that still says "permitted" cannot make it play: the wall plays
        # only cameras of the live camera list.
        stale = Layout.from_wall("cache", template("2x2"), [moved.id, None, None, None])
        wall.apply_layout(stale)
        assert wall.cell(0).kind is CellKind.NO_PERMISSION
        assert "wall/1" not in video.played and video.played.count("wall/0") == 1
    finally:
        video.shutdown()
        officer.close()


class Surfaces:
    """Native windows for a controller without a WallView (the view has its own tests)."""

    def __init__(self, qtbot: QtBot) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QWidget

        self.widgets = []
        for _ in range(4):
            widget = QWidget()
            widget.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
            widget.resize(320, 180)
            qtbot.addWidget(widget)
            widget.show()
            self.widgets.append(widget)

    def window_id(self, cell: int) -> int:
        return int(self.widgets[cell].winId())

    def spare_window_id(self, cell: int) -> int | None:
        return None

    def pixel_height(self, cell: int) -> float:
        return 180.0

    def visible_tiles(self) -> int:
        return 4


def test_the_cache_brings_the_wall_back_when_the_backend_is_down(
        qtbot: QtBot, ops: Ops, messages: MessageBridge, tmp_path: Path) -> None:
    url, process = start_test_server(tmp_path / "data", fake_manifest(tmp_path / "lab.json"))
    cache_dir = tmp_path / "client"
    try:
        client = login(url, "ioc.operator")
        ids = [c.id for c in sorted(client.cameras(), key=lambda c: c.id)]
        lib = library(client, ops, messages, cache_dir)
        with qtbot.waitSignal(lib.saved, timeout=15000):
            lib.save_as(Layout.from_wall("Khởi động", template("3x3"), ids[:9],
                                         is_startup=True))
        wait_list(qtbot, lib, lambda ls: names(ls) == ["Khởi động"])
        lib.remember_current(Layout.from_wall("", template("1+7"), ids[:8]))
    finally:
        stop_test_server(process)

    # The backend is gone: the cached startup layout comes back, with a warning.
    offline = library(client, ops, messages, cache_dir)
    with qtbot.waitSignal(offline.startup_ready, timeout=30000) as blocker:
        offline.load_startup()
    layout, source = blocker.args
    assert source == "cache" and layout.name == "Khởi động"
    assert layout.grid() == template("3x3") and layout.camera_ids() == ids[:8] + [None]
    assert offline.backend_reachable is False
    assert names(offline.layouts) == ["Khởi động"]
    assert any(m.level is Level.WARNING and "local copy" in m.text
               for m in messages.history())
    cache_file = next((cache_dir / "layouts").glob("*.json"))
    assert "rtsp" not in cache_file.read_text(encoding="utf-8")  # no URLs, no credentials
    assert cache_file.stat().st_mode & 0o077 == 0

    # Without a cached startup layout, the wall as it was last left comes back.
    LayoutCache(cache_dir, client.server_url, "ioc.operator").save(
        CachedLayouts(layouts=(), current=Layout.from_wall("", template("1+7"), ids[:8])))
    again = library(client, ops, messages, cache_dir)
    with qtbot.waitSignal(again.startup_ready, timeout=30000) as blocker:
        again.load_startup()
    layout, source = blocker.args
    assert source == "cache" and layout.grid() == template("1+7")

    # Nothing cached at all: the default.
    empty = library(client, ops, messages, tmp_path / "nothing")
    with qtbot.waitSignal(empty.startup_ready, timeout=30000) as blocker:
        empty.load_startup()
    assert blocker.args == [None, "default"]
    client.close()
