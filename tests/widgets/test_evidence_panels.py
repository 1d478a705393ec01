"""The evidence panels on a real backend: bookmarks created through the quick dialog and
found with each filter; the requests panel shows the server's refusal readably and the badge;
install_panels on a QMainWindow; the clip player widget seeks in a real MP4 with libvlc."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow

from app.backend import BackendClient
from app.bookmarks import VIETNAM, BookmarkService
from app.clip_player import ClipPlayer
from app.clips import ClipService
from app.messages import MessageBridge
from app.ops import Ops
from widgets.bookmarks_panel import BookmarksPanel, ask_bookmark, to_vn_qdatetime
from widgets.clip_player import ClipPlayerWidget
from widgets.panels import install_panels
from widgets.requests_panel import RequestsPanel

SHOTS = Path(os.environ.get("IOCWALL_SCREENSHOTS", "/tmp/iocwall-shots"))


@pytest.fixture
def operator(backend_url: str) -> Iterator[BackendClient]:
    client = BackendClient(backend_url)
    client.login("ioc.operator", "demo")
    yield client
    client.close()


def _shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def _listed(qtbot: Any, service: BookmarkService, panel: BookmarksPanel) -> list[Any]:
    with qtbot.waitSignal(service.listed, timeout=20_000):
        panel.apply_filter()
    return panel.bookmarks()


def test_bookmark_from_the_quick_dialog_appears_in_the_panel_with_filters(
        operator: BackendClient, ops: Ops, messages: MessageBridge, qtbot: Any) -> None:
    cameras = operator.cameras()
    first, second = cameras[0], next(c for c in cameras if c.ward != cameras[0].ward)
    service = BookmarkService(operator, ops, messages)
    panel = BookmarksPanel(service)
    qtbot.addWidget(panel)
    panel.set_cameras(cameras)
    panel.resize(900, 420)
    panel.show()

    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    dialog = ask_bookmark(panel, service, first.id, first.name)
    assert dialog.before_spin.value() == 30 and dialog.after_spin.value() == 30
    dialog.before_spin.setValue(45)
    dialog.note_edit.setPlainText(f"Xe tải đỗ sai quy định {stamp}")
    dialog.tags_edit.setText("giao thông, đỗ xe; giao thông")
    with qtbot.waitSignal(service.created, timeout=20_000) as created:
        dialog.accept()
    bookmark = created.args[0]
    assert (bookmark.before_s, bookmark.after_s) == (45, 30)
    assert set(bookmark.tags) == {"giao thông", "đỗ xe"}
    service.create(second.id, note=f"Ùn tắc {stamp}", tags=("ùn tắc",))
    qtbot.waitSignal(service.created, timeout=20_000).wait()

    # free text
    panel.search_edit.setText(stamp)
    found = _listed(qtbot, service, panel)
    assert {b.camera_id for b in found} == {first.id, second.id}
    # + tag (exact)
    panel.tag_edit.setText("đỗ xe")
    assert [b.id for b in _listed(qtbot, service, panel)] == [bookmark.id]
    panel.tag_edit.clear()
    # camera
    panel.camera_combo.setCurrentIndex(panel.camera_combo.findData(second.id))
    assert [b.camera_id for b in _listed(qtbot, service, panel)] == [second.id]
    panel.camera_combo.setCurrentIndex(0)
    # ward
    panel.ward_combo.setCurrentIndex(panel.ward_combo.findData(first.ward_id))
    assert {b.ward for b in _listed(qtbot, service, panel)} == {first.ward}
    panel.ward_combo.setCurrentIndex(0)
    # author
    panel.author_edit.setText("ward.dongphu.police")
    assert _listed(qtbot, service, panel) == []
    panel.author_edit.setText("ioc.operator")
    assert len(_listed(qtbot, service, panel)) == 2
    # time (entered in UTC+7): a window that ends before the bookmarks
    panel.until_check.setChecked(True)
    panel.until_edit.setDateTime(to_vn_qdatetime(bookmark.at - timedelta(minutes=5)))
    assert _listed(qtbot, service, panel) == []
    panel.until_check.setChecked(False)
    panel.since_check.setChecked(True)
    panel.since_edit.setDateTime(to_vn_qdatetime(bookmark.at - timedelta(minutes=5)))
    rows = _listed(qtbot, service, panel)
    assert len(rows) == 2
    # shown in UTC+7
    at_cell = panel.table.item([b.id for b in rows].index(bookmark.id), 0).text()
    assert at_cell == bookmark.at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
    panel.table.selectRow(0)
    assert panel.request_button.isEnabled()
    _shot(panel, "bookmarks_panel")


def test_requests_panel_shows_the_servers_refusal_and_an_empty_badge(
        operator: BackendClient, ops: Ops, messages: MessageBridge, qtbot: Any,
        tmp_path: Path) -> None:
    service = ClipService(operator, ops, messages)
    panel = RequestsPanel(service, tmp_path)
    qtbot.addWidget(panel)
    panel.set_cameras(operator.cameras())
    panel.resize(900, 400)
    panel.show()
    with qtbot.waitSignal(service.badge_changed, timeout=20_000) as badge:
        service.refresh()
    assert badge.args == [0]
    dialog = panel.new_request()
    dialog.purpose_edit.setPlainText("Kiểm tra vụ việc")
    with qtbot.waitSignal(service.action_failed, timeout=20_000):
        dialog.buttons.accepted.emit()
    # nothing is recorded on this backend: the server's 422 sentence, readable, in the dialog
    assert dialog.isVisible()
    assert "not entirely within recorded footage" in dialog.error_label.text()
    assert dialog.buttons.isEnabled()
    _shot(dialog, "clip_request_dialog")
    dialog.reject()


@pytest.fixture(scope="module")
def sample_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 6 s H.264 MP4 made by ffmpeg (the same container as the backend's clips)."""
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is a system package of this project"
    path = tmp_path_factory.mktemp("mp4") / "clip-99.mp4"
    subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x180:rate=25:duration=6", "-c:v", "libx264", "-g", "25",
                    "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)],
                   check=True, timeout=120)
    return path


@pytest.mark.video
def test_clip_player_widget_seeks_and_shows_utc7(sample_mp4: Path, qtbot: Any) -> None:
    player = ClipPlayer()
    widget = ClipPlayerWidget(player)
    qtbot.addWidget(widget)
    widget.resize(480, 360)
    widget.show()
    qtbot.waitExposed(widget)
    manifest = {"clip_start": "2026-03-02T15:00:00.000+07:00", "request_id": 99,
                "camera": {"name": "CAM-01 Quảng trường"}}
    try:
        widget.open_clip(sample_mp4, manifest)
        qtbot.waitUntil(lambda: player.length_ms() > 5000 and widget.slider.maximum() > 5000,
                        timeout=30_000)
        widget.play_button.click()  # pause
        qtbot.waitUntil(lambda: player.state == "paused", timeout=10_000)
        with qtbot.waitSignal(player.position_changed, timeout=10_000,
                              check_params_cb=lambda pos, _len: 3500 <= pos <= 4500):
            widget.slider.setSliderDown(True)  # a drag of the handle to 4 s
            widget.slider.setSliderPosition(4000)
            widget.slider.setSliderDown(False)
        qtbot.waitUntil(lambda: widget.time_label.text().startswith("15:00:0"), timeout=10_000)
        assert "(UTC+7)" in widget.time_label.text()
        assert widget.time_label.text().startswith(("15:00:03", "15:00:04"))
        assert widget.play_button.text() == "Play"
        _shot(widget, "clip_player")
    finally:
        player.release()


def test_install_panels_adds_docks_menu_and_badge(
        operator: BackendClient, ops: Ops, messages: MessageBridge, qtbot: Any,
        tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    bookmarks = BookmarkService(operator, ops, messages)
    clips = ClipService(operator, ops, messages)
    player = ClipPlayer()
    try:
        panels = install_panels(window, bookmarks, clips, player, download_dir=tmp_path)
        assert not clips.polling  # the session context starts the services, not the panels
        with qtbot.waitSignal(clips.badge_changed, timeout=20_000):
            clips.start_polling()
        panels.set_cameras(operator.cameras())
        assert [a.text() for a in panels.menu.actions() if a.text()][:2] == ["Bookmarks",
                                                                             "Requests"]
        clips.badge_changed.emit(2)
        assert panels.requests_dock.windowTitle() == "Requests (2)"
        assert panels.requests_action.text() == "Requests (2)"
        window.resize(1100, 600)
        window.show()
        qtbot.waitExposed(window)
        _shot(window, "main_window_with_panels")
        clips.stop_polling()
    finally:
        player.release()
