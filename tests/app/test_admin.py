"""Site administration in the app layer: the checks a form makes before sending (pure), the JSON
of a new camera and of a change (only what differs, a password only when typed), and the typed
client and :class:`AdminService` against a real backend — wards, units, accounts and their
sessions, cameras (never a secret in an answer), gateways, a CSV dry run — with the server's
refusals naming their field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.admin import CAMERAS, AdminService
from app.backend import BackendClient
from app.capabilities import Capabilities
from app.domain.admin import (
    AdminCamera,
    CameraFields,
    FieldProblem,
    Problem,
    check_camera,
    check_password,
    check_rtsp_url,
)
from app.errors import Conflict, Forbidden, ValidationFailed
from app.messages import MessageBridge
from app.ops import Ops
from common.vocabulary import (
    CameraSystem,
    CameraTransport,
    ImportAction,
    OwnerCategory,
    Role,
    UnitKind,
)

# -- pure ------------------------------------------------------------------------------------------


def test_camera_checks_before_sending() -> None:
    fields = CameraFields(name=" ", ward_id=None, system=CameraSystem.PUBLIC, latitude=91.0,
                          longitude=-181.0, direction=360, main_url="rtsp://u:p@10.0.0.1/s",
                          sub_url="http://10.0.0.1/s", onvif_port=0, password="x")
    assert {(p.field, p.problem) for p in check_camera(fields)} == {
        ("name", Problem.REQUIRED), ("ward_id", Problem.REQUIRED),
        ("owner_category", Problem.REQUIRED), ("latitude", Problem.LATITUDE),
        ("longitude", Problem.LONGITUDE), ("direction", Problem.DIRECTION),
        ("main_url", Problem.URL_CREDENTIALS), ("sub_url", Problem.URL_SHAPE),
        ("onvif_port", Problem.PORT), ("onvif_host", Problem.REQUIRED),
        ("gateway_id", Problem.REQUIRED)}
    good = CameraFields(name="Cổng chợ", ward_id=1, main_url="rtsp://10.0.0.1:554/s",
                        latitude=-90.0, longitude=180.0, direction=0, onvif_host="10.0.0.1",
                        onvif_port=65535)
    assert check_camera(good) == []
    assert check_rtsp_url("main_url", "", required=True) == FieldProblem("main_url",
                                                                         Problem.REQUIRED)
    assert check_password("password", "ngắn", "ngắn") == FieldProblem("password",
                                                                      Problem.PASSWORD_SHORT)
    assert check_password("password", "a" * 10, "b" * 10) == FieldProblem(
        "password", Problem.PASSWORDS_DIFFER)
    assert check_password("password", "a" * 10, "a" * 10) is None


def _camera(**changes: object) -> AdminCamera:
    base = dict(id=3, external_id=None, name="Cổng chợ", ward_id=1, ward="Đồng Phú",
                system=CameraSystem.SMART_CITY, owner_category=None, owner="", location="",
                latitude=None, longitude=None, direction=None, main_url="rtsp://10.0.0.1/m",
                sub_url=None, onvif_host=None, onvif_port=None, ptz=False, public=False,
                record=True, transport=CameraTransport.AUTO, gateway_id=1, gateway="local",
                is_active=True, has_credentials=True)
    base.update(changes)
    return AdminCamera(**base)  # type: ignore[arg-type]


def test_a_change_sends_only_what_differs_and_a_password_only_when_typed() -> None:
    before = _camera()
    same = CameraFields(name="Cổng chợ", ward_id=1, main_url="rtsp://10.0.0.1/m", gateway_id=1)
    assert same.changes(before) == {}
    moved = CameraFields(name="Cổng chợ mới", ward_id=2, main_url="rtsp://10.0.0.1/m",
                         gateway_id=1, latitude=17.47, transport=CameraTransport.TCP,
                         password="mat-khau-moi")
    assert moved.changes(before) == {"name": "Cổng chợ mới", "ward_id": 2, "latitude": 17.47,
                                     "transport": "tcp", "password": "mat-khau-moi"}
    cleared = _camera(sub_url="rtsp://10.0.0.1/s")
    assert same.changes(cleared) == {"sub_url": None}
    body = CameraFields(name="x", ward_id=1, system=CameraSystem.PUBLIC,
                        owner_category=OwnerCategory.SCHOOL, main_url="rtsp://h/p").body()
    assert body["owner_category"] == "school" and "password" not in body
    assert "latitude" not in body and "gateway_id" not in body


def test_only_the_operating_units_administrators_administer() -> None:
    from app.domain import Scope, Unit, User

    def user(kind: str, role: str) -> User:
        return User(1, "u", "U", role, Unit(1, "x", kind), Scope(True))

    assert Capabilities.of(user(UnitKind.OPERATING_UNIT, Role.ADMIN)).administer
    assert not Capabilities.of(user(UnitKind.OPERATING_UNIT, Role.OPERATOR)).administer
    assert not Capabilities.of(user(UnitKind.CITY_POLICE, Role.ADMIN)).administer


# -- against the backend ------------------------------------------------------------------------


@pytest.fixture
def client(backend_url: str) -> Iterator[BackendClient]:
    backend = BackendClient(backend_url)
    backend.login("ioc.admin", "demo")
    yield backend
    backend.logout()
    backend.close()


def test_the_typed_client_reads_and_writes_the_site(client: BackendClient,
                                                    backend_url: str) -> None:
    wards = client.admin_wards()
    assert any(w.name == "Đồng Phú" for w in wards)
    ward = client.create_ward("Phường Kiểm Thử")
    with pytest.raises(Conflict) as taken:
        client.create_ward("Phường Kiểm Thử")
    assert str(taken.value).startswith("name:")
    unit = client.create_unit("CA phường Kiểm Thử", UnitKind.WARD_POLICE, ward.id)
    assert unit.ward is not None and unit.ward.id == ward.id
    with pytest.raises(ValidationFailed) as no_ward:
        client.create_unit("CA thiếu phường", UnitKind.WARD_POLICE, None)
    assert no_ward.value.field == "ward_id"
    user = client.create_user("kiem.thu", "Lê Kiểm Thử", unit.id, Role.OFFICER,
                              "Cau-Nhat-Le-2026")
    assert user.must_change_password and user.unit.kind == UnitKind.WARD_POLICE
    with pytest.raises(ValidationFailed) as common:
        client.reset_password(user.id, "1234567890")
    assert common.value.field == "password"
    other = BackendClient(backend_url)
    try:
        session = other.login("kiem.thu", "Cau-Nhat-Le-2026")
        assert session.user.must_change_password
        with pytest.raises(Forbidden):
            other.cameras()  # nothing else until the password is the user's own
        assert len(client.user_sessions(user.id)) == 1
        client.end_user_session(user.id)
        assert client.user_sessions(user.id) == []
    finally:
        other.close()
    client.set_user_active(user.id, False)
    assert not next(u for u in client.admin_users() if u.id == user.id).is_active

    gateways = client.gateways()
    assert gateways and gateways[0].public_key
    camera = client.create_camera(CameraFields(
        name="Camera kiểm thử", ward_id=ward.id, main_url="rtsp://10.9.9.9:554/main",
        gateway_id=gateways[0].id, username="admin", password="mat-khau-camera"))
    assert camera.has_credentials and camera.gateway_id == gateways[0].id
    assert "mat-khau-camera" not in repr(camera)
    changed = client.update_camera(camera.id, CameraFields(
        name="Camera kiểm thử", ward_id=ward.id, main_url="rtsp://10.9.9.9:554/main",
        gateway_id=gateways[0].id, transport=CameraTransport.TCP).changes(camera))
    assert changed.transport == CameraTransport.TCP and changed.has_credentials
    assert not client.set_camera_active(camera.id, False).is_active
    assert client.admin_camera(camera.id).is_active is False
    with pytest.raises(ValidationFailed) as credentials:
        client.create_camera(CameraFields(name="x", ward_id=ward.id,
                                          main_url="rtsp://a:b@10.9.9.9/main"))
    assert credentials.value.field == "main_url"


def test_a_dry_run_lists_rows_and_errors(client: BackendClient) -> None:
    csv_text = ("external_id,name,ward,system,rtsp_url\n"
                "K-1,Ngã ba Kiểm,Đồng Phú,smart_city,rtsp://10.8.0.1/main\n"
                "K-2,Ngã tư Kiểm,Không Có,smart_city,rtsp://10.8.0.2/main\n").encode()
    result = client.import_cameras(csv_text, None, True)
    assert result.dry_run and [r.action for r in result.rows] == [ImportAction.CREATE]
    assert [(e.row, e.column) for e in result.errors] == [(3, "ward")]
    with pytest.raises(ValidationFailed):
        client.import_cameras(csv_text, None, False)
    assert not [c for c in client.admin_cameras() if c.external_id == "K-1"]


def test_the_service_reports_changes(client: BackendClient, ops: Ops, messages: MessageBridge,
                                     qtbot: QtBot, tmp_path: Path) -> None:
    service = AdminService(client, ops, messages)
    with qtbot.waitSignal(service.changed, timeout=20_000) as changed:
        service.create_ward("Phường Tín Hiệu")
    assert changed.args == ["wards"]
    got: list[object] = []
    service.cameras().success(got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    assert CAMERAS == "cameras" and got[0]
