"""Reports on seeded data against figures computed by hand (one ad hoc day, 2/3/2026 in UTC+7);
the CSV in Vietnamese; the PDF with Vietnamese text and plots; periods; only the operating
unit."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from server.models import (
    Camera,
    ClipRequest,
    Handover,
    Incident,
    RecordingGap,
    RecordingSegment,
    User,
    ViolationCase,
)
from server.reports import Letterhead, period_for, place_and_date, render_pdf, vn_number
from server.working_calendar import VIETNAM
from tests.server.conftest import Backend


def vn(d: int, hh: int, mm: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, d, hh, mm, tzinfo=VIETNAM)


def _seed(demo: Backend) -> dict[str, Any]:
    runtime = demo.client.app.state.runtime
    with runtime.sessions() as session:
        cameras = session.execute(select(Camera).order_by(Camera.id)).scalars().all()
        a, b = cameras[0], cameras[1]
        # onboarded before the day reported (the demo seeds them at the test clock's start)
        a.created_at = b.created_at = vn(1, 0)
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
    for phrase in ("BÁO CÁO", "Báo cáo đột xuất", "Tình trạng hoạt động của hệ thống camera",
                   "Sự cố", "Yêu cầu trích xuất dữ liệu hình ảnh", "Vụ việc vi phạm",
                   "Vượt đèn đỏ: 1", "29,17 %"):
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


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode("utf-8")


def _seed_quarter(demo: Backend) -> dict[str, Any]:
    """Camera A onboarded before the year, B on 1/3: B's availability counts March only.
    Handovers: one acknowledged in time, one late, one not acknowledged, one after the
    period."""
    runtime = demo.client.app.state.runtime
    with runtime.sessions() as session:
        cameras = session.execute(select(Camera).order_by(Camera.id)).scalars().all()
        a, b = cameras[0], cameras[1]
        a.created_at = vn(31, 0, month=12) - timedelta(days=365)
        b.created_at = vn(1, 0)
        a.name = "Camera nút giao Quảng Bình Quan – Hùng Vương – Lý Thường Kiệt hướng Bắc"
        session.add(RecordingSegment(camera_id=b.id, start_at=vn(1, 0),
                                     end_at=vn(1, 0) + timedelta(hours=186), storage_root="/x",
                                     path="/x/b.ts", size_bytes=1, created_at=vn(9, 0)))
        # recorded before it was onboarded: not counted
        session.add(RecordingSegment(camera_id=b.id, start_at=vn(20, 0, month=2),
                                     end_at=vn(21, 0, month=2), storage_root="/x",
                                     path="/x/b0.ts", size_bytes=1, created_at=vn(21, 0, month=2)))
        writer = session.execute(select(User).where(User.username == "ioc.operator")).scalar_one()
        reader = session.execute(select(User).where(User.username == "ioc.admin")).scalar_one()
        for day, acknowledged in ((10, vn(10, 14, 10)), (11, vn(11, 16)), (12, None),
                                  (2, vn(2, 14, 5))):
            month = 4 if day == 2 else 3
            written = vn(day, 13, 50, month=month)
            session.add(Handover(day=written.date(), shift=0, shift_end=vn(day, 14, month=month),
                                 note="n", snapshot="{}", written_by_id=writer.id,
                                 written_at=written,
                                 acknowledged_by_id=reader.id if acknowledged else None,
                                 acknowledged_at=acknowledged))
        session.commit()
        return {"a": a.name, "b": b.name}


def test_pdf_is_an_administrative_document_with_each_cameras_own_period(
        demo: Backend, tmp_path: Path) -> None:
    seeded = _seed_quarter(demo)
    demo.clock.now = vn(5, 9, month=4)
    token = demo.login("ioc.operator")
    query = "/reports?kind=ad_hoc&start=2026-01-01&end=2026-03-31"
    report = demo.get(query, token).json()
    rows = {r["camera"]: r for r in report["availability"]}
    # 186 h recorded of the 744 h of March it existed, not of the quarter's 2 160 h
    assert rows[seeded["b"]]["period_seconds"] == 744 * 3600
    assert rows[seeded["b"]]["recorded_seconds"] == 186 * 3600
    assert rows[seeded["b"]]["availability_percent"] == 25.0
    assert rows[seeded["a"]]["period_seconds"] == 2160 * 3600
    assert report["handovers"] == {"written": 3, "acknowledged": 2, "acknowledged_late": 1,
                                   "not_acknowledged": 1}

    pdf = demo.get(query + "&format=pdf", token)
    assert pdf.status_code == 200, pdf.text
    text = _pdf_text(pdf.content, tmp_path)
    lines = text.splitlines()
    flat = " ".join(text.split())
    # the motto block top right, beside the governing body top left
    first = next(line for line in lines if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line)
    assert first.index("UBND THÀNH PHỐ ĐỒNG HỚI") < first.index("CỘNG HÒA")
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH" in flat and "ĐÔ THỊ THÔNG MINH" in flat
    dated = next(line for line in lines if "/BC-IOC" in line)
    assert "Số:" in dated and "Đồng Hới, ngày 05 tháng 4 năm 2026" in dated
    assert dated.index("Số:") < dated.index("Đồng Hới, ngày")
    after = lines.index(dated) + 1
    assert any(line.strip() == "BÁO CÁO" for line in lines[after:after + 6])
    assert "Tình hình hoạt động của Hệ thống camera giám sát thành phố Đồng Hới" in flat
    # the period shows its last day, not the midnight after it
    assert "từ ngày 01/01/2026 đến ngày 31/03/2026" in flat
    assert "2.160,00" in flat and "744,00" in flat and "25,00 %" in flat
    assert ("Số biên bản giao ca đã lập: 3; đã xác nhận: 2; xác nhận muộn: 1; chưa xác nhận: 1"
            in flat)
    signed = next(line for line in lines if "Nơi nhận:" in line)
    assert signed.index("Nơi nhận:") < signed.index("GIÁM ĐỐC")
    assert "Lưu: VT, IOC" in flat
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", text)
    assert not re.search(r"\d\.\d{6}", text) and "+07:00" not in text


def test_every_table_cell_fits_its_width(demo: Backend) -> None:
    from fpdf import FPDF

    _seed_quarter(demo)
    demo.clock.now = vn(5, 9, month=4)
    report = demo.get("/reports?kind=ad_hoc&start=2026-01-01&end=2026-03-31",
                      demo.login("ioc.operator")).json()
    report["clip_requests"]["by_unit"] = [{
        "unit": "Ban Quản lý dự án đầu tư xây dựng và phát triển quỹ đất thành phố Đồng Hới",
        "count": 12345, "approved": 1, "rejected": 0, "pending": 0,
        "mean_seconds_to_approve": 123456.0}]
    _pdf, cells = render_pdf(report, Letterhead())
    assert len(cells) > 20
    measure = FPDF()
    fonts = Path("/usr/share/fonts/truetype/dejavu")
    measure.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    measure.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    wrapped = 0
    for drawn in cells:
        measure.set_font("DejaVu", drawn.style, drawn.size)
        wrapped += len(drawn.lines) > 1
        for line in drawn.lines:
            assert measure.get_string_width(line) <= drawn.width - 2 * measure.c_margin, line
    assert wrapped  # the long names wrapped rather than ran over


def test_vietnamese_numbers_and_dates() -> None:
    assert vn_number(1234567.891, 2) == "1.234.567,89"
    assert vn_number(0.5, 1) == "0,5" and vn_number(12) == "12"
    assert place_and_date("Đồng Hới", date(2026, 2, 7)) == "Đồng Hới, ngày 07 tháng 02 năm 2026"
    assert place_and_date("Đồng Hới", date(2026, 12, 17)) == "Đồng Hới, ngày 17 tháng 12 năm 2026"
