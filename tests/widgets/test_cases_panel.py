"""The Cases panel on a real backend: seeded cases (as the server tests seed them) show the
deadline states the server computed, coloured; the filters narrow the table; the detail pane
shows steps and deadlines in UTC+7; the step buttons follow the server's actions for each unit
(operating unit: send; police: verify…); "Open case…" opens one from a bookmark; in the main
window the dock title carries the overdue count and an overdue case is told exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.bookmarks import VIETNAM
from app.cases import CaseService, due_text
from app.credentials import TokenStore
from app.messages import Message, MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import VideoService
from main import Client, parse_args
from server.cases import DeadlineStatus
from tests.app.test_cases import detection_for, seed_case
from widgets.cases_panel import STATUS_COLOURS, CasesPanel, OpenCaseDialog, StepDialog


def login(url: str, username: str) -> BackendClient:
    client = BackendClient(url)
    client.login(username, "demo")
    return client


@pytest.fixture(scope="module")
def seeded(backend_url: str) -> Iterator[dict[str, Any]]:
    operator = login(backend_url, "ioc.operator")
    now = datetime.now(UTC)
    camera = sorted(operator.call("GET", "/cameras"), key=lambda c: c["id"])[5]
    try:
        yield {"camera": camera, "cases": {
            "overdue": seed_case(operator, camera["id"],
                                 detection_for(DeadlineStatus.OVERDUE, now), "red_light",
                                 "Panel: quá hạn"),
            "due_soon": seed_case(operator, camera["id"],
                                  detection_for(DeadlineStatus.DUE_SOON, now), "lane",
                                  "Panel: sắp đến hạn"),
            "due": seed_case(operator, camera["id"], detection_for(DeadlineStatus.DUE, now),
                             "public_order", "Panel: còn hạn"),
        }}
    finally:
        operator.close()


@pytest.fixture
def operator_panel(qtbot: QtBot, backend_url: str, ops: Ops,
                   messages: MessageBridge) -> Iterator[tuple[CasesPanel, CaseService]]:
    client = login(backend_url, "ioc.operator")
    service = CaseService(client, ops, messages, poll_interval_ms=600_000)
    panel = CasesPanel(service, can_open=True)
    qtbot.addWidget(panel)
    panel.resize(1400, 600)
    panel.show()
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        service.refresh()
    yield panel, service
    client.close()


def test_rows_show_the_servers_deadline_states_coloured(
        seeded: dict[str, Any], operator_panel: tuple[CasesPanel, CaseService]) -> None:
    panel, _service = operator_panel
    expected = {"overdue": ("overdue", DeadlineStatus.OVERDUE),
                "due_soon": ("due soon", DeadlineStatus.DUE_SOON),
                "due": ("due", DeadlineStatus.DUE)}
    for name, (text, status) in expected.items():
        cell = panel.deadline_cell(seeded["cases"][name].id)
        assert cell is not None, name
        assert cell.text() == text
        assert cell.foreground().color() == QColor(STATUS_COLOURS[status])


def test_filters_narrow_the_table(seeded: dict[str, Any], qtbot: QtBot,
                                  operator_panel: tuple[CasesPanel, CaseService]) -> None:
    panel, service = operator_panel
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        panel.deadline_combo.setCurrentIndex(panel.deadline_combo.findData("overdue"))
    assert seeded["cases"]["overdue"].id in {c.id for c in panel.cases()}
    assert {c.deadline_state for c in panel.cases()} == {"overdue"}
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        panel.deadline_combo.setCurrentIndex(0)
    ward = seeded["camera"]["ward"]
    assert panel.ward_combo.findData(ward) >= 0
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        panel.ward_combo.setCurrentIndex(panel.ward_combo.findData(ward))
    assert panel.cases() and {c.ward for c in panel.cases()} == {ward}
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("lane"))
    assert {c.kind for c in panel.cases()} == {"lane"}
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        panel.state_combo.setCurrentIndex(panel.state_combo.findData("closed"))
    assert all(c.state == "closed" for c in panel.cases())


def test_detail_shows_steps_and_deadlines_in_utc7(
        seeded: dict[str, Any], operator_panel: tuple[CasesPanel, CaseService]) -> None:
    panel, _service = operator_panel
    case = seeded["cases"]["due_soon"]
    assert panel.select(case.id)
    text = panel.detail.toPlainText()
    verify = next(d for d in case.deadlines if d.rule == "verify")
    assert due_text(verify.due_at) in text
    assert due_text(verify.due_at).endswith("24:00")  # the end of a day, as the rule says
    assert "due soon" in text and "Sent to city police" in text
    assert case.detected_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S") in text
    assert STATUS_COLOURS[DeadlineStatus.DUE_SOON] in panel.detail.toHtml().lower()
    # sent already: the operating unit may only close it now
    assert not panel.action_buttons["send"].isEnabled()
    assert panel.action_buttons["close"].isEnabled()
    assert panel.action_buttons["conclude"].isHidden()


def test_send_from_the_panel_then_police_verify(
        seeded: dict[str, Any], qtbot: QtBot, operator_panel: tuple[CasesPanel, CaseService],
        backend_url: str, ops: Ops, messages: MessageBridge) -> None:
    panel, service = operator_panel
    case = seeded["cases"]["due"]
    assert panel.select(case.id)
    assert panel.action_buttons["send"].isEnabled()
    dialog = panel.ask_step("send")
    assert isinstance(dialog, StepDialog) and dialog.complex_check is not None
    dialog.note_edit.setPlainText("Chuyển Công an thành phố")
    with qtbot.waitSignal(service.case_changed, timeout=15_000) as sent:
        dialog.accept()
    assert sent.args[0].state == "sent"
    qtbot.waitUntil(lambda: panel.select(case.id) and panel.selected().state == "sent",
                    timeout=15_000)
    assert not panel.action_buttons["send"].isEnabled()

    police = login(backend_url, "police.officer")
    try:
        police_service = CaseService(police, ops, messages, poll_interval_ms=600_000)
        police_panel = CasesPanel(police_service, can_open=False)
        qtbot.addWidget(police_panel)
        with qtbot.waitSignal(police_service.cases_changed, timeout=15_000):
            police_service.refresh()
        assert police_panel.open_button.isHidden()
        # publishing (Art. 14) is the operating unit's
        assert police_panel.publish_button.isHidden() and police_panel.unpublish_button.isHidden()
        assert police_panel.select(case.id)
        assert police_panel.action_buttons["send"].isHidden()
        assert police_panel.action_buttons["conclude"].isEnabled()
        assert police_panel.action_buttons["identify_violator"].isEnabled()
        assert not police_panel.action_buttons["make_record"].isEnabled()
        step = police_panel.ask_step("conclude")
        assert step is not None
        step.note_edit.setPlainText("Xác minh xong")
        with qtbot.waitSignal(police_service.case_changed, timeout=15_000) as concluded:
            step.accept()
        assert concluded.args[0].state == "concluded"
        qtbot.waitUntil(lambda: police_panel.select(case.id)
                        and police_panel.action_buttons["report_conclusion"].isEnabled(),
                        timeout=15_000)
    finally:
        police.close()


def test_open_case_from_a_bookmark(seeded: dict[str, Any], qtbot: QtBot,
                                   operator_panel: tuple[CasesPanel, CaseService],
                                   backend_url: str) -> None:
    panel, service = operator_panel
    operator = login(backend_url, "ioc.operator")
    try:
        at = datetime.now(UTC) - timedelta(minutes=30)
        bookmark = operator.call("POST", "/bookmarks", json={
            "camera_id": seeded["camera"]["id"], "at": at.isoformat(),
            "note": "Dừng xe trên vạch"})
    finally:
        operator.close()
    panel.open_case()
    qtbot.waitUntil(lambda: panel.open_dialog is not None, timeout=15_000)
    dialog = panel.open_dialog
    assert isinstance(dialog, OpenCaseDialog)
    index = dialog.source_combo.findData(f"bookmark:{bookmark['id']}")
    assert index >= 0
    dialog.source_combo.setCurrentIndex(index)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("stopping_parking"))
    dialog.note_edit.setPlainText("Dừng xe trên vạch người đi bộ")
    with qtbot.waitSignal(service.case_changed, timeout=15_000) as opened:
        dialog.buttons.accepted.emit()
    case = opened.args[0]
    assert (case.kind, case.bookmark_id, case.state) == ("stopping_parking", bookmark["id"],
                                                         "opened")
    qtbot.waitUntil(lambda: panel.open_dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: panel.select(case.id), timeout=15_000)


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


def test_main_window_badge_and_one_overdue_notification(
        seeded: dict[str, Any], qapp: QApplication, qtbot: QtBot, tmp_path: Path,
        backend_url: str, qloop: asyncio.AbstractEventLoop) -> None:
    messages = MessageBridge()
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    ops = Ops(messages)
    settings = SettingsStore(tmp_path)
    video = VideoService()
    auth = AuthService(settings, TokenStore())
    app = _App()
    running = Client(app, parse_args([]), settings, messages, ops, video,  # type: ignore[arg-type]
                     auth, backend_url)
    running.open_main_window(auth.login(backend_url, "ioc.operator", "demo", False))
    window = running.window
    try:
        assert window is not None
        operations = window.operations  # type: ignore[attr-defined]
        dock = operations.cases_dock
        assert dock is not None
        qtbot.waitUntil(lambda: "overdue" in dock.windowTitle(), timeout=15_000)
        count = len(operations.cases.overdue)
        assert dock.windowTitle() == f"Cases ({count} overdue)"
        for _poll in range(2):
            with qtbot.waitSignal(operations.cases.overdue_changed, timeout=15_000):
                operations.cases.refresh()
        overdue_id = seeded["cases"]["overdue"].id
        about = [m for m in posted if f"case #{overdue_id} " in m.text]
        assert len(about) == 1, [m.text for m in posted]
        assert about[0].level.value == "warning"
        window.close()
        qtbot.waitUntil(lambda: app.quit_calls == 1, timeout=10_000)
        assert not operations.cases.polling and not operations.incidents.polling
    finally:
        video.shutdown()
        auth.logout()
