"""The IOC's 24/7 duty (Art. 8.1, 15.1): the shift roster and the shift handover.

A day (UTC+7) has the shifts of ``Settings.duty_shift_starts`` (06–14, 14–22, 22–06 by default);
a shift is named by the day it starts on and its index. Administrators and leaders of the
operating unit put its people on shifts — the shift in progress and those to come; who was on
a shift that has ended is a record and stays as it was. Anyone signed in may read who is on
duty (every unit reports faults to the duty desk, Art. 8.1); each shift lists what the reader
may do with it (``assign``).

At the end of a shift its operator writes the handover note: the server lists, at that moment,
the open incidents, the cases whose deadline is near or past, the clip requests and the access
requests waiting for a decision, and keeps that list in the note (it stays what was true then).
Someone on the next shift, or a leader, acknowledges it on the server's clock. Every step is
audited with what changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import records
from common.evidence import canonical_json
from common.vocabulary import DeadlineStatus
from server import audit
from server import permissions as perm
from server.bookmarks import user_ref
from server.cases import deadline_state, deadlines
from server.models import (
    AccessRequest,
    ClipRequest,
    DutyAssignment,
    Handover,
    Incident,
    Unit,
    User,
    ViolationCase,
)
from server.wording import INCIDENT_KIND_VI, KIND_VI
from server.working_calendar import VIETNAM, WorkingCalendar

# an acknowledgement later than this after the shift's end is counted late in the reports
LATE_ACKNOWLEDGEMENT = timedelta(minutes=30)
# the outgoing operator may still write the note this long after their shift ended
WRITING_GRACE = timedelta(hours=1)
MAX_ROSTER_DAYS = 62
MAX_PEOPLE = 20
PENDING_CLIPS = ("requested", "endorsed")
ATTENTION = (DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE)
ACKNOWLEDGE = "acknowledge"
ASSIGN = "assign"


class DutyDenied(Exception):
    """403"""


class DutyConflict(Exception):
    """409"""


class DutyInvalid(Exception):
    """422: ``field: message``."""


@dataclass(frozen=True)
class ShiftPlan:
    """The hours (UTC+7) a day's shifts start at; the last runs into the next day."""

    starts: tuple[int, ...]

    def bounds(self, day: date, shift: int) -> tuple[datetime, datetime]:
        start = datetime.combine(day, time(self.starts[shift]), tzinfo=VIETNAM)
        if shift + 1 < len(self.starts):
            end = datetime.combine(day, time(self.starts[shift + 1]), tzinfo=VIETNAM)
        else:
            end = datetime.combine(day + timedelta(days=1), time(self.starts[0]), tzinfo=VIETNAM)
        return start, end

    def at(self, moment: datetime) -> tuple[date, int]:
        """The shift running at ``moment``."""
        local = moment.astimezone(VIETNAM)
        day = local.date()
        if local.hour < self.starts[0]:
            return day - timedelta(days=1), len(self.starts) - 1
        shift = max(i for i, hour in enumerate(self.starts) if local.hour >= hour)
        return day, shift

    def following(self, day: date, shift: int) -> tuple[date, int]:
        if shift + 1 < len(self.starts):
            return day, shift + 1
        return day + timedelta(days=1), 0

    def previous(self, day: date, shift: int) -> tuple[date, int]:
        if shift > 0:
            return day, shift - 1
        return day - timedelta(days=1), len(self.starts) - 1

    def name(self, shift: int) -> str:
        start = self.starts[shift]
        end = self.starts[shift + 1] if shift + 1 < len(self.starts) else self.starts[0]
        return f"Ca {shift + 1} ({start:02d}:00–{end:02d}:00)"

    def check(self, shift: int) -> None:
        if not 0 <= shift < len(self.starts):
            raise DutyInvalid(f"shift: 0–{len(self.starts) - 1}")


# -- the roster -----------------------------------------------------------------------------------

def _people(session: Session, day: date, shift: int) -> list[User]:
    rows = session.execute(select(DutyAssignment).where(
        DutyAssignment.day == day, DutyAssignment.shift == shift)
        .order_by(DutyAssignment.id)).scalars()
    return [row.user for row in rows]


def _shift_record(plan: ShiftPlan, reader: User, day: date, shift: int, people: list[User],
                  now: datetime) -> records.DutyShift:
    start, end = plan.bounds(day, shift)
    return records.DutyShift(
        day=day, shift=shift, name=plan.name(shift), start=start, end=end,
        people=tuple(user_ref(u) for u in people),
        actions=(ASSIGN,) if may_assign(reader) and now < end else ())


def shift_public(session: Session, plan: ShiftPlan, reader: User, day: date, shift: int,
                 now: datetime) -> records.DutyShift:
    return _shift_record(plan, reader, day, shift, _people(session, day, shift), now)


def roster(session: Session, plan: ShiftPlan, reader: User, first: date, last: date,
           now: datetime) -> list[records.DutyShift]:
    if last < first:
        raise DutyInvalid("end: before start")
    if (last - first).days >= MAX_ROSTER_DAYS:
        raise DutyInvalid(f"end: at most {MAX_ROSTER_DAYS} days")
    rows = session.execute(select(DutyAssignment).where(
        DutyAssignment.day >= first, DutyAssignment.day <= last)
        .order_by(DutyAssignment.id)).scalars().all()
    by_shift: dict[tuple[date, int], list[User]] = {}
    for row in rows:
        by_shift.setdefault((row.day, row.shift), []).append(row.user)
    out = []
    day = first
    while day <= last:
        for shift in range(len(plan.starts)):
            out.append(_shift_record(plan, reader, day, shift,
                                     by_shift.get((day, shift), []), now))
        day += timedelta(days=1)
    return out


def on_duty(session: Session, plan: ShiftPlan, reader: User,
            now: datetime) -> records.DutyShift:
    return shift_public(session, plan, reader, *plan.at(now), now)


def _operating(user: User) -> bool:
    return user.unit.kind == perm.UnitKind.OPERATING_UNIT


def _leader(user: User) -> bool:
    return _operating(user) and user.role == perm.Role.LEADER


def may_assign(user: User) -> bool:
    """The operating unit's administrators and leaders keep its roster (Art. 10.1, 15.2)."""
    return _operating(user) and user.role in (perm.Role.ADMIN, perm.Role.LEADER)


def people(session: Session, actor: User) -> list[records.DutyPerson]:
    """Whom the roster's keepers may put on a shift: the operating unit's active users."""
    if not may_assign(actor):
        raise DutyDenied("Only administrators and leaders of the operating unit keep the roster")
    users = session.execute(select(User).join(User.unit).where(
        User.is_active.is_(True), Unit.kind == perm.UnitKind.OPERATING_UNIT)
        .order_by(User.full_name, User.username)).scalars()
    return [records.DutyPerson(id=u.id, username=u.username, full_name=u.full_name,
                               role=perm.Role(u.role)) for u in users]


def assign(session: Session, plan: ShiftPlan, actor: User, day: date, shift: int,
           user_ids: list[int], now: datetime) -> records.DutyShift:
    """Who is on ``shift`` of ``day`` from now on (the list replaces the one before)."""
    if not may_assign(actor):
        raise DutyDenied("Only administrators and leaders of the operating unit keep the roster")
    plan.check(shift)
    ended = plan.bounds(day, shift)[1]
    if ended <= now:
        raise DutyInvalid(f"day: {plan.name(shift)} on {day:%d/%m/%Y} ended at "
                          f"{ended:%d/%m/%Y %H:%M} (UTC+7); who was on duty is a record")
    wanted = list(dict.fromkeys(user_ids))
    if len(wanted) > MAX_PEOPLE:
        raise DutyInvalid(f"user_ids: at most {MAX_PEOPLE} people on a shift")
    users = []
    for user_id in wanted:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            raise DutyInvalid(f"user_ids: no active user {user_id}")
        if not _operating(user):
            raise DutyInvalid(f"user_ids: {user.username} is not of the operating unit; only "
                              "its people are on the IOC's duty roster")
        users.append(user)
    rows = session.execute(select(DutyAssignment).where(
        DutyAssignment.day == day, DutyAssignment.shift == shift)).scalars().all()
    before = sorted(row.user.username for row in rows)
    kept = {row.user_id: row for row in rows}
    for row in rows:
        if row.user_id not in wanted:
            session.delete(row)
    for user in users:
        if user.id not in kept:
            session.add(DutyAssignment(day=day, shift=shift, user_id=user.id,
                                       assigned_by_id=actor.id, assigned_at=now))
    session.flush()
    after = sorted(u.username for u in users)
    if before != after:
        audit.append(session, "duty_assign", now=now, user_id=actor.id, username=actor.username,
                     detail={"day": day.isoformat(), "shift": shift, "before": before,
                             "after": after})
    return shift_public(session, plan, actor, day, shift, now)


# -- the handover ---------------------------------------------------------------------------------

def _item(item_id: int, summary: str, state: str) -> dict[str, Any]:
    return {"id": item_id, "summary": summary, "state": state}


def pending_now(session: Session, calendar: WorkingCalendar, now: datetime
                ) -> dict[str, list[dict[str, Any]]]:
    """What the incoming shift must know: the matters pending at ``now``."""
    incidents = session.execute(select(Incident).where(Incident.state != "resolved")
                                .order_by(Incident.reported_at, Incident.id)).scalars()
    cases = []
    for case in session.execute(select(ViolationCase).where(ViolationCase.state != "closed")
                                .order_by(ViolationCase.id)).scalars():
        items = deadlines(case, calendar, now)
        state = deadline_state(items)
        if state in ATTENTION:
            due = min((d.due_at for d in items if d.status in ATTENTION), default=None)
            when = "" if due is None else f", hạn {due.astimezone(VIETNAM):%d/%m/%Y %H:%M}"
            cases.append(_item(case.id, f"Vụ việc #{case.id} ({KIND_VI.get(case.kind, case.kind)})"
                                        f"{when}", str(state)))
    clips = session.execute(select(ClipRequest).where(ClipRequest.state.in_(PENDING_CLIPS))
                            .order_by(ClipRequest.id)).scalars()
    access = session.execute(select(AccessRequest).where(AccessRequest.state == "requested")
                             .order_by(AccessRequest.id)).scalars()
    return {
        "open_incidents": [_item(i.id, f"{i.camera.name if i.camera else i.subject or ''}: "
                                       f"{INCIDENT_KIND_VI.get(i.kind, i.kind)}", i.state)
                           for i in incidents],
        "cases_due": cases,
        "pending_clips": [_item(c.id, f"{c.camera.name} — {c.requester.unit.name}", c.state)
                          for c in clips],
        "pending_access": [_item(a.id, a.unit.name, a.state) for a in access],
    }


def _on(session: Session, user: User, day: date, shift: int) -> bool:
    return session.execute(select(DutyAssignment.id).where(
        DutyAssignment.day == day, DutyAssignment.shift == shift,
        DutyAssignment.user_id == user.id)).first() is not None


def _writers_shift(session: Session, plan: ShiftPlan, user: User,
                   now: datetime) -> tuple[date, int]:
    """The shift ``user`` hands over: the one they are on now, or the one they just left."""
    current = plan.at(now)
    if _on(session, user, *current):
        return current
    before = plan.previous(*current)
    if _on(session, user, *before) and now - plan.bounds(*before)[1] <= WRITING_GRACE:
        return before
    if _leader(user):
        return current
    raise DutyDenied("Only someone on the shift in progress (or a leader of the operating "
                     "unit) writes its handover")


def write_handover(session: Session, plan: ShiftPlan, calendar: WorkingCalendar, user: User,
                   note: str, now: datetime) -> Handover:
    if not _operating(user):
        raise DutyDenied("The handover is the operating unit's")
    day, shift = _writers_shift(session, plan, user, now)
    taken = session.execute(select(Handover.id).where(Handover.day == day,
                                                      Handover.shift == shift)).first()
    if taken is not None:
        raise DutyConflict(f"The handover of {plan.name(shift)} on {day:%d/%m/%Y} is written")
    snapshot = pending_now(session, calendar, now)
    handover = Handover(day=day, shift=shift, shift_end=plan.bounds(day, shift)[1], note=note,
                        snapshot=canonical_json(snapshot), written_by_id=user.id,
                        written_at=now)
    session.add(handover)
    session.flush()
    audit.append(session, "handover_write", now=now, user_id=user.id, username=user.username,
                 detail={"handover_id": handover.id, "day": day.isoformat(), "shift": shift,
                         "before": None, "after": {"note": note, **{
                             k: [i["id"] for i in v] for k, v in snapshot.items()}}})
    return handover


def may_read(user: User) -> bool:
    return _operating(user)


def may_acknowledge(session: Session, plan: ShiftPlan, user: User, handover: Handover) -> bool:
    if handover.acknowledged_at is not None or user.id == handover.written_by_id:
        return False
    return _leader(user) or (_operating(user) and _on(
        session, user, *plan.following(handover.day, handover.shift)))


def acknowledge(session: Session, plan: ShiftPlan, user: User, handover: Handover,
                now: datetime) -> None:
    if handover.acknowledged_at is not None:
        raise DutyConflict("The handover is acknowledged already")
    if not may_acknowledge(session, plan, user, handover):
        raise DutyDenied("Only someone on the next shift, or a leader of the operating unit, "
                         "acknowledges a handover (not its writer)")
    handover.acknowledged_by = user
    handover.acknowledged_at = now
    session.flush()
    audit.append(session, "handover_acknowledge", now=now, user_id=user.id,
                 username=user.username,
                 detail={"handover_id": handover.id, "before": {"acknowledged_at": None},
                         "after": {"acknowledged_at": now.isoformat(),
                                   "acknowledged_by": user.username}})


def late(handover: Handover, now: datetime) -> bool:
    """Acknowledged (or still not, at ``now``) later than allowed after the shift ended."""
    limit = handover.shift_end + LATE_ACKNOWLEDGEMENT
    return (handover.acknowledged_at or now) > limit


def handover_public(session: Session, plan: ShiftPlan, user: User, handover: Handover,
                    now: datetime) -> records.Handover:
    snapshot = json.loads(handover.snapshot)

    def items(key: str) -> tuple[records.HandoverItem, ...]:
        return tuple(records.HandoverItem(id=int(i["id"]), summary=str(i["summary"]),
                                          state=str(i["state"])) for i in snapshot.get(key, []))

    return records.Handover(
        id=handover.id, day=handover.day, shift=handover.shift,
        shift_name=plan.name(handover.shift) if handover.shift < len(plan.starts)
        else f"Ca {handover.shift + 1}",
        shift_end=handover.shift_end, note=handover.note,
        written_by=user_ref(handover.written_by), written_at=handover.written_at,
        acknowledged_by=user_ref(handover.acknowledged_by) if handover.acknowledged_by else None,
        acknowledged_at=handover.acknowledged_at, late=late(handover, now),
        open_incidents=items("open_incidents"), cases_due=items("cases_due"),
        pending_clips=items("pending_clips"), pending_access=items("pending_access"),
        actions=(ACKNOWLEDGE,) if may_acknowledge(session, plan, user, handover) else ())


def list_handovers(session: Session, user: User, first: date | None,
                   last: date | None) -> list[Handover]:
    """Newest first; ``first``..``last``: the shifts' days (inclusive)."""
    if not may_read(user):
        raise DutyDenied("Handovers are the operating unit's")
    query = select(Handover)
    if first is not None:
        query = query.where(Handover.day >= first)
    if last is not None:
        query = query.where(Handover.day <= last)
    return list(session.execute(query.order_by(Handover.written_at.desc(), Handover.id.desc())
                                .limit(500)).scalars())


def figures(session: Session, start: datetime, end: datetime, now: datetime) -> dict[str, int]:
    """The periodic report's handover figures: written in ``start``..``end``, acknowledged,
    acknowledged late, not (yet) acknowledged."""
    rows = session.execute(select(Handover).where(Handover.written_at >= start,
                                                  Handover.written_at < end)).scalars().all()
    acknowledged = [h for h in rows if h.acknowledged_at is not None]
    return {"written": len(rows), "acknowledged": len(acknowledged),
            "acknowledged_late": sum(late(h, now) for h in acknowledged),
            "not_acknowledged": len(rows) - len(acknowledged)}
