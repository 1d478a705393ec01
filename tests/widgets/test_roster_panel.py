"""The duty roster window on a real backend: an administrator of the operating unit goes to next
week, assigns two people to a shift through the dialog and the grid then shows them; a shift
that has ended is greyed and cannot be assigned; the shift on duty now is highlighted; an
operator reads the roster with no "Assign duty…" anywhere. The window opens from the Operations
menu and from the Handover dock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.bookmarks import VIETNAM
from app.duty import DutyService
from app.incidents import IncidentService
from app.messages import MessageBridge
from app.ops import Ops
from tests.app.admin_helpers import LiveBackend, live_backend
from tests.widgets.operations_helpers import operations_window
from widgets.roster_panel import ENDED_TEXT, NOW_FILL, RosterDialog, RosterPanel, monday_of

WAIT_MS = 20_000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("roster-panel")) as backend:
        yield backend


def _today() -> date:
    return datetime.now(VIETNAM).date()


def _panel(client: BackendClient, ops: Ops, messages: MessageBridge, qtbot: QtBot, *,
           can_assign: bool) -> tuple[RosterPanel, DutyService]:
    service = DutyService(client, ops, messages)
    panel = RosterPanel(service, can_assign=can_assign)
    qtbot.addWidget(panel)
    panel.resize(1000, 520)
    panel.show()
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS):
        panel.refresh()
    return panel, service


def test_an_administrator_assigns_two_people_to_a_shift_to_come(
        live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot,
        vietnamese: None) -> None:
    admin = live.client("ioc.admin")
    panel, service = _panel(admin, ops, messages, qtbot, can_assign=True)
    assert panel.week == monday_of(_today())
    assert panel.table.columnCount() == 3
    assert panel.table.horizontalHeaderItem(0).text() == "Ca 1 (06:00–14:00)"
    assert panel.table.verticalHeaderItem(0).text() == f"Thứ Hai, {panel.week:%d/%m/%Y}"
    assert panel.assign_button.isVisible() and panel.assign_button.text() == "Phân công…"

    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS):
        panel.next_button.click()
    wednesday = panel.week + timedelta(days=2)
    assert panel.week == monday_of(_today()) + timedelta(days=7)
    assert panel.week_label.text() == (f"Tuần từ {panel.week:%d/%m/%Y} đến "
                                       f"{panel.week + timedelta(days=6):%d/%m/%Y}")
    panel.select(wednesday, 2)
    assert panel.assign_button.isEnabled()
    dialog = panel.ask_assign()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.people_list.count() >= 3, timeout=WAIT_MS)
    people = admin.duty_people()
    ids = {p.username: p.id for p in people}
    before = {p.id for p in panel.shift_at(wednesday, 2).people}  # type: ignore[union-attr]
    assert set(dialog.checked_ids()) == before  # ticked with who is on it (the demo's roster)
    for person in people:
        item = dialog.person_item(person.id)
        assert item is not None
        wanted = person.username in ("ioc.operator", "ioc.leader")
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
    assert sorted(dialog.checked_ids()) == sorted([ids["ioc.operator"], ids["ioc.leader"]])
    assert dialog.count_label.text() == "Đã chọn 2 người (tối đa 20)"
    with qtbot.waitSignal(service.shift_assigned, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: panel.dialog is None, timeout=WAIT_MS)

    names = {p.username: p.full_name or p.username for p in people}
    text = panel.cell_text(wednesday, 2)
    assert sorted(text.split("\n")) == sorted([names["ioc.operator"], names["ioc.leader"]])
    stored = admin.duty_roster(wednesday, wednesday)[2]
    assert sorted(p.username for p in stored.people) == ["ioc.leader", "ioc.operator"]

    # a shift that has ended: greyed, and nothing to assign
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS):
        panel.this_week_button.click()
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS):
        panel.previous_button.click()
    last_monday = monday_of(_today()) - timedelta(days=7)
    assert panel.week == last_monday
    ended = panel.shift_at(last_monday, 0)
    assert ended is not None and not ended.actions
    panel.select(last_monday, 0)
    assert not panel.assign_button.isEnabled()
    assert panel.ask_assign() is None and panel.dialog is None
    item = panel.table.item(0, 0)
    assert item is not None and item.foreground().color().name() == ENDED_TEXT
    admin.close()


def test_the_shift_on_duty_now_is_highlighted(live: LiveBackend, ops: Ops,
                                              messages: MessageBridge, qtbot: QtBot) -> None:
    leader = live.client("ioc.leader")
    panel, service = _panel(leader, ops, messages, qtbot, can_assign=True)
    with qtbot.waitSignal(service.on_duty, timeout=WAIT_MS) as told:
        service.start()
    now = told.args[0]
    service.stop()
    if panel.week != monday_of(now.day):  # the night shift of a Sunday, seen on Monday
        with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS):
            panel.show_week(now.day)
    item = panel.table.item((now.day - panel.week).days, now.shift)
    assert item is not None and item.background().color().name() == NOW_FILL
    assert item.font().bold()
    # the shift in progress may still be changed; the one before it is a record
    panel.select(now.day, now.shift)
    assert panel.assign_button.isEnabled()
    leader.close()


def test_an_operator_reads_the_roster_and_assigns_nothing(
        live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot) -> None:
    operator = live.client("ioc.operator")
    panel, service = _panel(operator, ops, messages, qtbot, can_assign=False)
    # the demo's roster from today on: the operator reads it
    assert panel.cell_text(_today(), 0) == operator.duty_roster(_today(), _today())[0].names
    assert panel.cell_text(_today(), 0) != "—"
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS):
        panel.next_button.click()
    future = panel.shift_at(panel.week + timedelta(days=3), 1)
    assert future is not None and not future.actions
    panel.select(future.day, future.shift)
    assert panel.assign_button.isHidden()
    assert panel.ask_assign() is None and panel.dialog is None
    operator.close()


def test_the_roster_opens_from_the_operations_menu_and_the_handover_dock(
        live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot,
        vietnamese: None) -> None:
    leader = live.client("ioc.leader")
    duty = DutyService(leader, ops, messages, handovers=True)
    try:
        with operations_window(leader, ops, messages, qtbot, duty=duty,
                               incidents=IncidentService(leader, ops, messages)) as operations:
            action = operations.actions["duty_roster"]
            assert action.text() == "Lịch trực…"
            action.trigger()
            dialog = operations.roster_dialog
            assert isinstance(dialog, RosterDialog) and dialog.isVisible()
            assert dialog.panel.can_assign  # a leader of the operating unit keeps the roster
            qtbot.waitUntil(lambda: bool(dialog.panel.shifts), timeout=WAIT_MS)
            assert operations.handover_panel is not None
            button = operations.handover_panel.buttons["roster"]
            assert button.text() == "Lịch trực…"
            button.click()
            assert operations.roster_dialog is dialog  # one window, raised
            dialog.close()
            qtbot.waitUntil(lambda: operations.roster_dialog is None, timeout=WAIT_MS)
    finally:
        leader.close()
