"""Operating reports (Art. 15.3, 11.3.a): quarterly, 6-monthly, yearly and ad hoc.

For a period (in the city's time, UTC+7; its end never beyond "now"):
- availability per recorded camera: the share of the period covered by recorded segments (the
  recorder's index, ``RecordingSegment``), with the recorded gaps and the time an ``offline``
  incident was open beside it, and what the clients saw (``CameraHealthReport``: seconds live
  and down they reported, prorated to the period; live ÷ (live + down));
- incidents reported in the period (of cameras and of the system): count by category, kind and
  state, mean time to acknowledge and to
  resolve (over those acknowledged / resolved);
- clip requests made in the period: by the requesting unit and outcome (approved = approved,
  extracting, ready, delivered or failed in extraction; rejected; pending = requested or
  endorsed), mean time from request to approval;
- violation cases detected in the period: by type and state, how many have a deadline overdue
  now and how many steps were done late.

``build`` returns plain data (the JSON answer); ``to_csv`` writes it as a Vietnamese CSV (UTF-8
with BOM, so spreadsheet software shows the diacritics); ``to_pdf`` as an A4 PDF in Vietnamese
(DejaVu Sans, Debian's fonts-dejavu-core) with matplotlib plots (Agg, no display).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.vocabulary import DeadlineStatus
from server.cases import deadline_state, deadlines
from server.models import (
    Camera,
    CameraHealthReport,
    ClipRequest,
    Incident,
    RecordingGap,
    RecordingSegment,
    Unit,
    ViolationCase,
)
from server.working_calendar import VIETNAM, WorkingCalendar

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
APPROVED_STATES = {"approved", "extracting", "ready", "delivered", "failed"}
PENDING_STATES = {"requested", "endorsed"}

KIND_VI = {"red_light": "Vượt đèn đỏ", "lane": "Sai làn đường",
           "stopping_parking": "Dừng, đỗ sai quy định", "other_traffic": "Vi phạm giao thông khác",
           "public_order": "Trật tự công cộng", "other": "Khác"}
CASE_STATE_VI = {"opened": "Mới mở", "sent": "Đã chuyển Công an", "concluded": "Đã xác minh",
                 "conclusion_reported": "Đã báo kết quả", "record_made": "Đã lập biên bản",
                 "decided": "Đã ra quyết định", "closed": "Đã đóng"}
INCIDENT_KIND_VI = {"offline": "Mất kết nối", "obstructed": "Bị che khuất",
                    "too_dark": "Quá tối", "ptz_broken": "Hỏng PTZ",
                    "clock_drift": "Lệch đồng hồ", "gateway_down": "Cổng media ngừng",
                    "stream_lost": "Mất luồng video", "recorder_stopped": "Ngừng ghi hình",
                    "disk_full": "Đầy ổ đĩa", "storage_failure": "Lỗi lưu trữ",
                    "database_unreachable": "Mất kết nối cơ sở dữ liệu",
                    "process_restarted": "Tiến trình khởi động lại",
                    "software_error": "Lỗi phần mềm", "network_down": "Mất kết nối mạng",
                    "other": "Khác"}
INCIDENT_CATEGORY_VI = {"camera": "Camera", "software": "Phần mềm", "server": "Máy chủ",
                        "storage": "Lưu trữ", "network": "Mạng"}
INCIDENT_STATE_VI = {"open": "Đang mở", "acknowledged": "Đã tiếp nhận",
                     "resolved": "Đã khắc phục"}
PERIOD_VI = {"quarterly": "Báo cáo quý", "six_monthly": "Báo cáo 6 tháng",
             "yearly": "Báo cáo năm", "ad_hoc": "Báo cáo đột xuất"}


class ReportInvalid(Exception):
    """422: ``field: message``."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime  # inclusive
    end: datetime  # exclusive
    label: str


def _vn_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def period_for(kind: str, year: int | None, part: int | None, start: date | None,
               end: date | None) -> Period:
    """``part``: the quarter (1–4) or the half (1–2); ad hoc: ``start``..``end`` inclusive."""
    if kind == "ad_hoc":
        if start is None or end is None:
            raise ReportInvalid("start: an ad hoc report needs start and end dates")
        if end < start:
            raise ReportInvalid("end: before start")
        if (end - start).days > 366 * 5:
            raise ReportInvalid("end: at most five years")
        return Period(kind, _vn_midnight(start), _vn_midnight(end + timedelta(days=1)),
                      f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")
    if year is None or not 2000 <= year <= 2100:
        raise ReportInvalid("year: required, 2000–2100")
    if kind == "yearly":
        return Period(kind, _vn_midnight(date(year, 1, 1)), _vn_midnight(date(year + 1, 1, 1)),
                      f"Năm {year}")
    months = {"quarterly": 3, "six_monthly": 6}[kind]
    parts = 12 // months
    if part is None or not 1 <= part <= parts:
        raise ReportInvalid(f"part: required, 1–{parts}")
    first = (part - 1) * months + 1
    after = first + months
    stop = date(year + 1, 1, 1) if after > 12 else date(year, after, 1)
    if kind == "quarterly":
        label = f"Quý {part}/{year}"
    else:
        label = f"6 tháng {'đầu' if part == 1 else 'cuối'} năm {year}"
    return Period(kind, _vn_midnight(date(year, first, 1)), _vn_midnight(stop), label)


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> float:
    return max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds())


def _union_seconds(spans: list[tuple[datetime, datetime]], start: datetime,
                   end: datetime) -> float:
    total, cursor = 0.0, start
    for s, e in sorted(spans):
        s, e = max(s, cursor), min(e, end)
        if e > s:
            total += (e - s).total_seconds()
            cursor = e
    return total


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def build(session: Session, period: Period, calendar: WorkingCalendar,
          now: datetime) -> dict[str, Any]:
    start, end = period.start, min(period.end, max(now, period.start))
    length = (end - start).total_seconds()

    # availability
    cameras = session.execute(select(Camera).order_by(Camera.name, Camera.id)).scalars().all()
    availability = []
    for camera in cameras:
        if not camera.record:
            continue
        spans = [(s.start_at, s.end_at) for s in session.execute(
            select(RecordingSegment).where(RecordingSegment.camera_id == camera.id,
                                           RecordingSegment.end_at > start,
                                           RecordingSegment.start_at < end)).scalars()]
        recorded = _union_seconds(spans, start, end)
        gaps = session.execute(select(RecordingGap).where(
            RecordingGap.camera_id == camera.id, RecordingGap.from_at < end)).scalars().all()
        gap_seconds = sum(_overlap(g.from_at, g.to_at or end, start, end) for g in gaps)
        offline = session.execute(select(Incident).where(
            Incident.camera_id == camera.id, Incident.kind == "offline",
            Incident.reported_at < end)).scalars().all()
        offline_seconds = sum(_overlap(i.reported_at, i.resolved_at or end, start, end)
                              for i in offline)
        live = down = 0.0
        for health in session.execute(select(CameraHealthReport).where(
                CameraHealthReport.camera_id == camera.id, CameraHealthReport.from_at < end,
                CameraHealthReport.to_at > start)).scalars():
            span = (health.to_at - health.from_at).total_seconds()
            share = _overlap(health.from_at, health.to_at, start, end) / span if span else 0.0
            live += health.live_seconds * share
            down += health.down_seconds * share
        availability.append({
            "camera_id": camera.id, "camera": camera.name, "ward": camera.ward.name,
            "recorded_seconds": round(recorded, 1), "period_seconds": round(length, 1),
            "availability_percent": round(100 * recorded / length, 2) if length else None,
            "gap_seconds": round(gap_seconds, 1),
            "offline_incident_seconds": round(offline_seconds, 1),
            "client_live_seconds": round(live, 1), "client_down_seconds": round(down, 1),
            "client_availability_percent": (round(100 * live / (live + down), 2)
                                            if live + down else None)})

    # incidents
    incidents = session.execute(select(Incident).where(Incident.reported_at >= start,
                                                       Incident.reported_at < end)
                                ).scalars().all()
    incident_part = {
        "count": len(incidents),
        "by_category": dict(sorted(Counter(i.category for i in incidents).items())),
        "by_kind": dict(sorted(Counter(i.kind for i in incidents).items())),
        "by_state": dict(sorted(Counter(i.state for i in incidents).items())),
        "mean_seconds_to_acknowledge": _mean([(i.acknowledged_at - i.reported_at)
                                              .total_seconds() for i in incidents
                                              if i.acknowledged_at]),
        "mean_seconds_to_resolve": _mean([(i.resolved_at - i.reported_at).total_seconds()
                                          for i in incidents if i.resolved_at]),
    }

    # clip requests
    clips = session.execute(select(ClipRequest).where(ClipRequest.created_at >= start,
                                                      ClipRequest.created_at < end)
                            ).scalars().all()
    units = {u.id: u.name for u in session.execute(select(Unit)).scalars()}
    per_unit: dict[str, dict[str, Any]] = {}
    waits: dict[str, list[float]] = defaultdict(list)
    for clip in clips:
        name = units.get(clip.requester_unit_id, "?")
        row = per_unit.setdefault(name, {"unit": name, "count": 0, "approved": 0,
                                         "rejected": 0, "pending": 0})
        row["count"] += 1
        if clip.state in APPROVED_STATES:
            row["approved"] += 1
        elif clip.state == "rejected":
            row["rejected"] += 1
        elif clip.state in PENDING_STATES:
            row["pending"] += 1
        if clip.approved_at is not None:
            waits[name].append((clip.approved_at - clip.created_at).total_seconds())
    clip_rows = []
    for name in sorted(per_unit):
        clip_rows.append({**per_unit[name], "mean_seconds_to_approve": _mean(waits[name])})
    clip_part = {"count": len(clips), "by_unit": clip_rows,
                 "mean_seconds_to_approve": _mean([w for ws in waits.values() for w in ws])}

    # violation cases
    cases = session.execute(select(ViolationCase).where(ViolationCase.detected_at >= start,
                                                        ViolationCase.detected_at < end)
                            ).scalars().all()
    overdue = late = 0
    for case in cases:
        items = deadlines(case, calendar, now)
        overdue += deadline_state(items) == DeadlineStatus.OVERDUE.value
        late += sum(d.status is DeadlineStatus.DONE_LATE for d in items)
    case_part = {"count": len(cases),
                 "by_kind": dict(sorted(Counter(c.kind for c in cases).items())),
                 "by_state": dict(sorted(Counter(c.state for c in cases).items())),
                 "overdue_now": overdue, "steps_done_late": late}

    return {"kind": period.kind, "label": period.label, "start": start.isoformat(),
            "end": end.isoformat(), "generated_at": now.astimezone(VIETNAM).isoformat(),
            "availability": availability, "incidents": incident_part, "clip_requests": clip_part,
            "cases": case_part}


def _hours(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.2f}".replace(".", ",")


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f}".replace(".", ",")


def to_csv(report: dict[str, Any]) -> bytes:
    """Vietnamese CSV (UTF-8 with BOM; decimal comma, ``;`` separated as Vietnamese Excel)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([PERIOD_VI[report["kind"]], report["label"]])
    w.writerow(["Từ", report["start"], "Đến", report["end"], "Lập lúc", report["generated_at"]])
    w.writerow([])
    w.writerow(["1. Tình trạng hoạt động camera"])
    w.writerow(["Camera", "Phường", "Thời gian ghi hình (giờ)", "Tỷ lệ hoạt động (%)",
                "Gián đoạn ghi hình (giờ)", "Sự cố mất kết nối (giờ)",
                "Máy trạm: tỷ lệ có hình (%)"])
    for row in report["availability"]:
        percent, seen = row["availability_percent"], row["client_availability_percent"]
        w.writerow([row["camera"], row["ward"], _hours(row["recorded_seconds"]),
                    "" if percent is None else f"{percent:.2f}".replace(".", ","),
                    _hours(row["gap_seconds"]), _hours(row["offline_incident_seconds"]),
                    "" if seen is None else f"{seen:.2f}".replace(".", ",")])
    w.writerow([])
    inc = report["incidents"]
    w.writerow(["2. Sự cố"])
    w.writerow(["Tổng số", inc["count"]])
    w.writerow(["Thời gian tiếp nhận trung bình (phút)", _minutes(inc["mean_seconds_to_acknowledge"])])
    w.writerow(["Thời gian khắc phục trung bình (phút)", _minutes(inc["mean_seconds_to_resolve"])])
    for category, count in inc["by_category"].items():
        w.writerow(["Nhóm: " + INCIDENT_CATEGORY_VI.get(category, category), count])
    for kind, count in inc["by_kind"].items():
        w.writerow(["Loại: " + INCIDENT_KIND_VI.get(kind, kind), count])
    for state, count in inc["by_state"].items():
        w.writerow(["Trạng thái: " + INCIDENT_STATE_VI.get(state, state), count])
    w.writerow([])
    clips = report["clip_requests"]
    w.writerow(["3. Yêu cầu trích xuất dữ liệu"])
    w.writerow(["Đơn vị", "Số yêu cầu", "Được duyệt", "Bị từ chối", "Đang chờ",
                "Thời gian duyệt trung bình (phút)"])
    for row in clips["by_unit"]:
        w.writerow([row["unit"], row["count"], row["approved"], row["rejected"], row["pending"],
                    _minutes(row["mean_seconds_to_approve"])])
    w.writerow(["Tổng", clips["count"], "", "", "", _minutes(clips["mean_seconds_to_approve"])])
    w.writerow([])
    cases = report["cases"]
    w.writerow(["4. Vụ việc vi phạm"])
    w.writerow(["Tổng số", cases["count"]])
    w.writerow(["Đang quá hạn", cases["overdue_now"]])
    w.writerow(["Bước xử lý trễ hạn", cases["steps_done_late"]])
    for kind, count in cases["by_kind"].items():
        w.writerow(["Loại: " + KIND_VI.get(kind, kind), count])
    for state, count in cases["by_state"].items():
        w.writerow(["Trạng thái: " + CASE_STATE_VI.get(state, state), count])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _font() -> Path:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").exists():
            return folder
    raise RuntimeError("DejaVu Sans not found: install Debian's fonts-dejavu-core")


def _bar_png(title: str, labels: list[str], values: list[float], unit: str) -> bytes:
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = font_manager.FontProperties(fname=str(_font() / "DejaVuSans.ttf"))
    figure = Figure(figsize=(7.5, max(2.2, 0.35 * len(labels) + 1.2)), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    axes.barh(positions, values, color="#2b6cb0")
    axes.set_yticks(positions)
    axes.set_yticklabels(labels, fontproperties=font, fontsize=8)
    axes.invert_yaxis()
    axes.set_title(title, fontproperties=font, fontsize=10)
    axes.set_xlabel(unit, fontproperties=font, fontsize=8)
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, f" {value:g}", va="center", fontsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def to_pdf(report: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    fonts = _font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{PERIOD_VI[report['kind']]} {report['label']}")
    pdf.add_page()

    def heading(text: str, size: int = 12) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)

    def line(text: str) -> None:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def table(header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        pdf.set_font("DejaVu", "B", 8)
        for text, width in zip(header, widths, strict=True):
            pdf.cell(width, 6, text, border=1)
        pdf.ln()
        pdf.set_font("DejaVu", "", 8)
        for row in rows:
            for text, width in zip(row, widths, strict=True):
                pdf.cell(width, 5, text, border=1)
            pdf.ln()
        pdf.ln(2)

    def plot(png: bytes) -> None:
        pdf.image(io.BytesIO(png), w=170)
        pdf.ln(2)

    heading("TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH ĐÔ THỊ THÔNG MINH THÀNH PHỐ ĐỒNG HỚI", 11)
    heading(f"{PERIOD_VI[report['kind']].upper()}: {report['label']}", 14)
    line(f"Kỳ báo cáo: {report['start']} – {report['end']}. Lập lúc: {report['generated_at']}.")
    pdf.ln(2)

    heading("1. Tình trạng hoạt động của hệ thống camera")
    rows = [[r["camera"][:34], r["ward"], _hours(r["recorded_seconds"]),
             "" if r["availability_percent"] is None else f"{r['availability_percent']:.2f} %",
             _hours(r["offline_incident_seconds"]),
             "" if r["client_availability_percent"] is None
             else f"{r['client_availability_percent']:.2f} %"] for r in report["availability"]]
    table(["Camera", "Phường", "Ghi hình (giờ)", "Hoạt động", "Mất kết nối", "Máy trạm"],
          rows, [60, 30, 26, 24, 24, 26])
    if report["availability"]:
        plot(_bar_png("Tỷ lệ hoạt động theo camera",
                      [r["camera"][:30] for r in report["availability"]],
                      [r["availability_percent"] or 0.0 for r in report["availability"]], "%"))

    inc = report["incidents"]
    heading("2. Sự cố")
    line(f"Tổng số sự cố: {inc['count']}. Thời gian tiếp nhận trung bình: "
         f"{_minutes(inc['mean_seconds_to_acknowledge']) or '—'} phút; thời gian khắc phục "
         f"trung bình: {_minutes(inc['mean_seconds_to_resolve']) or '—'} phút.")
    if inc["by_kind"]:
        plot(_bar_png("Sự cố theo loại", [INCIDENT_KIND_VI.get(k, k) for k in inc["by_kind"]],
                      [float(v) for v in inc["by_kind"].values()], "số sự cố"))

    clips = report["clip_requests"]
    heading("3. Yêu cầu trích xuất dữ liệu hình ảnh")
    table(["Đơn vị", "Số yêu cầu", "Được duyệt", "Từ chối", "Đang chờ", "TB duyệt (phút)"],
          [[r["unit"][:45], str(r["count"]), str(r["approved"]), str(r["rejected"]),
            str(r["pending"]), _minutes(r["mean_seconds_to_approve"])]
           for r in clips["by_unit"]], [72, 22, 22, 20, 20, 34])
    if clips["by_unit"]:
        plot(_bar_png("Yêu cầu trích xuất theo đơn vị",
                      [r["unit"][:30] for r in clips["by_unit"]],
                      [float(r["count"]) for r in clips["by_unit"]], "số yêu cầu"))

    cases = report["cases"]
    heading("4. Vụ việc vi phạm")
    line(f"Tổng số vụ việc: {cases['count']}; đang quá hạn: {cases['overdue_now']}; bước xử lý "
         f"trễ hạn: {cases['steps_done_late']}.")
    for kind, count in cases["by_kind"].items():
        line(f"  • {KIND_VI.get(kind, kind)}: {count}")
    if cases["by_state"]:
        plot(_bar_png("Vụ việc theo trạng thái",
                      [CASE_STATE_VI.get(s, s) for s in cases["by_state"]],
                      [float(v) for v in cases["by_state"].values()], "số vụ việc"))
    return bytes(pdf.output())
