"""Other agencies' written access requests (Art. 12.2.d).

An agency states the content and purpose of its request and commits to use the pictures for that
purpose only, with its official letter (PDF) attached, naming the cameras and the time it wants.
The operating unit grants named cameras (any of those asked for) for a limited time, or rejects
the request with a reason. A grant is ``AccessGrant`` rows, the very rows the permission rule for
other agencies reads (``server.permissions``, scope ``granted_cameras``: valid_from ≤ now <
valid_until), so the agency's camera list follows the grant and it ends by itself at
``valid_until`` with nothing to run. The operating unit may end it early (``revoke``). Traffic
cameras are never granted (Art. 11.2 does not list other agencies). Every step is audited.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import records
from common.evidence import canonical_json
from common.files import write_atomically
from common.records import Letter, RequestableCamera
from common.vocabulary import AccessRequestState
from server import audit
from server import permissions as perm
from server.bookmarks import user_ref
from server.models import AccessGrant, AccessRequest, Camera, User, Ward
from server.schemas import (
    AccessGrantBody,
    AccessRequestCreate,
)

MAX_LETTER_BYTES = 10 * 1024 * 1024
MAX_GRANT = timedelta(days=90)
GRANTABLE = frozenset({perm.CameraSystem.SMART_CITY.value, perm.CameraSystem.PUBLIC.value})


class AccessDenied(Exception):
    """403"""


class AccessConflict(Exception):
    """409"""


class AccessInvalid(Exception):
    """422: ``field: message``."""


def _operating(user: User) -> bool:
    return user.unit.kind == perm.UnitKind.OPERATING_UNIT


def _check_cameras(session: Session, ids: list[int], field: str) -> list[Camera]:
    cameras = []
    for camera_id in dict.fromkeys(ids):
        camera = session.get(Camera, camera_id)
        if camera is None:
            raise AccessInvalid(f"{field}: camera {camera_id} does not exist")
        if camera.system not in GRANTABLE:
            raise AccessInvalid(f"{field}: camera {camera_id} is a traffic camera; other "
                                "agencies are not among its users (Art. 11.2)")
        cameras.append(camera)
    return cameras


def _window(start: datetime, end: datetime, field: str) -> None:
    if end <= start:
        raise AccessInvalid(f"{field}: must be after the start")
    if end - start > MAX_GRANT:
        raise AccessInvalid(f"{field}: at most {MAX_GRANT.days} days")


def create(session: Session, user: User, body: AccessRequestCreate, letter_name: str | None,
           letter: bytes | None, data_dir: Path, now: datetime) -> AccessRequest:
    if user.unit.kind != perm.UnitKind.OTHER_AGENCY:
        raise AccessDenied("Only other agencies file access requests; units of the regulation "
                           "see their cameras by their rights")
    if letter is None:
        raise AccessInvalid("letter: attach the official request letter as a PDF")
    if len(letter) > MAX_LETTER_BYTES:
        raise AccessInvalid(f"letter: at most {MAX_LETTER_BYTES} bytes")
    if not letter.startswith(b"%PDF-"):
        raise AccessInvalid("letter: the letter must be a PDF file")
    _window(body.wanted_from, body.wanted_until, "wanted_until")
    cameras = _check_cameras(session, body.camera_ids, "camera_ids")
    request = AccessRequest(
        unit_id=user.unit_id, requester_id=user.id, state=AccessRequestState.REQUESTED.value,
        content=body.content.strip(), purpose=body.purpose.strip(),
        commitment=body.commitment.strip(),
        camera_ids=canonical_json([c.id for c in cameras]),
        wanted_from=body.wanted_from, wanted_until=body.wanted_until, letter_path="",
        letter_sha256=hashlib.sha256(letter).hexdigest(),
        letter_filename=Path(letter_name or "letter.pdf").name[:255], created_at=now)
    session.add(request)
    session.flush()
    path = data_dir / "letters" / f"access-{request.id}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, letter)
    request.letter_path = str(path)
    audit.append(session, "access_request", now=now, user_id=user.id, username=user.username,
                 detail={"request_id": request.id, "camera_ids": [c.id for c in cameras],
                         "letter_sha256": request.letter_sha256})
    session.flush()
    return request


def catalogue(session: Session, user: User, now: datetime) -> list[RequestableCamera]:
    """The cameras an agency may name in a request: every smart-city and public camera (the
    ones a grant can cover; traffic cameras never), by ward and name, with id, name, ward and
    location only. An agency has no camera before a grant, so it cannot choose from ``/cameras``;
    the operating unit, who decides the requests, reads the same list. Other units see their
    cameras by their rights and file no requests: 403. Audited like ``GET /cameras``."""
    if user.unit.kind not in (perm.UnitKind.OTHER_AGENCY, perm.UnitKind.OPERATING_UNIT):
        raise AccessDenied("Only other agencies file access requests (and the operating unit "
                           "decides them); units of the regulation see their cameras by their "
                           "rights")
    query = (select(Camera).join(Ward, Camera.ward_id == Ward.id)
             .where(Camera.system.in_(sorted(GRANTABLE)), Camera.is_active.is_(True))
             .order_by(Ward.name, Camera.name, Camera.id))
    result = [RequestableCamera(id=c.id, name=c.name, ward=c.ward.name, location=c.location)
              for c in session.execute(query).scalars().unique().all()]
    audit.append(session, "access_camera_catalogue", now=now, user_id=user.id,
                 username=user.username, detail={"count": len(result)})
    session.flush()
    return result


def _decidable(user: User, request: AccessRequest) -> None:
    if not _operating(user):
        raise AccessDenied("Only the operating unit decides access requests")
    if request.state != AccessRequestState.REQUESTED:
        raise AccessConflict(f"The request is {request.state}")


def grant(session: Session, user: User, request: AccessRequest, body: AccessGrantBody,
          now: datetime) -> None:
    _decidable(user, request)
    asked = set(json.loads(request.camera_ids))
    extra = [c for c in body.camera_ids if c not in asked]
    if extra:
        raise AccessInvalid(f"camera_ids: camera {extra[0]} was not asked for")
    cameras = _check_cameras(session, body.camera_ids, "camera_ids")
    start = body.valid_from or now
    _window(start, body.valid_until, "valid_until")
    if body.valid_until <= now:
        raise AccessInvalid("valid_until: already past")
    for camera in cameras:
        session.add(AccessGrant(unit_id=request.unit_id, camera_id=camera.id, valid_from=start,
                                valid_until=body.valid_until, purpose=request.purpose,
                                granted_by_id=user.id, access_request_id=request.id))
    request.state = AccessRequestState.GRANTED.value
    request.decided_by_id, request.decided_at = user.id, now
    request.granted_from, request.granted_until = start, body.valid_until
    audit.append(session, "access_grant", now=now, user_id=user.id, username=user.username,
                 detail={"request_id": request.id, "unit": request.unit.name,
                         "camera_ids": [c.id for c in cameras], "valid_from": start.isoformat(),
                         "valid_until": body.valid_until.isoformat()})
    session.flush()
    session.refresh(request)


def reject(session: Session, user: User, request: AccessRequest, reason: str,
           now: datetime) -> None:
    _decidable(user, request)
    request.state = AccessRequestState.REJECTED.value
    request.decided_by_id, request.decided_at = user.id, now
    request.reject_reason = reason
    audit.append(session, "access_reject", now=now, user_id=user.id, username=user.username,
                 detail={"request_id": request.id, "reason": reason})
    session.flush()


def revoke(session: Session, user: User, request: AccessRequest, now: datetime) -> list[int]:
    """End a grant early: every grant of the request still running ends now. The cameras
    whose grant ended (their live streams are cut: ``server.gateways``)."""
    if not _operating(user):
        raise AccessDenied("Only the operating unit revokes access")
    if request.state != AccessRequestState.GRANTED:
        raise AccessConflict(f"The request is {request.state}")
    ended = []
    for row in request.grants:
        if row.valid_until > now:
            row.valid_until = max(now, row.valid_from)
            ended.append(row.camera_id)
    if not ended:
        raise AccessConflict("The grant has ended already")
    request.granted_until = now
    audit.append(session, "access_revoke", now=now, user_id=user.id, username=user.username,
                 detail={"request_id": request.id, "camera_ids": ended})
    session.flush()
    return ended


def can_read(user: User, request: AccessRequest) -> bool:
    return _operating(user) or user.unit_id == request.unit_id


def list_requests(session: Session, user: User) -> list[AccessRequest]:
    query = select(AccessRequest).order_by(AccessRequest.created_at.desc(),
                                           AccessRequest.id.desc())
    if not _operating(user):
        query = query.where(AccessRequest.unit_id == user.unit_id)
    return list(session.execute(query).scalars().all())


def request_public(session: Session, request: AccessRequest, now: datetime
                   ) -> records.AccessRequest:
    grants = []
    for row in request.grants:
        camera = session.get(Camera, row.camera_id)
        grants.append(records.AccessGrant(camera_id=row.camera_id,
                                          camera_name=camera.name if camera else "",
                                          valid_from=row.valid_from, valid_until=row.valid_until,
                                          active=row.valid_from <= now < row.valid_until))
    return records.AccessRequest(
        id=request.id, unit=request.unit.name, requester=user_ref(request.requester),
        state=AccessRequestState(request.state), content=request.content,
        purpose=request.purpose, commitment=request.commitment,
        camera_ids=tuple(json.loads(request.camera_ids)), wanted_from=request.wanted_from,
        wanted_until=request.wanted_until,
        letter=Letter(filename=request.letter_filename, sha256=request.letter_sha256),
        created_at=request.created_at,
        decided_by=user_ref(request.decided_by) if request.decided_by else None,
        decided_at=request.decided_at, reject_reason=request.reject_reason,
        grants=tuple(grants))
