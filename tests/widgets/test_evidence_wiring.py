"""The evidence panels as main.py wires them after login (``Client.open_main_window``) on a real
backend: the Evidence menu and docks are there; the key B on the wall's selected tile, and the
tile's bookmark button, open the bookmark dialog for that tile's camera, and Save creates the
bookmark on the backend (read back with a second client)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.bookmarks import BookmarkFilter
from app.context import Runtime
from app.credentials import TokenStore
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from main import parse_args
from shell.client import Client
from widgets.bookmarks_panel import BookmarkDialog


class _App:
    """Stands in for the QApplication: closing the window must not quit the test run."""

    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


@pytest.fixture
def client(qapp: QApplication, qtbot: QtBot, tmp_path: Path, backend_url: str, ops: Ops,
           messages: MessageBridge) -> Iterator[Client]:
    settings = SettingsStore(tmp_path)
    video = VideoService()
    auth = AuthService(settings, TokenStore())
    app = _App()
    running = Client(app, parse_args([]),  # type: ignore[arg-type]
        Runtime(settings, messages, ops, video, auth, client_data_dir()), backend_url)
    session = auth.login(backend_url, "ioc.operator", "demo", False)
    running.open_main_window(session)  # as main.py does after login
    window = running.window
    assert window is not None
    qtbot.waitUntil(lambda: bool(window.wall_controller.camera_list()), timeout=20_000)
    try:
        yield running
    finally:
        if running.wall is not None:
            running.wall.clear_all()
        window.close()
        # closing the window quits the application (after PTZ sessions closed, if any)
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
        video.shutdown()
        auth.logout()


def test_vietnamese_evidence_and_ptz_texts(qapp: QApplication, qtbot: QtBot, tmp_path: Path,
                                           backend_url: str, ops: Ops,
                                           messages: MessageBridge) -> None:
    from app.i18n import install_translators, remove_translators

    translators = install_translators(qapp, "vi")
    settings = SettingsStore(tmp_path)
    video = VideoService()
    auth = AuthService(settings, TokenStore())
    app = _App()
    running = Client(app, parse_args([]),  # type: ignore[arg-type]
        Runtime(settings, messages, ops, video, auth, client_data_dir()), backend_url)
    try:
        running.open_main_window(auth.login(backend_url, "ioc.operator", "demo", False))
        window = running.window
        assert window is not None and running.panels is not None
        menus = [a.text() for a in window.menuBar().actions()]
        assert "&Chứng cứ" in menus, menus
        assert window.ptz_dock.windowTitle() == "Điều khiển PTZ"
        assert running.panels.bookmarks_dock.windowTitle() == "Đánh dấu"
        assert running.panels.requests_dock.windowTitle().startswith("Yêu cầu trích xuất")
        button = window.wall.tiles[0].findChild(QToolButton, "tileBookmarkButton")
        assert button is not None and button.text() == "Đánh dấu"
        window.close()
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
    finally:
        video.shutdown()
        auth.logout()
        remove_translators(qapp, translators)


def _dialog(window: Any) -> BookmarkDialog | None:
    dialogs = [d for d in window.findChildren(BookmarkDialog) if d.isVisible()]
    return dialogs[-1] if dialogs else None


def _on_backend(backend_url: str, camera_id: int, note: str) -> list[Any]:
    """The bookmarks with this note on the backend, as another client reads them."""
    reader = BackendClient(backend_url)
    reader.login("ioc.operator", "demo")
    try:
        _total, found = reader.bookmarks(BookmarkFilter(camera_id=camera_id))
        return [b for b in found if b.note == note]
    finally:
        reader.close()


def test_main_window_has_the_evidence_menu_and_docks(client: Client) -> None:
    window = client.window
    assert window is not None and client.panels is not None
    menus = [a.text() for a in window.menuBar().actions()]
    assert client.panels.menu.menuAction().text() in menus
    names = {d.objectName() for d in window.findChildren(type(window.ptz_dock))}
    assert {"bookmarks_dock", "requests_dock", "clip_player_dock", "ptzDock"} <= names


def test_key_b_on_a_tile_bookmarks_that_camera_on_the_backend(
        client: Client, qtbot: QtBot, backend_url: str) -> None:
    window = client.window
    assert window is not None and client.panels is not None
    cameras = sorted(window.wall_controller.camera_list(), key=lambda c: c.id)
    first, second = cameras[0], cameras[1]
    assert window.wall.show_camera(0, first.id) and window.wall.show_camera(1, second.id)
    window.wall.select(1)
    qtbot.keyClick(window.wall, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: _dialog(window) is not None, timeout=5000)
    dialog = _dialog(window)
    assert dialog is not None
    assert dialog.draft().camera_id == second.id  # the selected tile's camera, not the first
    note = f"Ùn tắc tại nút giao {datetime.now(UTC).strftime('%H%M%S%f')}"
    dialog.note_edit.setPlainText(note)
    with qtbot.waitSignal(client.panels.bookmarks.created, timeout=20_000) as created:
        dialog.accept()
    assert created.args[0].camera_id == second.id
    found = _on_backend(backend_url, second.id, note)
    assert [(b.camera_id, b.note) for b in found] == [(second.id, note)]


def test_the_tile_bookmark_button_bookmarks_its_camera(
        client: Client, qtbot: QtBot, backend_url: str) -> None:
    window = client.window
    assert window is not None and client.panels is not None
    camera = sorted(window.wall_controller.camera_list(), key=lambda c: c.id)[2]
    assert window.wall.show_camera(2, camera.id)
    tile = window.wall.tiles[2]
    button = tile.findChild(QToolButton, "tileBookmarkButton")
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog(window) is not None, timeout=5000)
    dialog = _dialog(window)
    assert dialog is not None and dialog.draft().camera_id == camera.id
    assert window.wall.selected_cell == 2
    note = f"Nút đánh dấu trên ô {datetime.now(UTC).strftime('%H%M%S%f')}"
    dialog.note_edit.setPlainText(note)
    with qtbot.waitSignal(client.panels.bookmarks.created, timeout=20_000):
        dialog.accept()
    assert [b.camera_id for b in _on_backend(backend_url, camera.id, note)] == [camera.id]


def test_an_empty_tile_has_no_bookmark(client: Client, qtbot: QtBot) -> None:
    window = client.window
    assert window is not None
    window.wall.controller.clear(3)
    window.wall.select(3)
    qtbot.keyClick(window.wall, Qt.Key.Key_B)
    qtbot.wait(200)
    assert _dialog(window) is None
    button = window.wall.tiles[3].findChild(QToolButton, "tileBookmarkButton")
    assert button is not None and not button.isEnabled()
