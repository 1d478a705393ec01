"""The audit log panel on a real backend: rows newest first in pages, filters (user, event,
camera, time), the chain banner green "intact", export of the filtered rows to CSV through the
save dialog; after a row is changed directly in the database the banner turns red "BROKEN at
row N" with the reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.audit_log import AuditLogService
from app.backend import BackendClient
from app.errors import Forbidden
from app.messages import MessageBridge
from app.ops import Ops
from tests.app.admin_helpers import LiveBackend, live_backend
from widgets.audit_panel import BROKEN_STYLE, OK_STYLE, AuditPanel
from widgets.bookmarks_panel import to_vn_qdatetime


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBackend]:
    with live_backend(tmp_path_factory.mktemp("audit-panel")) as backend:
        police = backend.client("police.commander")
        cameras = police.cameras()[:2]
        for event, camera in (("view_start", cameras[0]), ("view_stop", cameras[0]),
                              ("view_start", cameras[1])):
            police.audit_event(event, camera.id)
        police.close()
        yield backend


@pytest.fixture
def panel(live: LiveBackend, ops: Ops, messages: MessageBridge,
          qtbot: QtBot) -> Iterator[AuditPanel]:
    client: BackendClient = live.client("ioc.admin")
    widget = AuditPanel(AuditLogService(client, ops, messages, page_size=3))
    widget.set_cameras(client.cameras())
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    yield widget
    client.close()


def _loaded(panel: AuditPanel, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: panel.status_label.text() == "", timeout=20_000)


def _apply(panel: AuditPanel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(panel.service.page_loaded, timeout=20_000):
        panel.apply_button.click()


def test_rows_pages_filters_and_intact_chain(panel: AuditPanel, qtbot: QtBot) -> None:
    panel.refresh()
    qtbot.waitUntil(lambda: panel.chain_label.styleSheet() == OK_STYLE, timeout=20_000)
    assert panel.chain_label.text().startswith("Hash chain intact:")
    _loaded(panel, qtbot)
    first = panel.rows()
    assert len(first) == 3 and int(first[0][0]) > int(first[1][0])
    assert panel.page_label.text() == "Rows 1–3" and panel.next_button.isEnabled()
    assert not panel.previous_button.isEnabled()
    with qtbot.waitSignal(panel.service.page_loaded, timeout=20_000):
        panel.next_button.click()
    assert panel.page_label.text() == "Rows 4–6"
    assert int(panel.rows()[0][0]) == int(first[-1][0]) - 1
    assert panel.previous_button.isEnabled()

    panel.user_edit.setText("police.commander")
    panel.set_event("view_start")
    _apply(panel, qtbot)
    assert panel.page_label.text() == "Rows 1–2"
    rows = panel.rows()
    assert {r[2] for r in rows} == {"view_start"} and {r[3] for r in rows} == {"police.commander"}
    camera_name = rows[-1][4]
    assert camera_name.startswith("CAM-")  # the camera's name, not its number
    panel.set_event("")
    panel.event_combo.setCurrentIndex(0)
    panel.camera_combo.setCurrentIndex(panel.camera_combo.findText(camera_name))
    _apply(panel, qtbot)
    assert panel.page_label.text() == "Rows 1–2"
    assert [r[2] for r in panel.rows()] == ["view_stop", "view_start"]
    assert {r[4] for r in panel.rows()} == {camera_name}
    panel.since_check.setChecked(True)
    panel.since_edit.setDateTime(to_vn_qdatetime(datetime.now(UTC) + timedelta(hours=1)))
    _apply(panel, qtbot)
    assert panel.page_label.text() == "No rows match"
    assert panel.rows() == []


def test_export_then_tampered_chain(panel: AuditPanel, live: LiveBackend, qtbot: QtBot,
                                    tmp_path: Path) -> None:
    panel.user_edit.setText("police.commander")
    _apply(panel, qtbot)
    target = tmp_path / "nhat-ky.csv"
    assert panel.ask_export() is None, "no export without its purpose"
    assert "what the export is for" in panel.status_label.text()
    panel.purpose_edit.setText("Kiểm tra định kỳ quý IV")
    dialog = panel.ask_export()
    assert dialog is not None
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: panel.export_result is not None, timeout=20_000)
    assert panel.status_label.text().startswith(f"{panel.export_result.rows} rows saved to")
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig")),
                            delimiter=";"))
    assert table[1][:2] == ["Kiểm tra chuỗi băm", "toàn vẹn"]
    header = table.index(["Số TT", "Thời gian (UTC+7)", "Sự kiện", "Tài khoản", "Mã người dùng",
                          "Camera", "Chi tiết", "Băm trước", "Băm"])
    assert {r[3] for r in table[header + 1:] if r} == {"police.commander"}
    assert [r[2] for r in table[header + 1:] if r[2].startswith("view_")] == [
        "view_start", "view_stop", "view_start"]

    panel.set_event("view_stop")
    _apply(panel, qtbot)
    assert len(panel.rows()) == 1
    row_id = int(panel.rows()[0][0])
    live.tamper_audit_row(row_id)
    panel.verify_button.click()
    qtbot.waitUntil(lambda: panel.chain_label.styleSheet() == BROKEN_STYLE, timeout=20_000)
    assert panel.chain_label.text() == (
        f"Hash chain BROKEN at row {row_id}: content does not match its hash")


def test_the_event_list_is_the_servers(panel: AuditPanel, live: LiveBackend,
                                       qtbot: QtBot) -> None:
    """The filter offers what the log holds — including events the client never heard of."""
    client = live.client("agency.viewer")
    try:
        client.requestable_cameras()  # audited as access_camera_catalogue
    finally:
        client.close()
    with qtbot.waitSignal(panel.service.events_loaded, timeout=20_000) as loaded:
        panel.refresh()
    events = loaded.args[0]
    assert events == sorted(events) and "login" in events
    offered = [panel.event_combo.itemText(i) for i in range(1, panel.event_combo.count())]
    assert offered == events and "access_camera_catalogue" in offered
    assert "view_start" in offered  # seeded by the fixture's views


def test_audit_events_is_for_the_operating_unit_only(live: LiveBackend) -> None:
    client = live.client("police.commander")
    try:
        with pytest.raises(Forbidden):
            client.audit_event_names()
    finally:
        client.close()
