"""Reports on seeded data against figures computed by hand (one ad hoc day, 2/3/2026 in UTC+7);
the CSV in Vietnamese; the PDF with Vietnamese text and plots; periods; only the operating
unit."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from server.models import (
    Camera,
    ClipRequest,
    Incident,
    RecordingGap,
    RecordingSegment,
    User,
    ViolationCase,
)
from server.reports import period_for
from server.working_calendar import VIETNAM
from tests.server.conftest import Backend


def vn(d: int, hh: int, mm: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, d, hh, mm, tzinfo=VIETNAM)


def _seed(demo: Backend) -> dict[str, Any]:
    runtime = demo.client.app.state.runtime
    with runtime.sessions() as session:
        cameras = session.execute(select(Camera).order_by(Camera.id)).scalars().all()
        a, b = cameras[0], cameras[1]
        users = {u.username: u for u in session.execute(select(User)).scalars()}
        ioc, ward, leader = (users["ioc.operator"], users["ward.dongphu.police"],
                             users["police.commander"])

        def segment(camera: Camera, start: datetime, end: datetime) -> None:
            session.add(RecordingSegment(camera_id=camera.id, start_at=start, end_at=end,
                                         storage_root="/x", path=f"/x/{camera.id}-{start:%d%H}.ts",
                                         size_bytes=1, created_at=end))

        # camera A: 22:00 (1/3) – 01:00 gives 1 h in the day; 06–09 and 08–12 give 6 h: 7 h
        segment(a, vn(1, 22), vn(2, 1))
        segment(a, vn(2, 6), vn(2, 9))
        segment(a, vn(2, 8), vn(2, 12))
        segment(a, vn(3, 6), vn(3, 7))  # the next day: outside
        session.add(RecordingGap(camera_id=a.id, from_at=vn(2, 1), to_at=vn(2, 6),
                                 reason="ffmpeg exited"))
        session.add(Incident(camera_id=a.id, open_key=None, kind="offline",
                             state="resolved", note="", automatic=True, reported_by_id=ioc.id,
                             reported_at=vn(2, 1, 30), acknowledged_by_id=ioc.id,
                             acknowledged_at=vn(2, 1, 40), resolved_by_id=ioc.id,
                             resolved_at=vn(2, 3, 30), resolution="ok"))
        session.add(Incident(camera_id=b.id, open_key=f"camera:{b.id}", kind="obstructed",
                             state="acknowledged", note="", automatic=False,
                             reported_by_id=ward.id, reported_at=vn(2, 10),
                             acknowledged_by_id=ioc.id, acknowledged_at=vn(2, 10, 20)))
        # a server clock off for 2 h, cleared by the system: counted, never acknowledged
        session.add(Incident(category="server", subject="gateway gw-1", open_key=None,
                             kind="clock_drift", state="resolved", note="", automatic=True,
                             reported_at=vn(2, 14), resolved_at=vn(2, 16),
                             resolution="Tự hết"))
        session.add(Incident(camera_id=a.id, open_key=f"camera:{a.id}", kind="offline",
                             state="open",
                             note="", automatic=True, reported_by_id=ioc.id,
                             reported_at=vn(3, 10)))  # outside

        def clip(user: User, state: str, created: datetime,
                 approved: datetime | None = None) -> None:
            session.add(ClipRequest(camera_id=a.id, requester_id=user.id,
                                    requester_unit_id=user.unit_id, chain="auto", state=state,
                                    start_at=vn(2, 6), end_at=vn(2, 6, 1), purpose="p",
                                    created_at=created, updated_at=created, attempts=0,
                                    approved_at=approved))

        clip(ioc, "delivered", vn(2, 9), vn(2, 9))
        clip(ward, "ready", vn(2, 8), vn(2, 10))
        clip(ward, "rejected", vn(2, 11))
        clip(ward, "endorsed", vn(2, 12))
        clip(ward, "requested", vn(3, 8))  # outside

        def case(kind: str, detected: datetime, state: str, sent: datetime | None) -> None:
            session.add(ViolationCase(camera_id=a.id, kind=kind, state=state, note="",
                                      detected_at=detected, opened_by_id=ioc.id,
                                      opened_at=detected, complex=False, decision_kind="simple",
                                      handover_needed=False, sent_at=sent, public=False,
                                      updated_at=detected))

        case("red_light", vn(2, 8), "opened", None)  # send due end of 9/3: overdue on 10/3
        case("lane", vn(2, 9), "sent", vn(10, 9))  # sent late; verify due 10/4
        case("public_order", vn(3, 9), "opened", None)  # outside
        session.commit()
        units = {u.username: u.unit.name for u in (ioc, ward)}
        names = (a.name, b.name)
        ids = (a.id, b.id)
        del leader
    return {"a": names[0], "b": names[1], "a_id": ids[0], "ioc_unit": units["ioc.operator"],
            "ward_unit": units["ward.dongphu.police"]}


def test_ad_hoc_report_matches_hand_computed_figures(demo: Backend) -> None:
    seeded = _seed(demo)
    demo.clock.now = vn(10, 12)
    token = demo.login("ioc.operator")
    police = demo.login("police.officer")
    camera_a = seeded["a_id"]
    for start, end, live, down in (
            (vn(2, 10), vn(2, 10, 30), 1500, 300),
            (vn(2, 23, 30), vn(3, 0, 30), 3000, 600),  # half of it in the day
            (vn(3, 10), vn(3, 10, 10), 600, 0)):  # outside
        reply = demo.post(f"/cameras/{camera_a}/health", police,
                          json={"from_at": start.isoformat(), "to_at": end.isoformat(),
                                "live_seconds": live, "down_seconds": down, "reconnects": 1})
        assert reply.status_code == 201, reply.text
    reply = demo.get("/reports?kind=ad_hoc&start=2026-03-02&end=2026-03-02", token)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert report["start"] == "2026-03-02T00:00:00+07:00"
    assert report["end"] == "2026-03-03T00:00:00+07:00"
    rows = {r["camera"]: r for r in report["availability"]}
    assert rows[seeded["a"]]["recorded_seconds"] == 7 * 3600
    assert rows[seeded["a"]]["availability_percent"] == 29.17  # 7 / 24
    assert rows[seeded["a"]]["gap_seconds"] == 5 * 3600
    assert rows[seeded["a"]]["offline_incident_seconds"] == 2 * 3600
    assert rows[seeded["b"]]["availability_percent"] == 0.0
    # clients: live 1500 + 1500, down 300 + 300 -> 3000 / 3600
    assert rows[seeded["a"]]["client_live_seconds"] == 3000
    assert rows[seeded["a"]]["client_down_seconds"] == 600
    assert rows[seeded["a"]]["client_availability_percent"] == 83.33
    assert rows[seeded["b"]]["client_availability_percent"] is None
    assert report["incidents"] == {"count": 3, "by_category": {"camera": 2, "server": 1},
                                   "by_kind": {"clock_drift": 1, "obstructed": 1,
                                               "offline": 1},
                                   "by_state": {"acknowledged": 1, "resolved": 2},
                                   "mean_seconds_to_acknowledge": 900.0,  # (10 + 20 min) / 2
                                   "mean_seconds_to_resolve": 7200.0}
    clips = report["clip_requests"]
    assert clips["count"] == 4 and clips["mean_seconds_to_approve"] == 3600.0  # (0 + 2 h) / 2
    assert {r["unit"]: r for r in clips["by_unit"]} == {
        seeded["ioc_unit"]: {"unit": seeded["ioc_unit"], "count": 1, "approved": 1,
                             "rejected": 0, "pending": 0, "mean_seconds_to_approve": 0.0},
        seeded["ward_unit"]: {"unit": seeded["ward_unit"], "count": 3, "approved": 1,
                              "rejected": 1, "pending": 1, "mean_seconds_to_approve": 7200.0}}
    assert report["cases"] == {"count": 2, "by_kind": {"lane": 1, "red_light": 1},
                               "by_state": {"opened": 1, "sent": 1}, "overdue_now": 1,
                               "steps_done_late": 1}
    assert [r["event"] for r in demo.audit_rows("report_")] == ["report_export"]

    text = demo.get("/reports?kind=ad_hoc&start=2026-03-02&end=2026-03-02&format=csv"
                    "&purpose=Báo cáo UBND", token)
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
    assert text.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Báo cáo đột xuất", "02/03/2026 – 02/03/2026"]
    camera_row = next(r for r in table if r and r[0] == seeded["a"])
    assert camera_row[2:] == ["7,00", "29,17", "5,00", "2,00", "83,33"]
    assert ["Tổng số", "3"] in table  # incidents
    assert ["Nhóm: Máy chủ", "1"] in table and ["Loại: Lệch đồng hồ", "1"] in table
    assert ["Thời gian tiếp nhận trung bình (phút)", "15,0"] in table
    assert ["Thời gian khắc phục trung bình (phút)", "120,0"] in table
    assert ["Đang quá hạn", "1"] in table and ["Loại: Vượt đèn đỏ", "1"] in table

    pdf = demo.get("/reports?kind=ad_hoc&start=2026-03-02&end=2026-03-02&format=pdf", token)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # every export says what it was for (Decree 13/2023); the client always sends it
    assert [r["detail"]["purpose"] for r in demo.audit_rows("report_export")] \
        == [None, "Báo cáo UBND", None]
    reader = PdfReader(io.BytesIO(pdf.content))
    words = " ".join(page.extract_text() for page in reader.pages)
    for phrase in ("BÁO CÁO ĐỘT XUẤT", "Tình trạng hoạt động của hệ thống camera",
                   "Sự cố", "Yêu cầu trích xuất dữ liệu hình ảnh", "Vụ việc vi phạm",
                   "Vượt đèn đỏ: 1", "29.17 %"):
        assert phrase in words, phrase
    images = sum(len(page.images) for page in reader.pages)
    assert images == 4  # availability, incidents, clip requests, cases


@pytest.mark.parametrize(("kind", "year", "part", "start", "end", "label"), [
    ("quarterly", 2026, 1, "2026-01-01T00:00:00+07:00", "2026-04-01T00:00:00+07:00",
     "Quý 1/2026"),
    ("quarterly", 2026, 4, "2026-10-01T00:00:00+07:00", "2027-01-01T00:00:00+07:00",
     "Quý 4/2026"),
    ("six_monthly", 2026, 2, "2026-07-01T00:00:00+07:00", "2027-01-01T00:00:00+07:00",
     "6 tháng cuối năm 2026"),
    ("yearly", 2025, None, "2025-01-01T00:00:00+07:00", "2026-01-01T00:00:00+07:00",
     "Năm 2025"),
])
def test_periods(kind: str, year: int, part: int | None, start: str, end: str,
                 label: str) -> None:
    period = period_for(kind, year, part, None, None)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, label)


def test_only_the_operating_unit_and_fields_are_checked(demo: Backend) -> None:
    police = demo.login("police.commander")
    ioc = demo.login("ioc.operator")
    assert demo.get("/reports?kind=yearly&year=2026", police).status_code == 403
    reply = demo.get("/reports?kind=quarterly&year=2026&part=5", ioc)
    assert reply.status_code == 422 and "part" in reply.text
    reply = demo.get("/reports?kind=ad_hoc&start=2026-03-05&end=2026-03-01", ioc)
    assert reply.status_code == 422 and "end" in reply.text
    reply = demo.get("/reports?kind=monthly&year=2026", ioc)
    assert reply.status_code == 422 and "kind" in reply.text


def test_health_reports_are_checked(demo: Backend) -> None:
    demo.clock.now = vn(2, 12)
    police = demo.login("police.officer")
    agency = demo.login("agency.viewer")
    camera = next(iter(demo.camera_ids().values()))

    def send(token: str, start: datetime, end: datetime, live: float, down: float) -> Any:
        return demo.post(f"/cameras/{camera}/health", token,
                         json={"from_at": start.isoformat(), "to_at": end.isoformat(),
                               "live_seconds": live, "down_seconds": down})

    assert send(agency, vn(2, 10), vn(2, 10, 1), 60, 0).status_code == 404
    reply = send(police, vn(2, 10), vn(2, 9), 0, 0)
    assert reply.status_code == 422 and "to_at" in reply.text
    reply = send(police, vn(2, 10), vn(2, 10, 1), 50, 20)
    assert reply.status_code == 422 and "down_seconds" in reply.text
    reply = send(police, vn(2, 12), vn(2, 12, 10), 600, 0)
    assert reply.status_code == 422 and "future" in reply.text
    assert send(police, vn(2, 10), vn(2, 10, 1), 50, 10).status_code == 201
