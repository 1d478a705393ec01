from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy import func, select

from server import audit
from server.deps import CurrentUser, NowDep, OperatingUnitUser, SessionDep, camera_not_found
from server.models import AuditLog
from server.schemas import AuditEventCreate, AuditEventPublic, AuditRowPublic
from server.services import visible_camera

router = APIRouter(prefix="/audit", tags=["audit"])


def _aware(value: datetime | None) -> datetime | None:
    """Query times without an offset are taken as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


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
    since: Annotated[datetime | None, Query(description="rows at or after (ISO-8601)")] = None,
    until: Annotated[datetime | None, Query(description="rows before (ISO-8601)")] = None,
    username: Annotated[str | None, Query(max_length=150)] = None,
    event: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuditRowPublic]:
    """Audit rows, newest first; the total matching count is in ``X-Total-Count``."""
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
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(AuditLog.id.desc()).limit(limit).offset(offset)
    ).scalars().all()
    result = [
        AuditRowPublic(id=r.id, ts=r.ts, event=r.event, user_id=r.user_id, username=r.username,
                       camera_id=r.camera_id, detail=audit.decoded_detail(r),
                       prev_hash=r.prev_hash, hash=r.hash)
        for r in rows
    ]
    audit.append(session, "audit_read", now=now, user_id=user.id, username=user.username,
                 detail={"count": len(result), "offset": offset})
    session.commit()
    response.headers["X-Total-Count"] = str(total)
    return result
