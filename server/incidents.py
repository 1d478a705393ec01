"""Incidents (Art. 8, 15.4): report → acknowledged → resolved, with times.

Anyone may report a fault on a camera they may view (offline, obstructed, too dark, PTZ broken,
other) with a note and a snapshot; the client files one by itself when a camera it shows has been
offline for 5 minutes. Anyone may also report a fault of the system around the cameras (a
server, the software, storage, the network: a ``category``, a ``subject`` saying what it is
about, a kind); the server files those itself where it sees the fault
(:func:`file_system_incident`, no user: the reporter is "the system") and clears them when the
fault ends by itself (:func:`clear_system_incident`).

There is at most one open (not resolved) incident per camera, and per kind and subject of a
system fault: the ``open_key`` column is unique, so a second report, from the same or another
workstation or thread, and even two arriving at the same moment, is added to the open incident
as one more ``IncidentReport`` instead of opening a duplicate. The operating unit's duty desk
sees every incident, acknowledges and resolves; others see the camera incidents of cameras they
may view and the system faults their unit reported. The times to acknowledge and to resolve are
kept (``server.reports`` averages them). Every step is audited (``incident_<action>``).
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
from common.vocabulary import INCIDENT_KINDS, IncidentCategory, IncidentKind, IncidentState
from server import audit
from server import permissions as perm
from server.bookmarks import user_ref
from server.models import Incident, IncidentReport, User
from server.schemas import IncidentCreate
from server.services import VisibleCamera, visible_camera

MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024
SNAPSHOT_TYPES = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("png", "image/png")}
MAX_SUBJECT = 200


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


@dataclass(frozen=True)
class Filing:
    """One report, whoever files it: a camera's (``camera_id``) or a subject's."""

    category: IncidentCategory
    kind: IncidentKind
    note: str
    automatic: bool
    camera_id: int | None = None
    subject: str | None = None

    @property
    def open_key(self) -> str:
        if self.camera_id is not None:
            return camera_key(self.camera_id)
        return subject_key(self.kind, self.subject or "")


def snapshot_type(content: bytes) -> tuple[str, str] | None:
    """(extension, media type) for a JPEG or PNG, None for anything else."""
    for magic, kind in SNAPSHOT_TYPES.items():
        if content.startswith(magic):
            return kind
    return None


def camera_key(camera_id: int) -> str:
    return f"camera:{camera_id}"


def clean_subject(subject: str) -> str:
    """One spelling of a subject: "gateway  gw-1 " and "gateway gw-1" are the same one."""
    return " ".join(subject.split())[:MAX_SUBJECT]


def subject_key(kind: str, subject: str) -> str:
    """Two faults of one subject are two incidents ("gateway gw-1" down, and its clock off);
    the same fault reported twice, in any letter case, is one."""
    return f"{kind}:{clean_subject(subject).casefold()}"


def find_open(session: Session, key: str) -> Incident | None:
    return session.execute(select(Incident).where(Incident.open_key == key)
                           ).scalar_one_or_none()


def filing_of(body: IncidentCreate, item: VisibleCamera | None) -> Filing:
    """The report a request makes; a kind that does not fit the category, a subject on a
    camera's or a missing one on a system fault is refused (422 naming the field)."""
    category = IncidentCategory(body.category)
    kind = IncidentKind(body.kind)
    if category == IncidentCategory.CAMERA:
        if item is None:
            raise IncidentInvalid("camera_id: a camera fault names its camera")
        if body.subject is not None:
            raise IncidentInvalid("subject: a camera fault is about its camera")
    else:
        if item is not None:
            raise IncidentInvalid("camera_id: only a camera fault names a camera")
        if not clean_subject(body.subject or ""):
            raise IncidentInvalid("subject: say what the fault is about")
    if kind not in INCIDENT_KINDS[category]:
        raise IncidentInvalid(f"kind: {kind} is not a fault of the category {category}")
    return Filing(category, kind, body.note, body.automatic,
                  camera_id=item.camera.id if item is not None else None,
                  subject=clean_subject(body.subject) if body.subject is not None else None)


def report(session: Session, user: User, item: VisibleCamera | None, body: IncidentCreate,
           snapshot: Snapshot | None, data_dir: Path, now: datetime,
           find: Callable[[Session, str], Incident | None] = find_open) -> tuple[Incident, bool]:
    """File a user's report: (the incident, True when this report opened it). The caller
    commits."""
    if snapshot is not None:
        if len(snapshot.content) > MAX_SNAPSHOT_BYTES:
            raise IncidentInvalid("snapshot: larger than 5 MB")
        if snapshot_type(snapshot.content) is None:
            raise IncidentInvalid("snapshot: not a JPEG or PNG image")
    return _file(session, user, filing_of(body, item), snapshot, data_dir, now, find)


def file_system_incident(session: Session, category: IncidentCategory, kind: IncidentKind,
                         subject: str, note: str, now: datetime,
                         find: Callable[[Session, str], Incident | None] = find_open
                         ) -> tuple[Incident, bool]:
    """The system found a fault by itself: (the incident, True when this opened it). While
    the subject's incident of this kind is open, a second filing is one more report on it.
    The caller commits."""
    if kind not in INCIDENT_KINDS[category] or category == IncidentCategory.CAMERA:
        raise ValueError(f"{kind} is not a system fault of the category {category}")
    filing = Filing(category, kind, note, True, subject=clean_subject(subject))
    return _file(session, None, filing, None, None, now, find)


def clear_system_incident(session: Session, kind: IncidentKind, subject: str, note: str,
                          now: datetime) -> Incident | None:
    """The fault ended by itself: its open incident, if any, is resolved by the system with
    ``note`` as the resolution (acknowledged or not: the times say which). The caller
    commits."""
    incident = find_open(session, subject_key(kind, subject))
    if incident is None:
        return None
    incident.state = IncidentState.RESOLVED.value
    incident.resolved_by, incident.resolved_at = None, now
    incident.resolution = note
    incident.open_key = incident.open_camera_id = None
    audit.append(session, "incident_clear", now=now,
                 detail={"incident_id": incident.id, "category": incident.category,
                         "subject": incident.subject, "kind": incident.kind,
                         "resolution": note})
    session.flush()
    return incident


def file_camera_fault(session: Session, camera_id: int, kind: IncidentKind, note: str,
                      now: datetime) -> tuple[Incident, bool]:
    """The system saw a camera's fault (its gateway lost its stream): filed in the camera's
    one open incident, so an operator's or a wall's report of the same camera joins it instead
    of opening a second. The caller commits."""
    filing = Filing(IncidentCategory.CAMERA, kind, note, True, camera_id=camera_id)
    return _file(session, None, filing, None, None, now, find_open)


def clear_camera_fault(session: Session, camera_id: int, kind: IncidentKind, note: str,
                       now: datetime) -> Incident | None:
    """The camera's fault of ``kind`` ended: its open incident is resolved by the system, but
    only one the system opened with that kind (a person's report stays for the desk). The
    caller commits."""
    incident = find_open(session, camera_key(camera_id))
    if incident is None or incident.kind != kind or incident.reported_by_id is not None:
        return None
    incident.state = IncidentState.RESOLVED.value
    incident.resolved_by, incident.resolved_at = None, now
    incident.resolution = note
    incident.open_key = incident.open_camera_id = None
    audit.append(session, "incident_clear", now=now, camera_id=camera_id,
                 detail={"incident_id": incident.id, "category": incident.category,
                         "kind": incident.kind, "resolution": note})
    session.flush()
    return incident


def _file(session: Session, user: User | None, filing: Filing, snapshot: Snapshot | None,
          data_dir: Path | None, now: datetime,
          find: Callable[[Session, str], Incident | None]) -> tuple[Incident, bool]:
    key = filing.open_key
    user_id = user.id if user is not None else None
    for _attempt in range(3):
        incident = find(session, key)
        created = incident is None
        if incident is None:
            incident = Incident(category=filing.category.value, camera_id=filing.camera_id,
                                subject=filing.subject, open_key=key,
                                open_camera_id=filing.camera_id, kind=filing.kind.value,
                                state=IncidentState.OPEN.value, note=filing.note,
                                automatic=filing.automatic, reported_by_id=user_id,
                                reported_at=now)
            session.add(incident)
            try:
                session.flush()
            except IntegrityError:
                # another workstation (or thread) opened it between our look and our insert
                session.rollback()
                continue
        break
    else:  # pragma: no cover - three races in a row
        raise IncidentConflict("The open incident changed repeatedly; try again")
    row = IncidentReport(incident_id=incident.id, user_id=user_id, at=now,
                         kind=filing.kind.value, automatic=filing.automatic, note=filing.note)
    session.add(row)
    session.flush()
    if snapshot is not None and data_dir is not None:
        extension, _ = snapshot_type(snapshot.content) or ("bin", "")
        path = data_dir / "incidents" / str(incident.id) / f"report-{row.id}.{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, snapshot.content)
        row.snapshot_path = str(path)
        row.snapshot_sha256 = hashlib.sha256(snapshot.content).hexdigest()
    audit.append(session, "incident_report" if created else "incident_report_duplicate",
                 now=now, user_id=user_id, username=user.username if user else None,
                 camera_id=filing.camera_id,
                 detail={"incident_id": incident.id, "report_id": row.id,
                         "category": filing.category.value, "subject": filing.subject,
                         "kind": filing.kind.value, "automatic": filing.automatic,
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
    incident.acknowledged_by, incident.acknowledged_at = user, now
    audit.append(session, "incident_acknowledge", now=now, user_id=user.id,
                 username=user.username, camera_id=incident.camera_id,
                 detail={"incident_id": incident.id})
    session.flush()


def resolve(session: Session, user: User, incident: Incident, resolution: str,
            now: datetime) -> None:
    """Resolving frees the camera (or subject) for a new incident; an open one is acknowledged
    on the way."""
    _desk(user)
    if incident.state == IncidentState.RESOLVED:
        raise IncidentConflict("The incident is resolved already")
    if incident.acknowledged_at is None:
        incident.acknowledged_by, incident.acknowledged_at = user, now
    incident.state = IncidentState.RESOLVED.value
    incident.resolved_by, incident.resolved_at = user, now
    incident.resolution = resolution
    incident.open_key = incident.open_camera_id = None
    audit.append(session, "incident_resolve", now=now, user_id=user.id, username=user.username,
                 camera_id=incident.camera_id,
                 detail={"incident_id": incident.id, "resolution": resolution})
    session.flush()


def can_read(session: Session, user: User, incident: Incident, now: datetime) -> bool:
    """The desk reads all; others a camera's incident when they may view the camera, and a
    system fault when someone of their unit reported it."""
    if user.unit.kind == perm.UnitKind.OPERATING_UNIT:
        return True
    if incident.camera_id is not None:
        return visible_camera(session, user, incident.camera_id, now) is not None
    return any(r.user is not None and r.user.unit_id == user.unit_id for r in incident.reports)


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds()


def _ref(user: User | None) -> records.UserRef | None:
    return user_ref(user) if user is not None else None


def incident_public(incident: Incident) -> records.Incident:
    camera = incident.camera
    return records.Incident(
        id=incident.id, category=IncidentCategory(incident.category),
        subject=camera.name if camera is not None else (incident.subject or ""),
        camera_id=incident.camera_id, camera_name=camera.name if camera is not None else None,
        ward=camera.ward.name if camera is not None else None, kind=IncidentKind(incident.kind),
        state=IncidentState(incident.state), note=incident.note, automatic=incident.automatic,
        reported_by=_ref(incident.reported_by), reported_at=incident.reported_at,
        acknowledged_by=_ref(incident.acknowledged_by), acknowledged_at=incident.acknowledged_at,
        resolved_by=_ref(incident.resolved_by), resolved_at=incident.resolved_at,
        resolution=incident.resolution,
        seconds_to_acknowledge=_seconds(incident.reported_at, incident.acknowledged_at),
        seconds_to_resolve=_seconds(incident.reported_at, incident.resolved_at),
        reports=tuple(records.IncidentReport(
            id=r.id, user=_ref(r.user), at=r.at, kind=IncidentKind(r.kind),
            automatic=r.automatic, note=r.note, snapshot_sha256=r.snapshot_sha256)
            for r in incident.reports))


def list_incidents(session: Session, user: User, now: datetime, state: str | None,
                   camera_id: int | None, since: datetime | None,
                   until: datetime | None, category: str | None = None) -> list[Incident]:
    query = select(Incident).order_by(Incident.reported_at.desc(), Incident.id.desc())
    if state:
        query = query.where(Incident.state == state)
    if category:
        query = query.where(Incident.category == category)
    if camera_id is not None:
        query = query.where(Incident.camera_id == camera_id)
    if since is not None:
        query = query.where(Incident.reported_at >= since)
    if until is not None:
        query = query.where(Incident.reported_at < until)
    return [i for i in session.execute(query).scalars().all() if can_read(session, user, i, now)]
