"""The PTZ arbitration rules as pure transitions (server.ptz_leases): no database, no sleeping."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server import ptz_leases as L
from server.permissions import Role, UnitKind
from tests.server.conftest import START

COMMANDER, POLICE, IOC, WARD = (L.Priority.COMMANDER, L.Priority.POLICE,
                                L.Priority.OPERATING_UNIT, L.Priority.WARD_UNIT)


def at(seconds: float) -> object:
    return START + timedelta(seconds=seconds)


def kinds(outcome_events: object) -> list[str]:
    return [e.kind.value for e in outcome_events]  # type: ignore[attr-defined]


def test_priority_follows_the_regulation_not_the_user() -> None:
    assert L.priority_of(UnitKind.CITY_POLICE, Role.LEADER) is COMMANDER
    assert L.priority_of(UnitKind.CITY_POLICE, Role.OFFICER) is POLICE
    assert L.priority_of(UnitKind.TRAFFIC_POLICE, Role.LEADER) is POLICE
    assert L.priority_of(UnitKind.URBAN_ORDER, Role.OFFICER) is POLICE
    assert L.priority_of(UnitKind.OPERATING_UNIT, Role.OPERATOR) is IOC
    assert L.priority_of(UnitKind.OPERATING_UNIT, Role.LEADER) is IOC
    assert L.priority_of(UnitKind.WARD_POLICE, Role.LEADER) is WARD
    assert L.priority_of(UnitKind.WARD_COMMITTEE, Role.OFFICER) is WARD
    assert L.priority_of(UnitKind.OTHER_AGENCY, Role.LEADER) is L.Priority.NONE
    assert COMMANDER > POLICE > IOC > WARD


def test_grant_renew_and_expiry_at_15_seconds() -> None:
    first = L.acquire(L.LeaseState(), 1, IOC, START)
    assert first.status is L.Status.GRANTED and kinds(first.events) == ["ptz_lease_grant"]
    assert first.state.holder is not None and first.state.holder.expires_at == at(15)
    renewed = L.acquire(first.state, 1, IOC, at(10))
    assert renewed.status is L.Status.GRANTED and renewed.events == ()
    assert renewed.state.holder is not None and renewed.state.holder.expires_at == at(25)
    still, events = L.sweep(renewed.state, at(24.999))
    assert still.holder is not None and events == []
    gone, events = L.sweep(renewed.state, at(25))
    assert gone.holder is None and kinds(events) == ["ptz_lease_expire"]


def test_higher_priority_preempts_and_the_loser_is_refused_once() -> None:
    state = L.acquire(L.LeaseState(), 1, IOC, START).state
    taken = L.acquire(state, 2, COMMANDER, at(1))
    assert taken.status is L.Status.GRANTED
    assert kinds(taken.events) == ["ptz_lease_preempt", "ptz_lease_grant"]
    assert taken.events[0].user_id == 1 and taken.events[0].other_user_id == 2
    refused = L.acquire(taken.state, 1, IOC, at(2))
    assert refused.status is L.Status.REFUSED and kinds(refused.events) == ["ptz_lease_refused"]
    assert refused.state.holder is not None and refused.state.holder.user_id == 2
    # Having been told, the loser may ask again and waits behind the commander.
    again = L.acquire(refused.state, 1, IOC, at(3))
    assert again.status is L.Status.QUEUED and again.position == 1


def test_equal_or_lower_priority_queues_by_priority_then_arrival() -> None:
    state = L.acquire(L.LeaseState(), 1, POLICE, START).state
    ward = L.acquire(state, 2, WARD, at(1))
    assert ward.status is L.Status.QUEUED and ward.position == 1
    equal = L.acquire(ward.state, 3, POLICE, at(2))
    assert equal.status is L.Status.QUEUED and equal.position == 1  # ahead of the ward unit
    ioc = L.acquire(equal.state, 4, IOC, at(3))
    assert ioc.position == 2
    assert [w.user_id for w in ioc.state.queue] == [3, 4, 2]
    # Polling keeps one's place and does not re-audit the queueing.
    poll = L.acquire(ioc.state, 2, WARD, at(4))
    assert poll.position == 3 and poll.events == ()


def test_release_hands_over_to_the_head_of_the_queue() -> None:
    state = L.acquire(L.LeaseState(), 1, POLICE, START).state
    state = L.acquire(state, 2, IOC, at(1)).state
    state, events = L.release(state, 1, at(5))
    assert kinds(events) == ["ptz_lease_release", "ptz_lease_grant"]
    assert events[1].detail["how"] == "handover"
    assert state.holder is not None and state.holder.user_id == 2 and state.queue == ()
    assert L.acquire(state, 2, IOC, at(6)).status is L.Status.GRANTED


def test_expiry_hands_over_and_silent_waiters_drop_out() -> None:
    state = L.acquire(L.LeaseState(), 1, POLICE, START).state
    state = L.acquire(state, 2, WARD, at(1)).state  # never polls again
    state = L.acquire(state, 3, WARD, at(2)).state
    state = L.acquire(state, 3, WARD, at(14)).state  # keeps polling
    state, events = L.sweep(state, at(16))
    assert kinds(events) == ["ptz_lease_queue_expire", "ptz_lease_expire", "ptz_lease_grant"]
    assert state.holder is not None and state.holder.user_id == 3
    assert state.holder.expires_at == at(31)


def test_reservation_commanders_only_up_to_600_seconds() -> None:
    with pytest.raises(L.ReservationNotAllowed):
        L.acquire(L.LeaseState(), 1, POLICE, START, reserve=timedelta(seconds=60))
    with pytest.raises(L.ReservationNotAllowed):
        L.acquire(L.LeaseState(), 1, COMMANDER, START, reserve=timedelta(seconds=601))
    held = L.acquire(L.LeaseState(), 1, COMMANDER, START, reserve=timedelta(seconds=600))
    assert held.state.holder is not None and held.state.holder.expires_at == at(600)
    state, events = L.sweep(held.state, at(599))
    assert state.holder is not None and events == []
    renewed = L.acquire(state, 1, COMMANDER, at(599))  # renewal keeps the reservation's end
    assert renewed.state.holder is not None and renewed.state.holder.expires_at == at(614)
    # Another commander cannot take it (equal priority): queued.
    assert L.acquire(held.state, 2, COMMANDER, at(10)).status is L.Status.QUEUED
    state, events = L.sweep(held.state, at(600))
    assert state.holder is None and kinds(events) == ["ptz_lease_expire"]


def test_a_newcomer_cannot_jump_a_handed_over_queue() -> None:
    state = L.acquire(L.LeaseState(), 1, POLICE, START).state
    state = L.acquire(state, 2, IOC, at(1)).state
    state, _ = L.release(state, 1, at(2))
    late = L.acquire(state, 3, IOC, at(3))
    assert late.status is L.Status.QUEUED and late.position == 1
    assert late.state.holder is not None and late.state.holder.user_id == 2
