"""End to end under Xvfb: the real lab and the real backend as child processes, the real client
widgets, libvlc tiles. A ward police officer sees only Đồng Phú's cameras; four of them on the wall
give four distinct pictures that move."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.context import layout_library
from app.credentials import TokenStore
from app.demo import DemoStack
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import OfflineReason, StreamState, TileStatus, VideoService
from app.wall import WallController
from tests.app.video.grabs import grab_tile, mean_luma
from tests.e2e.helpers import play_four_tiles
from widgets.main_window import MainWindow

pytestmark = [pytest.mark.video, pytest.mark.lab]


def tile_image(shot: QImage, rect: QRect) -> bytes:
    """The tile's picture at 160×90 RGB, so that the comparison is cheap in pure Python."""
    image = shot.copy(rect).scaled(160, 90, Qt.AspectRatioMode.IgnoreAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = [bytes(image.constScanLine(y))[: image.width() * 3]  # type: ignore[call-overload]
            for y in range(image.height())]
    return b"".join(rows)


def changed_fraction(a: bytes, b: bytes, threshold: int = 16) -> float:
    """Share of colour samples that differ by more than ``threshold`` (0–255)."""
    assert len(a) == len(b)
    return sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > threshold) / len(a)


def test_ward_police_wall_shows_four_live_distinct_pictures(
        qtbot: QtBot, qapp: QApplication, stack: DemoStack, tmp_path: Path, ops: Ops,
        messages: MessageBridge, video: VideoService) -> None:
    manifest = json.loads(stack.manifest_path.read_text(encoding="utf-8"))["cameras"]
    settings = SettingsStore(tmp_path)
    auth = AuthService(settings, TokenStore())
    session = auth.login(stack.server_url, "ward.dongphu.police", "demo", False)
    wall = WallController(video, ops, messages, audit=auth,
                          sessions=auth.client.stream_session_url)  # type: ignore[union-attr]
    window = MainWindow(session, auth, wall, video, ops, messages, settings,
                        layouts=layout_library(auth.client, session, ops, messages, settings))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)

    with qtbot.waitSignal(window.cameras_loaded, timeout=15000) as blocker:
        window.load_cameras()
    cameras = blocker.args[0]
    # The tree shows Đồng Phú only: the demo places lab cameras 0–3 there (server/demo.py).
    structure = window.tree.structure()
    assert [ward for ward, _ in structure] == [f"Đồng Phú ({len(cameras)})"], structure
    shown = sorted(name for _w, systems in structure for _s, names in systems for name in names)
    assert shown == sorted(m["name"] for m in manifest[:4])
    assert {c.ward for c in cameras} == {"Đồng Phú"}

    # Fill the wall: two by double-click (next free tile), two by drop onto a tile.
    ordered = sorted(cameras, key=lambda c: c.id)
    for camera in ordered[:2]:
        index = window.tree.camera_index(camera.id)
        assert index is not None
        window.tree.view.activated.emit(index)
    for cell, camera in zip((2, 3), ordered[2:4], strict=True):
        window.wall.tiles[cell].camera_dropped.emit(cell, camera.id)
    assert wall.cells == [c.id for c in ordered[:4]]

    keys = [wall.tile_key(i) for i in range(4)]
    qtbot.waitUntil(lambda: all(video.status(k).state is StreamState.LIVE for k in keys),
                    timeout=30000)
    qtbot.wait(1500)  # a few frames rendered everywhere

    screen = window.screen()
    first = screen.grabWindow(window.winId()).toImage()
    qtbot.wait(1000)
    second = screen.grabWindow(window.winId()).toImage()
    path = tmp_path / "wall.png"
    assert first.save(str(path))
    second.save(str(tmp_path / "wall-1s-later.png"))
    print(f"\nwall screenshot: {path}")

    rects = []
    for tile in window.wall.tiles:
        surface = tile.surface()
        top_left = surface.mapTo(window, QPoint(0, 0))
        rects.append(QRect(top_left, surface.size()))
    before = [tile_image(first, r) for r in rects]
    after = [tile_image(second, r) for r in rects]
    for i in range(4):
        # A frozen, black or empty tile is pixel-identical a second later.
        assert changed_fraction(before[i], after[i]) > 0.0005, f"tile {i} did not change"
        for j in range(i + 1, 4):
            assert changed_fraction(before[i], before[j]) > 0.02, f"tiles {i}, {j} look alike"

    window.close()
    assert wall.cells == [c.id for c in ordered[:4]]
    for camera in wall.stop_for_exit():
        auth.audit_event("view_stop", camera.id, "e2e end")
    assert all(video.status(k).state is StreamState.STOPPED for k in keys)


def _gateway_pid(parent_pid: int) -> int | None:
    """The embedded media gateway: the backend's child running ``-m gateway``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent_pid and b"-m" in cmdline and b"gateway" in cmdline:
            return int(entry.name)
    return None


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def test_killed_gateway_darkens_tiles_with_the_reason_and_they_are_live_within_3_s_of_its_return(
        qtbot: QtBot, qapp: QApplication, stack: DemoStack, tmp_path: Path, ops: Ops,
        messages: MessageBridge, video: VideoService) -> None:
    settings = SettingsStore(tmp_path)
    auth = AuthService(settings, TokenStore())
    auth.login(stack.server_url, "ward.dongphu.police", "demo", False)
    client = auth.client
    assert client is not None
    keys, tiles, camera_ids = play_four_tiles(qtbot, video, client, "g")
    port = int(urlsplit(client.stream_session_url(camera_ids[0], "sub")).port or 0)

    backend = stack.processes[-1]
    old = _gateway_pid(backend.pid)
    assert old is not None, "the backend runs no gateway"
    said: dict[str, str] = {}  # what each tile said when it went offline for the gateway

    def offline(key: str, status: TileStatus) -> None:
        if key in keys and status.state is StreamState.OFFLINE \
                and status.reason == OfflineReason.GATEWAY:
            tile = tiles[keys.index(key)]
            tile.set_status(status)
            said.setdefault(key, tile.overlay_text().lower())

    qtbot.wait(500)
    live = [grab_tile(tile) for tile in tiles]
    # the picture's top quarter: above the centred OFFLINE badge
    top = [(0, 0, image.width(), image.height() // 4) for image in live]
    assert all(mean_luma(image, box) > 30 for image, box in zip(live, top, strict=True))

    video.tile_status_changed.connect(offline)
    os.kill(old, signal.SIGKILL)
    # Each tile says why: the gateway (not the camera, not "disconnected").
    qtbot.waitUntil(lambda: len(said) == len(keys), timeout=15000)
    assert all("gateway" in text or "cổng" in text for text in said.values()), said
    # ... over its last picture, through the reconnect attempts while the gateway is away
    qtbot.wait(1000)
    for n, tile in enumerate(tiles):
        if video.status(keys[n]).state is StreamState.OFFLINE:
            held = mean_luma(grab_tile(tile), top[n])
            assert held > mean_luma(live[n], top[n]) / 2, f"tile {n} is black while offline"

    # The supervisor brings it back (after its backoff) on the same port; from the moment it
    # listens again, every tile must be live within 3 s.
    qtbot.waitUntil(lambda: (_gateway_pid(backend.pid) not in (None, old)
                             and _listening(port)), timeout=30000)
    returned = time.monotonic()
    qtbot.waitUntil(lambda: all(video.status(k).state is StreamState.LIVE for k in keys),
                    timeout=3000)
    print(f"\nlive again {time.monotonic() - returned:.2f} s after the gateway's return")
    for key in keys:
        video.stop(key)


def test_a_gateway_restarted_for_an_upgrade_darkens_each_tile_at_most_3_s(
        qtbot: QtBot, qapp: QApplication, stack: DemoStack, tmp_path: Path, ops: Ops,
        messages: MessageBridge, video: VideoService) -> None:
    """An upgrade restarts the gateway (SIGTERM, the service manager's stop): from that moment
    each tile may miss pictures for at most 3 s before it is live again."""
    settings = SettingsStore(tmp_path)
    auth = AuthService(settings, TokenStore())
    auth.login(stack.server_url, "ward.dongphu.police", "demo", False)
    client = auth.client
    assert client is not None
    keys, _tiles, _camera_ids = play_four_tiles(qtbot, video, client, "u")
    backend = stack.processes[-1]
    qtbot.waitUntil(lambda: _gateway_pid(backend.pid) is not None, timeout=30000)
    old = _gateway_pid(backend.pid)
    assert old is not None
    qtbot.wait(500)
    assert all(video.status(k).state is StreamState.LIVE for k in keys)
    dark: dict[str, float] = {}  # when each tile last showed a new picture before it came back
    went_dark: dict[str, float] = {}

    def watch(key: str, status: TileStatus) -> None:
        if key not in keys:
            return
        if status.state is not StreamState.LIVE:
            went_dark.setdefault(key, time.monotonic())
        elif key in went_dark and key not in dark:
            dark[key] = time.monotonic() - went_dark[key]

    video.tile_status_changed.connect(watch)
    asked = time.monotonic()
    os.kill(old, signal.SIGTERM)
    qtbot.waitUntil(lambda: _gateway_pid(backend.pid) not in (None, old), timeout=30000)
    qtbot.waitUntil(lambda: len(dark) == len(went_dark) and all(
        video.status(k).state is StreamState.LIVE for k in keys), timeout=15000)
    back = time.monotonic() - asked
    print(f"\nplanned gateway restart: every tile live again {back:.2f} s after SIGTERM; "
          f"dark per tile {sorted(round(v, 2) for v in dark.values())}")
    video.tile_status_changed.disconnect(watch)
    for key in keys:
        video.stop(key)
    # every tile went dark (the gateway closed its sessions at once) and came back by itself
    assert set(dark) == set(keys)
    assert max(dark.values()) <= 3.0, f"a tile was dark {max(dark.values()):.2f} s"
