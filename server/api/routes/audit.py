import csv
import io
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy import Select, func, select

from common.records import AuditRow, ChainVerdict
from server import audit, audit_anchors
from server.api.errors import file_answer
from server.api.params import ExportPurpose, IdQuery, Offset, OptionalMoment
from server.deps import (
    CurrentUser,
    NowDep,
    OperatingUnitUser,
    RuntimeDep,
    SessionDep,
    camera_not_found,
)
from server.models import AuditLog
from server.schemas import (
    AuditEventCreate,
    AuditEventPublic,
)
from server.services import visible_camera
from server.working_calendar import VIETNAM

router = APIRouter(prefix="/audit", tags=["audit"])


def _aware(value: datetime | None) -> datetime | None:
    """Query times without an offset are taken as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)



def _filtered(since: datetime | None, until: datetime | None, username: str | None,
              event: str | None, camera_id: int | None = None) -> Select[AuditLog]:
    """The audit rows matching the list and export filters (one rule for both)."""
    query = select(AuditLog)
    since, until = _aware(since), _aware(until)
    if since is not None:
        query = query.where(AuditLog.ts >= since)
    if until is not None:
        query = query.where(AuditLog.ts < until)
    if username is not None:
        query = query.where(AuditLog.username == username)
    if event is not None:
        query = query.where(AuditLog.event == event)
    if camera_id is not None:
        query = query.where(AuditLog.camera_id == camera_id)
    return query

@router.post("/events", status_code=status.HTTP_201_CREATED)
def post_event(body: AuditEventCreate, session: SessionDep, user: CurrentUser,
               now: NowDep) -> AuditEventPublic:
    """The client reports that a tile started/stopped showing a camera the user may view."""
    item = visible_camera(session, user, body.camera_id, now)
    if item is None:
        raise camera_not_found()
    detail = {"detail": body.detail} if body.detail else {}
    row = audit.append(session, body.event, now=now, user_id=user.id, username=user.username,
                       camera_id=item.camera.id, detail=detail)
    session.commit()
    return AuditEventPublic(id=row.id, ts=row.ts, event=row.event)


@router.get("")
def list_audit(
    session: SessionDep,
    user: OperatingUnitUser,
    now: NowDep,
    response: Response,
    since: Annotated[OptionalMoment, Query(description="rows at or after (ISO-8601)")] = None,
    until: Annotated[OptionalMoment, Query(description="rows before (ISO-8601)")] = None,
    username: Annotated[str | None, Query(max_length=150)] = None,
    event: Annotated[str | None, Query(max_length=64)] = None,
    camera_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> list[AuditRow]:
    """Audit rows, newest first; the total matching count is in ``X-Total-Count``."""
    query = _filtered(since, until, username, event, camera_id)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(AuditLog.id.desc()).limit(limit).offset(offset)
    ).scalars().all()
    result = [
        AuditRow(id=r.id, ts=r.ts, event=r.event, user_id=r.user_id, username=r.username,
                 camera_id=r.camera_id, detail=audit.decoded_detail(r),
                 prev_hash=r.prev_hash, hash=r.hash)
        for r in rows
    ]
    audit.append(session, "audit_read", now=now, user_id=user.id, username=user.username,
                 detail={"count": len(result), "offset": offset})
    session.commit()
    response.headers["X-Total-Count"] = str(total)
    return result


@router.get("/events")
def audit_events(session: SessionDep, user: OperatingUnitUser) -> list[str]:
    """The event names the log holds (sorted): the viewer's filter list follows what the server
    actually writes instead of a list kept by hand in the client."""
    return list(session.execute(
        select(AuditLog.event).distinct().order_by(AuditLog.event)).scalars())


def _verdict(result: ChainVerdict) -> str:
    if result.ok:
        return f"Chuỗi băm toàn vẹn: {result.rows} bản ghi"
    return f"Chuỗi băm BỊ PHÁ VỠ tại bản ghi {result.broken_id}: {result.reason}"


@router.get("/verify")
def verify_chain(session: SessionDep, user: OperatingUnitUser, now: NowDep,
                 runtime: RuntimeDep) -> ChainVerdict:
    """Walk the whole hash chain and check it against its signed anchors (what ``python -m
    server audit verify`` does): an edited or missing row, a cut tail, a forged or deleted
    anchor; ``reason`` says which."""
    result = audit_anchors.verify(session, runtime.settings)
    audit.append(session, "audit_verify", now=now, user_id=user.id, username=user.username,
                 detail={"ok": result.ok, "rows": result.rows, "broken_id": result.broken_id})
    session.commit()
    return result


@router.get("/export", responses=file_answer("text/csv", description="the log as CSV"))
def export_csv(
    session: SessionDep,
    user: OperatingUnitUser,
    now: NowDep,
    runtime: RuntimeDep,
    since: Annotated[OptionalMoment, Query(description="rows at or after (ISO-8601)")] = None,
    until: Annotated[OptionalMoment, Query(description="rows before (ISO-8601)")] = None,
    username: Annotated[str | None, Query(max_length=150)] = None,
    event: Annotated[str | None, Query(max_length=64)] = None,
    camera_id: IdQuery = None,
    purpose: ExportPurpose = None,
) -> Response:
    """The filtered rows oldest first as a Vietnamese CSV (UTF-8 with BOM, ``;``), headed by the
    chain verification result of the whole log at export time. The export itself is audited
    after the rows are read, so it is not in its own file."""
    result = audit_anchors.verify(session, runtime.settings)
    query = _filtered(since, until, username, event, camera_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nhật ký truy cập hệ thống camera IOC Đồng Hới"])
    writer.writerow(["Kiểm tra chuỗi băm", "toàn vẹn" if result.ok else "bị phá vỡ",
                     _verdict(result)])
    writer.writerow(["Xuất lúc", now.astimezone(VIETNAM).isoformat(), "Người xuất",
                     user.username])
    writer.writerow([])
    writer.writerow(["Số TT", "Thời gian (UTC+7)", "Sự kiện", "Tài khoản", "Mã người dùng",
                     "Camera", "Chi tiết", "Băm trước", "Băm"])
    count = 0
    for row in session.execute(query.order_by(AuditLog.id)).scalars():
        writer.writerow([row.id, row.ts.astimezone(VIETNAM).isoformat(), row.event,
                         row.username or "", "" if row.user_id is None else row.user_id,
                         "" if row.camera_id is None else row.camera_id, row.detail,
                         row.prev_hash, row.hash])
        count += 1
    audit.append(session, "audit_export", now=now, user_id=user.id, username=user.username,
                 detail={"rows": count, "chain_ok": result.ok, "purpose": purpose})
    session.commit()
    name = f"nhat-ky-{now.astimezone(VIETNAM):%Y%m%d-%H%M}.csv"
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "X-Audit-Chain": "ok" if result.ok else "broken"})


@router.get("/anchors", responses=file_answer(
    "application/x-ndjson", description="the public keys, then the signed anchors, one JSON "
                                        "object a line"))
def export_anchors(session: SessionDep, user: OperatingUnitUser, now: NowDep,
                   runtime: RuntimeDep, purpose: ExportPurpose = None) -> Response:
    """The audit chain's signed anchors for a party outside the IOC: each public evidence key
    (``{"kind": "key", "key_id", "public_key_pem", …}``) and each anchor (``{"kind": "anchor",
    "key_id", "signature", "body"}``: ``body`` is the exact text signed, ``signature`` its raw
    Ed25519 signature in base64). ``docs/evidence.md`` checks one with openssl alone."""
    lines = list(audit_anchors.export_lines(session, runtime.settings))
    audit.append(session, "audit_anchors_export", now=now, user_id=user.id,
                 username=user.username,
                 detail={"anchors": sum('"kind":"anchor"' in line for line in lines),
                         "purpose": purpose})
    session.commit()
    name = f"neo-nhat-ky-{now.astimezone(VIETNAM):%Y%m%d-%H%M}.jsonl"
    return Response("".join(line + "\n" for line in lines).encode("utf-8"),
                    media_type="application/x-ndjson",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
