"""The audit viewer's client on a real backend: pages newest first with a next-page
flag, filters by user, event, camera and time, the chain check (intact, then broken at the row a
test changed directly in the database), and the CSV export saved atomically and parsed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.audit_log import AuditExport, AuditFilter, AuditLogService, AuditPage, ChainVerdict
from app.backend import BackendClient
from app.messages import Level, Message, MessageBridge
from app.ops import Ops
from tests.app.admin_helpers import LiveBackend, live_backend


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("audit-client")) as backend:
        yield backend


@pytest.fixture
def admin(live: LiveBackend) -> Iterator[BackendClient]:
    client = live.client("ioc.admin")
    yield client
    client.close()


@pytest.fixture(scope="module")
def viewed(live: LiveBackend) -> tuple[list[int], datetime]:
    """The commander opened two cameras: view_start, view_stop, view_start (for filters)."""
    police = live.client("police.commander")
    try:
        cameras = [c.id for c in police.cameras()][:2]
        start = datetime.now(UTC) - timedelta(seconds=1)
        for event, camera in (("view_start", cameras[0]), ("view_stop", cameras[0]),
                              ("view_start", cameras[1])):
            police.audit_event(event, camera)
        return cameras, start
    finally:
        police.close()


def _load(service: AuditLogService, qtbot: Any, where: AuditFilter,
          offset: int = 0) -> AuditPage:
    with qtbot.waitSignal(service.page_loaded, timeout=20_000) as loaded:
        service.load(where, offset)
    page: AuditPage = loaded.args[0]
    return page


def test_pages_and_filters(admin: BackendClient, viewed: tuple[list[int], datetime], ops: Ops,
                           messages: MessageBridge, qtbot: Any) -> None:
    cameras, start = viewed
    service = AuditLogService(admin, ops, messages, page_size=2)
    first = _load(service, qtbot, AuditFilter())
    assert len(first.rows) == 2 and first.has_more and first.first == 1
    assert first.rows[0].id > first.rows[1].id  # newest first
    with qtbot.waitSignal(service.page_loaded, timeout=20_000) as loaded:
        service.next_page()
    second: AuditPage = loaded.args[0]
    # reading adds audit_read rows; the next page still continues right after the first
    assert second.offset == 2 and second.rows[0].id == first.rows[1].id - 1
    with qtbot.waitSignal(service.page_loaded, timeout=20_000) as loaded:
        service.previous_page()
    assert [r.id for r in loaded.args[0].rows] == [r.id for r in first.rows]
    service.page_size = 100
    mine = _load(service, qtbot, AuditFilter(username="police.commander", event="view_start"))
    assert [r.camera_id for r in mine.rows] == [cameras[1], cameras[0]]
    assert not mine.has_more
    by_camera = _load(service, qtbot, AuditFilter(camera_id=cameras[0], since=start,
                                                  username="police.commander"))
    assert [r.event for r in by_camera.rows] == ["view_stop", "view_start"]
    later = _load(service, qtbot, AuditFilter(since=datetime.now(UTC) + timedelta(hours=1)))
    assert later.rows == () and later.first == 0
    window = _load(service, qtbot, AuditFilter(username="police.commander", since=start,
                                               until=datetime.now(UTC) + timedelta(minutes=1)))
    assert {r.event for r in window.rows} >= {"view_start", "view_stop"}


def test_verify_export_then_tampered(live: LiveBackend, admin: BackendClient,
                                     viewed: tuple[list[int], datetime], ops: Ops,
                                     messages: MessageBridge, qtbot: Any, tmp_path: Path) -> None:
    posted: list[Message] = []
    messages.posted.connect(posted.append)
    service = AuditLogService(admin, ops, messages)
    with qtbot.waitSignal(service.verified, timeout=20_000) as checked:
        service.verify()
    verdict: ChainVerdict = checked.args[0]
    assert verdict.ok and verdict.broken_id is None and verdict.rows > 3
    target = tmp_path / "nhat-ky.csv"
    with qtbot.waitSignal(service.exported, timeout=20_000) as saved:
        service.export(AuditFilter(username="police.commander"), target, "kiểm tra")
    export: AuditExport = saved.args[0]
    assert export.chain_ok and export.path == target and target.exists()
    assert export.header[:3] == ["Số TT", "Thời gian (UTC+7)", "Sự kiện"]
    assert export.rows >= 3  # its logins, camera lists and the three view events
    assert target.read_bytes().startswith("\ufeff".encode())
    stop = _load(service, qtbot, AuditFilter(event="view_stop", camera_id=viewed[0][0]))
    row_id = stop.rows[0].id
    live.tamper_audit_row(row_id)
    with qtbot.waitSignal(service.verified, timeout=20_000) as checked:
        service.verify()
    verdict = checked.args[0]
    assert not verdict.ok and verdict.broken_id == row_id
    assert verdict.reason == "content does not match its hash"
    qtbot.waitUntil(lambda: any(m.level is Level.ERROR and f"BROKEN at row {row_id}" in m.text
                                for m in posted))
    broken = tmp_path / "broken.csv"
    with qtbot.waitSignal(service.exported, timeout=20_000) as saved:
        service.export(AuditFilter(event="view_stop"), broken, "kiểm tra")
    assert not saved.args[0].chain_ok and f"bản ghi {row_id}" in saved.args[0].chain_text


def test_others_are_refused(live: LiveBackend, ops: Ops, messages: MessageBridge, qtbot: Any,
                            tmp_path: Path) -> None:
    police = live.client("police.commander")
    try:
        service = AuditLogService(police, ops, messages)
        with qtbot.waitSignal(service.failed, timeout=20_000) as failed:
            service.load(AuditFilter())
        assert failed.args[0]
        with qtbot.waitSignal(service.failed, timeout=20_000):
            service.export(AuditFilter(), tmp_path / "x.csv", "kiểm tra")
        assert list(tmp_path.iterdir()) == []
    finally:
        police.close()
