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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.vocabulary import DeadlineStatus
from server import duty
from server.cases import deadline_state, deadlines
from server.config import Settings
from server.models import (
    AuditLog,
    Camera,
    CameraHealthReport,
    ClipRequest,
    Incident,
    RecordingGap,
    RecordingSegment,
    Unit,
    ViolationCase,
)
from server.wording import (
    CASE_STATE_VI,
    INCIDENT_CATEGORY_VI,
    INCIDENT_KIND_VI,
    INCIDENT_STATE_VI,
    KIND_VI,
    PERIOD_VI,
)
from server.working_calendar import VIETNAM, WorkingCalendar

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
APPROVED_STATES = {"approved", "extracting", "ready", "delivered", "failed"}
PENDING_STATES = {"requested", "endorsed"}


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


def _onboarded(session: Session) -> dict[int, datetime]:
    """Each camera's earliest audited creation, for cameras onboarded before their row kept
    the time (``Camera.created_at`` NULL)."""
    rows = session.execute(select(AuditLog.camera_id, func.min(AuditLog.ts)).where(
        AuditLog.event == "camera_create", AuditLog.camera_id.is_not(None))
        .group_by(AuditLog.camera_id)).all()
    return {camera_id: ts for camera_id, ts in rows if camera_id is not None and ts is not None}


def build(session: Session, period: Period, calendar: WorkingCalendar,
          now: datetime) -> dict[str, Any]:
    start, end = period.start, min(period.end, max(now, period.start))

    # availability
    cameras = session.execute(select(Camera).order_by(Camera.name, Camera.id)).scalars().all()
    availability = []
    created = _onboarded(session)
    for camera in cameras:
        if not camera.record:
            continue
        # a camera onboarded during the period is counted from then: the time before it
        # existed is no downtime
        since = camera.created_at or created.get(camera.id)
        own_start = max(start, since) if since is not None else start
        if own_start >= end:
            continue
        own_length = (end - own_start).total_seconds()
        spans = [(s.start_at, s.end_at) for s in session.execute(
            select(RecordingSegment).where(RecordingSegment.camera_id == camera.id,
                                           RecordingSegment.end_at > own_start,
                                           RecordingSegment.start_at < end)).scalars()]
        recorded = _union_seconds(spans, own_start, end)
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
            "recorded_seconds": round(recorded, 1), "period_seconds": round(own_length, 1),
            "availability_percent": round(100 * recorded / own_length, 2) if own_length
            else None,
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
            "end": end.isoformat(),
            "generated_at": now.astimezone(VIETNAM).replace(microsecond=0).isoformat(),
            "availability": availability, "incidents": incident_part, "clip_requests": clip_part,
            "cases": case_part, "handovers": duty.figures(session, start, end, now)}


def vn_number(value: float, decimals: int = 0) -> str:
    """Vietnamese style: thousands with ".", decimals with "," (1.234,5)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _hours(seconds: float | None) -> str:
    return "" if seconds is None else vn_number(seconds / 3600, 2)


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else vn_number(seconds / 60, 1)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{vn_number(value, 2)} %"


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(VIETNAM)


def vn_date(moment: datetime) -> str:
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y}"


def last_day(end: datetime) -> date:
    """The last day a period ending (exclusive) at ``end`` covers: one ending at midnight
    covers the day before."""
    local = end.astimezone(VIETNAM)
    return (local - timedelta(microseconds=1)).date()


def place_and_date(place: str, day: date) -> str:
    """Decree 30/2020, Annex I: days below 10 and the months January and February take a
    leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def to_csv(report: dict[str, Any]) -> bytes:
    """Vietnamese CSV (UTF-8 with BOM; decimal comma, ``;`` separated as Vietnamese Excel)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([PERIOD_VI[report["kind"]], report["label"]])
    w.writerow(["Từ ngày", vn_date(_local(report["start"])), "Đến ngày",
                f"{last_day(_local(report['end'])):%d/%m/%Y}", "Lập lúc",
                f"{_local(report['generated_at']):%H:%M %d/%m/%Y}"])
    w.writerow([])
    w.writerow(["1. Tình trạng hoạt động camera"])
    w.writerow(["Camera", "Phường", "Thời gian ghi hình (giờ)", "Tỷ lệ hoạt động (%)",
                "Gián đoạn ghi hình (giờ)", "Sự cố mất kết nối (giờ)",
                "Máy trạm: tỷ lệ có hình (%)"])
    for row in report["availability"]:
        percent, seen = row["availability_percent"], row["client_availability_percent"]
        w.writerow([row["camera"], row["ward"], _hours(row["recorded_seconds"]),
                    "" if percent is None else vn_number(percent, 2),
                    _hours(row["gap_seconds"]), _hours(row["offline_incident_seconds"]),
                    "" if seen is None else vn_number(seen, 2)])
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
    w.writerow([])
    handovers = report["handovers"]
    w.writerow(["5. Trực 24/24 và giao ca"])
    w.writerow(["Biên bản giao ca đã lập", handovers["written"]])
    w.writerow(["Đã xác nhận", handovers["acknowledged"]])
    w.writerow(["Xác nhận muộn", handovers["acknowledged_late"]])
    w.writerow(["Chưa xác nhận", handovers["not_acknowledged"]])
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
        axes.text(value, position, f" {vn_number(value, 2 if value % 1 else 0)}", va="center",
                  fontsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@dataclass(frozen=True)
class Letterhead:
    """Who issues the report and to whom (Decree 30/2020/NĐ-CP, Annex I): the site's names
    come from the settings (``server.config``), these are Đồng Hới's."""

    governing_body: str = "UBND THÀNH PHỐ ĐỒNG HỚI"
    issuing_unit: str = "TRUNG TÂM GIÁM SÁT, ĐIỀU HÀNH ĐÔ THỊ THÔNG MINH"
    place: str = "Đồng Hới"
    symbol: str = "BC-IOC"
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    recipients: tuple[str, ...] = ("UBND thành phố (để b/c)", "Văn phòng HĐND-UBND thành phố",
                                   "Công an thành phố", "Lưu: VT, IOC")

    @classmethod
    def of(cls, settings: Settings) -> Letterhead:
        return cls(governing_body=settings.report_governing_body,
                   issuing_unit=settings.report_issuing_unit, place=settings.report_place,
                   signer_title=settings.report_signer_title,
                   signer_name=settings.report_signer_name,
                   recipients=settings.report_recipients)


@dataclass(frozen=True)
class DrawnCell:
    """A table cell as drawn: its lines, the font they were set in and the width they had."""

    lines: tuple[str, ...]
    style: str
    size: float
    width: float


# Decree 30/2020, Annex I: margins top 20–25 mm, bottom 20–25, left 30–35, right 15–20
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30.0, 15.0, 20.0, 20.0
HEAD_LEFT = 72.0  # the issuing body's column; the motto's takes the rest


def render_pdf(report: dict[str, Any], letterhead: Letterhead | None = None
               ) -> tuple[bytes, list[DrawnCell]]:
    """The report as an administrative document (Decree 30/2020/NĐ-CP) and the table cells it
    drew (tests check their text fits)."""
    from fpdf import FPDF

    head = letterhead or Letterhead()
    fonts = _font()
    pdf = FPDF(format="A4")
    pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.add_font("DejaVu", "BI", str(fonts / "DejaVuSans-BoldOblique.ttf"))
    pdf.set_title(f"{PERIOD_VI[report['kind']]} {report['label']}")
    pdf.add_page()
    cells: list[DrawnCell] = []
    width = pdf.epw
    start, end = _local(report["start"]), _local(report["end"])
    generated = _local(report["generated_at"])

    def block(x: float, w: float, text: str, style: str, size: float, height: float,
              align: str = "C") -> float:
        """``text`` wrapped in a column at ``x``; the y below it."""
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(x)
        pdf.multi_cell(w, height, text, align=align, new_x="LEFT", new_y="NEXT")
        return pdf.get_y()

    def rule(x: float, w: float, text_width: float, y: float) -> None:
        """The short rule under a heading: a third of the line it stands under, centred."""
        length = text_width / 3
        pdf.line(x + (w - length) / 2, y + 0.8, x + (w + length) / 2, y + 0.8)

    # the issuing body (left) and the national motto (right)
    top = pdf.get_y()
    right_x, right_w = MARGIN_LEFT + HEAD_LEFT, width - HEAD_LEFT
    y = block(MARGIN_LEFT, HEAD_LEFT, head.governing_body.upper(), "", 10, 5)
    y = block(MARGIN_LEFT, HEAD_LEFT, head.issuing_unit.upper(), "B", 10, 5)
    pdf.set_font("DejaVu", "B", 10)
    rule(MARGIN_LEFT, HEAD_LEFT, min(HEAD_LEFT, pdf.get_string_width(
        head.issuing_unit.upper().split(",")[0])), y)
    left_bottom = y
    pdf.set_y(top)
    block(right_x, right_w, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 10, 5)
    motto = "Độc lập - Tự do - Hạnh phúc"
    y = block(right_x, right_w, motto, "B", 11, 6)
    pdf.set_font("DejaVu", "B", 11)
    motto_width = pdf.get_string_width(motto)
    pdf.line(right_x + (right_w - motto_width) / 2, y + 0.8,
             right_x + (right_w + motto_width) / 2, y + 0.8)
    row = max(left_bottom, y) + 4
    pdf.set_y(row)
    block(MARGIN_LEFT, HEAD_LEFT, f"Số:        /{head.symbol}", "", 10, 5)
    pdf.set_y(row)
    block(right_x, right_w, place_and_date(head.place, generated.date()), "I", 10, 5)
    pdf.ln(8)

    # the title and the subject
    block(MARGIN_LEFT, width, "BÁO CÁO", "B", 14, 7)
    block(MARGIN_LEFT, width, "Tình hình hoạt động của Hệ thống camera giám sát thành phố "
          f"{head.place}", "B", 11, 6)
    block(MARGIN_LEFT, width, f"{PERIOD_VI[report['kind']]}: {report['label']}", "B", 11, 6)
    y = pdf.get_y()
    pdf.line(MARGIN_LEFT + width / 2 - 15, y + 1, MARGIN_LEFT + width / 2 + 15, y + 1)
    pdf.ln(5)
    body(pdf, f"Kỳ báo cáo: từ ngày {vn_date(start)} đến ngày {last_day(end):%d/%m/%Y}; "
              f"số liệu tính đến {generated:%H:%M} ngày {vn_date(generated)}.")
    body(pdf, f"Thực hiện chế độ báo cáo tại khoản 3 Điều 15 Quy chế quản lý, vận hành, sử dụng "
              f"Hệ thống camera giám sát thành phố {head.place}, đơn vị báo cáo như sau:")
    pdf.ln(2)

    def heading(text: str) -> None:
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    def plot(png: bytes) -> None:
        pdf.image(io.BytesIO(png), w=width)
        pdf.ln(2)

    heading("1. Tình trạng hoạt động của hệ thống camera")
    rows = [[r["camera"], r["ward"], _hours(r["period_seconds"]), _hours(r["recorded_seconds"]),
             _percent(r["availability_percent"]), _hours(r["offline_incident_seconds"]),
             _percent(r["client_availability_percent"])] for r in report["availability"]]
    table(pdf, cells, ["Camera", "Phường", "Theo dõi (giờ)", "Ghi hình (giờ)", "Hoạt động",
                       "Mất kết nối (giờ)", "Máy trạm có hình"],
          rows, [40, 25, 21, 21, 19, 20, 19], numeric_from=2)
    if report["availability"]:
        plot(_bar_png("Tỷ lệ hoạt động theo camera",
                      [r["camera"][:30] for r in report["availability"]],
                      [r["availability_percent"] or 0.0 for r in report["availability"]], "%"))

    inc = report["incidents"]
    heading("2. Sự cố")
    body(pdf, f"Tổng số sự cố: {vn_number(inc['count'])}. Thời gian tiếp nhận trung bình: "
              f"{_minutes(inc['mean_seconds_to_acknowledge']) or '—'} phút; thời gian khắc phục "
              f"trung bình: {_minutes(inc['mean_seconds_to_resolve']) or '—'} phút.")
    if inc["by_kind"]:
        table(pdf, cells, ["Loại sự cố", "Số sự cố"],
              [[INCIDENT_KIND_VI.get(k, k), vn_number(v)] for k, v in inc["by_kind"].items()],
              [125, 40], numeric_from=1)
        plot(_bar_png("Sự cố theo loại", [INCIDENT_KIND_VI.get(k, k) for k in inc["by_kind"]],
                      [float(v) for v in inc["by_kind"].values()], "số sự cố"))

    clips = report["clip_requests"]
    heading("3. Yêu cầu trích xuất dữ liệu hình ảnh")
    table(pdf, cells, ["Đơn vị", "Số yêu cầu", "Được duyệt", "Từ chối", "Đang chờ",
                       "TB duyệt (phút)"],
          [[r["unit"], vn_number(r["count"]), vn_number(r["approved"]),
            vn_number(r["rejected"]), vn_number(r["pending"]),
            _minutes(r["mean_seconds_to_approve"])] for r in clips["by_unit"]],
          [61, 20, 21, 20, 20, 23], numeric_from=1)
    if clips["by_unit"]:
        plot(_bar_png("Yêu cầu trích xuất theo đơn vị",
                      [r["unit"][:30] for r in clips["by_unit"]],
                      [float(r["count"]) for r in clips["by_unit"]], "số yêu cầu"))

    cases = report["cases"]
    heading("4. Vụ việc vi phạm")
    body(pdf, f"Tổng số vụ việc: {vn_number(cases['count'])}; đang quá hạn: "
              f"{vn_number(cases['overdue_now'])}; bước xử lý trễ hạn: "
              f"{vn_number(cases['steps_done_late'])}.")
    for kind, count in cases["by_kind"].items():
        body(pdf, f"- {KIND_VI.get(kind, kind)}: {vn_number(count)}")
    if cases["by_state"]:
        plot(_bar_png("Vụ việc theo trạng thái",
                      [CASE_STATE_VI.get(s, s) for s in cases["by_state"]],
                      [float(v) for v in cases["by_state"].values()], "số vụ việc"))

    handovers = report["handovers"]
    heading("5. Chế độ trực 24/24 giờ và giao ca")
    body(pdf, f"Số biên bản giao ca đã lập: {vn_number(handovers['written'])}; đã xác nhận: "
              f"{vn_number(handovers['acknowledged'])}; xác nhận muộn: "
              f"{vn_number(handovers['acknowledged_late'])}; chưa xác nhận: "
              f"{vn_number(handovers['not_acknowledged'])}.")
    pdf.ln(6)

    # recipients (left) and the signature (right), kept together on one page
    if pdf.get_y() + 55 > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    block(MARGIN_LEFT, HEAD_LEFT, "Nơi nhận:", "BI", 10, 5, align="L")
    for name in head.recipients:
        block(MARGIN_LEFT, HEAD_LEFT, f"- {name};", "", 9, 4.5, align="L")
    pdf.set_y(top)
    block(right_x, right_w, head.signer_title.upper(), "B", 11, 6)
    y = block(right_x, right_w, "(Ký, ghi rõ họ tên)", "I", 9, 5)
    pdf.set_y(y + 22)
    if head.signer_name:
        block(right_x, right_w, head.signer_name, "B", 11, 6)
    return bytes(pdf.output()), cells


def body(pdf: Any, text: str) -> None:
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def table(pdf: Any, cells: list[DrawnCell], header: list[str], rows: list[list[str]],
          widths: list[float], numeric_from: int) -> None:
    """Rows whose cells wrap within their width (a row is as tall as its tallest cell), the
    header repeated on a new page; numbers aligned right."""
    line = 4.2

    def draw(texts: list[str], style: str) -> None:
        pdf.set_font("DejaVu", style, 8)
        wrapped = [pdf.multi_cell(w, line, t, dry_run=True, output="LINES")
                   for t, w in zip(texts, widths, strict=True)]
        height = max(len(lines) for lines in wrapped) * line + 1
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            if style == "":
                draw(header, "B")
                pdf.set_font("DejaVu", style, 8)
        x, y = pdf.l_margin, pdf.get_y()
        for column, (text, w, lines) in enumerate(zip(texts, widths, wrapped, strict=True)):
            pdf.rect(x, y, w, height)
            pdf.set_xy(x, y + 0.5)
            align = "R" if style == "" and column >= numeric_from else "L"
            pdf.multi_cell(w, line, text, align=align, new_x="RIGHT", new_y="TOP")
            cells.append(DrawnCell(tuple(lines), style, 8, w))
            x += w
        pdf.set_xy(pdf.l_margin, y + height)

    draw(header, "B")
    for row in rows:
        draw(row, "")
    pdf.ln(3)


def to_pdf(report: dict[str, Any], letterhead: Letterhead | None = None) -> bytes:
    return render_pdf(report, letterhead)[0]
