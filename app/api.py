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
from datetime import UTC, datetime
from typing import Any

from app.access_requests import (
    AccessRequest,
    RequestableCamera,
    parse_access_request,
    parse_requestable_camera,
)
from app.audit_log import AuditFilter, AuditRow, ChainVerdict
from app.audit_log import parse_row as parse_audit_row
from app.cases import Case, CaseFilter, StepInput, parse_case
from app.errors import BackendError
from app.health_reports import HealthReport
from app.incidents import Incident, parse_incident
from app.letters import MAX_LETTER_BYTES
from app.public_cameras import PublicCameraRow
from app.public_cameras import parse_row as parse_public_camera
from app.reports import ExportFormat, Report, ReportQuery, parse_report
from common.records import MalformedRecord, StreamSession, from_json
from common.vocabulary import CaseAction, IncidentKind, IncidentState

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


class BackendApi(ABC):
    """Typed endpoints over an abstract transport (see the module docstring)."""

    # -- the transport (app.backend.BackendClient) ---------------------------------------------
    @abstractmethod
    def _call(self, method: str, path: str, *, json: Any = None,
              params: dict[str, Any] | None = None, data: dict[str, Any] | None = None,
              files: dict[str, Any] | None = None) -> Any:
        """One authenticated API call; the parsed JSON answer (None for an empty body)."""

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

    def publish_case(self, case_id: int, title: str, clip_request_id: int | None = None) -> Case:
        body: dict[str, Any] = {"public": True, "title": title}
        if clip_request_id is not None:
            body["clip_request_id"] = int(clip_request_id)
        return parse_case(self._call("PUT", f"/cases/{int(case_id)}/publication", json=body))

    def unpublish_case(self, case_id: int) -> Case:
        return parse_case(self._call("PUT", f"/cases/{int(case_id)}/publication",
                                     json={"public": False}))

    # -- incidents -----------------------------------------------------------------------------
    def incidents(self, state: IncidentState | str | None = None) -> list[Incident]:
        params = {"state": str(state)} if state else {}
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

    def audit_export(self, where: AuditFilter, *, limit: int = DEFAULT_BYTES_LIMIT) -> bytes:
        """The filtered rows as the server's CSV."""
        body, _type = self._get_bytes("/audit/export", params=where.params(), limit=limit)
        return body

    # -- reports -------------------------------------------------------------------------------
    def report(self, query: ReportQuery) -> Report:
        return parse_report(self._call("GET", "/reports", params=query.params()))

    def report_file(self, query: ReportQuery, fmt: ExportFormat) -> bytes:
        """The report as the server's CSV or PDF."""
        body, _type = self._get_bytes("/reports", params=query.params(ExportFormat(fmt).value))
        return body
