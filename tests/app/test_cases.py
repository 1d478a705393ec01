"""The violation-case client on a real backend: cases opened from bookmarks with
detection times chosen so that the server computes due / due soon / overdue; the service lists
and filters them, shows the server's deadline states and actions per unit, records steps, and
tells an overdue case exactly once however often it polls."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.backend import BackendClient
from app.bookmarks import BookmarkDraft
from app.cases import Case, CaseFilter, CaseService, StepInput, parse_case
from app.errors import BackendError
from app.messages import Message, MessageBridge
from app.ops import Ops
from server.cases import DeadlineStatus, deadlines
from server.models import ViolationCase
from server.working_calendar import WorkingCalendar, default_data
from tests.app.helpers import send_case_in_the_past

CAL = WorkingCalendar(default_data())


def login(url: str, username: str) -> BackendClient:
    client = BackendClient(url)
    client.login(username, "demo")
    return client


def detection_for(status: DeadlineStatus, now: datetime) -> tuple[datetime, bool]:
    """A detection time (and whether the case must be sent an hour later) whose worst pending
    deadline is in ``status`` now, with hours of margin either side (the server's clock runs on
    meanwhile). "Due soon" uses the one-month verification (3 days' warning): the 5 working
    days of sending end at midnight of a working day, never within 24 h on a weekend."""
    sent = status is DeadlineStatus.DUE_SOON
    for hours in range(1, 24 * 40):
        detected = now - timedelta(hours=hours)
        item = ViolationCase(detected_at=detected, complex=False, decision_kind="simple",
                             handover_needed=False,
                             sent_at=detected + timedelta(hours=1) if sent else None)
        found = deadlines(item, CAL, now)[-1]
        margin = (found.due_at - now).total_seconds() / 3600
        if found.status is not status:
            continue
        if status is DeadlineStatus.OVERDUE and margin < -2 \
                or status is DeadlineStatus.DUE_SOON and 2 < margin < 70 \
                or status is DeadlineStatus.DUE and margin > 30:
            return detected, sent
    raise AssertionError(f"no detection time gives {status}")


def seed_case(client: BackendClient, camera_id: int, when: tuple[datetime, bool], kind: str,
              note: str) -> Case:
    """As the server tests do: a bookmark, then a case opened from it (operating unit), sent
    an hour after detection when asked."""
    detected, send = when
    bookmark = client.create_bookmark(BookmarkDraft(camera_id, detected, note=note))
    case = client.open_case(kind, bookmark_id=bookmark.id, note=note)
    if send:
        send_case_in_the_past(client.server_url, case.id, detected + timedelta(hours=1))
        case = client.case(case.id)
    return case


@pytest.fixture(scope="module")
def seeded(backend_url: str) -> Iterator[dict[str, Any]]:
    operator = login(backend_url, "ioc.operator")
    now = datetime.now(UTC)
    cameras = sorted(operator.cameras(), key=lambda c: c.id)
    camera = cameras[0]
    try:
        cases = {
            "overdue": seed_case(operator, camera.id,
                                 detection_for(DeadlineStatus.OVERDUE, now), "red_light",
                                 "Vượt đèn đỏ — quá hạn"),
            "due_soon": seed_case(operator, camera.id,
                                  detection_for(DeadlineStatus.DUE_SOON, now), "lane",
                                  "Sai làn — sắp đến hạn"),
            "due": seed_case(operator, camera.id, detection_for(DeadlineStatus.DUE, now),
                             "stopping_parking", "Dừng đỗ sai — còn hạn"),
        }
        yield {"cases": cases, "camera": camera}
    finally:
        operator.close()


def _service(backend_url: str, username: str, ops: Ops, messages: MessageBridge
             ) -> tuple[CaseService, BackendClient]:
    client = login(backend_url, username)
    return CaseService(client, ops, messages, poll_interval_ms=60_000), client


def test_seeded_cases_have_the_servers_deadline_states(seeded: dict[str, Any]) -> None:
    cases = seeded["cases"]
    assert {name: c.deadline_state for name, c in cases.items()} == {
        "overdue": "overdue", "due_soon": "due_soon", "due": "due"}
    assert cases["overdue"].overdue_rules == {"send_to_police"}
    assert cases["due"].next_due is not None and cases["due"].next_due.rule == "send_to_police"
    assert [(d.rule, d.status) for d in cases["due_soon"].deadlines] == [
        ("send_to_police", "done"), ("verify", "due_soon")]
    assert cases["due"].may("send") and not cases["due"].may("conclude")


def test_list_filters_and_overdue_badge(seeded: dict[str, Any], qtbot: QtBot, ops: Ops,
                                        messages: MessageBridge, backend_url: str) -> None:
    service, client = _service(backend_url, "ioc.operator", ops, messages)
    try:
        with qtbot.waitSignal(service.cases_changed, timeout=15_000) as listed:
            service.refresh()
        ids = {c.id for c in listed.args[0]}
        assert {c.id for c in seeded["cases"].values()} <= ids
        assert service.overdue and all(c.deadline_state == "overdue" for c in service.overdue)

        with qtbot.waitSignal(service.cases_changed, timeout=15_000) as only_soon:
            service.set_filter(CaseFilter(deadline="due_soon"))
        assert seeded["cases"]["due_soon"].id in {c.id for c in only_soon.args[0]}
        assert {c.deadline_state for c in only_soon.args[0]} == {"due_soon"}

        with qtbot.waitSignal(service.cases_changed, timeout=15_000) as by_kind:
            service.set_filter(CaseFilter(kind="lane", ward=seeded["camera"].ward))
        assert by_kind.args[0] and {c.kind for c in by_kind.args[0]} == {"lane"}
        with qtbot.waitSignal(service.cases_changed, timeout=15_000) as elsewhere:
            service.set_filter(CaseFilter(ward="no such ward"))
        assert elsewhere.args[0] == []
    finally:
        client.close()


def test_an_overdue_case_is_told_once(seeded: dict[str, Any], qtbot: QtBot, ops: Ops,
                                      backend_url: str) -> None:
    messages = MessageBridge()
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    service, client = _service(backend_url, "ioc.operator", Ops(messages), messages)
    overdue_id = seeded["cases"]["overdue"].id
    try:
        for _poll in range(3):
            with qtbot.waitSignal(service.overdue_changed, timeout=15_000):
                service.refresh()
        qtbot.wait(50)
        about = [m for m in posted if f"#{overdue_id} " in m.text]
        assert len(about) == 1, [m.text for m in posted]
        assert "overdue" in about[0].text and about[0].level.value == "warning"
        # nothing about the cases that are only due or due soon
        for name in ("due", "due_soon"):
            assert not [m for m in posted if f"#{seeded['cases'][name].id} " in m.text]
    finally:
        client.close()


def test_steps_follow_what_the_server_allows_each_unit(seeded: dict[str, Any], qtbot: QtBot,
                                                       ops: Ops, messages: MessageBridge,
                                                       backend_url: str) -> None:
    operator_service, operator = _service(backend_url, "ioc.operator", ops, messages)
    police_service, police = _service(backend_url, "police.officer", ops, messages)
    try:
        camera = seeded["camera"]
        detected = datetime.now(UTC) - timedelta(hours=2)
        bookmark = operator.create_bookmark(BookmarkDraft(camera.id, detected,
                                                          note="Gây rối trật tự"))
        with qtbot.waitSignal(operator_service.case_changed, timeout=15_000) as opened:
            operator_service.open_case("public_order", bookmark_id=bookmark.id,
                                       note="Gây rối trật tự")
        case: Case = opened.args[0]
        assert case.state == "opened" and case.bookmark_id == bookmark.id
        assert case.detected_at == bookmark.at
        assert case.may("send") and not case.may("conclude")

        # police may not send: the server's 403 comes back as a readable message
        with qtbot.waitSignal(police_service.action_failed, timeout=15_000) as refused:
            police_service.act(case.id, "send")
        assert "Not allowed" in refused.args[0] or "not found" in refused.args[0].lower()

        with qtbot.waitSignal(operator_service.case_changed, timeout=15_000) as sent:
            operator_service.act(case.id, "send", StepInput(complex=True, note="Chuyển CA"))
        assert sent.args[0].state == "sent" and sent.args[0].complex
        assert sent.args[0].steps["sent"] is not None
        assert {d.rule for d in sent.args[0].deadlines} == {"send_to_police", "verify"}
        assert dict((d.rule, d.status) for d in sent.args[0].deadlines)["send_to_police"] == \
            "done"

        with qtbot.waitSignal(police_service.case_changed, timeout=15_000) as seen:
            police_service.case(case.id)
        assert seen.args[0].may("conclude") and seen.args[0].may("identify_violator")
        assert not seen.args[0].may("send")
        with qtbot.waitSignal(police_service.case_changed, timeout=15_000) as concluded:
            police_service.act(case.id, "conclude", StepInput(note="Đã xác minh"))
        assert concluded.args[0].state == "concluded"
        assert concluded.args[0].conclusion == "Đã xác minh"
        # the step's own answer carries the timeline with the step in it
        assert [e.action for e in concluded.args[0].events] == ["open", "send", "conclude"]

        # a step time from the client is refused (the server's clock), 422 naming the field
        with qtbot.waitSignal(police_service.action_failed, timeout=15_000) as backdated:
            police_service.act(case.id, "report_conclusion",
                               StepInput(at=datetime.now(UTC) - timedelta(hours=1)))
        assert backdated.args[0].startswith("at")
    finally:
        operator.close()
        police.close()


def test_sources_are_the_users_bookmarks_and_clips(seeded: dict[str, Any], qtbot: QtBot,
                                                   ops: Ops, messages: MessageBridge,
                                                   backend_url: str) -> None:
    service, client = _service(backend_url, "ioc.operator", ops, messages)
    try:
        with qtbot.waitSignal(service.sources_loaded, timeout=15_000) as loaded:
            service.load_sources()
        bookmarks, clips = loaded.args
        assert {"Vượt đèn đỏ — quá hạn", "Sai làn — sắp đến hạn"} <= {b.note for b in bookmarks}
        assert isinstance(clips, list)
    finally:
        client.close()


def test_evidence_package_is_saved_whole_through_ops(seeded: dict[str, Any], qtbot: QtBot,
                                                     ops: Ops, messages: MessageBridge,
                                                     backend_url: str, tmp_path: Path) -> None:
    """The package goes to the chosen file off the GUI thread; a refusal leaves no file."""
    service, client = _service(backend_url, "ioc.operator", ops, messages)
    ward_service, ward = _service(backend_url, "ward.dongphu.police", ops, messages)
    case = seeded["cases"]["due"]
    destination = tmp_path / "out" / f"case-{case.id}.zip"
    try:
        with qtbot.waitSignal(service.package_saved, timeout=30_000) as saved:
            service.download_package(case.id, destination, "Chuyển Công an thành phố")
        assert saved.args == [case.id, str(destination),
                              hashlib.sha256(destination.read_bytes()).hexdigest()]
        with zipfile.ZipFile(destination) as archive:
            names = set(archive.namelist())
            manifest = json.loads(archive.read("package-manifest.json"))
        assert {"case.json", "package-manifest.json", "package-manifest.sig",
                "SHA256SUMS", "signing-key.pem"} <= names
        assert manifest["case_id"] == case.id
        assert manifest["purpose"] == "Chuyển Công an thành phố"
        assert [p.name for p in destination.parent.iterdir()] == [destination.name]
        # a unit that does not read cases: the server's 404, told readably; nothing saved
        refused_at = tmp_path / "ward.zip"
        with qtbot.waitSignal(ward_service.action_failed, timeout=30_000) as refused:
            ward_service.download_package(case.id, refused_at, "Xem thử")
        assert "not found" in refused.args[0].lower()
        assert list(tmp_path.glob("*ward*")) == [] and list(tmp_path.glob(".*")) == []
    finally:
        client.close()
        ward.close()


def test_due_text_says_24_00_for_the_end_of_a_day() -> None:
    from app.bookmarks import VIETNAM
    from app.cases import due_text

    assert due_text(datetime(2026, 2, 28, 0, 0, tzinfo=VIETNAM)) == "27/02/2026 24:00"
    assert due_text(datetime(2026, 5, 6, 2, 0, tzinfo=UTC)) == "06/05/2026 09:00"
    assert due_text(None) == ""


def test_parse_refuses_a_broken_record() -> None:
    with pytest.raises(BackendError):
        parse_case({"id": 1})
