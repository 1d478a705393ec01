"""Operating reports: JSON, Vietnamese CSV or PDF with plots (``server.reports``)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status

from server import audit
from server import permissions as perm
from server import reports as service
from server import working_calendar as wc
from server.api.forms import invalid
from server.api.params import ExportPurpose, OptionalDay
from server.deps import CurrentUser, NowDep, RuntimeDep, SessionDep

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("", response_model=None, responses={200: {
    "description": "the report: figures as JSON, or the document as CSV or PDF (`format`)",
    "content": {"application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def report(
    session: SessionDep, user: CurrentUser, now: NowDep, runtime: RuntimeDep,
    kind: Literal["quarterly", "six_monthly", "yearly", "ad_hoc"],
    year: Annotated[int | None, Query(ge=2000, le=2099,
                                      description="quarterly, six_monthly, yearly")] = None,
    part: Annotated[int | None, Query(ge=1, le=4,
                                      description="the quarter (1–4) or the half (1–2)")] = None,
    start: Annotated[OptionalDay, Query(description="ad_hoc: first day (UTC+7)")] = None,
    end: Annotated[OptionalDay, Query(description="ad_hoc: last day, inclusive")] = None,
    format: Literal["json", "csv", "pdf"] = "json",
    purpose: ExportPurpose = None,
) -> Any:
    """The operating unit's periodic and ad hoc reports (Art. 15.3)."""
    if user.unit.kind != perm.UnitKind.OPERATING_UNIT:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN,
                            detail="Only the operating unit makes reports")
    try:
        period = service.period_for(kind, year, part, start, end)
    except service.ReportInvalid as exc:
        field, _, message = str(exc).partition(": ")
        raise invalid(field, message) from exc
    calendar = wc.WorkingCalendar(wc.load(runtime.settings.calendar_file))
    data = service.build(session, period, calendar, now)
    audit.append(session, "report_export", now=now, user_id=user.id, username=user.username,
                 detail={"kind": kind, "label": period.label, "format": format,
                         "purpose": purpose})
    session.commit()
    name = f"bao-cao-{kind}-{period.start.date().isoformat()}"
    if format == "csv":
        return Response(service.to_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if format == "pdf":
        return Response(service.to_pdf(data, service.Letterhead.of(runtime.settings)), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return data
