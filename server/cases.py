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
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.evidence import canonical_json
from common.records import Case, CaseEvent, Deadline
from common.vocabulary import CaseAction, CaseKind, CaseState, DeadlineStatus, DecisionKind
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
)
from server.schemas import CaseActionBody, CaseCreate
from server.services import visible_camera
from server.working_calendar import WorkingCalendar

READERS = frozenset({perm.UnitKind.OPERATING_UNIT, perm.UnitKind.CITY_POLICE,
                     perm.UnitKind.TRAFFIC_POLICE})
POLICE = frozenset({perm.UnitKind.CITY_POLICE, perm.UnitKind.TRAFFIC_POLICE})
OPERATING = frozenset({perm.UnitKind.OPERATING_UNIT})

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
    add("verify", "Art. 11.3.b", case.sent_at, months(case.sent_at, 2 if case.complex else 1),
        case.concluded_at, 3 * DAY)
    add("report_conclusion", "Art. 11.3.b", case.concluded_at, wd(case.concluded_at, 5),
        case.conclusion_reported_at, DAY)
    add("record", "Art. 13", case.violator_identified_at, wd(case.violator_identified_at, 3),
        case.record_made_at, DAY)
    if case.handover_needed and case.record_made_at is not None:
        add("hand_over", "Art. 13", case.record_made_at,
            calendar.add_hours(case.record_made_at, 24), case.record_handed_at,
            timedelta(hours=4))
    kind = DecisionKind(case.decision_kind)
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


def can_read(session: Session, user: User, case: ViolationCase, now: datetime) -> bool:
    return _kind(user) in READERS and visible_camera(session, user, case.camera_id,
                                                     now) is not None


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


def _event(session: Session, case: ViolationCase, action: str, user: User, at: datetime,
           now: datetime, **detail: Any) -> None:
    # appended to the loaded collection (not only added to the session): the sessions do not
    # expire on commit, so the step's answer would list the events as they were before it
    case.events.append(ViolationCaseEvent(case_id=case.id, at=at, recorded_at=now,
                                          action=action, user_id=user.id,
                                          detail=canonical_json(detail)))
    audit.append(session, f"case_{action}", now=now, user_id=user.id, username=user.username,
                 camera_id=case.camera_id,
                 detail={"case_id": case.id, "state": case.state, "at": at.isoformat(),
                         **detail})


def _readable_clip(session: Session, user: User, clip_id: int, now: datetime) -> ClipRequest:
    clip = session.get(ClipRequest, clip_id)
    if clip is None or visible_camera(session, user, clip.camera_id, now) is None:
        raise CaseInvalid(f"clip_request_id: clip request {clip_id} not found")
    return clip


def open_case(session: Session, user: User, body: CaseCreate, now: datetime) -> ViolationCase:
    if _kind(user) not in OPERATING:
        raise CaseDenied("Only the operating unit opens violation cases")
    if (body.bookmark_id is None) == (body.clip_request_id is None):
        raise CaseInvalid("bookmark_id: give exactly one of bookmark_id and clip_request_id")
    clip: ClipRequest | None = None
    if body.bookmark_id is not None:
        bookmark = session.get(Bookmark, body.bookmark_id)
        if bookmark is None or visible_camera(session, user, bookmark.camera_id, now) is None:
            raise CaseInvalid(f"bookmark_id: bookmark {body.bookmark_id} not found")
        camera_id, detected = bookmark.camera_id, bookmark.at
    else:
        assert body.clip_request_id is not None
        clip = _readable_clip(session, user, body.clip_request_id, now)
        camera_id, detected = clip.camera_id, clip.start_at
    detected = body.detected_at or detected
    if detected > now:
        raise CaseInvalid("detected_at: in the future")
    case = ViolationCase(camera_id=camera_id, kind=body.kind, state=CaseState.OPENED.value,
                         note=body.note, bookmark_id=body.bookmark_id, detected_at=detected,
                         opened_by_id=user.id, opened_at=now, complex=False,
                         decision_kind=DecisionKind.SIMPLE.value, handover_needed=False,
                         public=False, updated_at=now)
    session.add(case)
    session.flush()
    if clip is not None:
        session.add(ViolationCaseClip(case_id=case.id, clip_request_id=clip.id))
    _event(session, case, "open", user, detected, now, kind=body.kind,
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


def act(session: Session, user: User, case: ViolationCase, action: CaseAction,
        body: CaseActionBody, now: datetime) -> None:
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
    at = body.at or now
    if at > now:
        raise CaseInvalid("at: in the future")
    if needs is not None and at < getattr(case, needs):
        raise CaseInvalid(f"at: before {needs.removesuffix('_at')}")
    detail: dict[str, Any] = {}
    if body.complex is not None:
        if action not in (CaseAction.SEND, CaseAction.CONCLUDE) and body.complex != case.complex:
            raise CaseInvalid("complex: set when sending or before concluding")
        case.complex = body.complex
        detail["complex"] = body.complex
    if body.decision_kind is not None:
        if action not in (CaseAction.MAKE_RECORD, CaseAction.DECIDE):
            raise CaseInvalid("decision_kind: set with make_record or decide")
        case.decision_kind = body.decision_kind
        detail["decision_kind"] = body.decision_kind
    if body.handover_needed is not None:
        if action is not CaseAction.MAKE_RECORD:
            raise CaseInvalid("handover_needed: set with make_record")
        case.handover_needed = body.handover_needed
        detail["handover_needed"] = body.handover_needed
    if action is CaseAction.CONCLUDE:
        case.conclusion = body.note
    setattr(case, column, at)
    if state is not None:
        case.state = state.value
    case.updated_at = now
    if body.note:
        detail["note"] = body.note
    _event(session, case, action.value, user, at, now, **detail)
    session.flush()


def case_public(session: Session, user: User, case: ViolationCase, calendar: WorkingCalendar,
                now: datetime) -> Case:
    items = deadlines(case, calendar, now)
    users = {e.user_id: e.user for e in case.events}
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
                               user=user_ref(users[e.user_id]), detail=json.loads(e.detail))
                     for e in case.events),
        updated_at=case.updated_at)


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
