"""The main window with real services: Vietnamese by default, English when chosen; the tree
shows the user's cameras; status bar with user, unit and a UTC+7 clock; messages area; the
layout questions open without blocking the event loop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.context import layout_library
from app.credentials import TokenStore
from app.i18n import install_translators, remove_translators
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import Settings, SettingsStore
from app.video import VideoService
from app.wall import WallController
from widgets.main_window import MainWindow

VIETNAMESE = [
    "iocwall — Màn hình giám sát IOC Đồng Hới", "Danh sách camera", "Thông báo", "Tìm camera…",
    "Người dùng: ", "Đơn vị: ", "&Hệ thống", "&Ngôn ngữ",
    "Tải lại danh sách camera", "Đăng xuất", "Thoát", "&Xem", "&Bố cục", "Lưu bố cục",
    "Lưu bố cục thành…", "Đổi tên bố cục…", "Xóa bố cục", "Mở khi khởi động",
    "Chia sẻ với đơn vị", "Toàn màn hình", "Kiểu bố trí màn hình",
]
ENGLISH = [
    "iocwall — Đồng Hới IOC video wall", "Cameras", "Messages", "Search cameras…",
    "User: ", "Unit: ", "&System", "&Language", "Reload camera list", "Log out", "Quit",
    "&View", "La&youts", "Save layout", "Save layout as…", "Full screen",
]


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


def build_window(qtbot: QtBot, qapp: QApplication, tmp_path: Path, backend_url: str,
                 ops: Ops, messages: MessageBridge, video: VideoService,
                 user: str = "ioc.operator") -> tuple[MainWindow, AuthService, list[object]]:
    settings = SettingsStore(tmp_path)
    translators = install_translators(qapp, settings.load().language)
    auth = AuthService(settings, TokenStore())
    session = auth.login(backend_url, user, "demo", False)
    wall = WallController(video, ops, messages, audit=auth,
                          sessions=auth.client.stream_session_url)  # type: ignore[union-attr]
    window = MainWindow(session, auth, wall, video, ops, messages, settings,
                        layouts=layout_library(auth.client, session, ops, messages, settings))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, auth, translators  # type: ignore[return-value]


def texts_match(texts: list[str], expected: list[str]) -> list[str]:
    """Expected texts (or prefixes ending in a space) not found in the window."""
    return [e for e in expected
            if not any(t == e or (e.endswith(" ") and t.startswith(e)) for t in texts)]


def test_vietnamese_by_default(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                               backend_url: str, ops: Ops, messages: MessageBridge,
                               video: VideoService) -> None:
    assert SettingsStore(tmp_path).load().language == "vi"
    window, _auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                              video)
    try:
        texts = window.visible_texts()
        assert texts_match(texts, VIETNAMESE) == [], texts
        with qtbot.waitSignal(window.cameras_loaded, timeout=10000) as blocker:
            window.load_cameras()
        cameras = blocker.args[0]
        assert len(cameras) == 8
        systems = {s for _ward, groups in window.tree.structure() for s, _ in groups}
        assert {s.rsplit(" (", 1)[0] for s in systems} <= {
            "Camera đô thị thông minh", "Camera công cộng", "Camera giao thông"}
    finally:
        window.close()
        remove_translators(qapp, translators)  # type: ignore[arg-type]


def test_english_when_selected(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                               backend_url: str, ops: Ops, messages: MessageBridge,
                               video: VideoService) -> None:
    SettingsStore(tmp_path).save(Settings(language="en"))
    window, _auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                              video)
    try:
        texts = window.visible_texts()
        assert texts_match(texts, ENGLISH) == [], texts
        assert not any("Đăng xuất" in t for t in texts)
    finally:
        window.close()
        remove_translators(qapp, translators)  # type: ignore[arg-type]


def test_language_menu_saves_the_choice(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                        backend_url: str, ops: Ops, messages: MessageBridge,
                                        video: VideoService) -> None:
    window, _auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                              video)
    try:
        assert window.language_actions["vi"].isChecked()
        with qtbot.waitSignal(messages.posted, timeout=1000):
            window.language_actions["en"].trigger()
        assert SettingsStore(tmp_path).load().language == "en"
        qtbot.waitUntil(lambda: window.messages_list.count() >= 1, timeout=1000)
        assert "Ngôn ngữ sẽ được đổi" in window.messages_list.item(
            window.messages_list.count() - 1).text()
    finally:
        window.close()
        remove_translators(qapp, translators)  # type: ignore[arg-type]


def test_status_bar_and_clock(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                              backend_url: str, ops: Ops, messages: MessageBridge,
                              video: VideoService) -> None:
    SettingsStore(tmp_path).save(Settings(language="en"))
    window, auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                             video, user="ward.dongphu.police")
    try:
        assert "ward.dongphu.police" in window.user_label.text()
        assert auth.client is not None and auth.client.session is not None
        assert auth.client.session.user.unit.name in window.unit_label.text()
        assert MainWindow.clock_text(datetime(2026, 1, 1, 20, 30, tzinfo=UTC)) == \
            "03:30:00  02/01/2026  (UTC+7)"
        assert window.clock_label.text().endswith("(UTC+7)")
    finally:
        window.close()
        remove_translators(qapp, translators)  # type: ignore[arg-type]


def test_opens_maximised_and_saves_layouts_from_the_menu(
        qtbot: QtBot, qapp: QApplication, tmp_path: Path, backend_url: str, ops: Ops,
        messages: MessageBridge, video: VideoService) -> None:
    SettingsStore(tmp_path).save(Settings(language="en"))
    window, _auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                              video, user="ward.dongphu.police")
    try:
        # A command-room wall: the whole screen, not 1280×800.
        assert window.windowState() & Qt.WindowState.WindowMaximized
        assert window.size() == window.screen().availableGeometry().size()
        assert window.layouts is not None
        with qtbot.waitSignal(window.cameras_loaded, timeout=10000) as blocker:
            window.load_cameras()
        ids = sorted(c.id for c in blocker.args[0])
        window.wall.template_actions[7].trigger()  # 1+5
        window.wall_controller.fill(ids)
        assert not window.rename_layout_action.isEnabled()
        with qtbot.waitSignal(window.layouts.saved, timeout=10000):
            window.save_layout_as("Đồng Phú 1+5", shared=True)
        assert window.layout_label.text() == "Layout: Đồng Phú 1+5"
        assert window.rename_layout_action.isEnabled()
        assert window.share_layout_action.isChecked()
        qtbot.waitUntil(lambda: [a.text() for a in window.layout_actions] == ["Đồng Phú 1+5"],
                        timeout=10000)
        with qtbot.waitSignal(window.layouts.saved, timeout=10000):
            window.set_startup_layout(True)
        qtbot.waitUntil(lambda: window.startup_layout_action.isChecked(), timeout=10000)
        # Full screen and back (F11; Esc leaves full screen).
        window.full_screen_action.trigger()
        qtbot.waitUntil(window.isFullScreen, timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)
    finally:
        window.close()
        remove_translators(qapp, translators)  # type: ignore[arg-type]

    # A unit mate (Vietnamese UI) sees it among the unit's shared ones, read-only, and shows it.
    mate, _auth2, translators = build_window(qtbot, qapp, tmp_path / "mate", backend_url, ops,
                                             messages, video, user="ward.dongphu.leader")
    try:
        assert mate.layouts is not None
        with qtbot.waitSignal(mate.layouts.layouts_changed, timeout=10000):
            mate.layouts.refresh()
        assert [a.text() for a in mate.layout_actions] == [
            "Đồng Phú 1+5 (của Đặng Văn Hùng, chỉ xem)"]
        mate.layout_actions[0].trigger()
        assert mate.wall_controller.grid.key == "1+5"
        assert mate.layout_label.text() == "Bố cục: Đồng Phú 1+5 (chỉ xem)"
        assert not mate.rename_layout_action.isEnabled()
        assert not mate.delete_layout_action.isEnabled()
    finally:
        mate.close()
        mate.wall_controller.stop_for_exit()
        remove_translators(qapp, translators)  # type: ignore[arg-type]


QDialogT = TypeVar("QDialogT", bound=QDialog)


def _shown(window: MainWindow, kind: type[QDialogT]) -> QDialogT:
    """The one question of that kind the window has open (visible, not yet answered)."""
    shown = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1, shown
    return shown[0]


def test_layout_questions_do_not_block_and_delete_only_on_yes(
        qtbot: QtBot, qapp: QApplication, tmp_path: Path, backend_url: str, ops: Ops,
        messages: MessageBridge, video: VideoService) -> None:
    """Save as… and Delete ask without a nested event loop (the action returns with the
    question open, the qasync tasks go on); No keeps the layout, Yes deletes it."""
    SettingsStore(tmp_path).save(Settings(language="en"))
    window, _auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                              video, user="ward.haithanh.police")
    try:
        layouts = window.layouts
        assert layouts is not None
        with qtbot.waitSignal(window.cameras_loaded, timeout=10000) as blocker:
            window.load_cameras()
        window.wall.template_actions[1].trigger()  # 2×2
        window.wall_controller.fill(sorted(c.id for c in blocker.args[0]))

        window.save_layout_as_action.trigger()
        asked = _shown(window, QInputDialog)
        asked.setTextValue("Hải Thành 2×2")
        with qtbot.waitSignal(layouts.saved, timeout=10000):
            asked.accept()
        saved = window.current_layout()
        assert saved is not None and saved.name == "Hải Thành 2×2"

        window.delete_layout_action.trigger()
        box = _shown(window, QMessageBox)
        assert box.text() == "Delete the layout Hải Thành 2×2?"
        assert box.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
        with qtbot.waitSignal(layouts.layouts_changed, timeout=10000):
            layouts.refresh()
        assert [x.id for x in layouts.own()] == [saved.id]
        assert window.current_layout() == saved

        window.delete_layout_action.trigger()
        box = _shown(window, QMessageBox)
        with qtbot.waitSignal(layouts.layouts_changed, timeout=10000):
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes),
                             Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: layouts.own() == [], timeout=10000)
        assert window.current_layout() is None
        assert window.layout_label.text() == "Layout: (not saved)"
        with qtbot.waitSignal(layouts.layouts_changed, timeout=10000):
            layouts.refresh()
        assert layouts.own() == []
    finally:
        window.close()
        window.wall_controller.stop_for_exit()
        remove_translators(qapp, translators)  # type: ignore[arg-type]


def test_the_status_bar_says_who_is_on_duty(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                            backend_url: str, ops: Ops,
                                            messages: MessageBridge,
                                            video: VideoService) -> None:
    """Who is on duty now, as the duty service reads it from the server (Art. 8.1)."""
    from app.duty import DutyService

    window, auth, translators = build_window(qtbot, qapp, tmp_path, backend_url, ops, messages,
                                             video)
    try:
        label = window.findChild(QLabel, "dutyLabel")
        assert label is not None and not label.isVisible()
        client = auth.client
        assert client is not None
        leader = BackendClient(backend_url)
        leader.login("ioc.leader", "demo")
        now = leader.duty_now()
        leader.assign_duty(now.day, now.shift, [window.session.user.id])
        leader.close()
        duty = DutyService(client, ops, messages)
        duty.on_duty.connect(window.show_on_duty)
        duty.start()
        qtbot.waitUntil(lambda: label.isVisible(), timeout=20_000)
        assert now.name in label.text()
        assert (window.session.user.full_name or "ioc.operator") in label.text()
        assert label.text().startswith("Trực: ")
        duty.stop()
    finally:
        remove_translators(qapp, translators)
