"""Two people taking the same step at the same moment: the second changes nothing and is told
(409 ``changed_meanwhile``), on SQLite and PostgreSQL alike — never two approvals, never a step
applied on a state that is already gone, never an audit row for a step that did not happen.

The race is made deterministic: just before the route's session writes the record, another
connection commits the other person's step on the same row (as a second backend process or
request thread would)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from server.models import AccessRequest, Base, Camera, ClipRequest, Incident, User, ViolationCase
from tests.server.conftest import START, Backend


@contextmanager
def a_step_committed_meanwhile(backend: Backend, model: type[Base],
                               other_step: Callable[[Session, Any], None]) -> Iterator[None]:
    """While inside: the first time a session is about to write a ``model`` row, another
    session commits ``other_step`` on that same row first."""
    runtime = backend.client.app.state.runtime
    fired: list[int] = []

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        rows = [o for o in session.dirty if isinstance(o, model)]
        if fired or not rows:
            return
        fired.append(rows[0].id)
        with runtime.sessions() as other:
            row = other.get(model, rows[0].id)
            other_step(other, row)
            other.commit()

    event.listen(Session, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", before_flush)
    assert fired, "the route never wrote the record: the race was not exercised"


def _user_id(backend: Backend, username: str) -> int:
    with backend.client.app.state.runtime.sessions() as session:
        return int(session.execute(select(User.id).where(User.username == username)
                                   ).scalar_one())


def _audit_events(backend: Backend, event_name: str) -> list[dict[str, Any]]:
    return [r for r in backend.audit_rows(event_name) if r["event"] == event_name]


def test_every_stepped_record_carries_a_version_counter() -> None:
    for model in (ClipRequest, ViolationCase, Incident, AccessRequest):
        mapper = model.__mapper__
        assert mapper.version_id_col is not None, model.__name__
        assert mapper.version_id_col.name == "version", model.__name__


def test_two_operators_acknowledging_one_incident(demo: Backend) -> None:
    camera = next(iter(demo.camera_ids().values()))
    reply = demo.post("/incidents", demo.login("police.officer"),
                      json={"camera_id": camera, "kind": "offline", "note": "mất hình"})
    assert reply.status_code == 201, reply.text
    incident_id = reply.json()["id"]
    other_id = _user_id(demo, "ioc.admin")

    def acknowledged_by_the_other(_session: Session, row: Incident) -> None:
        row.state, row.acknowledged_by_id, row.acknowledged_at = "acknowledged", other_id, START

    with a_step_committed_meanwhile(demo, Incident, acknowledged_by_the_other):
        late = demo.post(f"/incidents/{incident_id}/acknowledge", demo.login("ioc.operator"))
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "changed_meanwhile"
    assert "read it again" in late.json()["message"]
    shown = demo.get(f"/incidents/{incident_id}", demo.login("ioc.operator")).json()
    assert shown["state"] == "acknowledged"
    assert shown["acknowledged_by"]["username"] == "ioc.admin"  # the other's step stands
    assert _audit_events(demo, "incident_acknowledge") == []  # nothing of the refused one
    # read again, the operator sees it acknowledged and can go on to resolve it
    resolved = demo.post(f"/incidents/{incident_id}/resolve", demo.login("ioc.operator"),
                         json={"resolution": "đã khởi động lại"})
    assert resolved.status_code == 200, resolved.text


def _written_request(backend: Backend) -> int:
    """An outside agency's request on the written chain, waiting for the operating unit."""
    with backend.client.app.state.runtime.sessions() as session:
        camera = session.execute(select(Camera).order_by(Camera.id)).scalars().first()
        agency = session.execute(select(User).where(User.username == "agency.viewer")
                                 ).scalar_one()
        assert camera is not None
        request = ClipRequest(camera_id=camera.id, requester_id=agency.id,
                              requester_unit_id=agency.unit_id, chain="written",
                              state="requested", start_at=START, end_at=START,
                              purpose="điều tra vụ việc", attempts=0, created_at=START,
                              updated_at=START)
        session.add(request)
        session.commit()
        return int(request.id)


@pytest.mark.parametrize("second_step", ["approve", "reject"])
def test_two_approvers_deciding_one_clip_request(demo: Backend, second_step: str) -> None:
    request_id = _written_request(demo)
    other_id = _user_id(demo, "ioc.admin")

    def approved_by_the_other(_session: Session, row: ClipRequest) -> None:
        row.state, row.approver_id, row.approved_at = "approved", other_id, START

    body = {"reason": "không đủ căn cứ"} if second_step == "reject" else None
    with a_step_committed_meanwhile(demo, ClipRequest, approved_by_the_other):
        late = demo.post(f"/clips/{request_id}/{second_step}", demo.login("ioc.operator"),
                         json=body)
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "changed_meanwhile"
    with demo.client.app.state.runtime.sessions() as session:
        row = session.get(ClipRequest, request_id)
        assert row is not None
        assert (row.state, row.approver_id, row.rejected_by_id) == ("approved", other_id, None)
        assert row.version == 2  # one step: the other's
    assert not [r for r in _audit_events(demo, f"clip_{second_step}")
                if r["detail"].get("request_id") == request_id]


def test_a_version_moved_by_a_plain_update_is_seen_too(demo: Backend) -> None:
    """A writer that bypasses the ORM but bumps the version (a bulk UPDATE) still stops a step
    that read the old version."""
    request_id = _written_request(demo)

    def bumped(session: Session, _row: ClipRequest) -> None:
        session.execute(update(ClipRequest).where(ClipRequest.id == request_id)
                        .values(version=ClipRequest.version + 1))

    with a_step_committed_meanwhile(demo, ClipRequest, bumped):
        late = demo.post(f"/clips/{request_id}/approve", demo.login("ioc.operator"))
    assert late.status_code == 409 and late.json()["code"] == "changed_meanwhile"
