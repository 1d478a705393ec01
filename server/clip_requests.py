"""Clip requests along the approval chain of Art. 12.2, and the extraction worker.

Who asks decides the chain:
- ``auto``: the operating unit (IOC), city police, the traffic & order police team, the urban
  order team and ward People's Committees (Art. 12.2.a/b) — approved at once, extracted.
- ``ward_police``: a ward police officer's request is ``requested`` until the leader of *their
  own* ward police unit endorses it (Art. 12.2.c: "do Lãnh đạo cơ quan, đơn vị đề nghị"), then a
  city police user holding ``approve_clip`` approves it. A leader's own request is the proposal
  itself and starts ``endorsed`` (recorded as ``proposed``); someone else approves it.
- ``written``: other agencies (Art. 12.2.d) state content and purpose, a commitment, and attach
  their official letter (PDF, stored and hashed); the operating unit (``approve_clip``) decides.

States: requested → endorsed → approved | rejected → extracting → ready → delivered (and
``failed`` after repeated extraction errors). Every transition is a ``ClipRequestEvent`` and an
audit row. Nobody endorses or approves their own request. The requested range must lie within
the recorded footage; until the request is closed its footage is under evidence lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from common import records
from common.evidence import MANIFEST_FORMAT, canonical_json
from common.files import write_atomically
from common.vocabulary import ClipChain, ClipState
from server import audit
from server import permissions as perm
from server.bookmarks import user_ref
from server.case_evidence import received_evidence
from server.clips import ExtractionError, extract_clip
from server.clocks import ClockState, read_clock_state
from server.config import Settings
from server.models import ClipRequest, ClipRequestEvent, User
from server.recorder import covering_segments, recorded_ranges
from server.schemas import ClipRequestCreate
from server.services import VisibleCamera, camera_context, user_context
from server.signing import key_id, sign_manifest, vn_iso

log = logging.getLogger("iocwall.clips")

MAX_LETTER_BYTES = 10 * 1024 * 1024
MAX_ATTEMPTS = 3
COVERAGE_TOLERANCE = 1.0  # seconds of slack at segment joins


AUTO_KINDS = frozenset({perm.UnitKind.OPERATING_UNIT, perm.UnitKind.CITY_POLICE,
                        perm.UnitKind.TRAFFIC_POLICE, perm.UnitKind.URBAN_ORDER,
                        perm.UnitKind.WARD_COMMITTEE})


class ClipDenied(Exception):
    """The user may not take this step (403); the message says why."""


class ClipConflict(Exception):
    """The request is not in a state that allows this step (409)."""


@dataclass(frozen=True)
class ClipInvalid(Exception):
    """Input that passes the schema but not the rules (422); ``errors`` are (field, message)."""

    errors: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Letter:
    filename: str
    content: bytes


def _now_event(session: Session, request: ClipRequest, action: str, user: User | None,
               now: datetime, **detail: Any) -> None:
    session.add(ClipRequestEvent(request_id=request.id, at=now, action=action,
                                 state=request.state, user_id=user.id if user else None,
                                 detail=canonical_json(detail)))
    audit.append(session, f"clip_{action}", now=now, user_id=user.id if user else None,
                 username=user.username if user else "system", camera_id=request.camera_id,
                 detail={"request_id": request.id, "state": request.state, **detail})


def _actions_on(session: Session, user: User, request: ClipRequest,
                now: datetime) -> frozenset[perm.Action]:
    return perm.actions_for(user_context(session, user), camera_context(request.camera), now)


def chain_for(user: User) -> ClipChain | None:
    kind = perm.UnitKind(user.unit.kind)
    if kind in AUTO_KINDS:
        return ClipChain.AUTO
    if kind is perm.UnitKind.WARD_POLICE:
        return ClipChain.WARD_POLICE
    if kind is perm.UnitKind.OTHER_AGENCY:
        return ClipChain.WRITTEN
    return None


def _fmt(value: datetime) -> str:
    return vn_iso(value).replace("T", " ")[:19]


def coverage_errors(session: Session, camera_id: int, start: datetime,
                    end: datetime) -> list[tuple[str, str]]:
    """Empty if [start, end] is recorded; else a message listing the recorded ranges nearby."""
    segments = covering_segments(session, camera_id, start, end)
    cursor = start
    slack = timedelta(seconds=COVERAGE_TOLERANCE)
    for segment in segments:
        if segment.start_at > cursor + slack:
            break
        cursor = max(cursor, segment.end_at)
    if cursor + slack >= end and segments:
        return []
    window = max(end - start, timedelta(hours=6))
    nearby = recorded_ranges(session, camera_id, start - window, end + window)
    if nearby:
        listing = ", ".join(f"{_fmt(r.start)} – {_fmt(r.end)}" for r in nearby[-20:])
        where = f"recorded ranges on this camera around it (UTC+7): {listing}"
    else:
        where = "this camera has no recording within 6 hours of it"
    return [("start", f"the range {_fmt(start)} – {_fmt(end)} (UTC+7) is not entirely within "
                      f"recorded footage; {where}")]


def create_request(session: Session, user: User, item: VisibleCamera, body: ClipRequestCreate,
                   letter: Letter | None, settings: Settings, now: datetime) -> ClipRequest:
    """Validate, store, audit; auto-approved chains leave it ``approved`` for the worker."""
    chain = chain_for(user)
    if chain is None:
        raise ClipDenied("Your unit may not request clips")
    needed = perm.Action.VIEW if chain is ClipChain.WRITTEN else perm.Action.REQUEST_CLIP
    if needed not in item.actions:
        raise ClipDenied("Not allowed: request_clip on this camera")
    start, end = body.start.astimezone(UTC), body.end.astimezone(UTC)
    errors: list[tuple[str, str]] = []
    if end <= start:
        errors.append(("end", "must be after start"))
    elif (end - start).total_seconds() > settings.clip_max_seconds:
        errors.append(("end", f"the clip may be at most {settings.clip_max_seconds} s long"))
    purpose = body.purpose.strip()
    if chain is ClipChain.WRITTEN:
        if len(purpose) < 10:
            errors.append(("purpose", "state the content and purpose of the request "
                                      "(Art. 12.2.d), at least 10 characters"))
        if not (body.commitment or "").strip():
            errors.append(("commitment", "a commitment to use the clip only for the stated "
                                         "purpose is required (Art. 12.2.d)"))
        if letter is None:
            errors.append(("letter", "attach the official request letter as a PDF"))
        elif not letter.content.startswith(b"%PDF-"):
            errors.append(("letter", "the letter must be a PDF file"))
        elif len(letter.content) > MAX_LETTER_BYTES:
            errors.append(("letter", f"the letter may be at most {MAX_LETTER_BYTES} bytes"))
    elif not purpose:
        errors.append(("purpose", "state the purpose of the clip"))
    if not errors:
        errors += coverage_errors(session, item.camera.id, start, end)
    if errors:
        raise ClipInvalid(tuple(errors))
    state = ClipState.APPROVED if chain is ClipChain.AUTO else ClipState.REQUESTED
    leader_proposes = chain is ClipChain.WARD_POLICE and user.role == perm.Role.LEADER
    if leader_proposes:
        state = ClipState.ENDORSED
    request = ClipRequest(
        camera_id=item.camera.id, requester_id=user.id, requester_unit_id=user.unit_id,
        chain=chain.value, state=state.value, start_at=start, end_at=end, purpose=purpose,
        commitment=(body.commitment or "").strip() or None, created_at=now, updated_at=now,
        attempts=0)
    if chain is ClipChain.AUTO:
        request.approved_at = now
    if leader_proposes:
        request.endorser_id, request.endorsed_at = user.id, now
    session.add(request)
    session.flush()
    if letter is not None:
        letters = settings.data_dir / "letters"
        letters.mkdir(parents=True, exist_ok=True)
        path = letters / f"request-{request.id}.pdf"
        write_atomically(path, letter.content)
        request.letter_path = str(path)
        request.letter_sha256 = hashlib.sha256(letter.content).hexdigest()
        request.letter_filename = Path(letter.filename or "letter.pdf").name[:255]
    _now_event(session, request, "request", user, now, chain=chain.value,
               start=start.isoformat(), end=end.isoformat(),
               **({"letter_sha256": request.letter_sha256} if request.letter_sha256 else {}))
    if chain is ClipChain.AUTO:
        _now_event(session, request, "approve", None, now, auto=True,
                   reason=f"{user.unit.kind}: executed at once (Art. 12.2.b)")
    if leader_proposes:
        _now_event(session, request, "endorse", user, now, proposed_by_leader=True)
    session.flush()
    return request


def can_endorse(user: User, request: ClipRequest) -> bool:
    return (request.chain == ClipChain.WARD_POLICE and request.state == ClipState.REQUESTED
            and user.id != request.requester_id and user.unit_id == request.requester_unit_id
            and user.role == perm.Role.LEADER)


def can_approve(session: Session, user: User, request: ClipRequest, now: datetime) -> bool:
    if user.id == request.requester_id:
        return False
    kind = perm.UnitKind(user.unit.kind)
    if request.chain == ClipChain.WARD_POLICE:
        if request.state != ClipState.ENDORSED or kind is not perm.UnitKind.CITY_POLICE:
            return False
    elif request.chain == ClipChain.WRITTEN:
        if request.state != ClipState.REQUESTED or kind is not perm.UnitKind.OPERATING_UNIT:
            return False
    else:
        return False
    return perm.Action.APPROVE_CLIP in _actions_on(session, user, request, now)


def endorse(session: Session, user: User, request: ClipRequest, now: datetime) -> None:
    if request.state != ClipState.REQUESTED or request.chain != ClipChain.WARD_POLICE:
        raise ClipConflict(f"state: the request is {request.state}; only a ward police request "
                           "that is requested can be endorsed")
    if user.id == request.requester_id:
        raise ClipDenied("Nobody endorses their own request")
    if not can_endorse(user, request):
        raise ClipDenied("Only the leader of the requester's own ward police unit may endorse "
                         "this request (Art. 12.2.c)")
    request.state, request.endorser_id, request.endorsed_at = ClipState.ENDORSED, user.id, now
    request.updated_at = now
    _now_event(session, request, "endorse", user, now)


def approve(session: Session, user: User, request: ClipRequest, now: datetime) -> None:
    waiting = ClipState.ENDORSED if request.chain == ClipChain.WARD_POLICE else ClipState.REQUESTED
    if request.chain == ClipChain.AUTO or request.state != waiting:
        raise ClipConflict(f"state: the request is {request.state}; it cannot be approved now"
                           + (" (it must be endorsed by the ward police leader first)"
                              if request.state == ClipState.REQUESTED else ""))
    if user.id == request.requester_id:
        raise ClipDenied("Nobody approves their own request")
    if not can_approve(session, user, request, now):
        who = "city police (approve_clip)" if request.chain == ClipChain.WARD_POLICE \
            else "the operating unit (approve_clip)"
        raise ClipDenied(f"Only {who} may approve this request")
    request.state, request.approver_id, request.approved_at = ClipState.APPROVED, user.id, now
    request.updated_at = now
    _now_event(session, request, "approve", user, now)


def reject(session: Session, user: User, request: ClipRequest, reason: str,
           now: datetime) -> None:
    if request.state not in (ClipState.REQUESTED, ClipState.ENDORSED):
        raise ClipConflict(f"state: the request is {request.state}; it cannot be rejected now")
    if user.id == request.requester_id:
        raise ClipDenied("Nobody decides their own request")
    if not (can_endorse(user, request) or can_approve(session, user, request, now)):
        raise ClipDenied("Only whoever must endorse or approve this request now may reject it")
    request.state, request.rejected_by_id, request.rejected_at = ClipState.REJECTED, user.id, now
    request.reject_reason = reason.strip()
    request.updated_at = now
    _now_event(session, request, "reject", user, now, reason=request.reject_reason)


def can_download(session: Session, user: User, request: ClipRequest, now: datetime) -> bool:
    """The requester, and the police units a case citing the clip was sent to."""
    return (request.state in (ClipState.READY, ClipState.DELIVERED)
            and (user.id == request.requester_id
                 or received_evidence(session, user, request.id, now)))


def record_download(session: Session, user: User, request: ClipRequest, now: datetime) -> None:
    # delivered to the one who asked for it; a receiving police unit's download is recorded as
    # such, the request's own state unchanged
    first = request.state == ClipState.READY and user.id == request.requester_id
    if first:
        request.state, request.delivered_at = ClipState.DELIVERED, now
    request.updated_at = now
    # every export of personal data says what for (Decree 13/2023): the request's purpose
    _now_event(session, request, "download", user, now, sha256=request.clip_sha256,
               first=first, purpose=request.purpose)


def can_read(session: Session, user: User, request: ClipRequest, now: datetime) -> bool:
    """Requester, anyone who took a step on it, the requester's unit's leader, and whoever
    may endorse or approve such requests."""
    if user.id in (request.requester_id, request.endorser_id, request.approver_id,
                   request.rejected_by_id):
        return True
    if user.unit_id == request.requester_unit_id and user.role == perm.Role.LEADER:
        return True
    if received_evidence(session, user, request.id, now):
        return True
    return can_endorse(user, request) or (
        perm.Action.APPROVE_CLIP in _actions_on(session, user, request, now)
        and perm.UnitKind(user.unit.kind) in (perm.UnitKind.CITY_POLICE,
                                              perm.UnitKind.OPERATING_UNIT))


def reader_actions(session: Session, user: User, request: ClipRequest,
                   now: datetime) -> list[str]:
    actions = []
    if can_endorse(user, request):
        actions.append("endorse")
    if can_approve(session, user, request, now):
        actions.append("approve")
    if actions:
        actions.append("reject")
    if can_download(session, user, request, now):
        actions.append("download")
    return actions


def request_public(session: Session, user: User, request: ClipRequest,
                   now: datetime) -> records.ClipRequest:
    events = tuple(records.ClipEvent(at=e.at, action=e.action, state=ClipState(e.state),
                                     user=user_ref(e.user) if e.user else None,
                                     detail=json.loads(e.detail)) for e in request.events)
    letter = (records.Letter(filename=request.letter_filename or "",
                             sha256=request.letter_sha256)
              if request.letter_sha256 else None)
    return records.ClipRequest(
        id=request.id, camera_id=request.camera_id, camera_name=request.camera.name,
        ward=request.camera.ward.name, chain=ClipChain(request.chain),
        state=ClipState(request.state), start=request.start_at, end=request.end_at,
        purpose=request.purpose, commitment=request.commitment, letter=letter,
        requester=user_ref(request.requester),
        endorser=user_ref(request.endorser) if request.endorser else None,
        approver=user_ref(request.approver) if request.approver else None,
        reject_reason=request.reject_reason, clip_start=request.clip_start_at,
        clip_sha256=request.clip_sha256, clip_size=request.clip_size, error=request.error,
        actions=tuple(reader_actions(session, user, request, now)), events=events,
        created_at=request.created_at, updated_at=request.updated_at)


def list_requests(session: Session, user: User, box: str, now: datetime) -> list[ClipRequest]:
    """``mine``: the user's own; ``awaiting``: waiting for the user's endorsement/approval;
    ``received``: evidence clips of the cases sent to the user's unit; ``all``: every request
    the user may read. Newest first."""
    if box == "mine":
        query = select(ClipRequest).where(ClipRequest.requester_id == user.id)
        return list(session.execute(query.order_by(ClipRequest.id.desc())).unique().scalars())
    query = select(ClipRequest)
    if box == "awaiting":
        query = query.where(ClipRequest.state.in_([ClipState.REQUESTED, ClipState.ENDORSED]))
    rows = session.execute(query.order_by(ClipRequest.id.desc())).unique().scalars()
    if box == "awaiting":
        return [r for r in rows if can_endorse(user, r) or can_approve(session, user, r, now)]
    if box == "received":
        return [r for r in rows if received_evidence(session, user, r.id, now)]
    return [r for r in rows if can_read(session, user, r, now)]


# -- extraction worker ------------------------------------------------------------------------

def clip_paths(settings: Settings, request_id: int) -> tuple[Path, Path]:
    directory = settings.clips_dir
    return directory / f"clip-{request_id}.mp4", directory / f"clip-{request_id}.manifest.json"


def _person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.username, "full_name": user.full_name, "unit": user.unit.name}


def build_manifest(request: ClipRequest, clip_sha256: str, size: int, clip_start: datetime,
                   filename: str, signer: Ed25519PrivateKey, now: datetime, *,
                   server_clock: ClockState | None = None) -> dict[str, Any]:
    """The signed manifest. ``server_clock``: what the server's time service said when it was
    made (its times are only as good as that clock)."""
    camera = request.camera
    body = {
        "format": MANIFEST_FORMAT,
        "request_id": request.id,
        "camera": {"id": camera.id, "name": camera.name, "system": camera.system,
                   "location": camera.location},
        "ward": camera.ward.name,
        "start": vn_iso(request.start_at),
        "end": vn_iso(request.end_at),
        "clip_start": vn_iso(clip_start),
        "chain": request.chain,
        "requester": _person(request.requester),
        "endorser": _person(request.endorser),
        "approver": _person(request.approver) or ({"auto": "executed at once (Art. 12.2.b)"}
                                                  if request.chain == ClipChain.AUTO else None),
        "purpose": request.purpose,
        "commitment": request.commitment,
        "letter_sha256": request.letter_sha256,
        "file": filename,
        "size": size,
        "sha256": clip_sha256,
        "created_at": vn_iso(now),
        "key_id": key_id(signer.public_key()),
    }
    if server_clock is not None:
        body["server_clock"] = server_clock.public()
    return sign_manifest(body, signer)


class ClipWorker:
    """Extracts approved requests one at a time in a background thread.

    At start it takes back requests left ``extracting`` by a stopped server (their ``.part``
    files are removed first), then waits for newly approved ones (``wake`` or a 1 s poll).
    """

    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 signer: Ed25519PrivateKey, *,
                 clock_state: Callable[[], ClockState] | None = None) -> None:
        self._sessions = sessions
        self._clock_state = clock_state or read_clock_state
        self._settings = settings
        self._signer = signer
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._settings.clips_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self._settings.clips_dir.glob("*.part"):
            log.info("Removing half-written %s left by a stopped server", leftover.name)
            leftover.unlink(missing_ok=True)
        self._thread = threading.Thread(target=self._loop, daemon=True, name="clip-worker")
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                while not self._stop.is_set() and self.run_one():
                    pass
            except OperationalError as exc:
                # the database is unreachable (PostgreSQL restarting, the network): a request
                # left 'extracting' is taken up again on a later round, as after a restart
                log.error("Clip worker: the database is unreachable; retrying (%s)",
                          exc.orig or exc)
            except StaleDataError:
                # another backend's worker on the same database claimed the request first
                log.info("Clip worker: a request was claimed elsewhere meanwhile")
            self._wake.wait(1.0)
            self._wake.clear()

    def _claim(self) -> int | None:
        now = datetime.now(UTC)
        with self._sessions() as session:
            request = session.execute(
                select(ClipRequest).where(or_(ClipRequest.state == ClipState.EXTRACTING,
                                              ClipRequest.state == ClipState.APPROVED))
                .order_by(ClipRequest.state.desc(), ClipRequest.id).limit(1)
            ).unique().scalar_one_or_none()
            if request is None:
                return None
            resumed = request.state == ClipState.EXTRACTING
            request.state = ClipState.EXTRACTING
            request.attempts += 1
            request.updated_at = now
            _now_event(session, request, "extracting", None, now, attempt=request.attempts,
                       resumed=resumed)
            session.commit()
            return request.id

    def run_one(self) -> bool:
        """Extract the next approved request; False when there was none."""
        request_id = self._claim()
        if request_id is None:
            return False
        settings = self._settings
        clip_path, manifest_path = clip_paths(settings, request_id)
        with self._sessions() as session:
            request = session.get(ClipRequest, request_id)
            assert request is not None
            segments = covering_segments(session, request.camera_id, request.start_at,
                                         request.end_at)
            start, end = request.start_at, request.end_at
            session.expunge_all()
        try:
            log.info("Extracting clip %d (%d segments)", request_id, len(segments))
            result = extract_clip(segments, start, end, clip_path, ffmpeg=settings.ffmpeg,
                                  ffprobe=settings.ffprobe, readrate=settings.clip_readrate)
        except (ExtractionError, OSError) as exc:
            self._failed(request_id, str(exc))
            return True
        now = datetime.now(UTC)
        with self._sessions() as session:
            request = session.get(ClipRequest, request_id)
            assert request is not None
            document = build_manifest(request, result.sha256, result.size, result.clip_start,
                                      clip_path.name, self._signer, now,
                                      server_clock=self._clock_state())
            write_atomically(manifest_path, json.dumps(document, ensure_ascii=False,
                                                       indent=2).encode("utf-8"))
            request.clip_path, request.manifest_path = str(clip_path), str(manifest_path)
            request.clip_sha256, request.clip_size = result.sha256, result.size
            request.clip_start_at, request.ready_at = result.clip_start, now
            request.state, request.error, request.updated_at = ClipState.READY, None, now
            _now_event(session, request, "ready", None, now, sha256=result.sha256,
                       size=result.size)
            session.commit()
        log.info("Clip %d ready (%d bytes)", request_id, result.size)
        return True

    def _failed(self, request_id: int, message: str) -> None:
        now = datetime.now(UTC)
        log.warning("Clip %d extraction failed: %s", request_id, message)
        with self._sessions() as session:
            request = session.get(ClipRequest, request_id)
            assert request is not None
            request.error = message[:1000]
            request.updated_at = now
            if request.attempts >= MAX_ATTEMPTS:
                request.state = ClipState.FAILED
                _now_event(session, request, "failed", None, now, error=request.error)
            else:
                request.state = ClipState.APPROVED  # retried on the next round
            session.commit()
