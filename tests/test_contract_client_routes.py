"""Every route the typed backend client calls exists in the server's OpenAPI, and nothing outside
the client calls the raw transport (docs/contracts.md, "Backend").

1. Routes. Each public method of :class:`app.backend.BackendClient` is called once (``CALLS``)
   with its transport replaced by a recorder; every ``(method, path)`` it asks for must match a
   path template of the server's OpenAPI with that method, and every query parameter it sends
   must be one the operation declares. A route renamed or removed on either side fails here; a
   new client method without an entry in ``CALLS`` fails too.
2. Layering. No module of ``app/`` or ``widgets/`` (nor ``main.py``) other than the client
   (``app/backend.py``, ``app/api.py``) calls the raw transport (``call``, ``get_bytes``,
   ``_call``, ``_get_bytes``, ``_request``): services go through the typed methods.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import tempfile
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.api import BackendApi
from app.audit_log import AuditFilter
from app.backend import BackendClient
from app.bookmarks import BookmarkDraft, BookmarkFilter
from app.cases import CaseEditInput, CaseFilter, StepInput
from app.domain import Layout
from app.domain.admin import CameraFields
from app.health_reports import HealthReport
from app.ptz.lease import LeaseApi
from app.reports import ExportFormat, ReportQuery
from common.vocabulary import (
    CaseAction,
    ClipBox,
    IncidentCategory,
    IncidentKind,
    IncidentState,
    ReportKind,
    Role,
    UnitKind,
)
from layouts import template
from tests.openapi import server_openapi

ROOT = Path(__file__).resolve().parents[1]
API_PREFIX = "/api/v1"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LAYOUT = Layout.from_wall("Cổng chợ", template("1x1"), [1])
PDF = b"%PDF-1.4\n%%EOF\n"
DOWNLOADS = Path(tempfile.gettempdir()) / "iocwall-contract"  # the download's folder is made first


class Asked(Exception):
    """What the client asked the transport for: the request ends here."""

    def __init__(self, method: str, path: str, params: dict[str, Any] | None) -> None:
        super().__init__(f"{method} {path}")
        self.method, self.path, self.params = method, path, dict(params or {})


def recording_client() -> BackendClient:
    client = BackendClient("http://127.0.0.1:9")

    def request(method: str, path: str, *, params: dict[str, Any] | None = None,
                **_kwargs: Any) -> Any:
        raise Asked(method, path, params)

    client._request = request  # type: ignore[method-assign,assignment]
    client._token = "token"  # logout asks the server only with a session
    return client


Call = Callable[[BackendClient], Any]


# each public method of the client → the calls that exercise its routes
CALLS: dict[str, list[Call]] = {
    "health": [lambda c: c.health()],
    "version": [lambda c: c.version()],
    "login": [lambda c: c.login("ioc.operator", "demo")],
    "resume": [lambda c: c.resume("token")],
    "logout": [lambda c: c.logout()],
    "me": [lambda c: c.me()],
    "cameras": [lambda c: c.cameras()],
    "camera": [lambda c: c.camera(3)],
    "audit_event": [lambda c: c.audit_event("view_start", 3, "tile")],
    "layouts": [lambda c: c.layouts()],
    "layout": [lambda c: c.layout(4)],
    "create_layout": [lambda c: c.create_layout(LAYOUT)],
    "update_layout": [lambda c: c.update_layout(4, 1, LAYOUT, is_startup=True)],
    "delete_layout": [lambda c: c.delete_layout(4)],
    "create_bookmark": [lambda c: c.create_bookmark(BookmarkDraft(3, NOW, note="x"))],
    "bookmarks": [lambda c: c.bookmarks(BookmarkFilter(camera_id=3, ward_id=1, since=NOW,
                                                       until=NOW, tag="t", author="a",
                                                       text="q"))],
    "create_clip": [lambda c: c.create_clip(3, NOW, NOW + timedelta(minutes=1), "p", "c")],
    "clips": [lambda c: c.clips(ClipBox.AWAITING)],
    "clip": [lambda c: c.clip(5)],
    "clip_step": [lambda c: c.clip_step(5, "endorse"), lambda c: c.clip_step(5, "approve"),
                  lambda c: c.clip_step(5, "reject", "no")],
    "clip_manifest": [lambda c: c.clip_manifest(5)],
    "signing_keys": [lambda c: c.signing_keys()],
    "recordings": [lambda c: c.recordings(3, NOW, NOW + timedelta(hours=1))],
    "download_clip": [lambda c: c.download_clip(5, DOWNLOADS / "clip.mp4")],
    # app.api.BackendApi
    "cases": [lambda c: c.cases(CaseFilter(state="opened", kind="lane", deadline="overdue",
                                           camera_id=3, since=NOW, until=NOW))],
    "case": [lambda c: c.case(6)],
    "open_case": [lambda c: c.open_case("lane", bookmark_id=1, detected_at=NOW, note="n")],
    "add_case_clip": [lambda c: c.add_case_clip(6, 5)],
    "case_step": [(lambda c, a=action: c.case_step(6, a, StepInput(note="n")))
                  for action in CaseAction]
    + [lambda c: c.case_step(6, CaseAction.IDENTIFY_VIOLATOR, StepInput(at=NOW))],
    "edit_case": [lambda c: c.edit_case(6, CaseEditInput(
        "reason", note="n", kind="lane", complex=True, decision_kind="transferred",
        handover_needed=True))],
    "approve_case_version": [lambda c: c.approve_case_version(6, 2, "reason")],
    "publications": [lambda c: c.publications()],
    "public_catalogue": [lambda c: c.public_catalogue()],
    "set_public_catalogue": [lambda c: c.set_public_catalogue([3], ["red_light"])],
    "propose_publication": [
        lambda c: c.propose_publication(6, "title", 5, [[{"t": 0, "box": [0, 0, 0.1, 0.1]}]]),
        lambda c: c.propose_publication(6, "title", None, [])],
    "publication_step": [(lambda c, s=step: c.publication_step(4, s, "text"))
                         for step in ("review", "approve", "reject", "withdraw")],
    "publication_frame": [lambda c: c.publication_frame(5, 1.5)],
    "download_case_package": [lambda c: c.download_case_package(
        6, DOWNLOADS / "package.zip", purpose="chuyển Công an thành phố")],
    "incidents": [lambda c: c.incidents(IncidentState.OPEN), lambda c: c.incidents(),
                  lambda c: c.incidents(IncidentState.OPEN, IncidentCategory.SERVER)],
    "report_incident": [lambda c: c.report_incident(3, IncidentKind.OFFLINE, "n"),
                        lambda c: c.report_incident(3, IncidentKind.OFFLINE, "n",
                                                    snapshot=b"\xff\xd8\xff")],
    "report_fault": [lambda c: c.report_fault(IncidentCategory.NETWORK, "cáp quang phường",
                                              IncidentKind.NETWORK_DOWN, "n")],
    "acknowledge_incident": [lambda c: c.acknowledge_incident(7)],
    "resolve_incident": [lambda c: c.resolve_incident(7, "fixed")],
    "incident_snapshot": [lambda c: c.incident_snapshot(7, 8)],
    "report_health": [lambda c: c.report_health(HealthReport(3, NOW, NOW, 1.0, 0.0, 0))],
    "public_camera_rows": [lambda c: c.public_camera_rows()],
    "stream_session": [lambda c: c.stream_session(3, "main")],
    "stream_session_url": [lambda c: c.stream_session_url(3, "sub")],
    "set_camera_public": [lambda c: c.set_camera_public(3, True)],
    "duty_now": [lambda c: c.duty_now()],
    "duty_roster": [lambda c: c.duty_roster(NOW.date(), NOW.date())],
    "assign_duty": [lambda c: c.assign_duty(NOW.date(), 1, [2])],
    "duty_people": [lambda c: c.duty_people()],
    "handovers": [lambda c: c.handovers()],
    "handover": [lambda c: c.handover(4)],
    "write_handover": [lambda c: c.write_handover("giao ca")],
    "acknowledge_handover": [lambda c: c.acknowledge_handover(4)],
    "access_requests": [lambda c: c.access_requests()],
    "requestable_cameras": [lambda c: c.requestable_cameras()],
    "file_access_request": [lambda c: c.file_access_request(
        content="c", purpose="p", commitment="m", camera_ids=[3], wanted_from=NOW,
        wanted_until=NOW, letter_name="cong-van.pdf", letter=PDF)],
    "grant_access": [lambda c: c.grant_access(9, [3], NOW, NOW)],
    "reject_access": [lambda c: c.reject_access(9, "no reason")],
    "revoke_access": [lambda c: c.revoke_access(9)],
    "access_request_letter": [lambda c: c.access_request_letter(9)],
    "clip_letter": [lambda c: c.clip_letter(5)],
    "audit_rows": [lambda c: c.audit_rows(AuditFilter(NOW, NOW, "u", "view_start", 3),
                                          limit=10, offset=10)],
    "audit_event_names": [lambda c: c.audit_event_names()],
    "verify_audit": [lambda c: c.verify_audit()],
    "audit_export": [lambda c: c.audit_export(AuditFilter(NOW, NOW, "u", "view_start", 3),
                                              purpose="kiểm tra định kỳ")],
    "report": [lambda c: c.report(ReportQuery(ReportKind.QUARTERLY, 2026, 1)),
               lambda c: c.report(ReportQuery(ReportKind.AD_HOC, start=date(2026, 3, 1),
                                              end=date(2026, 3, 2)))],
    "report_file": [lambda c: c.report_file(ReportQuery(ReportKind.YEARLY, 2026),
                                            ExportFormat.PDF, purpose="báo cáo năm")],
    # site administration
    "change_password": [lambda c: c.change_password("demo", "a-long-new-one")],
    "admin_wards": [lambda c: c.admin_wards()],
    "create_ward": [lambda c: c.create_ward("Bắc Lý")],
    "update_ward": [lambda c: c.update_ward(2, name="Bắc Lý", is_active=False)],
    "admin_units": [lambda c: c.admin_units()],
    "create_unit": [lambda c: c.create_unit("Công an phường Bắc Lý", UnitKind.WARD_POLICE, 2)],
    "update_unit": [lambda c: c.update_unit(4, name="x", ward_id=None)],
    "admin_users": [lambda c: c.admin_users()],
    "create_user": [lambda c: c.create_user("a.b", "A B", 4, Role.OFFICER, "x" * 12)],
    "update_user": [lambda c: c.update_user(6, role=Role.LEADER)],
    "reset_password": [lambda c: c.reset_password(6, "x" * 12)],
    "set_user_active": [lambda c: c.set_user_active(6, False),
                        lambda c: c.set_user_active(6, True)],
    "user_sessions": [lambda c: c.user_sessions(6)],
    "end_user_session": [lambda c: c.end_user_session(6), lambda c: c.end_user_session(6, 8)],
    "admin_cameras": [lambda c: c.admin_cameras()],
    "admin_camera": [lambda c: c.admin_camera(3)],
    "create_camera": [lambda c: c.create_camera(CameraFields("c", 2, main_url="rtsp://h/p"))],
    "update_camera": [lambda c: c.update_camera(3, {"transport": "tcp"})],
    "set_privacy_masks": [lambda c: c.set_privacy_masks(3, [(0.0, 0.0, 0.5, 0.5)])],
    "set_camera_active": [lambda c: c.set_camera_active(3, False),
                          lambda c: c.set_camera_active(3, True)],
    "gateways": [lambda c: c.gateways()],
    "create_gateway": [lambda c: c.create_gateway("ward-box", "10.0.0.9", 8555,
                                                  "http://10.0.0.9:8557", "s" * 24, 8556)],
    "update_gateway": [lambda c: c.update_gateway(2, rtsp_port=8555, is_active=False)],
    "preview_stream": [lambda c: c.preview_stream(1, "rtsp://10.0.0.2/ch1", "admin", "pw")],
    "preview_stream_url": [lambda c: c.preview_stream_url(1, "rtsp://10.0.0.2/ch1", "admin",
                                                          "pw", "tcp")],
    "probe_camera": [lambda c: c.probe_camera(1, "10.0.0.2", 80, "admin", "pw")],
    "import_cameras": [lambda c: c.import_cameras(b"external_id,name\n", 1, True)],
}
NOT_ENDPOINTS = {"close", "trust"}  # trust: which CA checks the server, no call


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return server_openapi(tmp_path_factory.mktemp("openapi"))


def public_methods() -> set[str]:
    return {name for name, member in inspect.getmembers(BackendClient, inspect.isfunction)
            if not name.startswith("_")} - NOT_ENDPOINTS


def asked(call: Call) -> Asked:
    client = recording_client()
    try:
        call(client)
    except Asked as request:
        return request
    finally:
        client.close()
    raise AssertionError("the call asked the server nothing")


def route_of(spec: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The OpenAPI operation serving ``method`` ``path`` (a concrete path), if any."""
    for template_path, operations in spec["paths"].items():
        if not template_path.startswith(API_PREFIX):
            continue
        pattern = re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template_path[len(API_PREFIX):]))
        if re.fullmatch(pattern, path) and method.lower() in operations:
            operation: dict[str, Any] = operations[method.lower()]
            return operation
    return None


def test_every_public_method_of_the_client_is_called_here() -> None:
    assert public_methods() - set(CALLS) == set(), "add the new endpoints to CALLS"
    assert set(CALLS) - public_methods() == set(), "CALLS names methods the client lost"
    assert {name for name, _ in inspect.getmembers(BackendApi, inspect.isfunction)
            if not name.startswith("_")} <= set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_routes_the_client_calls_exist_on_the_server(spec: dict[str, Any],
                                                         name: str) -> None:
    for call in CALLS[name]:
        request = asked(call)
        operation = route_of(spec, request.method, request.path)
        assert operation is not None, f"{name}: {request.method} {request.path} is no route"
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        unknown = set(request.params) - declared
        assert not unknown, f"{name}: {request.method} {request.path} has no query {unknown}"


# -- the PTZ lease client (app.ptz.lease.LeaseApi: aiohttp on the qasync loop) -----------------

class RecordingLeaseApi(LeaseApi):
    async def _send(self, method: str, path: str, json: Any = None) -> tuple[int, Any]:
        raise Asked(method, path, None)


LEASE_CALLS: dict[str, list[Callable[[LeaseApi], Coroutine[Any, Any, Any]]]] = {
    "acquire": [lambda a: a.acquire(3), lambda a: a.acquire(3, reserve_seconds=60)],
    "release": [lambda a: a.release(3)],
    "holder": [lambda a: a.holder(3)],
    "onvif_endpoint": [lambda a: a.onvif_endpoint(3)],
}


def test_every_public_method_of_the_lease_client_is_called_here() -> None:
    methods = {name for name, _ in inspect.getmembers(LeaseApi, inspect.isfunction)
               if not name.startswith("_")} - {"close"}
    assert methods == set(LEASE_CALLS), "add the new PTZ endpoints to LEASE_CALLS"


@pytest.mark.parametrize("name", sorted(LEASE_CALLS))
def test_the_routes_the_lease_client_calls_exist_on_the_server(spec: dict[str, Any],
                                                               name: str) -> None:
    api = RecordingLeaseApi(recording_client())
    for call in LEASE_CALLS[name]:
        with pytest.raises(Asked) as request:
            asyncio.run(call(api))
        operation = route_of(spec, request.value.method, request.value.path)
        assert operation is not None, f"{name}: {request.value.method} {request.value.path}"


def test_a_missing_route_or_query_is_caught(spec: dict[str, Any]) -> None:
    """The matcher itself: a renamed route or method does not pass."""
    assert route_of(spec, "GET", "/cases/6") is not None
    assert route_of(spec, "GET", "/casez/6") is None
    assert route_of(spec, "DELETE", "/cases/6") is None
    assert route_of(spec, "POST", "/cases/6/send/again") is None


# -- 2. nobody else calls the raw transport ---------------------------------------------------------

RAW = {"call", "get_bytes", "_call", "_get_bytes", "_request"}
CLIENT = {Path("app/backend.py"), Path("app/api.py")}


def raw_calls(source: str) -> list[tuple[int, str]]:
    """``(line, name)`` of each use of an attribute named like the raw transport on another
    object (``backend.call(…)``, ``functools.partial(self._backend.get_bytes, …)``); a class's
    own private helper of that name (``self._call`` of the ONVIF controller) is not one."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in RAW \
                and not isinstance(node.ctx, ast.Store) \
                and not (isinstance(node.value, ast.Name) and node.value.id == "self"):
            found.append((node.lineno, node.attr))
    return sorted(set(found))


def test_the_scan_sees_a_raw_call() -> None:
    assert raw_calls('self._backend.call("GET", "/cases")') == [(1, "call")]
    assert raw_calls("run(functools.partial(backend.get_bytes, path))") == [(1, "get_bytes")]
    assert raw_calls("client._call('GET', '/x')") == [(1, "_call")]
    assert raw_calls("self._backend._request('GET', '/x')") == [(1, "_request")]
    assert raw_calls("self._backend.cases(where)") == []
    assert raw_calls("self._call(device.ptz.Stop, token)") == []


def test_only_the_client_calls_the_raw_transport() -> None:
    files = [*ROOT.glob("app/**/*.py"), *ROOT.glob("widgets/**/*.py"), ROOT / "main.py"]
    assert len(files) > 40
    offenders = [f"{path.relative_to(ROOT)}:{line}: .{name}"
                 for path in files if path.relative_to(ROOT) not in CLIENT
                 for line, name in raw_calls(path.read_text(encoding="utf-8"))]
    assert not offenders, "use the typed methods of app.api / app.backend instead"
