"""The roster client on a real backend: its keepers (a leader of the operating unit) read whom
they may put on a shift and assign a shift to come; a shift that has ended is refused with a
Vietnamese sentence on the message bridge; an operator reads the roster and may change none of
it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.bookmarks import VIETNAM
from app.duty import ASSIGN, DutyPerson, DutyService, DutyShift, Roster
from app.messages import Message, MessageBridge
from app.ops import Ops
from tests.app.admin_helpers import LiveBackend, live_backend

WAIT_MS = 20_000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("duty-client")) as backend:
        yield backend


def _today() -> date:
    return datetime.now(VIETNAM).date()


def _next_monday() -> date:
    today = _today()
    return today + timedelta(days=7 - today.weekday())


def test_a_keeper_lists_the_people_and_assigns_a_shift_to_come(
        live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot,
        vietnamese: None) -> None:
    leader = live.client("ioc.leader")
    service = DutyService(leader, ops, messages)
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    with qtbot.waitSignal(service.people_loaded, timeout=WAIT_MS) as listed:
        service.people()
    people: list[DutyPerson] = listed.args[0]
    ids = {p.username: p.id for p in people}
    assert {"ioc.operator", "ioc.admin", "ioc.leader"} <= set(ids)
    assert not {"police.officer", "ward.dongphu.police"} & set(ids)  # the operating unit's only

    monday = _next_monday()
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS) as loaded:
        service.roster(monday, monday + timedelta(days=6))
    roster: Roster = loaded.args[0]
    assert (roster.first, roster.last) == (monday, monday + timedelta(days=6))
    assert len(roster.shifts) == 21 and all(s.may(ASSIGN) for s in roster.shifts)

    with qtbot.waitSignal(service.shift_assigned, timeout=WAIT_MS) as assigned:
        service.assign(monday + timedelta(days=2), 1, [ids["ioc.operator"], ids["ioc.leader"]])
    shift: DutyShift = assigned.args[0]
    assert (shift.day, shift.shift) == (monday + timedelta(days=2), 1)
    assert [p.username for p in shift.people] == ["ioc.operator", "ioc.leader"]
    qtbot.waitUntil(lambda: bool(posted), timeout=WAIT_MS)
    assert posted[-1].level == "info"
    assert posted[-1].text == f"Đã lưu lịch trực: {shift.name}, ngày {shift.day:%d/%m/%Y}"

    # who was on a shift that has ended is a record
    with qtbot.waitSignal(service.roster_failed, timeout=WAIT_MS) as refused:
        service.assign(_today() - timedelta(days=1), 0, [ids["ioc.operator"]])
    assert refused.args[0] == ("Ca trực này đã kết thúc: danh sách người trực được lưu làm "
                               "hồ sơ, không thể thay đổi.")
    qtbot.waitUntil(lambda: posted[-1].level == "error", timeout=WAIT_MS)
    assert posted[-1].text == f"Lịch trực: {refused.args[0]}"
    last_week = monday - timedelta(days=14)
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS) as loaded:
        service.roster(last_week, last_week + timedelta(days=6))
    assert not any(s.may(ASSIGN) for s in loaded.args[0].shifts)
    leader.close()


def test_an_operator_reads_the_roster_and_changes_none_of_it(
        live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: QtBot,
        vietnamese: None) -> None:
    operator = live.client("ioc.operator")
    service = DutyService(operator, ops, messages)
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    monday = _next_monday()
    with qtbot.waitSignal(service.roster_loaded, timeout=WAIT_MS) as loaded:
        service.roster(monday, monday + timedelta(days=6))
    assert len(loaded.args[0].shifts) == 21
    assert not any(s.may(ASSIGN) for s in loaded.args[0].shifts)
    keepers_only = ("Chỉ quản trị viên và lãnh đạo của đơn vị vận hành được phân công lịch "
                    "trực.")
    with qtbot.waitSignal(service.roster_failed, timeout=WAIT_MS) as refused:
        service.people()
    assert refused.args[0] == keepers_only
    assert operator.session is not None
    with qtbot.waitSignal(service.roster_failed, timeout=WAIT_MS) as refused:
        service.assign(monday, 0, [operator.session.user.id])
    assert refused.args[0] == keepers_only
    qtbot.waitUntil(lambda: len(posted) == 2, timeout=WAIT_MS)
    assert [m.text for m in posted] == [f"Lịch trực: {keepers_only}"] * 2
    operator.close()
