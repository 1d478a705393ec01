"""The site's clocks as incidents: a clock off the server's by more than 2 s opens one
``clock_drift`` incident for its subject, filed by the system; its repeats are duplicate
reports; back within the tolerance it clears by itself, with the time. The server's own clock
not synchronised is one too."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from common import versions
from server import clock_incidents, clocks, incidents
from server.clocks import ClockWatch
from server.models import Incident
from tests.server.conftest import Backend


def _runtime(backend: Backend) -> Any:
    return backend.client.app.state.runtime  # type: ignore[attr-defined]


def _with_offset(backend: Backend, token: str, offset: str) -> None:
    reply = backend.client.get("/api/v1/cameras", headers={
        "Authorization": f"Bearer {token}", versions.CLOCK_OFFSET_HEADER: offset})
    assert reply.status_code == 200


def _clock_incidents(backend: Backend) -> list[Incident]:
    with _runtime(backend).sessions() as session:
        return list(session.execute(select(Incident).where(Incident.kind == "clock_drift")
                                    .order_by(Incident.id)).scalars())


def test_a_workstation_off_by_more_than_2_s_opens_one_incident_that_clears_by_itself(
        monkeypatch: pytest.MonkeyPatch, demo: Backend) -> None:
    tick = [1000.0]
    monkeypatch.setattr(clocks.time, "monotonic", lambda: tick[0])
    operator, desk = demo.login("police.officer"), demo.login("ioc.operator")
    _with_offset(demo, operator, "0.2")  # seen right first: nothing to file
    assert _clock_incidents(demo) == []
    _with_offset(demo, operator, "4.5")
    _with_offset(demo, operator, "4.6")  # the same drift, within 10 minutes: said once
    tick[0] += clocks.REPEAT_S
    _with_offset(demo, operator, "4.8")  # still off 10 minutes later: a duplicate report
    (incident,) = _clock_incidents(demo)
    subject = incident.subject
    assert subject is not None and subject.startswith("workstation ")
    assert (incident.category, incident.state, incident.reported_by_id, incident.automatic,
            incident.open_key) == ("software", "open", None, True, f"clock_drift:{subject}")
    listed = demo.get("/incidents?category=software", desk).json()
    assert [(i["id"], i["subject"], i["reported_by"], len(i["reports"])) for i in listed] == [
        (incident.id, subject, None, 2)]
    assert [r["user"] for r in listed[0]["reports"]] == [None, None]
    assert "+4.5 s" in listed[0]["reports"][0]["note"]
    # a police officer filed nothing: the system's incident is the desk's
    assert demo.get("/incidents", operator).json() == []

    opened_at = demo.clock.now
    demo.clock.advance(timedelta(minutes=12))
    _with_offset(demo, operator, "0.4")
    (cleared,) = _clock_incidents(demo)
    assert (cleared.state, cleared.open_key, cleared.resolved_by_id, cleared.acknowledged_at) \
        == ("resolved", None, None, None)
    assert cleared.resolved_at == demo.clock.now
    assert (cleared.resolved_at - opened_at).total_seconds() == 12 * 60
    assert cleared.resolution is not None and cleared.resolution.startswith("Tự hết")
    answer = demo.get(f"/incidents/{incident.id}", desk).json()
    assert (answer["state"], answer["resolved_by"], answer["seconds_to_resolve"]) == (
        "resolved", None, 720)
    events = [r["event"] for r in demo.audit_rows("incident_")]
    assert events == ["incident_report", "incident_report_duplicate", "incident_clear"]
    offsets = demo.audit_rows("clock_offset")
    assert [r["detail"]["incident_id"] for r in offsets] == [incident.id, incident.id]

    _with_offset(demo, operator, "-3.0")  # off again: a new incident
    assert [(i.id == incident.id, i.state) for i in _clock_incidents(demo)] == [
        (True, "resolved"), (False, "open")]


def test_a_gateway_clock_is_a_server_fault_and_a_restart_still_clears_it(
        demo: Backend) -> None:
    """The watch lives in memory: after a restart the first sighting within the tolerance
    clears what the previous process filed."""
    runtime = _runtime(demo)
    runtime.clocks.note("gateway gw-1", 2.5)
    runtime.clocks.note("gateway gw-2", -0.5)
    (incident,) = _clock_incidents(demo)
    assert (incident.category, incident.subject, incident.state) == (
        "server", "gateway gw-1", "open")
    restarted = ClockWatch(demo.clock, run=lambda _command: None,
                           on_off=functools.partial(clock_incidents.clock_off, runtime),
                           on_back=functools.partial(clock_incidents.clock_back, runtime))
    restarted.note("gateway gw-1", 0.1)
    assert [i.state for i in _clock_incidents(demo)] == ["resolved"]


def test_the_server_clock_not_synchronised_is_an_incident_until_it_is_again(
        monkeypatch: pytest.MonkeyPatch, demo: Backend) -> None:
    tick = [1000.0]
    monkeypatch.setattr(clocks.time, "monotonic", lambda: tick[0])
    said = {"timedatectl": "no\n"}
    watch = ClockWatch(demo.clock, run=lambda command: said.get(command[0]),
                       on_state=functools.partial(clock_incidents.server_clock,
                                                  _runtime(demo)))
    assert watch.state().synchronized is False
    tick[0] += clocks.STATE_TTL_S
    watch.state()  # still not synchronised: no second report
    (incident,) = _clock_incidents(demo)
    assert (incident.category, incident.subject, len(incident.reports)) == (
        "server", "server clock", 1)
    said["timedatectl"] = "yes\n"
    tick[0] += clocks.STATE_TTL_S
    assert watch.state().synchronized is True
    assert [i.state for i in _clock_incidents(demo)] == ["resolved"]


def test_two_threads_filing_one_subject_at_once_make_one_incident(demo: Backend) -> None:
    """The second looked before the first inserted: the unique key turns its insert into a
    duplicate report (the look is forced to miss once)."""
    from common.vocabulary import IncidentCategory, IncidentKind

    runtime = _runtime(demo)
    with runtime.sessions() as session:
        incidents.file_system_incident(session, IncidentCategory.STORAGE,
                                       IncidentKind.DISK_FULL, "disk /var/lib/iocwall", "98%",
                                       demo.clock.now)
        session.commit()
    missed: list[str] = []

    def stale_then_real(session: Any, key: str) -> Incident | None:
        if not missed:
            missed.append(key)
            return None
        return incidents.find_open(session, key)

    with runtime.sessions() as session:
        incident, opened = incidents.file_system_incident(
            session, IncidentCategory.STORAGE, IncidentKind.DISK_FULL, "disk /var/lib/iocwall",
            "99%", demo.clock.now, find=stale_then_real)
        session.commit()
        assert missed == ["disk_full:disk /var/lib/iocwall"] and opened is False
        assert [r.note for r in incident.reports] == ["98%", "99%"]
        assert len(session.execute(select(Incident)).scalars().all()) == 1
    with pytest.raises(ValueError):
        with runtime.sessions() as session:
            incidents.file_system_incident(session, IncidentCategory.CAMERA,
                                           IncidentKind.OFFLINE, "x", "", demo.clock.now)
