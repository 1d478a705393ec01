"""Publishing a violation's media to the public (Art. 11.3.a, Art. 14) — by two people, from
the catalogue, never unblurred.

The shareable-data catalogue is configuration administrators keep (``public_catalogue``): the
traffic cameras the public may see and the kinds of violation whose media may be published.
Only traffic cameras and traffic violations can enter it; a school's, a hospital's or a home's
camera never can. The public API serves only what it lists, so taking a line out of it takes
what depends on it off the public at once.

| step | who | needs | then |
| --- | --- | --- | --- |
| propose (title, one extracted evidence clip, the boxes to blur) | operating unit | the case's kind in the catalogue; no other open proposal of the case | ``redacting`` (``redacted`` without a clip) |
| the server blurs the clip (``server.redaction``) | — | — | ``redacted`` / ``redaction_failed`` |
| review the blurred clip (named reviewer) | operating unit | ``redacted`` | ``reviewed`` |
| approve | an operating-unit **leader** who did not propose it | ``reviewed``, kind still catalogued | ``published`` |
| reject (reason) | operating unit | not published, not closed | ``rejected`` |
| withdraw (reason) | operating unit, at once | ``published`` | ``withdrawn`` |

A published proposal sets the case's ``public`` / ``public_title`` / ``public_clip_id`` (what the
public API reads); the media the public gets is the blurred file, never the evidence clip.
Every step is audited (``publication_<step>``).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from common import records
from common.evidence import canonical_json, sha256_file
from common.vocabulary import (
    NEVER_PUBLIC_OWNERS,
    OPEN_PUBLICATION_STATES,
    TRAFFIC_CASE_KINDS,
    CameraSystem,
    CaseKind,
    CatalogueDataset,
    OwnerCategory,
    PublicationState,
    Role,
    UnitKind,
)
from server import audit, redaction
from server import cases as case_service
from server.bookmarks import user_ref
from server.config import Settings
from server.models import (
    Camera,
    ClipRequest,
    Publication,
    PublicCatalogueEntry,
    User,
    ViolationCase,
    ViolationCaseClip,
    ViolationCaseEvent,
)

log = logging.getLogger("iocwall.publications")


class PublicationDenied(Exception):
    """403."""


class PublicationConflict(Exception):
    """409."""


class PublicationInvalid(Exception):
    """422, ``field: message``."""


def _operating(user: User) -> bool:
    return UnitKind(user.unit.kind) is UnitKind.OPERATING_UNIT


def can_read(user: User) -> bool:
    return _operating(user)


# -- the catalogue -------------------------------------------------------------------------------

def catalogue(session: Session) -> dict[CatalogueDataset, set[str]]:
    found: dict[CatalogueDataset, set[str]] = {d: set() for d in CatalogueDataset}
    for entry in session.execute(select(PublicCatalogueEntry)).scalars():
        found[CatalogueDataset(entry.dataset)].add(entry.value)
    return found


def catalogued_cameras(session: Session) -> set[int]:
    return {int(v) for v in catalogue(session)[CatalogueDataset.TRAFFIC_CAMERA]}


def catalogued_kinds(session: Session) -> set[str]:
    return catalogue(session)[CatalogueDataset.VIOLATION_MEDIA]


def camera_may_be_public(session: Session, camera: Camera) -> str | None:
    """Why the camera may not be public (None: it may)."""
    if camera.system != CameraSystem.TRAFFIC:
        return "only cameras of the traffic system may be public (Art. 11.3.a)"
    if camera.owner_category is not None and \
            OwnerCategory(camera.owner_category) in NEVER_PUBLIC_OWNERS:
        return f"a camera owned by a {camera.owner_category} can never be made public"
    if camera.id not in catalogued_cameras(session):
        return "the camera is not in the public data catalogue (Art. 14)"
    return None


def set_catalogue(session: Session, user: User, cameras: list[int], kinds: list[str],
                  now: datetime) -> None:
    """Replace the catalogue; a camera or kind taken out goes off the public at once."""
    for kind in kinds:
        if kind not in TRAFFIC_CASE_KINDS:
            raise PublicationInvalid(f"violation_kinds: {kind} is not a traffic violation: only "
                                     "traffic-violation media may be published")
    for camera_id in cameras:
        camera = session.get(Camera, camera_id)
        if camera is None or not camera.is_active:
            raise PublicationInvalid(f"camera_ids: camera {camera_id} not found")
        if camera.system != CameraSystem.TRAFFIC:
            raise PublicationInvalid(f"camera_ids: camera {camera_id} is not a traffic camera: "
                                     "only traffic cameras may be public")
    before = catalogue(session)
    after = {CatalogueDataset.TRAFFIC_CAMERA: {str(c) for c in cameras},
             CatalogueDataset.VIOLATION_MEDIA: set(kinds)}
    for dataset in CatalogueDataset:
        for value in before[dataset] - after[dataset]:
            session.execute(delete(PublicCatalogueEntry).where(
                PublicCatalogueEntry.dataset == dataset.value,
                PublicCatalogueEntry.value == value))
        for value in sorted(after[dataset] - before[dataset]):
            session.add(PublicCatalogueEntry(dataset=dataset.value, value=value,
                                             added_by_id=user.id, added_at=now))
    removed = {int(v) for v in before[CatalogueDataset.TRAFFIC_CAMERA]
               - after[CatalogueDataset.TRAFFIC_CAMERA]}
    for camera_id in removed:
        camera = session.get(Camera, camera_id)
        if camera is not None:
            camera.public = False
    audit.append(session, "public_catalogue_change", now=now, user_id=user.id,
                 username=user.username,
                 detail={"before": {d.value: sorted(v) for d, v in before.items()},
                         "after": {d.value: sorted(v) for d, v in after.items()}})
    session.flush()


def catalogue_public(session: Session) -> records.PublicCatalogue:
    found = catalogue(session)
    return records.PublicCatalogue(
        camera_ids=tuple(sorted(int(v) for v in found[CatalogueDataset.TRAFFIC_CAMERA])),
        violation_kinds=tuple(CaseKind(k) for k in sorted(found[CatalogueDataset.VIOLATION_MEDIA])))


# -- proposals -----------------------------------------------------------------------------------

def _audit(session: Session, item: Publication, step: str, user: User, now: datetime,
           **detail: Any) -> None:
    audit.append(session, f"publication_{step}", now=now, user_id=user.id,
                 username=user.username, camera_id=item.case.camera_id,
                 detail={"publication_id": item.id, "case_id": item.case_id,
                         "state": item.state, **detail})


def _case_event(case: ViolationCase, action: str, user: User, now: datetime,
                **detail: Any) -> None:
    """The case's own history shows when it went public and when it was taken back."""
    case.events.append(ViolationCaseEvent(case_id=case.id, at=now, recorded_at=now,
                                          action=action, user_id=user.id,
                                          detail=canonical_json(detail)))


def _open_one(session: Session, case_id: int) -> Publication | None:
    return session.execute(select(Publication).where(
        Publication.case_id == case_id,
        Publication.state.in_([s.value for s in OPEN_PUBLICATION_STATES]))).scalars().first()


def propose(session: Session, user: User, case: ViolationCase, title: str,
            clip_id: int | None, tracks: list[list[dict[str, Any]]], settings: Settings,
            now: datetime) -> Publication:
    if not _operating(user):
        raise PublicationDenied("Only the operating unit proposes a publication")
    if case.kind not in catalogued_kinds(session):
        raise PublicationConflict(f"kind: {case.kind} violations are not in the public data "
                                  "catalogue: their media may not be published (Art. 14)")
    if _open_one(session, case.id) is not None:
        raise PublicationConflict(f"Case #{case.id} already has an open publication")
    clip: ClipRequest | None = None
    if clip_id is not None:
        if clip_id not in {c.clip_request_id for c in case.clips}:
            raise PublicationInvalid("clip_request_id: not an evidence clip of this case")
        clip = session.get(ClipRequest, clip_id)
        if clip is None or not clip.clip_path or not Path(clip.clip_path).exists():
            raise PublicationInvalid("clip_request_id: the clip is not extracted yet")
        duration = redaction.clip_duration(settings.ffprobe, Path(clip.clip_path))
        try:
            redaction.parse_tracks(tracks, duration)
        except redaction.RedactionInvalid as exc:
            raise PublicationInvalid(str(exc)) from exc
    elif tracks:
        raise PublicationInvalid("tracks: boxes to blur need a clip")
    item = Publication(case_id=case.id, clip_request_id=clip_id, title=title.strip(),
                       tracks=canonical_json(tracks), proposed_by_id=user.id, proposed_at=now,
                       state=(PublicationState.REDACTING if clip is not None
                              else PublicationState.REDACTED).value, updated_at=now)
    if clip is None:
        item.redacted_at = now
    session.add(item)
    session.flush()
    session.refresh(item)
    _audit(session, item, "propose", user, now, title=item.title, clip_request_id=clip_id,
           tracks=len(tracks))
    return item


def _need(item: Publication, *states: PublicationState, what: str) -> None:
    if PublicationState(item.state) not in states:
        raise PublicationConflict(f"Publication #{item.id} is {item.state}: {what}")


def review(session: Session, user: User, item: Publication, note: str,
           now: datetime) -> None:
    """The named reviewer looked at the blurred clip and found no bystander recognisable."""
    if not _operating(user):
        raise PublicationDenied("Only the operating unit reviews a publication")
    _need(item, PublicationState.REDACTED, what="only a blurred clip waiting for its review "
          "can be reviewed")
    item.state = PublicationState.REVIEWED.value
    item.reviewed_by, item.reviewed_at, item.review_note = user, now, note.strip()
    item.updated_at = now
    _audit(session, item, "review", user, now, note=item.review_note,
           sha256=item.redacted_sha256)
    session.flush()


def approve(session: Session, user: User, item: Publication, now: datetime) -> None:
    if not _operating(user) or user.role != Role.LEADER:
        raise PublicationDenied("Only a leader of the operating unit approves a publication")
    if user.id == item.proposed_by_id:
        raise PublicationDenied("The one who proposed a publication cannot approve it: two "
                                "people publish")
    _need(item, PublicationState.REVIEWED, what="a publication is approved only after its "
          "blurred clip was reviewed")
    case = item.case
    if case.kind not in catalogued_kinds(session):
        raise PublicationConflict(f"kind: {case.kind} violations are no longer in the public "
                                  "data catalogue")
    item.state = PublicationState.PUBLISHED.value
    item.approved_by, item.approved_at, item.updated_at = user, now, now
    case.public, case.public_title = True, item.title
    case.public_clip_id = item.clip_request_id
    case.updated_at = now
    _case_event(case, "publish", user, now, title=item.title, publication_id=item.id)
    _audit(session, item, "approve", user, now, title=item.title, sha256=item.redacted_sha256)
    session.flush()


def _close(session: Session, user: User, item: Publication, state: PublicationState,
           reason: str, now: datetime) -> None:
    item.state = state.value
    item.closed_by, item.closed_at, item.close_reason = user, now, reason.strip()
    item.updated_at = now


def reject(session: Session, user: User, item: Publication, reason: str,
           now: datetime) -> None:
    if not _operating(user):
        raise PublicationDenied("Only the operating unit rejects a publication")
    _need(item, PublicationState.REDACTING, PublicationState.REDACTED,
          PublicationState.REVIEWED, PublicationState.REDACTION_FAILED,
          what="only a publication not yet published can be rejected (withdraw a published "
          "one)")
    _close(session, user, item, PublicationState.REJECTED, reason, now)
    _audit(session, item, "reject", user, now, reason=item.close_reason)
    session.flush()


def withdraw(session: Session, user: User, item: Publication, reason: str,
             now: datetime) -> None:
    """Off the public at once: any operator of the operating unit may."""
    if not _operating(user):
        raise PublicationDenied("Only the operating unit withdraws a publication")
    _need(item, PublicationState.PUBLISHED, what="only a published one can be withdrawn")
    _close(session, user, item, PublicationState.WITHDRAWN, reason, now)
    case = item.case
    case.public, case.public_title, case.public_clip_id = False, None, None
    case.updated_at = now
    _case_event(case, "unpublish", user, now, reason=item.close_reason, publication_id=item.id)
    _audit(session, item, "withdraw", user, now, reason=item.close_reason)
    session.flush()


def evidence_clip_path(session: Session, user: User, clip_id: int,
                       now: datetime) -> Path | None:
    """An extracted evidence clip of a case the operating-unit reader may read, or None."""
    if not _operating(user):
        return None
    for link in session.execute(select(ViolationCaseClip).where(
            ViolationCaseClip.clip_request_id == clip_id)).scalars():
        case = session.get(ViolationCase, link.case_id)
        if case is not None and case_service.can_read(session, user, case, now):
            clip = session.get(ClipRequest, clip_id)
            if clip is not None and clip.clip_path and Path(clip.clip_path).exists():
                return Path(clip.clip_path)
    return None


def published(session: Session, case: ViolationCase) -> Publication | None:
    return session.execute(select(Publication).where(
        Publication.case_id == case.id,
        Publication.state == PublicationState.PUBLISHED.value)).scalars().first()


def list_publications(session: Session, user: User,
                      state: str | None = None) -> list[Publication]:
    if not can_read(user):
        return []
    query = select(Publication).order_by(Publication.id.desc())
    if state:
        query = query.where(Publication.state == state)
    return list(session.execute(query).scalars().all())


def actions_for(user: User, item: Publication) -> tuple[str, ...]:
    if not _operating(user):
        return ()
    state = PublicationState(item.state)
    found: list[str] = []
    if state is PublicationState.REDACTED:
        found.append("review")
    if state is PublicationState.REVIEWED and user.role == Role.LEADER \
            and user.id != item.proposed_by_id:
        found.append("approve")
    if state in (PublicationState.REDACTING, PublicationState.REDACTED,
                 PublicationState.REVIEWED, PublicationState.REDACTION_FAILED):
        found.append("reject")
    if state is PublicationState.PUBLISHED:
        found.append("withdraw")
    return tuple(found)


def publication_public(user: User, item: Publication) -> records.Publication:
    def ref(person: User | None) -> records.UserRef | None:
        return user_ref(person) if person is not None else None

    return records.Publication(
        id=item.id, case_id=item.case_id, camera_name=item.case.camera.name,
        kind=CaseKind(item.case.kind), title=item.title, clip_request_id=item.clip_request_id,
        state=PublicationState(item.state), tracks=tuple(json.loads(item.tracks)),
        proposed_by=user_ref(item.proposed_by), proposed_at=item.proposed_at,
        redacted_at=item.redacted_at, redacted_sha256=item.redacted_sha256,
        redaction_error=item.redaction_error, reviewed_by=ref(item.reviewed_by),
        reviewed_at=item.reviewed_at, review_note=item.review_note,
        approved_by=ref(item.approved_by), approved_at=item.approved_at,
        closed_by=ref(item.closed_by), closed_at=item.closed_at,
        close_reason=item.close_reason, actions=actions_for(user, item),
        updated_at=item.updated_at)


# -- the blurring worker -------------------------------------------------------------------------

def redacted_path(settings: Settings, publication_id: int) -> Path:
    return settings.data_dir / "published" / f"publication-{publication_id}.mp4"


class Redactor:
    """Blurs proposals' clips one at a time on its own thread (ffmpeg runs for seconds to
    minutes); a proposal waiting at a restart is picked up again by ``start``."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 clock: Any) -> None:
        self._sessions, self._settings, self._clock = sessions, settings, clock
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._busy = 0

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, name="redactor", daemon=True)
            self._thread.start()
        with self._sessions() as session:
            waiting = session.execute(select(Publication.id).where(
                Publication.state == PublicationState.REDACTING.value)).scalars().all()
        for publication_id in waiting:
            self.submit(publication_id)

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=30)

    def submit(self, publication_id: int) -> None:
        with self._lock:
            self._busy += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="redactor",
                                                 daemon=True)
                self._thread.start()
        self._queue.put(publication_id)

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is queued or rendering (tests, shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _loop(self) -> None:
        while True:
            publication_id = self._queue.get()
            if publication_id is None:
                return
            try:
                self.run_one(publication_id)
            except Exception:  # noqa: BLE001 - one bad clip must not stop the others
                log.exception("blurring publication %s failed", publication_id)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def run_one(self, publication_id: int) -> None:
        with self._sessions() as session:
            item = session.get(Publication, publication_id)
            if item is None or item.state != PublicationState.REDACTING.value:
                return
            clip = session.get(ClipRequest, item.clip_request_id) \
                if item.clip_request_id is not None else None
            tracks = json.loads(item.tracks)
        destination = redacted_path(self._settings, publication_id)
        error: str | None = None
        digest: str | None = None
        try:
            if clip is None or not clip.clip_path:
                raise RuntimeError("the evidence clip is gone")
            source = Path(clip.clip_path)
            duration = redaction.clip_duration(self._settings.ffprobe, source)
            blurred = redaction.sweeps(redaction.parse_tracks(tracks, duration), duration)
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            redaction.render(self._settings.ffmpeg, source, blurred, destination)
            digest = sha256_file(destination)
        except (RuntimeError, OSError, redaction.RedactionInvalid) as exc:
            error = str(exc)
            log.warning("blurring publication %s failed: %s", publication_id, error)
        now = self._clock()
        with self._sessions() as session:
            item = session.get(Publication, publication_id)
            if item is None or item.state != PublicationState.REDACTING.value:
                return  # rejected while it was being blurred
            if error is None:
                item.state = PublicationState.REDACTED.value
                item.redacted_path, item.redacted_sha256 = str(destination), digest
                item.redacted_at = now
            else:
                item.state = PublicationState.REDACTION_FAILED.value
                item.redaction_error = error
            item.updated_at = now
            audit.append(session, "publication_redacted" if error is None
                         else "publication_redaction_failed", now=now,
                         camera_id=item.case.camera_id,
                         detail={"publication_id": item.id, "case_id": item.case_id,
                                 "sha256": digest, "error": error})
            session.commit()
