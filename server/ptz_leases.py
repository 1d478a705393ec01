"""PTZ arbitration between users of one camera, as pure state transitions.

Several units may drive the same PTZ camera (Art. 11.2, 12.2.b/c). Who gets it follows the
regulation's order of authority, computed from the unit and role, never stored per user:
city police leaders (commanders) > police officers (city police, traffic & order police) and the
urban order team > the IOC operating unit > ward units (ward police, ward People's Committee).

The rules, for one camera:
- A lease lasts ``LEASE_TTL`` (15 s) after the holder's last renewal (the client renews while it
  drives the camera); a commander may reserve it for up to ``MAX_RESERVE`` (10 min), and then it
  lasts until the reservation's end.
- A request of higher priority than the holder preempts it; the preempted user's next request
  is refused once (so its client stops and shows who took the camera).
- A request of equal or lower priority waits in a queue ordered by priority, then arrival. The
  queued client keeps polling; a waiter not heard from for ``QUEUE_TTL`` drops out. When the
  holder releases or expires, the head of the queue becomes the holder at once.

This module has no database, clock or I/O: each function takes the state and ``now`` and
returns the new state and the events to audit, so every rule is unit-testable without sleeping.
``server.ptz_store`` loads and saves the state under a row lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from server.permissions import Role, UnitKind

LEASE_TTL = timedelta(seconds=15)
QUEUE_TTL = timedelta(seconds=15)
MAX_RESERVE = timedelta(seconds=600)


class Priority(IntEnum):
    """Higher wins. ``NONE`` is for units that never hold PTZ (other agencies)."""

    NONE = 0
    WARD_UNIT = 1
    OPERATING_UNIT = 2
    POLICE = 3
    COMMANDER = 4


PRIORITY_LABELS = {
    Priority.NONE: "none",
    Priority.WARD_UNIT: "ward_unit",
    Priority.OPERATING_UNIT: "operating_unit",
    Priority.POLICE: "police",
    Priority.COMMANDER: "commander",
}


def priority_of(unit_kind: UnitKind, role: Role) -> Priority:
    """The user's PTZ priority from the unit kind and role (see the module docstring)."""
    if unit_kind is UnitKind.CITY_POLICE and role is Role.LEADER:
        return Priority.COMMANDER
    if unit_kind in (UnitKind.CITY_POLICE, UnitKind.TRAFFIC_POLICE, UnitKind.URBAN_ORDER):
        return Priority.POLICE
    if unit_kind is UnitKind.OPERATING_UNIT:
        return Priority.OPERATING_UNIT
    if unit_kind in (UnitKind.WARD_POLICE, UnitKind.WARD_COMMITTEE):
        return Priority.WARD_UNIT
    return Priority.NONE


class ReservationNotAllowed(ValueError):
    """Only commanders reserve a camera, and for at most ``MAX_RESERVE``."""


@dataclass(frozen=True)
class Holder:
    user_id: int
    priority: Priority
    granted_at: datetime
    renewed_at: datetime
    expires_at: datetime
    reserved_until: datetime | None = None


@dataclass(frozen=True)
class Waiter:
    user_id: int
    priority: Priority
    enqueued_at: datetime
    polled_at: datetime


@dataclass(frozen=True)
class Preemption:
    """``user_id`` lost the lease to ``by_user_id`` at ``at``; its next request is refused."""

    user_id: int
    by_user_id: int
    at: datetime


@dataclass(frozen=True)
class LeaseState:
    holder: Holder | None = None
    queue: tuple[Waiter, ...] = ()
    preemptions: tuple[Preemption, ...] = ()


class EventKind(StrEnum):
    GRANT = "ptz_lease_grant"  # a new holder (directly, or handed over from the queue)
    PREEMPT = "ptz_lease_preempt"  # the holder lost the lease to a higher priority
    REFUSED = "ptz_lease_refused"  # a preempted user's renewal was refused
    RELEASE = "ptz_lease_release"
    EXPIRE = "ptz_lease_expire"
    QUEUE = "ptz_lease_queue"  # a user started waiting
    QUEUE_EXPIRE = "ptz_lease_queue_expire"  # a waiter stopped polling
    QUEUE_LEAVE = "ptz_lease_queue_leave"


@dataclass(frozen=True)
class Event:
    """Something to audit. ``user_id`` is the user the event is about."""

    kind: EventKind
    user_id: int
    at: datetime
    other_user_id: int | None = None  # the preemptor (PREEMPT) or the holder (REFUSED)
    detail: dict[str, str | int | None] = field(default_factory=dict)


class Status(StrEnum):
    GRANTED = "granted"
    QUEUED = "queued"
    REFUSED = "refused"  # preempted: the holder is someone else now


@dataclass(frozen=True)
class Outcome:
    status: Status
    state: LeaseState
    events: tuple[Event, ...]
    position: int | None = None  # 1-based place in the queue when queued


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _queue_key(waiter: Waiter) -> tuple[int, datetime, int]:
    return (-int(waiter.priority), waiter.enqueued_at, waiter.user_id)


def _grant(user_id: int, priority: Priority, now: datetime, how: str,
           reserve: timedelta | None = None) -> tuple[Holder, Event]:
    reserved_until = now + reserve if reserve is not None else None
    expires_at = max(now + LEASE_TTL, reserved_until or now)
    holder = Holder(user_id, priority, granted_at=now, renewed_at=now, expires_at=expires_at,
                    reserved_until=reserved_until)
    return holder, Event(EventKind.GRANT, user_id, now,
                         detail={"how": how, "priority": PRIORITY_LABELS[priority],
                                 "expires_at": _iso(expires_at),
                                 "reserved_until": _iso(reserved_until)})


def _promote_head(state: LeaseState, now: datetime) -> tuple[LeaseState, list[Event]]:
    if state.holder is not None or not state.queue:
        return state, []
    head, rest = state.queue[0], state.queue[1:]
    holder, event = _grant(head.user_id, head.priority, now, "handover")
    return replace(state, holder=holder, queue=rest), [event]


def sweep(state: LeaseState, now: datetime) -> tuple[LeaseState, list[Event]]:
    """Apply the passage of time: drop silent waiters, expire the holder, hand over."""
    events: list[Event] = []
    live: list[Waiter] = []
    for waiter in state.queue:
        if waiter.polled_at + QUEUE_TTL <= now:
            events.append(Event(EventKind.QUEUE_EXPIRE, waiter.user_id, now,
                                detail={"last_poll": _iso(waiter.polled_at)}))
        else:
            live.append(waiter)
    preemptions = tuple(p for p in state.preemptions if p.at + LEASE_TTL > now)
    holder = state.holder
    if holder is not None and holder.expires_at <= now:
        events.append(Event(EventKind.EXPIRE, holder.user_id, now,
                            detail={"expired_at": _iso(holder.expires_at),
                                    "granted_at": _iso(holder.granted_at)}))
        holder = None
    state = LeaseState(holder=holder, queue=tuple(live), preemptions=preemptions)
    state, promoted = _promote_head(state, now)
    return state, events + promoted


def _without(queue: tuple[Waiter, ...], user_id: int) -> tuple[Waiter, ...]:
    return tuple(w for w in queue if w.user_id != user_id)


def acquire(state: LeaseState, user_id: int, priority: Priority, now: datetime,
            reserve: timedelta | None = None) -> Outcome:
    """A request for the lease: grant, renew, preempt, queue (or keep queued), or refuse.

    ``reserve`` (commanders only, ≤ ``MAX_RESERVE``) keeps the lease until ``now + reserve``
    even without renewals; it applies when the request is granted.
    """
    if reserve is not None:
        if priority is not Priority.COMMANDER:
            raise ReservationNotAllowed("only city police leaders (commanders) may reserve PTZ")
        if reserve <= timedelta(0) or reserve > MAX_RESERVE:
            raise ReservationNotAllowed(
                f"a reservation lasts 1 to {int(MAX_RESERVE.total_seconds())} seconds")
    if priority is Priority.NONE:
        raise ValueError("this user's unit never holds PTZ")
    state, events = sweep(state, now)
    holder = state.holder

    preempted = next((p for p in state.preemptions if p.user_id == user_id), None)
    if preempted is not None:
        state = replace(state, preemptions=tuple(p for p in state.preemptions
                                                 if p.user_id != user_id))
        if holder is not None and holder.user_id != user_id:
            events.append(Event(EventKind.REFUSED, user_id, now, other_user_id=holder.user_id,
                                detail={"preempted_at": _iso(preempted.at)}))
            return Outcome(Status.REFUSED, state, tuple(events))

    if holder is not None and holder.user_id == user_id:
        reserved_until = holder.reserved_until
        if reserved_until is not None and reserved_until <= now:
            reserved_until = None
        if reserve is not None:
            reserved_until = now + reserve
        expires_at = now + LEASE_TTL
        if reserved_until is not None:
            expires_at = max(expires_at, reserved_until)
        renewed = replace(holder, renewed_at=now, expires_at=expires_at,
                          reserved_until=reserved_until)
        return Outcome(Status.GRANTED, replace(state, holder=renewed), tuple(events))

    if holder is None or priority > holder.priority:
        # No holder means the queue is empty (sweep hands over to its head): grant.
        new_holder, grant = _grant(user_id, priority, now,
                                   "preempt" if holder is not None else "free", reserve)
        preemptions = state.preemptions
        if holder is not None:
            events.append(Event(EventKind.PREEMPT, holder.user_id, now, other_user_id=user_id,
                                detail={"priority": PRIORITY_LABELS[holder.priority],
                                        "by_priority": PRIORITY_LABELS[priority]}))
            preemptions = _without_preemption(preemptions, holder.user_id) + (
                Preemption(holder.user_id, user_id, now),)
        events.append(grant)
        state = LeaseState(holder=new_holder, queue=_without(state.queue, user_id),
                           preemptions=preemptions)
        return Outcome(Status.GRANTED, state, tuple(events))

    existing = next((w for w in state.queue if w.user_id == user_id), None)
    if existing is None:
        waiter = Waiter(user_id, priority, enqueued_at=now, polled_at=now)
    else:
        waiter = replace(existing, priority=priority, polled_at=now)
    queue = tuple(sorted(_without(state.queue, user_id) + (waiter,), key=_queue_key))
    position = queue.index(waiter) + 1
    if existing is None:
        events.append(Event(EventKind.QUEUE, user_id, now, other_user_id=holder.user_id,
                            detail={"position": position,
                                    "priority": PRIORITY_LABELS[priority]}))
    return Outcome(Status.QUEUED, replace(state, queue=queue), tuple(events), position=position)


def _without_preemption(preemptions: tuple[Preemption, ...], user_id: int
                        ) -> tuple[Preemption, ...]:
    return tuple(p for p in preemptions if p.user_id != user_id)


def release(state: LeaseState, user_id: int, now: datetime) -> tuple[LeaseState, list[Event]]:
    """The user lets go: as holder the lease passes to the queue's head; as waiter it leaves."""
    state, events = sweep(state, now)
    if state.holder is not None and state.holder.user_id == user_id:
        events.append(Event(EventKind.RELEASE, user_id, now,
                            detail={"granted_at": _iso(state.holder.granted_at)}))
        state, promoted = _promote_head(replace(state, holder=None), now)
        events += promoted
    elif any(w.user_id == user_id for w in state.queue):
        state = replace(state, queue=_without(state.queue, user_id))
        events.append(Event(EventKind.QUEUE_LEAVE, user_id, now))
    return state, events
