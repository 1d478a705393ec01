"""Client of the iocwall backend (docs/contracts.md, "Backend").

Blocking (requests): always call it off the GUI thread through :mod:`app.ops`. Every failure becomes
one of the :mod:`app.errors` types with a readable message that never contains the password, the
token or a credentialed stream URL.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

import requests

from app.domain import (
    Action,
    Camera,
    CameraSystem,
    Layout,
    Scope,
    Session,
    Unit,
    User,
    Ward,
)
from app.domain.layouts import layout_body, parse_layout
from app.errors import (
    AccountLocked,
    AuthFailed,
    BackendError,
    BackendUnreachable,
    Forbidden,
    NotFound,
    SessionExpired,
    ValidationFailed,
)
from app.security import mask_url

log = logging.getLogger("iocwall.api")

API_PREFIX = "/api/v1"
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0


class BackendClient:
    """One server, one (optional) logged-in session. Thread-safe enough for ops: the token is
    guarded by a lock and requests' connection pool is shared."""

    def __init__(self, server_url: str, *, timeout: tuple[float, float] = (CONNECT_TIMEOUT,
                                                                           READ_TIMEOUT)) -> None:
        self.server_url = normalize_server_url(server_url)
        self._timeout = timeout
        self._http = requests.Session()
        self._http.headers["User-Agent"] = "iocwall-client/0.1"
        self._lock = threading.Lock()
        self._token: str | None = None
        self.session: Session | None = None

    # -- plumbing -------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return f"{self.server_url}{API_PREFIX}{path}"

    def _request(self, method: str, path: str, *, json: Any = None, auth: bool = True,
                 token: str | None = None) -> requests.Response:
        headers: dict[str, str] = {}
        with self._lock:
            bearer = token or (self._token if auth else None)
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        try:
            response = self._http.request(method, self._url(path), json=json, headers=headers,
                                          timeout=self._timeout)
        except requests.Timeout as exc:
            raise BackendUnreachable(
                f"the server {mask_url(self.server_url)} did not answer in time") from exc
        except requests.ConnectionError as exc:
            raise BackendUnreachable(
                f"cannot reach the server {mask_url(self.server_url)}") from exc
        except requests.RequestException as exc:
            raise BackendError(f"request to {mask_url(self.server_url)} failed: "
                               f"{type(exc).__name__}") from exc
        log.debug("%s %s -> %s", method, path, response.status_code)
        if response.status_code >= 400:
            raise _error_for(response, authenticated=bool(bearer) and path != "/auth/login")
        return response

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise BackendError(f"the server sent a malformed answer ({response.status_code})") \
                from exc

    # -- API ------------------------------------------------------------------------------------
    def health(self) -> bool:
        data = self._json(self._request("GET", "/health", auth=False))
        return bool(isinstance(data, dict) and data.get("status") == "ok")

    def login(self, username: str, password: str) -> Session:
        response = self._request("POST", "/auth/login",
                                 json={"username": username, "password": password}, auth=False)
        data = self._json(response)
        try:
            token = str(data["access_token"])
            user = parse_user(data["user"])
            expires = _parse_time(data.get("expires_at"))
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendError("the server sent an unexpected login answer") from exc
        session = Session(server_url=self.server_url, user=user, expires_at=expires,
                          access_token=token)
        with self._lock:
            self._token = token
            self.session = session
        log.info("logged in as %s (%s) at %s", user.username, user.unit.name,
                 mask_url(self.server_url))
        return session

    def resume(self, token: str) -> Session:
        """Resume a remembered session from its token (validated with ``GET /me``)."""
        user = parse_user(self._json(self._request("GET", "/me", token=token)))
        session = Session(server_url=self.server_url, user=user, expires_at=None,
                          access_token=token)
        with self._lock:
            self._token = token
            self.session = session
        return session

    def logout(self) -> None:
        try:
            if self._token:
                self._request("POST", "/auth/logout")
        finally:
            with self._lock:
                self._token = None
                self.session = None

    def me(self) -> User:
        return parse_user(self._json(self._request("GET", "/me")))

    def cameras(self) -> list[Camera]:
        data = self._json(self._request("GET", "/cameras"))
        if not isinstance(data, list):
            raise BackendError("the server sent an unexpected camera list")
        return [parse_camera(item) for item in data]

    def camera(self, camera_id: int) -> Camera:
        return parse_camera(self._json(self._request("GET", f"/cameras/{int(camera_id)}")))

    def audit_event(self, event: str, camera_id: int, detail: str | None = None) -> None:
        body: dict[str, Any] = {"event": event, "camera_id": int(camera_id)}
        if detail is not None:
            body["detail"] = detail
        self._request("POST", "/audit/events", json=body)

    # -- saved layouts (docs/contracts.md, "Saved layouts") ----------------------------------
    def layouts(self) -> list[Layout]:
        """The user's own layouts and the unit's shared ones, by name."""
        data = self._json(self._request("GET", "/layouts"))
        if not isinstance(data, list):
            raise BackendError("the server sent an unexpected layout list")
        return [_layout(item) for item in data]

    def layout(self, layout_id: int) -> Layout:
        return _layout(self._json(self._request("GET", f"/layouts/{int(layout_id)}")))

    def create_layout(self, layout: Layout) -> Layout:
        """Save a new layout (``layout.id`` is ignored); 409 → Conflict for a taken name."""
        return _layout(self._json(self._request("POST", "/layouts", json=layout_body(layout))))

    def update_layout(self, layout_id: int, version: int, layout: Layout | None = None,
                      **changes: Any) -> Layout:
        """Change a layout last read at ``version``: every writable field of ``layout`` and/or
        the given ``changes`` (name, template, rows, columns, shared_with_unit, is_startup).
        A stale version → BackendError with the server's "version: ..." detail (409)."""
        body: dict[str, Any] = {}
        if layout is not None:
            body.update(layout_body(layout))
        body.update(changes)
        body["version"] = int(version)
        return _layout(self._json(self._request("PUT", f"/layouts/{int(layout_id)}",
                                                json=body)))

    def delete_layout(self, layout_id: int) -> None:
        self._request("DELETE", f"/layouts/{int(layout_id)}")

    def close(self) -> None:
        self._http.close()


def normalize_server_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    if "://" not in url:
        url = f"http://{url}"
    return url


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(response: requests.Response) -> Any:
    return _body(response).get("detail")


def _error_for(response: requests.Response, *, authenticated: bool) -> BackendError:
    status = response.status_code
    detail = _detail(response)
    text = detail if isinstance(detail, str) else None
    if status == 401:
        if authenticated:
            return SessionExpired(text or "the session has expired; log in again")
        return AuthFailed(text or "wrong user name or password")
    if status == 423:
        return AccountLocked(text or "the account is locked after too many failed logins")
    if status == 403:
        return Forbidden(text or "not allowed")
    if status == 404:
        return NotFound(text or "not found")
    if status == 422:
        field = None
        message = text or "invalid request"
        errors = _body(response).get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            # This backend: {"detail": "field: message; ...", "errors": [{"field", ...}]}
            field = str(errors[0].get("field") or "") or None
        elif isinstance(detail, list) and detail and isinstance(detail[0], dict):
            # FastAPI's default shape: {"detail": [{"loc": [...], "msg": ...}]}
            loc = [str(p) for p in detail[0].get("loc", []) if p not in ("body", "query", "path")]
            field = ".".join(loc) or None
            message = f"{field or 'request'}: {detail[0].get('msg', 'invalid')}"
        return ValidationFailed(message, field)
    if status >= 500:
        return BackendError(f"server error {status}")
    return BackendError(text or f"unexpected answer {status}")


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def parse_user(data: Any) -> User:
    try:
        unit_data = data["unit"]
        ward_data = unit_data.get("ward")
        ward = Ward(int(ward_data["id"]), str(ward_data["name"])) if ward_data else None
        unit = Unit(int(unit_data["id"]), str(unit_data["name"]), str(unit_data["kind"]), ward)
        scope_data = data.get("scope") or {}
        scope = Scope(
            city_wide=bool(scope_data.get("city_wide", False)),
            ward_ids=tuple(int(w) for w in scope_data.get("ward_ids", [])),
            systems=tuple(CameraSystem(s) for s in scope_data.get("systems", [])
                          if s in CameraSystem._value2member_map_),
        )
        return User(int(data["id"]), str(data["username"]), str(data.get("full_name") or ""),
                    str(data.get("role") or ""), unit, scope)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected user record") from exc


def _layout(data: Any) -> Layout:
    try:
        return parse_layout(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected layout record") from exc


def parse_camera(data: Any) -> Camera:
    try:
        actions = frozenset(Action(a) for a in data.get("actions", [])
                            if a in Action._value2member_map_)
        return Camera(
            id=int(data["id"]),
            name=str(data["name"]),
            ward=str(data["ward"]),
            ward_id=int(data.get("ward_id") or 0),
            system=CameraSystem(data["system"]),
            ptz=bool(data.get("ptz", False)),
            public=bool(data.get("public", False)),
            location=str(data.get("location") or ""),
            actions=actions,
            main_stream_url=data.get("main_stream_url") or None,
            sub_stream_url=data.get("sub_stream_url") or None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected camera record") from exc
