"""Violation cases and their deadlines (Art. 11.3, 13).

The operating unit opens a case from a bookmark or a clip request (its first evidence clip) and
sends it to city police; city police (and the traffic & order police team, part of it) record
each later step. Every step is a time column on ``ViolationCase`` plus a ``ViolationCaseEvent``
row and an audit row (``case_<action>``). The deadlines are never stored: ``deadlines`` computes
them from the step times with ``server.working_calendar`` each time a case is read, so a change of
the calendar (a new swap day) moves them at once.

| rule | starts at | period | done at |
| --- | --- | --- | --- |
| send to city police (Art. 11.3.b) | detection | 5 working days | sent |
| verify (Art. 11.3.b) | sent (received through the software) | 1 month, 2 if complex | concluded |
| report the conclusion to the IOC | concluded | 5 working days | conclusion reported |
| record of violation (Art. 13) | violator identified | 3 working days | record made |
| hand the record over (when needed) | record made | 24 hours | record handed over |
| penalty decision | record made | simple 7 wd, transferred 10 wd, explanation/verification 1 month, especially complex 2 months | decided |

A pending deadline is ``overdue`` once past, ``due_soon`` within its warning window (24 h before
the end for working-day periods, 3 days for months, 4 h for the 24-hour handover) and ``due``
before that; a done one is ``done`` or ``done_late``. A closed case keeps only its done ones.

Records the regulation can rely on (Art. 5: recorded data is not altered; Art. 11.3, 13: the
deadlines count from real events):

| what | rule |
| --- | --- |
| a step's time | the server's clock when it is recorded; ``at`` on any step but ``identify_violator`` is refused (422 ``at``) |
| detection (``detected_at`` when opening) | default: the bookmark's moment / the clip's start; a time declared instead must lie within the footage cited (bookmark: its window's start to its moment; clip: its start to its end), not in the future, at most ``declared_time_window`` back (422 ``detected_at``) |
| violator identified (``at``) | default now; a time declared must not be in the future, before the case was sent or detected, or more than ``declared_time_window`` back (422 ``at``) |
| a declared time | kept beside the server's: the event's ``recorded_at``, ``declared_at``, ``declared_by`` (the case's ``detected_declared_by``) |
| close | needs a reason, the ``note`` (422 ``note``) |
| edit (note, kind, complex, decision_kind, handover_needed) | ``POST /cases/{id}/edit`` with a ``reason``: a new version row (who, when, why, before, after); nothing earlier is overwritten. note, kind, complex: the operating unit and the police; decision_kind, handover_needed (their record, Art. 13): the police |
| classification in a step | ``complex`` with ``send`` (or ``conclude`` when never set), ``decision_kind`` with ``make_record``/``decide`` when never set: the first classification, deadlines count from it; a different value once set is refused (422): that is a reclassification, an edit |
| reclassification before the case is sent | applies at once, deadlines too (none of the affected ones has started) |
| reclassification after it is sent (complex, decision_kind) | the case shows the new value at once; the deadlines keep counting from the classification before (``deadline_complex``, ``deadline_decision_kind``) until a leader of city police or of the traffic & order police team (the units whose verification and decision those deadlines time) approves the version (``POST /cases/{id}/versions/{n}/approve``, with a reason); such a leader's own edit is approved at once. A pending version a later one reclassified again is superseded |

Who reads (Art. 11.2 lists the units that use the traffic cameras to handle violations): the
operating unit, city police and the traffic & order police team handle the steps; ward police
(the cases on their own ward's cameras) and the urban order team (the cases on cameras of the
systems it may view) read them and add evidence clips they may read, since Art. 11.3.b has them
use the images and video as grounds for penalty records; they take no step of Art. 11.3 / 13.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.evidence import canonical_json
from common.records import Case, CaseEvent, CaseVersion, Deadline
from common.vocabulary import (
    CaseAction,
    CaseKind,
    CaseRecordAction,
    CaseState,
    CaseVersionStatus,
    DeadlineStatus,
    DecisionKind,
    Role,
)
from server import audit
from server import permissions as perm
from server.bookmarks import user_ref
from server.models import (
    Bookmark,
    ClipRequest,
    User,
    ViolationCase,
    ViolationCaseClip,
    ViolationCaseEvent,
    ViolationCaseVersion,
)
from server.schemas import CaseActionBody, CaseCreate, CaseEdit
from server.services import visible_camera
from server.working_calendar import WorkingCalendar

POLICE = frozenset({perm.UnitKind.CITY_POLICE, perm.UnitKind.TRAFFIC_POLICE})
OPERATING = frozenset({perm.UnitKind.OPERATING_UNIT})
HANDLERS = OPERATING | POLICE
READERS = HANDLERS | {perm.UnitKind.WARD_POLICE, perm.UnitKind.URBAN_ORDER}

# what an edit may change, and which units may change it
EDITABLE: dict[str, frozenset[perm.UnitKind]] = {
    "note": HANDLERS, "kind": HANDLERS, "complex": HANDLERS,
    "decision_kind": POLICE, "handover_needed": POLICE,
}
# the classification the deadlines count from (``deadline_<field>`` columns)
DEADLINE_FIELDS = frozenset({"complex", "decision_kind"})
# the steps whose time may be declared earlier than the server's clock
DECLARED_STEPS = frozenset({CaseAction.IDENTIFY_VIOLATOR})

# action -> (who, column it sets, column it needs, state after)
STEPS: dict[CaseAction, tuple[frozenset[perm.UnitKind], str, str | None, CaseState | None]] = {
    CaseAction.SEND: (OPERATING, "sent_at", "detected_at", CaseState.SENT),
    CaseAction.CONCLUDE: (POLICE, "concluded_at", "sent_at", CaseState.CONCLUDED),
    CaseAction.REPORT_CONCLUSION: (POLICE, "conclusion_reported_at", "concluded_at",
                                   CaseState.CONCLUSION_REPORTED),
    CaseAction.IDENTIFY_VIOLATOR: (POLICE, "violator_identified_at", "sent_at", None),
    CaseAction.MAKE_RECORD: (POLICE, "record_made_at", "violator_identified_at",
                             CaseState.RECORD_MADE),
    CaseAction.HAND_OVER: (POLICE, "record_handed_at", "record_made_at", None),
    CaseAction.DECIDE: (POLICE, "decided_at", "record_made_at", CaseState.DECIDED),
    CaseAction.CLOSE: (OPERATING | POLICE, "closed_at", "sent_at", CaseState.CLOSED),
}


class CaseDenied(Exception):
    """403: not this unit's step."""


class CaseConflict(Exception):
    """409: the step is done already or its prerequisite is not."""


class CaseInvalid(Exception):
    """422 naming the field."""


class CaseVersionMissing(Exception):
    """404: the case has no such version."""


def _status(due: datetime, done: datetime | None, now: datetime,
            window: timedelta) -> DeadlineStatus:
    if done is not None:
        return DeadlineStatus.DONE if done <= due else DeadlineStatus.DONE_LATE
    if now >= due:
        return DeadlineStatus.OVERDUE
    if now >= due - window:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.DUE


DAY = timedelta(days=1)


def basis_complex(case: ViolationCase) -> bool:
    """Whether the deadlines count the case as complex (see the module docstring)."""
    return bool(case.complex if case.deadline_complex is None else case.deadline_complex)


def basis_decision_kind(case: ViolationCase) -> DecisionKind:
    return DecisionKind(case.decision_kind if case.deadline_decision_kind is None
                        else case.deadline_decision_kind)


def deadlines(case: ViolationCase, calendar: WorkingCalendar, now: datetime) -> list[Deadline]:
    """Every deadline that has started, in the order of the procedure."""
    found: list[Deadline] = []

    def add(rule: str, article: str, start: datetime | None, due: datetime | None,
            done: datetime | None, window: timedelta) -> None:
        if start is None or due is None:
            return
        status = _status(due, done, now, window)
        if case.closed_at is not None and done is None:
            return
        found.append(Deadline(rule, article, start, due, done, status))

    def wd(start: datetime | None, days: int) -> datetime | None:
        return None if start is None else calendar.add_working_days(start, days)

    def months(start: datetime | None, count: int) -> datetime | None:
        return None if start is None else calendar.add_months(start, count)

    add("send_to_police", "Art. 11.3.b", case.detected_at, wd(case.detected_at, 5),
        case.sent_at, DAY)
    add("verify", "Art. 11.3.b", case.sent_at, months(case.sent_at, 2 if basis_complex(case) else 1),
        case.concluded_at, 3 * DAY)
    add("report_conclusion", "Art. 11.3.b", case.concluded_at, wd(case.concluded_at, 5),
        case.conclusion_reported_at, DAY)
    add("record", "Art. 13", case.violator_identified_at, wd(case.violator_identified_at, 3),
        case.record_made_at, DAY)
    if case.handover_needed and case.record_made_at is not None:
        add("hand_over", "Art. 13", case.record_made_at,
            calendar.add_hours(case.record_made_at, 24), case.record_handed_at,
            timedelta(hours=4))
    kind = basis_decision_kind(case)
    if kind in (DecisionKind.SIMPLE, DecisionKind.TRANSFERRED):
        due = wd(case.record_made_at, 7 if kind is DecisionKind.SIMPLE else 10)
        window = DAY
    else:
        due = months(case.record_made_at, 1 if kind is DecisionKind.EXPLANATION else 2)
        window = 3 * DAY
    add(f"decision_{kind.value}", "Art. 13", case.record_made_at, due, case.decided_at, window)
    return found


SEVERITY = {DeadlineStatus.DUE: 1, DeadlineStatus.DUE_SOON: 2, DeadlineStatus.OVERDUE: 3}


def deadline_state(items: list[Deadline]) -> DeadlineStatus | None:
    """The worst pending deadline: overdue > due_soon > due; None when nothing is pending."""
    pending = [d.status for d in items if d.status in SEVERITY]
    return max(pending, key=lambda s: SEVERITY[s]) if pending else None


def _kind(user: User) -> perm.UnitKind:
    return perm.UnitKind(user.unit.kind)


def approves_reclassification(user: User) -> bool:
    """A leader of the units whose deadlines a reclassification moves: verification
    (``complex``) and the penalty decision (``decision_kind``) are city police's steps, the
    traffic & order police team's with them."""
    return _kind(user) in POLICE and user.role == Role.LEADER.value


def can_read(session: Session, user: User, case: ViolationCase, now: datetime) -> bool:
    """The operating unit reads its cases from the start; the other units receive a case when
    the IOC sends it (Art. 11.3.a) — before, it is not theirs to see — in the scope of the
    cameras they may view."""
    if _kind(user) not in READERS:
        return False
    if _kind(user) not in OPERATING and case.sent_at is None:
        return False
    return visible_camera(session, user, case.camera_id, now) is not None


def actions_for(user: User, case: ViolationCase) -> list[CaseAction]:
    result = []
    for action, (who, column, needs, _) in STEPS.items():
        if _kind(user) not in who or getattr(case, column) is not None:
            continue
        if case.closed_at is not None or (needs and getattr(case, needs) is None):
            continue
        if action is CaseAction.HAND_OVER and not case.handover_needed:
            continue
        result.append(action)
    return result


def version_status(case: ViolationCase, version: ViolationCaseVersion) -> CaseVersionStatus:
    if version.approved_at is not None:
        return CaseVersionStatus.APPROVED
    if not version.needs_approval:
        return CaseVersionStatus.APPLIED
    fields = DEADLINE_FIELDS & set(json.loads(version.after))
    if any(later.number > version.number and fields & set(json.loads(later.after))
           for later in case.versions):
        return CaseVersionStatus.SUPERSEDED
    return CaseVersionStatus.PENDING


def record_actions_for(user: User, case: ViolationCase) -> list[CaseRecordAction]:
    if case.closed_at is not None:
        return []
    result = []
    if _kind(user) in HANDLERS:
        result.append(CaseRecordAction.EDIT)
    if approves_reclassification(user) and any(
            version_status(case, v) is CaseVersionStatus.PENDING for v in case.versions):
        result.append(CaseRecordAction.APPROVE_VERSION)
    return result


def _event(session: Session, case: ViolationCase, action: str, user: User, at: datetime,
           now: datetime, declared: datetime | None = None, **detail: Any) -> None:
    # appended to the loaded collection (not only added to the session): the sessions do not
    # expire on commit, so the step's answer would list the events as they were before it
    case.events.append(ViolationCaseEvent(
        case_id=case.id, at=at, recorded_at=now, action=action, user_id=user.id,
        detail=canonical_json(detail), declared_at=declared,
        declared_by=user if declared is not None else None))
    declared_detail = {} if declared is None else {"declared_at": declared.isoformat(),
                                                   "declared_by": user.username}
    audit.append(session, f"case_{action}", now=now, user_id=user.id, username=user.username,
                 camera_id=case.camera_id,
                 detail={"case_id": case.id, "state": case.state, "at": at.isoformat(),
                         **declared_detail, **detail})


def _check_declared(field: str, value: datetime, now: datetime, window: timedelta,
                    floors: list[tuple[datetime, str]],
                    ceilings: list[tuple[datetime, str]]) -> None:
    """An earlier time a user declares: not in the future, within what the evidence and the
    steps before it allow, and not further back than the site's window (422 naming it)."""
    if value > now:
        raise CaseInvalid(f"{field}: in the future (the server's clock is {now.isoformat()})")
    for floor, what in floors:
        if value < floor:
            raise CaseInvalid(f"{field}: before {what} ({floor.isoformat()})")
    for ceiling, what in ceilings:
        if value > ceiling:
            raise CaseInvalid(f"{field}: after {what} ({ceiling.isoformat()})")
    if now - value > window:
        hours = window.total_seconds() / 3600
        raise CaseInvalid(f"{field}: more than {hours:g} hours before the server's clock; a "
                          f"time declared may lie at most {hours:g} hours back")


def _readable_clip(session: Session, user: User, clip_id: int, now: datetime) -> ClipRequest:
    clip = session.get(ClipRequest, clip_id)
    if clip is None or visible_camera(session, user, clip.camera_id, now) is None:
        raise CaseInvalid(f"clip_request_id: clip request {clip_id} not found")
    return clip


def open_case(session: Session, user: User, body: CaseCreate, now: datetime,
              window: timedelta) -> ViolationCase:
    if _kind(user) not in OPERATING:
        raise CaseDenied("Only the operating unit opens violation cases")
    if (body.bookmark_id is None) == (body.clip_request_id is None):
        raise CaseInvalid("bookmark_id: give exactly one of bookmark_id and clip_request_id")
    clip: ClipRequest | None = None
    if body.bookmark_id is not None:
        bookmark = session.get(Bookmark, body.bookmark_id)
        if bookmark is None or visible_camera(session, user, bookmark.camera_id, now) is None:
            raise CaseInvalid(f"bookmark_id: bookmark {body.bookmark_id} not found")
        camera_id, evidence_at = bookmark.camera_id, bookmark.at
        floors = [(bookmark.window_start, "the start of the footage the bookmark keeps")]
        ceilings = [(bookmark.at, "the bookmark's moment")]
    else:
        assert body.clip_request_id is not None
        clip = _readable_clip(session, user, body.clip_request_id, now)
        camera_id, evidence_at = clip.camera_id, clip.start_at
        floors = [(clip.start_at, "the clip's start")]
        ceilings = [(clip.end_at, "the clip's end")]
    declared = (body.detected_at.astimezone(UTC)
                if body.detected_at is not None and body.detected_at != evidence_at else None)
    if declared is not None:
        _check_declared("detected_at", declared, now, window, floors, ceilings)
    detected = declared or evidence_at
    if detected > now:
        raise CaseInvalid("detected_at: in the future")
    case = ViolationCase(camera_id=camera_id, kind=body.kind, state=CaseState.OPENED.value,
                         note=body.note, bookmark_id=body.bookmark_id, detected_at=detected,
                         detected_declared_by_id=user.id if declared is not None else None,
                         opened_by_id=user.id, opened_at=now, complex=False,
                         decision_kind=DecisionKind.SIMPLE.value, handover_needed=False,
                         public=False, updated_at=now)
    session.add(case)
    session.flush()
    if clip is not None:
        session.add(ViolationCaseClip(case_id=case.id, clip_request_id=clip.id))
    _event(session, case, "open", user, detected, now, declared, kind=body.kind,
           bookmark_id=body.bookmark_id, clip_request_id=body.clip_request_id)
    session.flush()
    session.refresh(case)
    return case


def add_clip(session: Session, user: User, case: ViolationCase, clip_id: int,
             now: datetime) -> None:
    if _kind(user) not in READERS:
        raise CaseDenied("Not allowed to add evidence to cases")
    _readable_clip(session, user, clip_id, now)
    if any(c.clip_request_id == clip_id for c in case.clips):
        raise CaseConflict("The clip is already evidence of this case")
    session.add(ViolationCaseClip(case_id=case.id, clip_request_id=clip_id))
    case.updated_at = now
    _event(session, case, "add_clip", user, now, now, clip_request_id=clip_id)
    session.flush()
    session.refresh(case)


RECLASSIFY = ("a change of a classification once set is an edit with a reason "
              "(POST /cases/{id}/edit)")


def act(session: Session, user: User, case: ViolationCase, action: CaseAction,
        body: CaseActionBody, now: datetime, window: timedelta) -> None:
    who, column, needs, state = STEPS[action]
    if _kind(user) not in who:
        raise CaseDenied(f"Not allowed: {action.value} is not this unit's step")
    if case.closed_at is not None:
        raise CaseConflict("The case is closed")
    if getattr(case, column) is not None:
        raise CaseConflict(f"{action.value} is done already")
    if needs is not None and getattr(case, needs) is None:
        raise CaseConflict(f"{action.value} needs {needs.removesuffix('_at')} first")
    if action is CaseAction.HAND_OVER and not case.handover_needed:
        raise CaseConflict("This case's record needs no handover")
    declared: datetime | None = None
    if body.at is not None:
        if action not in DECLARED_STEPS:
            # refused, not ignored: a client must not believe it backdated a step
            raise CaseInvalid("at: step times are the server's clock (only identify_violator "
                              "takes a declared time)")
        floors = [(case.detected_at, "the detection")]
        if needs is not None:
            floors.append((getattr(case, needs), needs.removesuffix("_at")))
        _check_declared("at", body.at, now, window, floors, [])
        declared = body.at.astimezone(UTC)
    if action is CaseAction.CLOSE and not body.note.strip():
        raise CaseInvalid("note: closing a case needs a reason (the note)")
    detail: dict[str, Any] = {}
    if body.complex is not None:
        first = case.sent_at is None or case.deadline_complex is None
        if action not in (CaseAction.SEND, CaseAction.CONCLUDE) and body.complex != case.complex:
            raise CaseInvalid("complex: set when sending or concluding; " + RECLASSIFY)
        if not first and body.complex != case.complex:
            raise CaseInvalid("complex: the case is classified already; " + RECLASSIFY)
        if first:
            case.deadline_complex = body.complex
        case.complex = body.complex
        detail["complex"] = body.complex
    if body.decision_kind is not None:
        if action not in (CaseAction.MAKE_RECORD, CaseAction.DECIDE):
            raise CaseInvalid("decision_kind: set with make_record or decide")
        if case.deadline_decision_kind is not None and body.decision_kind != case.decision_kind:
            raise CaseInvalid("decision_kind: the case is classified already; " + RECLASSIFY)
        if case.deadline_decision_kind is None:
            case.deadline_decision_kind = body.decision_kind
        case.decision_kind = body.decision_kind
        detail["decision_kind"] = body.decision_kind
    if body.handover_needed is not None:
        if action is not CaseAction.MAKE_RECORD:
            raise CaseInvalid("handover_needed: set with make_record")
        case.handover_needed = body.handover_needed
        detail["handover_needed"] = body.handover_needed
    if action is CaseAction.CONCLUDE:
        case.conclusion = body.note
    at = declared or now
    setattr(case, column, at)
    if state is not None:
        case.state = state.value
    case.updated_at = now
    if body.note:
        detail["note"] = body.note
    _event(session, case, action.value, user, at, now, declared, **detail)
    session.flush()


def edit(session: Session, user: User, case: ViolationCase, body: CaseEdit,
         now: datetime) -> ViolationCaseVersion:
    """A new version of the case's record (see the module docstring's table)."""
    if _kind(user) not in HANDLERS:
        raise CaseDenied("Only the operating unit and the police edit a case's record")
    if case.closed_at is not None:
        raise CaseConflict("The case is closed")
    given = {name: getattr(body, name) for name in EDITABLE if getattr(body, name) is not None}
    changes = {name: value for name, value in given.items() if value != getattr(case, name)}
    if not changes:
        field = next(iter(given), "note")
        raise CaseInvalid(f"{field}: nothing changes (give at least one of "
                          f"{', '.join(EDITABLE)} with a value the case does not have)")
    for name in changes:
        if _kind(user) not in EDITABLE[name]:
            raise CaseDenied(f"Not allowed: {name} is not this unit's to change")
    before = {name: getattr(case, name) for name in changes}
    late = case.sent_at is not None and bool(DEADLINE_FIELDS & set(changes))
    leader = approves_reclassification(user)
    # the deadlines' basis of a classification the edit changes is pinned to its value before,
    # so that a pending reclassification leaves the deadlines where they were
    for name in sorted(DEADLINE_FIELDS & set(changes)):
        if getattr(case, f"deadline_{name}") is None:
            setattr(case, f"deadline_{name}", getattr(case, name))
    for name, value in changes.items():
        setattr(case, name, value)
    if not late or leader:
        _move_basis(case, changes)
    version = ViolationCaseVersion(
        case_id=case.id, number=len(case.versions) + 1, at=now,
        reason=body.reason, before=canonical_json(before), after=canonical_json(changes),
        needs_approval=late and not leader,
        approved_by=user if late and leader else None, user=user,
        approved_at=now if late and leader else None,
        approval_reason=body.reason if late and leader else None)
    case.versions.append(version)
    case.updated_at = now
    _event(session, case, "edit", user, now, now, version=version.number, reason=body.reason,
           before=before, after=changes, pending=version.needs_approval)
    session.flush()
    return version


def _move_basis(case: ViolationCase, changes: dict[str, Any]) -> None:
    if "complex" in changes:
        case.deadline_complex = changes["complex"]
    if "decision_kind" in changes:
        case.deadline_decision_kind = changes["decision_kind"]


def approve_version(session: Session, user: User, case: ViolationCase, number: int,
                    reason: str, now: datetime) -> None:
    """A leader approves a late reclassification: the deadlines count from it from now on."""
    if not approves_reclassification(user):
        raise CaseDenied("Only a leader of city police or of the traffic & order police team "
                         "approves a reclassification")
    version = next((v for v in case.versions if v.number == number), None)
    if version is None:
        raise CaseVersionMissing(f"Case #{case.id} has no version {number}")
    if case.closed_at is not None:
        raise CaseConflict("The case is closed")
    status = version_status(case, version)
    if status is not CaseVersionStatus.PENDING:
        raise CaseConflict(f"Version {number} is {status.value}: nothing to approve")
    _move_basis(case, json.loads(version.after))
    version.approved_by = user  # the relationship, not only its id: the answer shows it
    version.approved_at = now
    version.approval_reason = reason
    case.updated_at = now
    _event(session, case, "approve_version", user, now, now, version=number, reason=reason)
    session.flush()


def _version_public(case: ViolationCase, version: ViolationCaseVersion) -> CaseVersion:
    return CaseVersion(
        number=version.number, at=version.at.astimezone(UTC), user=user_ref(version.user),
        reason=version.reason, before=json.loads(version.before),
        after=json.loads(version.after), status=version_status(case, version),
        approved_by=user_ref(version.approved_by) if version.approved_by else None,
        approved_at=version.approved_at and version.approved_at.astimezone(UTC),
        approval_reason=version.approval_reason)


def case_public(session: Session, user: User, case: ViolationCase, calendar: WorkingCalendar,
                now: datetime) -> Case:
    items = deadlines(case, calendar, now)
    return Case(
        id=case.id, camera_id=case.camera_id, camera_name=case.camera.name,
        ward=case.camera.ward.name, kind=CaseKind(case.kind), state=CaseState(case.state),
        note=case.note, bookmark_id=case.bookmark_id,
        clip_request_ids=tuple(c.clip_request_id for c in case.clips),
        detected_at=case.detected_at, opened_by=user_ref(case.opened_by), opened_at=case.opened_at,
        complex=case.complex, decision_kind=DecisionKind(case.decision_kind),
        handover_needed=case.handover_needed, conclusion=case.conclusion,
        steps={name: getattr(case, f"{name}_at") for name in
               ("sent", "concluded", "conclusion_reported", "violator_identified", "record_made",
                "record_handed", "decided", "closed")},
        deadlines=tuple(replace(d, due_at=d.due_at.astimezone(UTC)) for d in items),
        deadline_state=deadline_state(items), actions=tuple(actions_for(user, case)),
        public=case.public, public_title=case.public_title, public_clip_id=case.public_clip_id,
        events=tuple(CaseEvent(at=e.at, recorded_at=e.recorded_at, action=e.action,
                               user=user_ref(e.user), detail=json.loads(e.detail),
                               declared_at=e.declared_at,
                               declared_by=user_ref(e.declared_by) if e.declared_by else None)
                     for e in case.events),
        updated_at=case.updated_at,
        detected_declared_by=(user_ref(case.detected_declared_by)
                              if case.detected_declared_by else None),
        deadline_complex=basis_complex(case), deadline_decision_kind=basis_decision_kind(case),
        versions=tuple(_version_public(case, v) for v in case.versions),
        record_actions=tuple(record_actions_for(user, case)))


@dataclass(frozen=True)
class CaseFilter:
    state: str | None = None
    kind: str | None = None
    deadline: str | None = None
    camera_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_cases(session: Session, user: User, where: CaseFilter, calendar: WorkingCalendar,
               now: datetime) -> list[ViolationCase]:
    if _kind(user) not in READERS:
        return []
    query = select(ViolationCase).order_by(ViolationCase.detected_at.desc(), ViolationCase.id)
    if where.state:
        query = query.where(ViolationCase.state == where.state)
    if where.kind:
        query = query.where(ViolationCase.kind == where.kind)
    if where.camera_id is not None:
        query = query.where(ViolationCase.camera_id == where.camera_id)
    if where.since is not None:
        query = query.where(ViolationCase.detected_at >= where.since)
    if where.until is not None:
        query = query.where(ViolationCase.detected_at < where.until)
    rows = [c for c in session.execute(query).scalars().all()
            if can_read(session, user, c, now)]
    if where.deadline:
        rows = [c for c in rows
                if deadline_state(deadlines(c, calendar, now)) == where.deadline]
    return rows
