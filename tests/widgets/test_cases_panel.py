"""The Cases panel on a real backend: seeded cases (as the server tests seed them) show the
deadline states the server computed, coloured; the filters narrow the table; the detail pane
shows steps and deadlines in UTC+7; the step buttons follow the server's actions for each unit
(operating unit: send; police: verify…); "Open case…" opens one from a bookmark; in the main
window the dock title carries the overdue count and an overdue case is told exactly once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.bookmarks import VIETNAM, BookmarkDraft, vn_text
from app.cases import CaseService, StepInput, due_text
from app.context import Runtime
from app.credentials import TokenStore
from app.messages import Message, MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from common.vocabulary import CaseAction
from main import parse_args
from server.cases import DeadlineStatus
from shell.client import Client
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
    camera = sorted(operator.cameras(), key=lambda c: c.id)[5]
    try:
        yield {"camera": camera, "cases": {
            "overdue": seed_case(operator, camera.id,
                                 detection_for(DeadlineStatus.OVERDUE, now), "red_light",
                                 "Panel: quá hạn"),
            "due_soon": seed_case(operator, camera.id,
                                  detection_for(DeadlineStatus.DUE_SOON, now), "lane",
                                  "Panel: sắp đến hạn"),
            "due": seed_case(operator, camera.id, detection_for(DeadlineStatus.DUE, now),
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
    ward = seeded["camera"].ward
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
        assert police_panel.publish_button.isHidden()
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
        bookmark = operator.create_bookmark(BookmarkDraft(seeded["camera"].id, at,
                                                          note="Dừng xe trên vạch"))
    finally:
        operator.close()
    panel.open_case()
    qtbot.waitUntil(lambda: panel.open_dialog is not None, timeout=15_000)
    dialog = panel.open_dialog
    assert isinstance(dialog, OpenCaseDialog)
    index = dialog.source_combo.findData(f"bookmark:{bookmark.id}")
    assert index >= 0
    dialog.source_combo.setCurrentIndex(index)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("stopping_parking"))
    dialog.note_edit.setPlainText("Dừng xe trên vạch người đi bộ")
    with qtbot.waitSignal(service.case_changed, timeout=15_000) as opened:
        dialog.buttons.accepted.emit()
    case = opened.args[0]
    assert (case.kind, case.bookmark_id, case.state) == ("stopping_parking", bookmark.id,
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
    running = Client(app, parse_args([]),  # type: ignore[arg-type]
        Runtime(settings, messages, ops, video, auth, client_data_dir()), backend_url)
    running.open_main_window(auth.login(backend_url, "ioc.operator", "demo", False))
    window = running.window
    try:
        assert window is not None
        operations = running.operations
        assert operations is not None
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


def publish_and_withdraw(backend_url: str, operator: BackendClient, case_id: int,
                         title: str) -> None:
    """Through both people: the operator proposes (the title only) and reviews, the IOC leader
    approves, the operator withdraws."""
    item = operator.propose_publication(case_id, title, None, [])
    operator.publication_step(item.id, "review", "Không có thông tin cá nhân")
    leader = login(backend_url, "ioc.leader")
    try:
        leader.publication_step(item.id, "approve")
    finally:
        leader.close()
    operator.publication_step(item.id, "withdraw", "Hết thời hạn công bố")


def _operator_case(backend_url: str, camera_id: int, note: str) -> tuple[BackendClient, int]:
    operator = login(backend_url, "ioc.operator")
    case = seed_case(operator, camera_id, detection_for(DeadlineStatus.DUE, datetime.now(UTC)),
                     "lane", note)
    return operator, case.id


def test_history_shows_labels_who_and_when_in_utc7(
        seeded: dict[str, Any], qtbot: QtBot, operator_panel: tuple[CasesPanel, CaseService],
        backend_url: str) -> None:
    panel, service = operator_panel
    operator, case_id = _operator_case(backend_url, seeded["camera"].id, "Panel: lịch sử")
    try:
        operator.case_step(case_id, CaseAction.SEND, StepInput(note="Chuyển hồ sơ"))
        publish_and_withdraw(backend_url, operator, case_id, "Đi sai làn đường")
    finally:
        operator.close()
    with qtbot.waitSignal(service.cases_changed, timeout=15_000):
        service.refresh()
    assert panel.select(case_id)
    case = panel.selected()
    assert case is not None
    assert [e.action for e in case.events] == ["open", "send", "publish", "unpublish"]
    lines = panel.history_lines(case)
    labels = ["Case opened", "Sent to city police", "Made public: Đi sai làn đường",
              "Withdrawn from the public"]
    for line, event, label in zip(lines, case.events, labels, strict=True):
        assert event.user is not None
        assert line.startswith(f"{vn_text(event.at)} (UTC+7): {label}, by "
                               f"{event.user.label}"), line
        assert event.at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") in line
        # the server's code is not shown for an action the client knows
        assert re.search(rf"\b{event.action}\b", line) is None, line
    assert lines[1].endswith(" — Chuyển hồ sơ")
    history = panel.detail.toPlainText().split("History", 1)[1]
    for label in labels:
        assert label in history
    for code in ("open", "send", "publish", "unpublish"):
        assert re.search(rf"\b{code}\b", history) is None, history

    # a code this client does not know yet is shown as it is
    odd = replace(case, events=(replace(case.events[0], action="reopen_by_court"),))
    assert panel.history_lines(odd)[0].startswith(
        f"{vn_text(case.events[0].at)} (UTC+7): reopen_by_court, by ")
