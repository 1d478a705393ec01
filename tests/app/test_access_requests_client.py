"""The access request client (Art. 12.2.d) on a real backend: an agency files a request
with a PDF letter (a non-PDF is refused before sending), the operating unit reads the letter,
grants a camera for a few seconds: the agency's service says its cameras changed at the grant
and again when the grant ends by itself, and its camera list follows; a rejection needs a
reason; revoke ends a grant at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.access_requests import AccessRequest, AccessRequestService, read_letter
from app.backend import BackendClient
from app.domain import CameraSystem
from app.errors import ValidationFailed
from app.messages import Message, MessageBridge
from app.ops import Ops
from tests.app.admin_helpers import PDF, LiveBackend, live_backend


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("access-client")) as backend:
        yield backend


@pytest.fixture
def clients(live: LiveBackend) -> Iterator[tuple[BackendClient, BackendClient]]:
    agency, ioc = live.client("agency.viewer"), live.client("ioc.operator")
    yield agency, ioc
    agency.close()
    ioc.close()


def _letter(tmp_path: Path) -> Path:
    path = tmp_path / "cong-van.pdf"
    path.write_bytes(PDF)
    return path


def _file(service: AccessRequestService, qtbot: Any, camera_ids: list[int],
          letter: Path) -> AccessRequest:
    now = datetime.now(UTC)
    with qtbot.waitSignal(service.request_changed, timeout=20_000) as filed:
        service.file_request("Xem camera khu vực chợ Đồng Hới", "Điều tra vụ trộm cắp tài sản",
                             "Cam kết chỉ sử dụng cho mục đích đã nêu", camera_ids, now,
                             now + timedelta(days=2), letter)
    request: AccessRequest = filed.args[0]
    return request


def test_letter_must_be_a_pdf(tmp_path: Path) -> None:
    text = tmp_path / "letter.txt"
    text.write_text("not a pdf", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="not a PDF") as info:
        read_letter(text)
    assert info.value.field == "letter"
    with pytest.raises(ValidationFailed, match="cannot read"):
        read_letter(tmp_path / "missing.pdf")
    assert read_letter(_letter(tmp_path)) == PDF


def test_grant_shows_and_ends_by_itself(clients: tuple[BackendClient, BackendClient],
                                        ops: Ops, messages: MessageBridge, qtbot: Any,
                                        tmp_path: Path) -> None:
    agency_client, ioc_client = clients
    smart = [c.id for c in ioc_client.cameras() if c.system is CameraSystem.SMART_CITY]
    assert agency_client.cameras() == []
    agency = AccessRequestService(agency_client, ops, messages)
    ioc = AccessRequestService(ioc_client, ops, messages)
    # a non-PDF letter is refused before anything is sent
    bogus = tmp_path / "cong-van.docx"
    bogus.write_bytes(b"PK\x03\x04 not a pdf")
    with qtbot.waitSignal(agency.action_failed, timeout=20_000) as failed:
        agency.file_request("Xem camera khu vực chợ", "Điều tra vụ trộm cắp", "Cam kết sử dụng "
                            "đúng mục đích", smart[:1], datetime.now(UTC),
                            datetime.now(UTC) + timedelta(days=1), bogus)
    assert "cong-van.docx is not a PDF file" in failed.args[0]
    with qtbot.waitSignal(agency.listed, timeout=20_000):
        agency.refresh()
    filed = _file(agency, qtbot, smart[:2], _letter(tmp_path))
    assert filed.state == "requested" and list(filed.camera_ids) == smart[:2]
    assert filed.letter.filename == "cong-van.pdf"
    qtbot.waitUntil(lambda: any(r.id == filed.id for r in agency.requests), timeout=20_000)
    # the operating unit reads the letter
    with qtbot.waitSignal(ioc.letter_saved, timeout=20_000) as saved:
        ioc.save_letter(filed.id, tmp_path / "letters")
    assert saved.args[0] == filed.id and Path(saved.args[1]).read_bytes() == PDF
    # grant one camera for a few seconds
    until = datetime.now(UTC) + timedelta(seconds=6)
    with qtbot.waitSignal(ioc.request_changed, timeout=20_000) as granted:
        ioc.grant(filed.id, smart[:1], until)
    assert granted.args[0].state == "granted" and granted.args[0].grant_end is not None
    with qtbot.waitSignal(agency.cameras_changed, timeout=20_000):
        agency.refresh()
    assert [c.id for c in agency_client.cameras()] == smart[:1]
    mine = next(r for r in agency.requests if r.id == filed.id)
    assert mine.state == "granted" and mine.running and mine.active_camera_ids == {smart[0]}
    assert agency.next_boundary is not None and abs(
        (agency.next_boundary - until).total_seconds()) < 1
    # nobody acts: the grant's end comes from the service's own timer
    with qtbot.waitSignal(agency.cameras_changed, timeout=20_000):
        pass
    assert agency_client.cameras() == []
    assert not next(r for r in agency.requests if r.id == filed.id).running


def test_reject_needs_a_reason_and_revoke_ends_a_grant(
        clients: tuple[BackendClient, BackendClient], ops: Ops, messages: MessageBridge,
        qtbot: Any, tmp_path: Path) -> None:
    agency_client, ioc_client = clients
    camera = next(c.id for c in ioc_client.cameras() if c.system is CameraSystem.SMART_CITY)
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    agency = AccessRequestService(agency_client, ops, messages)
    ioc = AccessRequestService(ioc_client, ops, messages)
    with qtbot.waitSignal(ioc.listed, timeout=20_000):
        ioc.refresh()
    first = _file(agency, qtbot, [camera], _letter(tmp_path))
    with qtbot.waitSignal(ioc.listed, timeout=20_000):
        ioc.refresh()  # the operating unit's next poll tells of the new request
    qtbot.waitUntil(lambda: any(f"Access request #{first.id} from" in m.text
                                and "awaits a decision" in m.text for m in posted))
    with qtbot.waitSignal(ioc.action_failed, timeout=20_000) as failed:
        ioc.reject(first.id, "  ")
    assert failed.args[0].startswith("reason:")
    with qtbot.waitSignal(ioc.request_changed, timeout=20_000) as rejected:
        ioc.reject(first.id, "Mục đích chưa rõ")
    assert rejected.args[0].state == "rejected"
    assert rejected.args[0].reject_reason == "Mục đích chưa rõ"
    # the agency may not decide
    second = _file(agency, qtbot, [camera], _letter(tmp_path))
    with qtbot.waitSignal(agency.action_failed, timeout=20_000) as refused:
        agency.grant(second.id, [camera], datetime.now(UTC) + timedelta(hours=1))
    assert "operating unit" in refused.args[0]
    with qtbot.waitSignal(ioc.request_changed, timeout=20_000):
        ioc.grant(second.id, [camera], datetime.now(UTC) + timedelta(days=1))
    assert [c.id for c in agency_client.cameras()] == [camera]
    with qtbot.waitSignal(ioc.request_changed, timeout=20_000) as revoked:
        ioc.revoke(second.id)
    assert not revoked.args[0].running
    assert agency_client.cameras() == []
    with qtbot.waitSignal(ioc.action_failed, timeout=20_000) as again:
        ioc.revoke(second.id)
    assert "ended" in again.args[0]
