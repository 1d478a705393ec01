"""Clip requests through the client's evidence panels (install_panels on a QMainWindow, as main.py
wires them), against a real backend recording a real lab camera with ffmpeg:

- another agency (``agency.viewer``) asks through the Requests panel's dialog, which asks for the
  commitment and the official letter (file chooser; a file that is not a PDF is refused with a
  readable message, nothing is sent); the operating unit (``ioc.operator``) is notified, opens
  the letter from the request and approves; the agency is told the clip is ready;
- the ward chain's badge: a ward officer files a request; the ward leader's Requests dock and menu
  show the count and the message bridge tells him; after he endorses, the count drops; once city
  police approve and the clip is extracted, the officer is told and his count shows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMainWindow
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.bookmarks import BookmarkService
from app.clip_player import ClipPlayer
from app.clips import ClipRequest, ClipService
from app.messages import Message, MessageBridge
from app.ops import Ops
from tests.footage import Footage, recorded_footage
from widgets.bookmarks_panel import to_vn_qdatetime
from widgets.panels import EvidencePanels, install_panels
from widgets.requests_panel import ClipRequestDialog

pytestmark = pytest.mark.lab

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
POLL_MS = 300  # the service's poll interval knob (10 s in the application)
SHOTS = Path(os.environ.get("IOCWALL_SCREENSHOTS", "/tmp/iocwall-shots"))


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Footage]:
    with recorded_footage(tmp_path_factory.mktemp("evidence-flows")) as recorded:
        yield recorded


@dataclass
class Window:
    """One user's main window with the evidence panels, polling every POLL_MS."""

    client: BackendClient
    window: QMainWindow
    panels: EvidencePanels
    player: ClipPlayer

    @property
    def clips(self) -> ClipService:
        return self.panels.clips

    def title(self) -> str:
        return self.panels.requests_dock.windowTitle()

    def close(self) -> None:
        self.clips.stop_polling()
        self.player.release()
        self.window.close()
        self.client.close()


@pytest.fixture
def open_window(footage: Footage, ops: Ops, messages: MessageBridge, qtbot: QtBot,
                tmp_path: Path) -> Iterator[Any]:
    opened: list[Window] = []

    def open_(username: str) -> Window:
        client = footage.client(username)
        window = QMainWindow()
        window.setWindowTitle(username)
        qtbot.addWidget(window)
        clips = ClipService(client, ops, messages, poll_interval_ms=POLL_MS)
        player = ClipPlayer()
        panels = install_panels(window, BookmarkService(client, ops, messages), clips,
                                player, download_dir=tmp_path / username)
        with qtbot.waitSignal(clips.badge_changed, timeout=30_000):  # the first refresh
            clips.start_polling()
        panels.set_cameras(client.cameras())
        window.resize(1100, 600)
        window.show()
        opened.append(Window(client, window, panels, player))
        return opened[-1]

    yield open_
    for item in opened:
        item.close()


def _posted(messages: MessageBridge) -> list[Message]:
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    return posted


def _title(count: int) -> str:
    return f"Requests ({count})" if count else "Requests"


def _dialog(qtbot: QtBot, window: Window, start: datetime, end: datetime,
            purpose: str) -> ClipRequestDialog:
    """The Evidence menu's "New clip request…", filled with camera, range and purpose."""
    action = next(a for a in window.panels.menu.actions() if a.text() == "New clip request…")
    action.trigger()
    dialog = window.panels.requests_panel.request_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.camera_combo.setCurrentIndex(dialog.camera_combo.findData(
        next(c.id for c in window.client.cameras() if c.name.startswith("CAM-01"))))
    dialog.start_edit.setDateTime(to_vn_qdatetime(start))
    dialog.end_edit.setDateTime(to_vn_qdatetime(end))
    dialog.purpose_edit.setPlainText(purpose)
    return dialog


def _send(qtbot: QtBot, dialog: ClipRequestDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def _choose(qtbot: QtBot, dialog: ClipRequestDialog, path: Path) -> None:
    """The letter's "Choose…" button, then the file chooser's selection of ``path``."""
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    chooser = dialog.letter_dialog
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    assert chooser.fileMode() is QFileDialog.FileMode.ExistingFile
    chooser.setDirectory(str(path.parent))
    chooser.selectFile(str(path))
    chooser.accept()


def _grant(footage: Footage, agency: BackendClient, operator: BackendClient) -> None:
    """The agency's access to CAM-01 (a written access request, granted by the IOC)."""
    now = datetime.now(UTC)
    filed = agency.file_access_request(
        content="Xem camera quảng trường", purpose="Xác minh thi công công trình",
        commitment="Cam kết chỉ sử dụng cho mục đích đã nêu", camera_ids=[footage.camera_id],
        wanted_from=now - timedelta(hours=1), wanted_until=now + timedelta(days=1),
        letter_name="de-nghi.pdf", letter=PDF)
    operator.grant_access(filed.id, [footage.camera_id], valid_until=now + timedelta(days=1),
                          valid_from=now - timedelta(hours=1))


def test_agency_request_with_letter_through_the_dialog_and_the_operating_unit(
        footage: Footage, open_window: Any, messages: MessageBridge, qtbot: QtBot,
        tmp_path: Path) -> None:
    posted = _posted(messages)
    operator_client = footage.client("ioc.operator")
    agency_setup = footage.client("agency.viewer")
    try:
        _grant(footage, agency_setup, operator_client)
    finally:
        agency_setup.close()
        operator_client.close()
    agency = open_window("agency.viewer")
    operator = open_window("ioc.operator")
    assert agency.clips.needs_letter is True and operator.clips.needs_letter is False
    start, end = footage.recorded_range(6.0, whole_seconds=True)

    dialog = _dialog(qtbot, agency, start, end, "Xác minh thi công công trình trên phố")
    # the dialog asks an agency for the commitment and the letter, both required
    assert dialog.commitment_edit.isVisible() and dialog.letter_edit.isVisible()
    assert dialog.browse_button.isVisible()
    _send(qtbot, dialog)
    assert "commit" in dialog.error_label.text() and dialog.error_label.isVisible()
    dialog.commitment_edit.setText("Cam kết chỉ sử dụng đoạn video cho mục đích đã nêu")
    _send(qtbot, dialog)
    assert dialog.error_label.text() == "Attach the official request letter (a PDF file)."
    # a file that is not a PDF, chosen with the file chooser: refused at once and at sending
    not_pdf = tmp_path / "cong-van.pdf"
    not_pdf.write_text("Công văn đề nghị (bản Word đổi tên)", encoding="utf-8")
    _choose(qtbot, dialog, not_pdf)
    qtbot.waitUntil(lambda: dialog.letter_edit.text() == str(not_pdf), timeout=5000)
    expected = "The letter must be a PDF file; cong-van.pdf is not a PDF."
    assert dialog.error_label.text() == expected and dialog.error_label.isVisible()
    _send(qtbot, dialog)
    assert dialog.error_label.text() == expected and dialog.isVisible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "clip_request_dialog_agency.png"))
    qtbot.wait(2 * POLL_MS)
    assert agency.clips.mine == []  # nothing was sent
    # the real letter
    letter = tmp_path / "cong-van-so-15.pdf"
    letter.write_bytes(PDF)
    _choose(qtbot, dialog, letter)
    qtbot.waitUntil(lambda: dialog.letter_edit.text() == str(letter), timeout=5000)
    assert not dialog.error_label.isVisible()
    with qtbot.waitSignal(agency.clips.request_changed, timeout=30_000) as created:
        _send(qtbot, dialog)
    request: ClipRequest = created.args[0]
    assert (request.chain, request.state) == ("written", "requested")
    assert request.letter is not None and request.letter.filename == "cong-van-so-15.pdf"
    assert request.commitment is not None and request.commitment.startswith("Cam kết")
    qtbot.waitUntil(lambda: agency.panels.requests_panel.request_dialog is None, timeout=5000)

    # the operating unit: told, sees the commitment and the letter, opens it, approves
    qtbot.waitUntil(lambda: any(r.id == request.id for r in operator.clips.awaiting),
                    timeout=30_000)
    qtbot.waitUntil(lambda: any(m.text.startswith(f"Clip request #{request.id} (CAM-01")
                                and m.text.endswith("awaits your action") for m in posted),
                    timeout=10_000)
    panel = operator.panels.requests_panel
    assert panel.select(request.id, "awaiting")
    assert "Official letter: cong-van-so-15.pdf" in panel.detail_label.text()
    assert "Commitment: Cam kết" in panel.detail_label.text()
    assert panel.letter_button.isEnabled() and panel.approve_button.isEnabled()
    assert not panel.endorse_button.isEnabled()
    urls: list[QUrl] = []
    panel.open_url = urls.append  # in place of the desktop's PDF viewer
    qtbot.mouseClick(panel.letter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(urls), timeout=20_000)
    opened = Path(urls[0].toLocalFile())
    assert opened.read_bytes() == PDF and opened.suffix == ".pdf"
    assert str(opened) in panel.status_label.text()
    operator.window.grab().save(str(SHOTS / "requests_panel_operator_letter.png"))
    with qtbot.waitSignal(operator.clips.request_changed, timeout=30_000) as approved:
        qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert approved.args[0].state in ("approved", "extracting", "ready")
    assert approved.args[0].approver.username == "ioc.operator"

    # the agency is told its clip is ready; its Requests title counts it
    qtbot.waitUntil(lambda: any(m.text == f"Clip #{request.id} ({request.camera_name}) is "
                                "ready to download" for m in posted), timeout=90_000)
    qtbot.waitUntil(lambda: agency.title() == "Requests (1)", timeout=10_000)
    assert agency.panels.requests_action.text() == "Requests (1)"


def test_ward_leader_badge_and_notifications_through_the_panels(
        footage: Footage, open_window: Any, messages: MessageBridge, qtbot: QtBot) -> None:
    posted = _posted(messages)
    officer = open_window("ward.dongphu.police")
    leader = open_window("ward.dongphu.leader")
    before = leader.clips.badge
    officer_before = officer.clips.badge
    assert leader.title() == _title(before)
    start, end = footage.recorded_range(5.0, whole_seconds=True)

    # the officer files through his own panel: no commitment or letter asked of the ward police
    dialog = _dialog(qtbot, officer, start, end, "Trộm cắp tài sản tại chợ Đồng Phú")
    assert not dialog.commitment_edit.isVisible() and not dialog.letter_edit.isVisible()
    with qtbot.waitSignal(officer.clips.request_changed, timeout=30_000) as created:
        _send(qtbot, dialog)
    request: ClipRequest = created.args[0]
    assert (request.chain, request.state) == ("ward_police", "requested")

    # the leader's dock and menu count it, and the bridge tells him
    qtbot.waitUntil(lambda: leader.title() == _title(before + 1), timeout=30_000)
    assert leader.panels.requests_action.text() == _title(before + 1)
    notice = next(m for m in posted if m.text.startswith(f"Clip request #{request.id} "))
    assert notice.text == (f"Clip request #{request.id} ({request.camera_name}, "
                           f"{request.requester.label}) awaits your action")
    panel = leader.panels.requests_panel
    assert panel.tabs.tabText(1).endswith(")")
    assert panel.select(request.id, "awaiting")
    assert panel.endorse_button.isEnabled() and not panel.approve_button.isEnabled()
    with qtbot.waitSignal(leader.clips.request_changed, timeout=30_000) as endorsed:
        qtbot.mouseClick(panel.endorse_button, Qt.MouseButton.LeftButton)
    assert endorsed.args[0].state == "endorsed"
    qtbot.waitUntil(lambda: leader.title() == _title(before), timeout=30_000)
    assert leader.panels.requests_action.text() == _title(before)

    # city police approve; the officer's window tells him and counts the ready clip
    commander = footage.client("police.commander")
    try:
        assert commander.clip_step(request.id, "approve").state in ("approved", "extracting",
                                                                    "ready")
    finally:
        commander.close()
    qtbot.waitUntil(lambda: any(m.text == f"Clip #{request.id} ({request.camera_name}) is "
                                "ready to download" for m in posted), timeout=90_000)
    qtbot.waitUntil(lambda: officer.title() == _title(officer_before + 1), timeout=10_000)
    assert officer.panels.requests_action.text() == _title(officer_before + 1)
    mine = officer.panels.requests_panel
    assert mine.select(request.id, "mine") and mine.download_button.isEnabled()


def test_city_police_download_verify_and_play_a_clip_received_with_a_case(
        footage: Footage, open_window: Any, messages: MessageBridge, qtbot: QtBot) -> None:
    """The IOC sends a case; the police officer's "Received with cases" tab lists its clip, is
    told of it, downloads and verifies it, and "Play" hands the verified file to the player."""
    from app.cases import StepInput
    from common.vocabulary import CaseAction

    posted = _posted(messages)
    police = open_window("police.officer")
    operator = footage.client("ioc.operator")
    try:
        start, end = footage.recorded_range(3.0)
        request = operator.create_clip(footage.camera_id, start, end, "Bằng chứng vi phạm")
        qtbot.waitUntil(lambda: operator.clip(request.id).state == "ready", timeout=60_000)
        case = operator.open_case("red_light", clip_request_id=request.id)
        police.clips.refresh()
        qtbot.waitUntil(lambda: police.clips.list.loaded, timeout=15_000)
        assert request.id not in {r.id for r in police.clips.received}
        operator.case_step(case.id, CaseAction.SEND, StepInput())
    finally:
        operator.close()

    panel = police.panels.requests_panel

    def received() -> bool:
        police.clips.refresh()
        return any(r.id == request.id for r in police.clips.received)

    qtbot.waitUntil(received, timeout=30_000)
    qtbot.waitUntil(lambda: panel.select(request.id, "received"), timeout=10_000)
    assert panel.tabs.currentIndex() == 2 and panel.tabs.tabText(2) == "Received with cases"
    assert any(m.text == f"Evidence clip #{request.id} ({request.camera_name}) received with "
               "a violation case" for m in posted)
    assert panel.download_button.isEnabled() and not panel.play_button.isEnabled()
    with qtbot.waitSignal(police.clips.download_finished, timeout=60_000) as finished:
        qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    result = finished.args[1]
    assert result.verification.intact, result.verification.message
    qtbot.waitUntil(lambda: panel.select(request.id, "received")
                    and panel.play_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(panel.play_requested, timeout=5000) as play:
        qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)
    assert play.args[0] == result.clip_path and play.args[1]["request_id"] == request.id
