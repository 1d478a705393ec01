"""PTZ leases in the database: lock a camera's lease row, run ``server.ptz_leases``, save, audit.

Every operation on a camera's lease first makes sure its ``ptz_leases`` row exists, then writes
to it before reading it: the write takes the row lock on PostgreSQL and the database write lock on
SQLite, held until the caller commits, so concurrent requests for the same camera run one after
the other on fresh state and two of them can never both be granted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server import audit
from server import permissions as perm
from server import ptz_leases as leases
from server.models import PtzLease, PtzLeasePreemption, PtzLeaseWaiter, User
from server.schemas import PtzHolderPublic, PtzLeasePublic, PtzWaiterPublic


def user_priority(user: User) -> leases.Priority:
    return leases.priority_of(perm.UnitKind(user.unit.kind), perm.Role(user.role))


def _lock(session: Session, camera_id: int) -> PtzLease:
    """The camera's lease row, created if missing, locked until commit/rollback."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(PtzLease).values(camera_id=camera_id)
                    .on_conflict_do_nothing(index_elements=["camera_id"]))
    session.execute(update(PtzLease).where(PtzLease.camera_id == camera_id)
                    .values(camera_id=PtzLease.camera_id))
    row = session.execute(select(PtzLease).where(PtzLease.camera_id == camera_id)
                          .with_for_update()).scalar_one()
    session.refresh(row)
    return row


def _load(session: Session, row: PtzLease) -> leases.LeaseState:
    holder = None
    if row.holder_id is not None:
        assert row.holder_priority is not None and row.granted_at is not None
        assert row.renewed_at is not None and row.expires_at is not None
        holder = leases.Holder(row.holder_id, leases.Priority(row.holder_priority),
                               row.granted_at, row.renewed_at, row.expires_at,
                               row.reserved_until)
    waiters = session.execute(select(PtzLeaseWaiter)
                              .where(PtzLeaseWaiter.camera_id == row.camera_id)).scalars()
    queue = sorted((leases.Waiter(w.user_id, leases.Priority(w.priority), w.enqueued_at,
                                  w.polled_at) for w in waiters),
                   key=lambda w: (-int(w.priority), w.enqueued_at, w.user_id))
    preemptions = session.execute(select(PtzLeasePreemption)
                                  .where(PtzLeasePreemption.camera_id == row.camera_id)).scalars()
    return leases.LeaseState(holder, tuple(queue),
                             tuple(leases.Preemption(p.user_id, p.by_user_id, p.at)
                                   for p in preemptions))


def _save(session: Session, row: PtzLease, old: leases.LeaseState,
          new: leases.LeaseState) -> None:
    holder = new.holder
    row.holder_id = holder.user_id if holder else None
    row.holder_priority = int(holder.priority) if holder else None
    row.granted_at = holder.granted_at if holder else None
    row.renewed_at = holder.renewed_at if holder else None
    row.expires_at = holder.expires_at if holder else None
    row.reserved_until = holder.reserved_until if holder else None
    if new.queue != old.queue:
        session.execute(delete(PtzLeaseWaiter).where(PtzLeaseWaiter.camera_id == row.camera_id))
        session.add_all(PtzLeaseWaiter(camera_id=row.camera_id, user_id=w.user_id,
                                       priority=int(w.priority), enqueued_at=w.enqueued_at,
                                       polled_at=w.polled_at) for w in new.queue)
    if new.preemptions != old.preemptions:
        session.execute(delete(PtzLeasePreemption)
                        .where(PtzLeasePreemption.camera_id == row.camera_id))
        session.add_all(PtzLeasePreemption(camera_id=row.camera_id, user_id=p.user_id,
                                           by_user_id=p.by_user_id, at=p.at)
                        for p in new.preemptions)
    session.flush()


def _users(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.execute(select(User).where(User.id.in_(wanted))).scalars()}


# Queue bookkeeping is not audited: a waiter expiring or leaving changes nobody's control.
_AUDITED = frozenset({leases.EventKind.GRANT, leases.EventKind.PREEMPT, leases.EventKind.REFUSED,
                      leases.EventKind.RELEASE, leases.EventKind.EXPIRE, leases.EventKind.QUEUE})


def _audit(session: Session, camera_id: int, events: Iterable[leases.Event], actor: User,
           now: datetime) -> None:
    events = [e for e in events if e.kind in _AUDITED]
    users = _users(session, [e.user_id for e in events] + [e.other_user_id for e in events])
    for event in events:
        subject = users[event.user_id]
        detail: dict[str, object] = {k: v for k, v in event.detail.items() if v is not None}
        if event.other_user_id is not None:
            other = users[event.other_user_id]
            key = "by" if event.kind is leases.EventKind.PREEMPT else "holder"
            detail[key] = {"user_id": other.id, "username": other.username}
        if actor.id != subject.id:
            detail["request_by"] = actor.username
        audit.append(session, event.kind.value, now=now, user_id=subject.id,
                     username=subject.username, camera_id=camera_id, detail=detail)


def _holder_public(holder: leases.Holder, users: dict[int, User]) -> PtzHolderPublic:
    user = users[holder.user_id]
    return PtzHolderPublic(user_id=user.id, username=user.username, full_name=user.full_name,
                           unit=user.unit.name, priority=leases.PRIORITY_LABELS[holder.priority],
                           granted_at=holder.granted_at, expires_at=holder.expires_at,
                           reserved_until=holder.reserved_until)


def lease_public(session: Session, camera_id: int, state: leases.LeaseState) -> PtzLeasePublic:
    users = _users(session, [state.holder.user_id if state.holder else None]
                   + [w.user_id for w in state.queue])
    queue = [PtzWaiterPublic(user_id=w.user_id, username=users[w.user_id].username,
                             full_name=users[w.user_id].full_name,
                             unit=users[w.user_id].unit.name,
                             priority=leases.PRIORITY_LABELS[w.priority], position=index + 1,
                             enqueued_at=w.enqueued_at)
             for index, w in enumerate(state.queue)]
    holder = _holder_public(state.holder, users) if state.holder else None
    return PtzLeasePublic(camera_id=camera_id, holder=holder, queue=queue)


def acquire(session: Session, camera_id: int, user: User, now: datetime,
            reserve_seconds: int | None = None) -> tuple[leases.Outcome, PtzLeasePublic]:
    """Request or renew the lease (the caller commits). ``ReservationNotAllowed`` is raised for
    a reservation by a non-commander before anything changes."""
    reserve = timedelta(seconds=reserve_seconds) if reserve_seconds is not None else None
    row = _lock(session, camera_id)
    old = _load(session, row)
    outcome = leases.acquire(old, user.id, user_priority(user), now, reserve)
    _save(session, row, old, outcome.state)
    _audit(session, camera_id, outcome.events, user, now)
    return outcome, lease_public(session, camera_id, outcome.state)


def release(session: Session, camera_id: int, user: User, now: datetime) -> PtzLeasePublic:
    row = _lock(session, camera_id)
    old = _load(session, row)
    state, events = leases.release(old, user.id, now)
    _save(session, row, old, state)
    _audit(session, camera_id, events, user, now)
    return lease_public(session, camera_id, state)


def current(session: Session, camera_id: int, user: User, now: datetime) -> PtzLeasePublic:
    """The holder and queue now (expiries and hand-overs due by now are applied and audited)."""
    row = _lock(session, camera_id)
    old = _load(session, row)
    state, events = leases.sweep(old, now)
    _save(session, row, old, state)
    _audit(session, camera_id, events, user, now)
    return lease_public(session, camera_id, state)
