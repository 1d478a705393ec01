"""The backend client against a real backend child process (temp DB, demo organisation)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from app.audit_log import AuditFilter, AuditRow, ChainVerdict
from app.backend import BackendClient
from app.cases import CaseFilter
from app.domain import Action, CameraSystem, Layout
from app.errors import (
    AuthFailed,
    BackendError,
    BackendUnreachable,
    Conflict,
    Forbidden,
    NotFound,
    SessionExpired,
    Unavailable,
    ValidationFailed,
)
from app.incidents import Incident
from app.public_cameras import PublicCameraRow
from app.reports import ReportQuery
from common.vocabulary import IncidentState, ReportKind
from layouts import template
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
    # behind the gateway: the streams to ask a session for, never an address or a password
    assert viewable and all(c.streams == ("main", "sub") and c.sub_stream_url is None
                            for c in viewable)
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


def test_typed_endpoints_answer_the_apps_types(client: BackendClient) -> None:
    """The feature services' endpoints: dataclasses in and out, binary bodies, their limit."""
    client.login("ioc.operator", "demo")
    verdict = client.verify_audit()
    assert isinstance(verdict, ChainVerdict) and verdict.ok and verdict.rows > 0
    assert all(isinstance(row, AuditRow) for row in client.audit_rows(AuditFilter(), limit=5))
    body = client.audit_export(AuditFilter(), purpose="kiểm tra")
    assert body.count(b"\n") >= 2
    with pytest.raises(BackendError, match="larger than"):
        client.audit_export(AuditFilter(), purpose="kiểm tra", limit=10)
    rows = client.public_camera_rows()
    assert rows and all(isinstance(row, PublicCameraRow) for row in rows)
    assert all(isinstance(i, Incident) and i.state == IncidentState.OPEN
               for i in client.incidents(IncidentState.OPEN))


# -- the typed errors, each from the real server's error envelope -----------------------------

def test_a_404_is_not_found(client: BackendClient) -> None:
    client.login("ioc.operator", "demo")
    with pytest.raises(NotFound) as info:
        client.case(999_999)
    assert info.value.status == 404 and info.value.code == "not_found"
    assert str(info.value)
    with pytest.raises(NotFound):
        client.acknowledge_incident(999_999)


def test_a_403_is_forbidden_with_the_servers_reason(client: BackendClient) -> None:
    client.login("police.officer", "demo")
    with pytest.raises(Forbidden) as info:
        client.report(ReportQuery(ReportKind.YEARLY, year=2026))
    error = info.value
    assert error.status == 403 and error.code == "forbidden"
    assert error.reason == "Only the operating unit makes reports"
    assert str(error) == error.reason  # the sentence the panels show is kept


def test_a_409_is_a_conflict_taken_name_and_stale_version(client: BackendClient) -> None:
    client.login("ioc.operator", "demo")
    ids = [c.id for c in client.cameras()]
    saved = client.create_layout(Layout.from_wall("Xung đột", template("2x2"), ids[:4]))
    try:
        with pytest.raises(Conflict) as taken:
            client.create_layout(Layout.from_wall("Xung đột", template("1x1"), ids[:1]))
        assert taken.value.status == 409 and taken.value.code == "conflict"
        assert isinstance(taken.value, BackendError) and str(taken.value)
        assert saved.id is not None and saved.version is not None
        client.update_layout(saved.id, saved.version, name="Xung đột 2")
        with pytest.raises(Conflict, match="version"):
            client.update_layout(saved.id, saved.version, name="Xung đột 3")
    finally:
        assert saved.id is not None
        client.delete_layout(saved.id)


def test_a_422_names_its_field(client: BackendClient) -> None:
    client.login("ioc.operator", "demo")
    with pytest.raises(ValidationFailed) as info:
        client.report(ReportQuery(ReportKind.YEARLY, year=1999))
    error = info.value
    assert error.status == 422 and error.code == "validation_error"
    assert error.field == "year"
    assert [field for field, _message in error.errors] == ["year"]
    with pytest.raises(ValidationFailed) as state:
        client.incidents("bogus")
    assert state.value.field == "state"


def test_no_answer_is_unreachable_not_a_server_error() -> None:
    client = BackendClient(f"http://127.0.0.1:{free_port()}", timeout=(1.0, 1.0))
    try:
        with pytest.raises(BackendUnreachable) as info:
            client.cases(CaseFilter())
        assert not isinstance(info.value, Unavailable)  # nobody answered at all
        assert info.value.status is None
    finally:
        client.close()


class _Answers(http.server.BaseHTTPRequestHandler):
    """A stand-in for a proxy in front of the server: 503 with the envelope, 502 without."""

    def do_GET(self) -> None:  # noqa: N802 (the handler's name)
        if self.path.startswith("/api/v1/cases"):
            body = json.dumps({"code": "unavailable", "message": "Back in a minute"}).encode()
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
        else:
            body = b"<html>bad gateway</html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


@pytest.fixture
def proxy_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_503_or_502_is_unavailable(proxy_url: str) -> None:
    client = BackendClient(proxy_url)
    try:
        with pytest.raises(Unavailable) as info:
            client.cases(CaseFilter())
        assert isinstance(info.value, BackendUnreachable)  # callers catching that keep working
        assert info.value.status == 503 and info.value.code == "unavailable"
        assert "Back in a minute" in str(info.value)
        with pytest.raises(Unavailable) as gateway:
            client.audit_export(AuditFilter(), purpose="kiểm tra")
        assert gateway.value.status == 502 and gateway.value.code is None
    finally:
        client.close()


def test_the_client_learns_the_servers_version_and_its_clock_offset(client: BackendClient) -> None:
    from common import versions
    answer = client.version()
    assert answer["version"] == versions.PRODUCT_VERSION
    assert client.clock_offset_s is not None
    assert abs(client.clock_offset_s) < 1.0  # the same machine's clock, within a round trip
    assert client.too_old is None


def test_a_client_below_the_servers_level_gets_client_too_old(
        backend_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.errors import ClientTooOld
    from common import versions
    monkeypatch.setattr(versions, "API_LEVEL", versions.MIN_CLIENT_API_LEVEL - 1)
    old = BackendClient(backend_url)
    try:
        with pytest.raises(ClientTooOld) as refused:
            old.login("ioc.operator", "demo")
        assert refused.value.status == 426
        assert refused.value.context["server_version"] == versions.PRODUCT_VERSION
        assert old.too_old is refused.value
        assert old.version()["min_client_api_level"] == versions.MIN_CLIENT_API_LEVEL
    finally:
        old.close()
