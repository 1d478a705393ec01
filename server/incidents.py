"""Camera incidents (Art. 8, 15.4): report → acknowledged → resolved, with times.

Anyone may report a fault on a camera they may view (offline, obstructed, too dark, PTZ broken,
other) with a note and a snapshot; the client files one by itself when a camera it shows has been
offline for 5 minutes. There is at most one open (not resolved) incident per camera: the
``open_camera_id`` column is unique, so a second report, from the same or another workstation,
and even two arriving at the same moment, is added to the open incident as one more
``IncidentReport`` instead of opening a duplicate. The operating unit's duty desk acknowledges
and resolves; the times to acknowledge and to resolve are kept (``server.reports`` averages
them). Every step is audited (``incident_<action>``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common import records
from common.files import write_atomically
from common.vocabulary import IncidentKind, IncidentState
from server import audit
from server import permissions as perm
from server.bookmarks import user_ref
from server.models import Incident, IncidentReport, User
from server.schemas import IncidentCreate
from server.services import VisibleCamera, visible_camera

MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024
SNAPSHOT_TYPES = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("png", "image/png")}


class IncidentDenied(Exception):
    """403"""


class IncidentConflict(Exception):
    """409"""


class IncidentInvalid(Exception):
    """422 naming the field."""


@dataclass(frozen=True)
class Snapshot:
    filename: str
    content: bytes


def snapshot_type(content: bytes) -> tuple[str, str] | None:
    """(extension, media type) for a JPEG or PNG, None for anything else."""
    for magic, kind in SNAPSHOT_TYPES.items():
        if content.startswith(magic):
            return kind
    return None


def find_open(session: Session, camera_id: int) -> Incident | None:
    return session.execute(select(Incident).where(Incident.open_camera_id == camera_id)
                           ).scalar_one_or_none()


def report(session: Session, user: User, item: VisibleCamera, body: IncidentCreate,
           snapshot: Snapshot | None, data_dir: Path, now: datetime,
           find: Callable[[Session, int], Incident | None] = find_open) -> tuple[Incident, bool]:
    """File a report: (the incident, True when this report opened it). The caller commits."""
    if snapshot is not None:
        if len(snapshot.content) > MAX_SNAPSHOT_BYTES:
            raise IncidentInvalid("snapshot: larger than 5 MB")
        if snapshot_type(snapshot.content) is None:
            raise IncidentInvalid("snapshot: not a JPEG or PNG image")
    camera_id = item.camera.id
    for _attempt in range(3):
        incident = find(session, camera_id)
        created = incident is None
        if incident is None:
            incident = Incident(camera_id=camera_id, open_camera_id=camera_id, kind=body.kind,
                                state=IncidentState.OPEN.value, note=body.note,
                                automatic=body.automatic, reported_by_id=user.id,
                                reported_at=now)
            session.add(incident)
            try:
                session.flush()
            except IntegrityError:
                # another workstation opened it between our look and our insert
                session.rollback()
                continue
        break
    else:  # pragma: no cover - three races in a row
        raise IncidentConflict("The camera's open incident changed repeatedly; try again")
    row = IncidentReport(incident_id=incident.id, user_id=user.id, at=now, kind=body.kind,
                         automatic=body.automatic, note=body.note)
    session.add(row)
    session.flush()
    if snapshot is not None:
        extension, _ = snapshot_type(snapshot.content) or ("bin", "")
        path = data_dir / "incidents" / str(incident.id) / f"report-{row.id}.{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, snapshot.content)
        row.snapshot_path = str(path)
        row.snapshot_sha256 = hashlib.sha256(snapshot.content).hexdigest()
    audit.append(session, "incident_report" if created else "incident_report_duplicate",
                 now=now, user_id=user.id, username=user.username, camera_id=camera_id,
                 detail={"incident_id": incident.id, "report_id": row.id, "kind": body.kind,
                         "automatic": body.automatic,
                         "snapshot_sha256": row.snapshot_sha256})
    session.flush()
    session.refresh(incident)
    return incident, created


def _desk(user: User) -> None:
    if user.unit.kind != perm.UnitKind.OPERATING_UNIT:
        raise IncidentDenied("Only the operating unit's duty desk handles incidents")


def acknowledge(session: Session, user: User, incident: Incident, now: datetime) -> None:
    _desk(user)
    if incident.state != IncidentState.OPEN:
        raise IncidentConflict(f"The incident is {incident.state}")
    incident.state = IncidentState.ACKNOWLEDGED.value
    incident.acknowledged_by_id, incident.acknowledged_at = user.id, now
    audit.append(session, "incident_acknowledge", now=now, user_id=user.id,
                 username=user.username, camera_id=incident.camera_id,
                 detail={"incident_id": incident.id})
    session.flush()


def resolve(session: Session, user: User, incident: Incident, resolution: str,
            now: datetime) -> None:
    """Resolving frees the camera for a new incident; an open one is acknowledged on the way."""
    _desk(user)
    if incident.state == IncidentState.RESOLVED:
        raise IncidentConflict("The incident is resolved already")
    if incident.acknowledged_at is None:
        incident.acknowledged_by_id, incident.acknowledged_at = user.id, now
    incident.state = IncidentState.RESOLVED.value
    incident.resolved_by_id, incident.resolved_at = user.id, now
    incident.resolution = resolution
    incident.open_camera_id = None
    audit.append(session, "incident_resolve", now=now, user_id=user.id, username=user.username,
                 camera_id=incident.camera_id,
                 detail={"incident_id": incident.id, "resolution": resolution})
    session.flush()


def can_read(session: Session, user: User, incident: Incident, now: datetime) -> bool:
    if user.unit.kind == perm.UnitKind.OPERATING_UNIT:
        return True
    return visible_camera(session, user, incident.camera_id, now) is not None


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds()


def incident_public(incident: Incident) -> records.Incident:
    return records.Incident(
        id=incident.id, camera_id=incident.camera_id, camera_name=incident.camera.name,
        ward=incident.camera.ward.name, kind=IncidentKind(incident.kind),
        state=IncidentState(incident.state), note=incident.note, automatic=incident.automatic,
        reported_by=user_ref(incident.reported_by), reported_at=incident.reported_at,
        acknowledged_by=user_ref(incident.acknowledged_by) if incident.acknowledged_by else None,
        acknowledged_at=incident.acknowledged_at,
        resolved_by=user_ref(incident.resolved_by) if incident.resolved_by else None,
        resolved_at=incident.resolved_at, resolution=incident.resolution,
        seconds_to_acknowledge=_seconds(incident.reported_at, incident.acknowledged_at),
        seconds_to_resolve=_seconds(incident.reported_at, incident.resolved_at),
        reports=tuple(records.IncidentReport(
            id=r.id, user=user_ref(r.user), at=r.at, kind=IncidentKind(r.kind),
            automatic=r.automatic, note=r.note, snapshot_sha256=r.snapshot_sha256)
            for r in incident.reports))


def list_incidents(session: Session, user: User, now: datetime, state: str | None,
                   camera_id: int | None, since: datetime | None,
                   until: datetime | None) -> list[Incident]:
    query = select(Incident).order_by(Incident.reported_at.desc(), Incident.id.desc())
    if state:
        query = query.where(Incident.state == state)
    if camera_id is not None:
        query = query.where(Incident.camera_id == camera_id)
    if since is not None:
        query = query.where(Incident.reported_at >= since)
    if until is not None:
        query = query.where(Incident.reported_at < until)
    return [i for i in session.execute(query).scalars().all() if can_read(session, user, i, now)]
