"""The typed endpoints of the backend the feature services use (docs/contracts.md, "Backend").

One method per endpoint, answering the app's dataclasses and refusing with the typed errors of
:mod:`app.errors`. The HTTP transport is not here: :class:`app.backend.BackendClient` (requests)
subclasses :class:`BackendApi` and gives it ``_call`` and ``_get_bytes``, the raw calls no module
outside the client uses. This module imports no HTTP library, so services can name the answers'
types without pulling ``requests`` into the widgets that import them.

Blocking, like the transport under it: call these through :mod:`app.ops`.
"""

from __future__ import annotations

import json as jsonlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from app.access_requests import (
    AccessRequest,
    RequestableCamera,
    parse_access_request,
    parse_requestable_camera,
)
from app.audit_log import AuditFilter, AuditRow, ChainVerdict
from app.audit_log import parse_row as parse_audit_row
from app.cases import Case, CaseEditInput, CaseFilter, StepInput, parse_case
from app.domain.admin import (
    AdminCamera,
    AdminUnit,
    AdminUser,
    AdminWard,
    CameraFields,
    GatewayInfo,
    ImportResult,
    LoginSession,
    ProbeResult,
)
from app.errors import BackendError
from app.health_reports import HealthReport
from app.incidents import Incident, parse_incident
from app.letters import MAX_LETTER_BYTES
from app.public_cameras import PublicCameraRow
from app.public_cameras import parse_row as parse_public_camera
from app.reports import ExportFormat, Report, ReportQuery, parse_report
from common.records import (
    DutyPerson,
    DutyShift,
    Handover,
    MalformedRecord,
    Publication,
    PublicCatalogue,
    StreamSession,
    from_json,
)
from common.vocabulary import (
    CaseAction,
    IncidentCategory,
    IncidentKind,
    IncidentState,
    Role,
    UnitKind,
)

R = TypeVar("R")

DEFAULT_BYTES_LIMIT = 64 * 1024 * 1024
# a letter is at most MAX_LETTER_BYTES; the slack lets the caller say "too large" itself
LETTER_BYTES_LIMIT = MAX_LETTER_BYTES + 1024


def _iso(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _rows(data: Any, what: str) -> list[Any]:
    """A list answer (an empty body is an empty list)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise BackendError(f"the server sent an unexpected {what}")
    return data


def _publication(data: Any) -> Publication:
    try:
        return from_json(Publication, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected publication record") from exc


class BackendApi(ABC):
    """Typed endpoints over an abstract transport (see the module docstring)."""

    # -- the transport (app.backend.BackendClient) ---------------------------------------------
    @abstractmethod
    def _call(self, method: str, path: str, *, json: Any = None,
              params: dict[str, Any] | None = None, data: dict[str, Any] | bytes | None = None,
              files: dict[str, Any] | None = None, content_type: str | None = None,
              read_timeout: float | None = None) -> Any:
        """One authenticated API call; the parsed JSON answer (None for an empty body).
        ``data`` as bytes is sent as the body with ``content_type``; ``read_timeout`` replaces
        the client's for a call the server answers slowly (a camera probe)."""

    @abstractmethod
    def _get_bytes(self, path: str, *, params: dict[str, Any] | None = None,
                   limit: int = DEFAULT_BYTES_LIMIT) -> tuple[bytes, str]:
        """A small binary answer and its content type; bodies above ``limit`` are refused."""

    # -- violation cases -----------------------------------------------------------------------
    def cases(self, where: CaseFilter) -> list[Case]:
        """The cases the user's unit handles, as the server filters them (``where.ward`` is the
        caller's to apply: the server has no such filter)."""
        return [parse_case(c) for c in _rows(self._call("GET", "/cases", params=where.params()),
                                             "case list")]

    def case(self, case_id: int) -> Case:
        return parse_case(self._call("GET", f"/cases/{int(case_id)}"))

    def open_case(self, kind: str, *, bookmark_id: int | None = None,
                  clip_request_id: int | None = None, detected_at: datetime | None = None,
                  note: str = "") -> Case:
        """Open a case from exactly one bookmark or clip request (the server checks)."""
        body: dict[str, Any] = {"kind": str(kind), "note": note}
        if bookmark_id is not None:
            body["bookmark_id"] = int(bookmark_id)
        if clip_request_id is not None:
            body["clip_request_id"] = int(clip_request_id)
        if detected_at is not None:
            body["detected_at"] = _iso(detected_at)
        return parse_case(self._call("POST", "/cases", json=body))

    def add_case_clip(self, case_id: int, clip_request_id: int) -> Case:
        return parse_case(self._call("POST", f"/cases/{int(case_id)}/clips",
                                     json={"clip_request_id": int(clip_request_id)}))

    def case_step(self, case_id: int, action: CaseAction | str,
                  step: StepInput | None = None) -> Case:
        action = CaseAction(action).value
        return parse_case(self._call("POST", f"/cases/{int(case_id)}/{action}",
                                     json=(step or StepInput()).body()))

    def edit_case(self, case_id: int, edit: CaseEditInput) -> Case:
        """A new version of the case's record (the server keeps the earlier ones)."""
        return parse_case(self._call("POST", f"/cases/{int(case_id)}/edit", json=edit.body()))

    def approve_case_version(self, case_id: int, number: int, reason: str) -> Case:
        return parse_case(self._call(
            "POST", f"/cases/{int(case_id)}/versions/{int(number)}/approve",
            json={"reason": reason}))

    # -- publication (Art. 14) -----------------------------------------------------------------
    def publications(self) -> list[Publication]:
        return [_publication(p) for p in _rows(self._call("GET", "/publications"),
                                               "publications")]

    def propose_publication(self, case_id: int, title: str, clip_request_id: int | None,
                            tracks: list[list[dict[str, Any]]]) -> Publication:
        body: dict[str, Any] = {"case_id": int(case_id), "title": title, "tracks": tracks}
        if clip_request_id is not None:
            body["clip_request_id"] = int(clip_request_id)
        return _publication(self._call("POST", "/publications", json=body))

    def publication_step(self, publication_id: int, step: str,
                         text: str | None = None) -> Publication:
        field = {"review": "note", "reject": "reason", "withdraw": "reason"}.get(step)
        body = {field: text or ""} if field else None
        return _publication(self._call("POST", f"/publications/{int(publication_id)}/{step}",
                                       json=body))

    def publication_frame(self, clip_request_id: int, at_s: float) -> bytes:
        picture, _type = self._get_bytes(f"/publications/frames/{int(clip_request_id)}",
                                         params={"at": round(float(at_s), 3)})
        return picture

    # -- incidents -----------------------------------------------------------------------------
    def incidents(self, state: IncidentState | str | None = None,
                  category: IncidentCategory | str | None = None) -> list[Incident]:
        params = {"state": str(state)} if state else {}
        if category:
            params["category"] = IncidentCategory(category).value
        return [parse_incident(i) for i in _rows(self._call("GET", "/incidents", params=params),
                                                 "incident list")]

    def report_incident(self, camera_id: int, kind: IncidentKind | str, note: str = "", *,
                        automatic: bool = False, snapshot: bytes | None = None,
                        snapshot_type: str = "image/jpeg") -> Incident:
        """File a fault; it opens an incident (201) or joins the camera's open one (200). A
        ``snapshot`` (JPEG or PNG, ``snapshot_type``) makes the body multipart."""
        kind = IncidentKind(kind).value
        if snapshot:
            name = "snapshot.png" if snapshot_type == "image/png" else "snapshot.jpg"
            answer = self._call(
                "POST", "/incidents",
                data={"camera_id": str(int(camera_id)), "kind": kind, "note": note,
                      "automatic": "true" if automatic else "false"},
                files={"snapshot": (name, snapshot, snapshot_type)})
        else:
            answer = self._call("POST", "/incidents", json={
                "camera_id": int(camera_id), "kind": kind, "note": note,
                "automatic": automatic})
        return parse_incident(answer)

    def report_fault(self, category: IncidentCategory | str, subject: str,
                     kind: IncidentKind | str, note: str = "") -> Incident:
        """File a fault of the system (a server, software, storage, the network), not of a
        camera: it opens an incident (201) or joins the open one of that subject and kind
        (200)."""
        return parse_incident(self._call("POST", "/incidents", json={
            "category": IncidentCategory(category).value, "subject": subject,
            "kind": IncidentKind(kind).value, "note": note}))

    def acknowledge_incident(self, incident_id: int) -> Incident:
        return parse_incident(self._call("POST", f"/incidents/{int(incident_id)}/acknowledge"))

    def resolve_incident(self, incident_id: int, resolution: str) -> Incident:
        return parse_incident(self._call("POST", f"/incidents/{int(incident_id)}/resolve",
                                         json={"resolution": resolution}))

    def incident_snapshot(self, incident_id: int, report_id: int, *,
                          limit: int = DEFAULT_BYTES_LIMIT) -> tuple[bytes, str]:
        """A report's snapshot and its content type."""
        return self._get_bytes(
            f"/incidents/{int(incident_id)}/reports/{int(report_id)}/snapshot", limit=limit)

    # -- camera health and publication -----------------------------------------------------------
    def report_health(self, report: HealthReport) -> None:
        self._call("POST", f"/cameras/{int(report.camera_id)}/health", json=report.body())

    def stream_session(self, camera_id: int, stream: str) -> StreamSession:
        """A session of one camera stream at its media gateway (the URL carries a short-lived
        token: open it at once; each reconnect asks again)."""
        try:
            return from_json(StreamSession, self._call(
                "POST", f"/cameras/{int(camera_id)}/streams/{stream}/session"))
        except MalformedRecord as exc:
            raise BackendError("the server sent an unexpected stream session") from exc

    def stream_session_url(self, camera_id: int, stream: str) -> str:
        return self.stream_session(camera_id, stream).url

    def public_camera_rows(self) -> list[PublicCameraRow]:
        """Every camera the user sees, with whether it is on the public API."""
        return [parse_public_camera(c) for c in _rows(self._call("GET", "/cameras"),
                                                      "camera list")]

    def set_camera_public(self, camera_id: int, public: bool) -> PublicCameraRow:
        return parse_public_camera(self._call("PUT", f"/cameras/{int(camera_id)}/public",
                                              json={"public": bool(public)}))

    # -- the 24/7 duty -------------------------------------------------------------------------
    def duty_now(self) -> DutyShift:
        """The shift on duty now and its people (anyone signed in)."""
        return _record(DutyShift, self._call("GET", "/duty/now"))

    def duty_roster(self, start: date, end: date) -> list[DutyShift]:
        """Every shift of ``start``..``end`` (days in UTC+7, inclusive) and who is on it."""
        return _records(DutyShift, self._call("GET", "/duty/roster", params={
            "start": start.isoformat(), "end": end.isoformat()}), "duty roster")

    def duty_people(self) -> list[DutyPerson]:
        """Whom a shift may be given to: the operating unit's active users (for the keepers of
        the roster; 403 to anyone else)."""
        return _records(DutyPerson, self._call("GET", "/duty/people"), "duty people")

    def assign_duty(self, day: date, shift: int, user_ids: list[int]) -> DutyShift:
        """Who is on a shift (replaces the list; administrators and leaders of the IOC)."""
        return _record(DutyShift, self._call(
            "PUT", f"/duty/roster/{day.isoformat()}/{int(shift)}",
            json={"user_ids": [int(u) for u in user_ids]}))

    def handovers(self) -> list[Handover]:
        return _records(Handover, self._call("GET", "/duty/handovers"), "handover list")

    def handover(self, handover_id: int) -> Handover:
        return _record(Handover, self._call("GET", f"/duty/handovers/{int(handover_id)}"))

    def write_handover(self, note: str) -> Handover:
        """The outgoing shift's note; the server lists what is pending now."""
        return _record(Handover, self._call("POST", "/duty/handovers", json={"note": note}))

    def acknowledge_handover(self, handover_id: int) -> Handover:
        return _record(Handover, self._call(
            "POST", f"/duty/handovers/{int(handover_id)}/acknowledge"))

    # -- access requests -----------------------------------------------------------------------
    def access_requests(self) -> list[AccessRequest]:
        return [parse_access_request(r) for r in _rows(self._call("GET", "/access-requests"),
                                                       "access request list")]

    def requestable_cameras(self) -> list[RequestableCamera]:
        """The cameras an agency may name in a request (the server's order: ward, name)."""
        rows = self._call("GET", "/access-requests/cameras")
        if not isinstance(rows, list):
            raise BackendError("the server sent an unexpected camera catalogue")
        return [parse_requestable_camera(r) for r in rows]

    def file_access_request(self, *, content: str, purpose: str, commitment: str,
                            camera_ids: list[int], wanted_from: datetime,
                            wanted_until: datetime, letter_name: str,
                            letter: bytes) -> AccessRequest:
        """File a request with its official letter (a PDF's bytes), as multipart."""
        data = {"content": content, "purpose": purpose, "commitment": commitment,
                "camera_ids": jsonlib.dumps([int(c) for c in camera_ids]),
                "wanted_from": _iso(wanted_from), "wanted_until": _iso(wanted_until)}
        files = {"letter": (letter_name, letter, "application/pdf")}
        return parse_access_request(self._call("POST", "/access-requests", data=data,
                                               files=files))

    def grant_access(self, request_id: int, camera_ids: list[int], valid_until: datetime,
                     valid_from: datetime | None = None) -> AccessRequest:
        body: dict[str, Any] = {"camera_ids": [int(c) for c in camera_ids],
                                "valid_until": _iso(valid_until)}
        if valid_from is not None:
            body["valid_from"] = _iso(valid_from)
        return self._access_step(request_id, "grant", body)

    def reject_access(self, request_id: int, reason: str) -> AccessRequest:
        return self._access_step(request_id, "reject", {"reason": reason})

    def revoke_access(self, request_id: int) -> AccessRequest:
        return self._access_step(request_id, "revoke", None)

    def _access_step(self, request_id: int, step: str,
                     body: dict[str, Any] | None) -> AccessRequest:
        return parse_access_request(self._call(
            "POST", f"/access-requests/{int(request_id)}/{step}", json=body))

    def access_request_letter(self, request_id: int) -> bytes:
        """The request's official letter as stored (the caller checks it is a PDF)."""
        body, _type = self._get_bytes(f"/access-requests/{int(request_id)}/letter",
                                      limit=LETTER_BYTES_LIMIT)
        return body

    def clip_letter(self, request_id: int) -> bytes:
        """A clip request's official letter as stored (the caller checks it is a PDF)."""
        body, _type = self._get_bytes(f"/clips/{int(request_id)}/letter",
                                      limit=LETTER_BYTES_LIMIT)
        return body

    # -- audit log -----------------------------------------------------------------------------
    def audit_rows(self, where: AuditFilter, *, limit: int, offset: int = 0) -> list[AuditRow]:
        """A page of the log, newest first."""
        params = {**where.params(), "limit": int(limit), "offset": int(offset)}
        return [parse_audit_row(r) for r in _rows(self._call("GET", "/audit", params=params),
                                                  "audit page")]

    def audit_event_names(self) -> list[str]:
        """The event names in the log."""
        data = self._call("GET", "/audit/events")
        if not isinstance(data, list) or not all(isinstance(e, str) for e in data):
            raise BackendError("the server sent an unexpected event list")
        return data

    def verify_audit(self) -> ChainVerdict:
        """The server's check of the log's hash chain."""
        data = self._call("GET", "/audit/verify")
        try:
            return from_json(ChainVerdict, data)
        except MalformedRecord as exc:
            raise BackendError("the server sent an unexpected verification") from exc

    def audit_export(self, where: AuditFilter, *, purpose: str,
                     limit: int = DEFAULT_BYTES_LIMIT) -> bytes:
        """The filtered rows as the server's CSV; ``purpose``: what the export is for (the
        audit keeps it)."""
        body, _type = self._get_bytes("/audit/export",
                                      params={**where.params(), "purpose": purpose}, limit=limit)
        return body

    # -- reports -------------------------------------------------------------------------------
    def report(self, query: ReportQuery) -> Report:
        return parse_report(self._call("GET", "/reports", params=query.params()))

    def report_file(self, query: ReportQuery, fmt: ExportFormat, *, purpose: str) -> bytes:
        """The report as the server's CSV or PDF; ``purpose``: what it is for (audited)."""
        body, _type = self._get_bytes("/reports", params={
            **query.params(ExportFormat(fmt).value), "purpose": purpose})
        return body

    # -- site administration (docs/contracts.md, "site administration"; admins only) ----------
    def change_password(self, current_password: str, new_password: str) -> None:
        """Change one's own password; the server ends every session of the account, this one
        too: log in again with the new password."""
        self._call("POST", "/auth/password", json={"current_password": current_password,
                                                   "new_password": new_password})

    def admin_wards(self) -> list[AdminWard]:
        return _records(AdminWard, self._call("GET", "/admin/wards"), "ward list")

    def create_ward(self, name: str) -> AdminWard:
        return _record(AdminWard, self._call("POST", "/admin/wards", json={"name": name}))

    def update_ward(self, ward_id: int, *, name: str | None = None,
                    is_active: bool | None = None) -> AdminWard:
        body = _given(name=name, is_active=is_active)
        return _record(AdminWard, self._call("PATCH", f"/admin/wards/{int(ward_id)}", json=body))

    def admin_units(self) -> list[AdminUnit]:
        return _records(AdminUnit, self._call("GET", "/admin/units"), "unit list")

    def create_unit(self, name: str, kind: UnitKind | str, ward_id: int | None) -> AdminUnit:
        body = {"name": name, "kind": str(kind), "ward_id": ward_id}
        return _record(AdminUnit, self._call("POST", "/admin/units", json=body))

    def update_unit(self, unit_id: int, *, name: str | None = None,
                    kind: UnitKind | str | None = None, ward_id: int | None | object = ...,
                    is_active: bool | None = None) -> AdminUnit:
        """``ward_id`` left out stays; None clears it (a unit no longer of one ward)."""
        body = _given(name=name, kind=str(kind) if kind else None, is_active=is_active)
        if ward_id is not ...:
            body["ward_id"] = ward_id
        return _record(AdminUnit, self._call("PATCH", f"/admin/units/{int(unit_id)}", json=body))

    def admin_users(self) -> list[AdminUser]:
        return _records(AdminUser, self._call("GET", "/admin/users"), "account list")

    def create_user(self, username: str, full_name: str, unit_id: int, role: Role | str,
                    password: str) -> AdminUser:
        body = {"username": username, "full_name": full_name, "unit_id": int(unit_id),
                "role": str(role), "password": password}
        return _record(AdminUser, self._call("POST", "/admin/users", json=body))

    def update_user(self, user_id: int, *, full_name: str | None = None,
                    unit_id: int | None = None, role: Role | str | None = None) -> AdminUser:
        body = _given(full_name=full_name, unit_id=unit_id, role=str(role) if role else None)
        return _record(AdminUser, self._call("PATCH", f"/admin/users/{int(user_id)}", json=body))

    def reset_password(self, user_id: int, password: str) -> None:
        """The account's sessions end; its owner must choose a password at the next login."""
        self._call("POST", f"/admin/users/{int(user_id)}/password", json={"password": password})

    def set_user_active(self, user_id: int, active: bool) -> None:
        step = "activate" if active else "deactivate"
        self._call("POST", f"/admin/users/{int(user_id)}/{step}")

    def user_sessions(self, user_id: int) -> list[LoginSession]:
        return _records(LoginSession, self._call("GET", f"/admin/users/{int(user_id)}/sessions"),
                        "session list")

    def end_user_session(self, user_id: int, session_id: int | None = None) -> None:
        """End one session of the account, or every one (``session_id`` None)."""
        path = f"/admin/users/{int(user_id)}/sessions"
        self._call("DELETE", path if session_id is None else f"{path}/{int(session_id)}")

    def admin_cameras(self) -> list[AdminCamera]:
        """Every camera, deactivated ones too, by name."""
        return _records(AdminCamera, self._call("GET", "/admin/cameras"), "camera list")

    def public_catalogue(self) -> PublicCatalogue:
        return _record(PublicCatalogue, self._call("GET", "/public-catalogue"))

    def set_public_catalogue(self, camera_ids: Sequence[int],
                             violation_kinds: Sequence[str]) -> PublicCatalogue:
        return _record(PublicCatalogue, self._call(
            "PUT", "/admin/public-catalogue",
            json={"camera_ids": [int(c) for c in camera_ids],
                  "violation_kinds": [str(k) for k in violation_kinds]}))

    def admin_camera(self, camera_id: int) -> AdminCamera:
        return _record(AdminCamera, self._call("GET", f"/admin/cameras/{int(camera_id)}"))

    def create_camera(self, fields: CameraFields) -> AdminCamera:
        """All or nothing: a refusal names the field and leaves nothing written."""
        return _record(AdminCamera, self._call("POST", "/admin/cameras", json=fields.body()))

    def update_camera(self, camera_id: int, changes: dict[str, Any]) -> AdminCamera:
        """``changes``: :meth:`CameraFields.changes` (fields left out stay)."""
        return _record(AdminCamera, self._call("PATCH", f"/admin/cameras/{int(camera_id)}",
                                               json=changes))

    def set_privacy_masks(self, camera_id: int,
                          masks: Sequence[tuple[float, float, float, float]]) -> AdminCamera:
        """Replace the camera's privacy masks (``[]``: none)."""
        return _record(AdminCamera, self._call(
            "PUT", f"/admin/cameras/{int(camera_id)}/privacy-masks",
            json={"masks": [[round(float(v), 4) for v in rect] for rect in masks]}))

    def set_camera_active(self, camera_id: int, active: bool) -> AdminCamera:
        step = "activate" if active else "deactivate"
        return _record(AdminCamera, self._call("POST",
                                               f"/admin/cameras/{int(camera_id)}/{step}"))

    def gateways(self) -> list[GatewayInfo]:
        return _records(GatewayInfo, self._call("GET", "/admin/gateways"), "gateway list")

    def create_gateway(self, name: str, rtsp_host: str, rtsp_port: int, control_url: str,
                       control_secret: str, ptz_port: int | None = None) -> GatewayInfo:
        body = {"name": name, "rtsp_host": rtsp_host, "rtsp_port": int(rtsp_port),
                "control_url": control_url, "control_secret": control_secret,
                "ptz_port": ptz_port}
        return _record(GatewayInfo, self._call("POST", "/admin/gateways", json=body))

    def update_gateway(self, gateway_id: int, *, rtsp_host: str | None = None,
                       rtsp_port: int | None = None, ptz_port: int | None = None,
                       control_url: str | None = None, control_secret: str | None = None,
                       is_active: bool | None = None) -> GatewayInfo:
        """Only the fields given change (the secret is write-only: None keeps it)."""
        body = _given(rtsp_host=rtsp_host, rtsp_port=rtsp_port, ptz_port=ptz_port,
                      control_url=control_url, control_secret=control_secret,
                      is_active=is_active)
        return _record(GatewayInfo, self._call("PATCH", f"/admin/gateways/{int(gateway_id)}",
                                               json=body))

    def preview_stream(self, gateway_id: int, rtsp_url: str, username: str, password: str,
                       transport: str = "auto") -> StreamSession:
        """A session of a camera's stream before the camera is saved (a probed profile's
        ``stream_uri``): its gateway mounts it for two minutes, or until it was watched."""
        body = {"gateway_id": int(gateway_id), "rtsp_url": rtsp_url, "username": username,
                "password": password, "transport": str(transport)}
        try:
            return from_json(StreamSession, self._call("POST", "/admin/cameras/preview",
                                                       json=body))
        except MalformedRecord as exc:
            raise BackendError("the server sent an unexpected stream session") from exc

    def preview_stream_url(self, gateway_id: int, rtsp_url: str, username: str, password: str,
                           transport: str = "auto") -> str:
        return self.preview_stream(gateway_id, rtsp_url, username, password, transport).url

    def probe_camera(self, gateway_id: int, host: str, port: int | None, username: str,
                     password: str, rtsp_url: str | None = None) -> ProbeResult:
        """The gateway's probe of a camera (up to 30 s). A failed probe raises a
        :class:`BackendError` whose ``context`` holds ``failure``, ``step`` and ``detail``."""
        body: dict[str, Any] = {"gateway_id": int(gateway_id), "host": host,
                                "username": username, "password": password}
        if port is not None:
            body["port"] = int(port)
        if rtsp_url:
            body["rtsp_url"] = rtsp_url
        return _record(ProbeResult, self._call("POST", "/admin/cameras/probe", json=body,
                                               read_timeout=PROBE_READ_TIMEOUT))

    def import_cameras(self, csv_text: bytes, gateway_id: int | None,
                       dry_run: bool) -> ImportResult:
        """Create or update cameras from a CSV file; a dry run writes nothing and lists every
        row's errors, a real import with a bad row imports nothing (422)."""
        params: dict[str, Any] = {"dry_run": "true" if dry_run else "false"}
        if gateway_id is not None:
            params["gateway_id"] = int(gateway_id)
        return _record(ImportResult, self._call("POST", "/admin/cameras/import", params=params,
                                                data=csv_text, content_type="text/csv"))


# the gateway gives up after 25 s and the backend after 30 s: the client waits a little longer
PROBE_READ_TIMEOUT = 35.0


def _record(cls: type[R], data: Any) -> R:
    try:
        return from_json(cls, data)
    except MalformedRecord as exc:
        raise BackendError(f"the server sent an unexpected {cls.__name__} record") from exc


def _records(cls: type[R], data: Any, what: str) -> list[R]:
    return [_record(cls, item) for item in _rows(data, what)]


def _given(**fields: Any) -> dict[str, Any]:
    """The fields of a change that were given (None: left as it is)."""
    return {k: v for k, v in fields.items() if v is not None}
