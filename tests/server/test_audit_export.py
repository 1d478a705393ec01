"""Audit export (CSV, Vietnamese) headed by the chain verification result; the verify endpoint;
a tampered row shows in both."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update

from server.models import AuditLog
from tests.server.conftest import Backend


def _table(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_export_with_verification_then_tampering_shows(demo: Backend) -> None:
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    camera = next(iter(demo.camera_ids().values()))
    for event in ("view_start", "view_stop"):
        assert demo.post("/audit/events", police, json={"event": event, "camera_id": camera}
                         ).status_code == 201
    assert demo.get("/audit/export", police).status_code == 403
    assert demo.get("/audit/verify", police).status_code == 403
    verdict = demo.get("/audit/verify", ioc).json()
    assert verdict["ok"] is True and verdict["broken_id"] is None and verdict["rows"] > 2
    reply = demo.get("/audit/export?username=police.commander&purpose=Kiểm tra định kỳ", ioc)
    assert reply.status_code == 200 and reply.headers["X-Audit-Chain"] == "ok"
    table = _table(reply.content)
    assert table[1][:2] == ["Kiểm tra chuỗi băm", "toàn vẹn"]
    assert table[1][2].startswith("Chuỗi băm toàn vẹn: ")
    header = table.index(["Số TT", "Thời gian (UTC+7)", "Sự kiện", "Tài khoản", "Mã người dùng",
                          "Camera", "Chi tiết", "Băm trước", "Băm"])
    rows = table[header + 1:]
    assert all(r[3] == "police.commander" for r in rows)
    assert [r[2] for r in rows if r[2].startswith("view_")] == ["view_start", "view_stop"]
    assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)
    assert all(r[1].endswith("+07:00") for r in rows)
    exports = demo.audit_rows("audit_export")
    assert len(exports) == 1 and exports[0]["detail"]["purpose"] == "Kiểm tra định kỳ"
    # tamper with the view_stop row
    stop_id = int(next(r[0] for r in rows if r[2] == "view_stop"))
    with demo.client.app.state.runtime.sessions() as session:
        session.execute(update(AuditLog).where(AuditLog.id == stop_id)
                        .values(detail='{"detail":"xoá dấu vết"}'))
        session.commit()
    verdict = demo.get("/audit/verify", ioc).json()
    assert verdict == {"ok": False, "rows": stop_id - 1, "broken_id": stop_id,
                       "reason": "content does not match its hash"}
    reply = demo.get("/audit/export?event=view_stop", ioc)
    assert reply.headers["X-Audit-Chain"] == "broken"
    table = _table(reply.content)
    assert table[1][1] == "bị phá vỡ" and f"bản ghi {stop_id}" in table[1][2]


def test_list_and_export_filter_by_camera(demo: Backend) -> None:
    ioc = demo.login("ioc.operator")
    police = demo.login("police.commander")
    first, second = list(demo.camera_ids().values())[:2]
    # the demo seed onboarded the cameras (camera_create rows, through the admin path)
    seeded = int(demo.get(f"/audit?camera_id={first}", ioc).headers["X-Total-Count"])
    seeded_second = int(demo.get(f"/audit?camera_id={second}", ioc).headers["X-Total-Count"])
    for camera in (first, second, first):
        assert demo.post("/audit/events", police, json={"event": "view_start",
                                                         "camera_id": camera}).status_code == 201
    reply = demo.get(f"/audit?camera_id={first}", ioc)
    assert reply.status_code == 200 and reply.headers["X-Total-Count"] == str(seeded + 2)
    assert {r["camera_id"] for r in reply.json()} == {first}
    table = _table(demo.get(f"/audit/export?camera_id={second}", ioc).content)
    header = next(i for i, r in enumerate(table) if r and r[0] == "Số TT")
    assert [r[5] for r in table[header + 1:]] == [str(second)] * (seeded_second + 1)
    assert demo.get("/audit?camera_id=0", ioc).status_code == 422
