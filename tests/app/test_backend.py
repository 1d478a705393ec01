"""The backend client against a real backend child process (temp DB, demo organisation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.backend import BackendClient
from app.domain import Action, CameraSystem
from app.errors import AuthFailed, BackendUnreachable, NotFound, SessionExpired, ValidationFailed
from tests.app.helpers import free_port


@pytest.fixture
def client(backend_url: str) -> Iterator[BackendClient]:
    c = BackendClient(backend_url)
    yield c
    c.close()


def test_health_and_login(client: BackendClient) -> None:
    assert client.health()
    session = client.login("ioc.operator", "demo")
    assert session.user.username == "ioc.operator"
    assert session.user.unit.kind == "operating_unit"
    assert session.user.scope.city_wide
    assert session.access_token and session.access_token not in repr(session)
    assert client.me() == session.user


def test_wrong_password_is_a_readable_auth_error(client: BackendClient) -> None:
    with pytest.raises(AuthFailed) as info:
        client.login("police.officer", "not-the-password")
    assert not isinstance(info.value, SessionExpired)
    assert "not-the-password" not in str(info.value)
    assert str(info.value)


def test_cameras_for_the_operator_and_a_ward_user(client: BackendClient) -> None:
    client.login("ioc.operator", "demo")
    everything = client.cameras()
    assert len(everything) == 8
    assert {c.system for c in everything} <= set(CameraSystem)
    viewable = [c for c in everything if c.can(Action.VIEW)]
    assert viewable and all(c.sub_stream_url and "@" in c.sub_stream_url for c in viewable)
    client.login("ward.dongphu.police", "demo")
    ward = client.cameras()
    assert ward and {c.ward for c in ward} == {"Đồng Phú"}
    assert len(ward) < len(everything)
    outside = next(c for c in everything if c.ward != "Đồng Phú")
    with pytest.raises(NotFound):
        client.camera(outside.id)
    assert client.camera(ward[0].id).name == ward[0].name


def test_audit_event_is_recorded(client: BackendClient) -> None:
    client.login("ioc.operator", "demo")
    camera = client.cameras()[0]
    client.audit_event("view_start", camera.id)
    client.audit_event("view_stop", camera.id, "test")
    with pytest.raises(ValidationFailed) as info:
        client.audit_event("dance", camera.id)
    assert info.value.field == "event"


def test_logout_ends_the_session(client: BackendClient) -> None:
    session = client.login("ioc.operator", "demo")
    client.logout()
    other = BackendClient(client.server_url)
    try:
        with pytest.raises(SessionExpired):
            other.resume(session.access_token)
    finally:
        other.close()


def test_unreachable_server() -> None:
    client = BackendClient(f"http://127.0.0.1:{free_port()}", timeout=(1.0, 1.0))
    with pytest.raises(BackendUnreachable) as info:
        client.login("ioc.operator", "demo")
    assert "127.0.0.1" in str(info.value)


def test_generic_call_and_get_bytes(client: BackendClient) -> None:
    """The feature clients' plumbing: JSON in and out, 4xx as a readable error, binary bodies."""
    client.login("ioc.operator", "demo")
    verdict = client.call("GET", "/audit/verify")
    assert isinstance(verdict, dict) and verdict
    with pytest.raises(NotFound):
        client.call("GET", "/incidents/999999")
    body, content_type = client.get_bytes("/audit/export")
    assert content_type.startswith("text/csv")
    assert body.count(b"\n") >= 2
    with pytest.raises(Exception, match="larger than"):
        client.get_bytes("/audit/export", limit=10)
