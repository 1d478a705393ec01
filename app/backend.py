"""Client of the iocwall backend (docs/contracts.md, "Backend").

Blocking (requests): always call it off the GUI thread through :mod:`app.ops`. Every failure becomes
one of the :mod:`app.errors` types with a readable message that never contains the password, the
token or a credentialed stream URL.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from app.api import DEFAULT_BYTES_LIMIT, BackendApi
from app.domain import (
    Camera,
    Layout,
    Scope,
    Session,
    Unit,
    User,
    Ward,
)
from app.domain.layouts import layout_body, parse_layout
from app.errors import (
    BackendError,
    BackendUnreachable,
    ClientTooOld,
    Unavailable,
    UntrustedCertificate,
    error_for,
)
from common import versions
from common.urls import mask_url
from common.vocabulary import Action, CameraSystem, ClipBox

if TYPE_CHECKING:
    from app.bookmarks import Bookmark, BookmarkDraft, BookmarkFilter
    from app.clips import ClipRequest, SigningKey

log = logging.getLogger("iocwall.api")
# /health's 503 code: the server runs, its database does not answer
DATABASE_UNREACHABLE = "database_unreachable"

API_PREFIX = "/api/v1"
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0


class BackendClient(BackendApi):
    """One server, one (optional) logged-in session. Thread-safe enough for ops: the token is
    guarded by a lock and requests' connection pool is shared.

    The transport of :class:`app.api.BackendApi` (the feature services' typed endpoints); the
    session, camera, layout, bookmark and clip endpoints are here, beside the transport, because
    they read headers or stream bodies."""

    def __init__(self, server_url: str, *, timeout: tuple[float, float] = (CONNECT_TIMEOUT,
                                                                           READ_TIMEOUT),
                 ca_file: Path | None = None) -> None:
        self.server_url = normalize_server_url(server_url)
        self._timeout = timeout
        self._http = requests.Session()
        self.ca_file: Path | None = None
        self.trust(ca_file)
        self._http.headers["User-Agent"] = f"{versions.CLIENT_AGENT}/{versions.PRODUCT_VERSION}"
        self._http.headers[versions.API_LEVEL_HEADER] = str(versions.API_LEVEL)
        self._lock = threading.Lock()
        self._token: str | None = None
        self.session: Session | None = None
        # This machine's clock minus the server's (seconds), from the last answer's time stamp;
        # sent with the next requests so the server knows every workstation's offset.
        self.clock_offset_s: float | None = None
        self.too_old: ClientTooOld | None = None  # the server refused this client's version

    def trust(self, ca_file: Path | None) -> None:
        """Check the server's certificate against this CA file (the one pinned for it) and no
        other; without one an ``https://`` server is not contacted at all."""
        self.ca_file = ca_file
        # given with each request: a session-wide ``verify`` loses to REQUESTS_CA_BUNDLE
        self._verify: str | bool = str(ca_file) if ca_file is not None else True

    # -- plumbing -------------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return f"{self.server_url}{API_PREFIX}{path}"

    def _request(self, method: str, path: str, *, json: Any = None, auth: bool = True,
                 token: str | None = None, params: dict[str, Any] | None = None,
                 data: dict[str, Any] | bytes | None = None,
                 files: dict[str, Any] | None = None, stream: bool = False,
                 content_type: str | None = None,
                 read_timeout: float | None = None) -> requests.Response:
        headers: dict[str, str] = {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        timeout = self._timeout if read_timeout is None else (self._timeout[0], read_timeout)
        with self._lock:
            bearer = token or (self._token if auth else None)
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        if self.server_url.startswith("https://") and self.ca_file is None:
            raise UntrustedCertificate(
                f"no certificate authority is trusted for {mask_url(self.server_url)} yet")
        offset = self.clock_offset_s
        if offset is not None:
            headers[versions.CLOCK_OFFSET_HEADER] = f"{offset:.3f}"
        sent = time.time()
        try:
            response = self._http.request(method, self._url(path), json=json, headers=headers,
                                          params=params, data=data, files=files, stream=stream,
                                          timeout=timeout, verify=self._verify)
        except requests.Timeout as exc:
            raise BackendUnreachable(
                f"the server {mask_url(self.server_url)} did not answer in time") from exc
        except requests.exceptions.SSLError as exc:
            # before requests' ConnectionError, of which it is one: the handshake failed, so
            # nothing (no password, no token) was sent
            raise UntrustedCertificate(
                f"the certificate of {mask_url(self.server_url)} is not from the certificate "
                "authority trusted for it") from exc
        except requests.ConnectionError as exc:
            raise BackendUnreachable(
                f"cannot reach the server {mask_url(self.server_url)}") from exc
        except requests.RequestException as exc:
            raise BackendError(f"request to {mask_url(self.server_url)} failed: "
                               f"{type(exc).__name__}") from exc
        log.debug("%s %s -> %s", method, path, response.status_code)
        self._note_server_time(response, sent, time.time())
        if response.status_code >= 400:
            error = _error_for(response, authenticated=bool(bearer) and path != "/auth/login")
            if isinstance(error, ClientTooOld):
                self.too_old = error
            raise error
        return response

    def _note_server_time(self, response: requests.Response, sent: float,
                          received: float) -> None:
        """The clock offset, NTP-style: the server stamped its answer somewhere between our
        send and our receipt; the midpoint is the best guess (error ≤ half the round trip)."""
        stamp = response.headers.get(versions.SERVER_TIME_HEADER)
        if stamp is None:
            return
        try:
            server_time = float(stamp)
        except ValueError:
            return
        self.clock_offset_s = (sent + received) / 2 - server_time

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise BackendError(f"the server sent a malformed answer ({response.status_code})") \
                from exc

    # -- the raw calls under app.api's typed endpoints: private to the client -------------------
    def _call(self, method: str, path: str, *, json: Any = None,
              params: dict[str, Any] | None = None, data: dict[str, Any] | bytes | None = None,
              files: dict[str, Any] | None = None, content_type: str | None = None,
              read_timeout: float | None = None) -> Any:
        """One authenticated API call; the parsed JSON answer (None for an empty body). Blocking:
        run it through ops. Errors are :class:`BackendError` subclasses with the server's message."""
        response = self._request(method, path, json=json, params=params, data=data, files=files,
                                 content_type=content_type, read_timeout=read_timeout)
        if response.status_code == 204 or not response.content:
            return None
        return self._json(response)

    def _get_bytes(self, path: str, *, params: dict[str, Any] | None = None,
                   limit: int = DEFAULT_BYTES_LIMIT) -> tuple[bytes, str]:
        """A small binary answer (a PDF report, a CSV, a snapshot, a letter) and its content type.
        Bodies above ``limit`` bytes are refused rather than held in memory."""
        response = self._request("GET", path, params=params, stream=True)
        try:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(256 * 1024):
                size += len(chunk)
                if size > limit:
                    raise BackendError(f"the server's answer is larger than {limit} bytes")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise BackendUnreachable(
                f"the answer from {mask_url(self.server_url)} broke off") from exc
        finally:
            response.close()
        return b"".join(chunks), str(response.headers.get("Content-Type") or "")

    # -- API ------------------------------------------------------------------------------------
    def health(self) -> bool:
        """Whether the server can serve: False while it says it cannot reach its database
        (503 ``database_unreachable``); no answer at all raises :class:`BackendUnreachable`."""
        try:
            data = self._json(self._request("GET", "/health", auth=False))
        except Unavailable as exc:
            if exc.code == DATABASE_UNREACHABLE:
                return False
            raise
        return bool(isinstance(data, dict) and data.get("status") == "ok")

    def version(self) -> dict[str, Any]:
        """The server's version, the API levels it serves and its time (no auth; answered even
        to a client too old to be served)."""
        data = self._json(self._request("GET", "/version", auth=False))
        return data if isinstance(data, dict) else {}

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
        A stale version or a taken name → :class:`app.errors.Conflict` (409)."""
        body: dict[str, Any] = {}
        if layout is not None:
            body.update(layout_body(layout))
        body.update(changes)
        body["version"] = int(version)
        return _layout(self._json(self._request("PUT", f"/layouts/{int(layout_id)}",
                                                json=body)))

    def delete_layout(self, layout_id: int) -> None:
        self._request("DELETE", f"/layouts/{int(layout_id)}")

    # -- bookmarks and clip requests (docs/contracts.md, "Backend") ----------------------------
    def create_bookmark(self, draft: BookmarkDraft) -> Bookmark:
        from app.bookmarks import parse_bookmark

        return parse_bookmark(self._json(self._request("POST", "/bookmarks", json=draft.body())))

    def bookmarks(self, where: BookmarkFilter) -> tuple[int, list[Bookmark]]:
        """(total matching, this page) of the bookmarks the user may read, newest first."""
        from app.bookmarks import parse_bookmark

        response = self._request("GET", "/bookmarks", params=where.params())
        data = self._json(response)
        if not isinstance(data, list):
            raise BackendError("the server sent an unexpected bookmark list")
        items = [parse_bookmark(item) for item in data]
        try:
            total = int(response.headers.get("X-Total-Count", len(items)))
        except ValueError:
            total = len(items)
        return total, items

    def create_clip(self, camera_id: int, start: datetime, end: datetime, purpose: str,
                    commitment: str | None = None, letter: Path | None = None) -> ClipRequest:
        """Ask for a clip; with ``letter`` (an agency's PDF) the body goes as multipart."""
        from app.clips import parse_clip

        fields: dict[str, Any] = {"camera_id": int(camera_id), "start": start.isoformat(),
                                  "end": end.isoformat(), "purpose": purpose}
        if commitment is not None:
            fields["commitment"] = commitment
        if letter is None:
            response = self._request("POST", "/clips", json=fields)
        else:
            with open(letter, "rb") as handle:
                response = self._request(
                    "POST", "/clips", data={k: str(v) for k, v in fields.items()},
                    files={"letter": (letter.name, handle, "application/pdf")})
        return parse_clip(self._json(response))

    def clips(self, box: str = ClipBox.ALL) -> list[ClipRequest]:
        """``mine``, ``awaiting`` (my endorsement/approval) or ``all``; newest first."""
        from app.clips import parse_clip

        data = self._json(self._request("GET", "/clips", params={"box": box}))
        if not isinstance(data, list):
            raise BackendError("the server sent an unexpected clip request list")
        return [parse_clip(item) for item in data]

    def clip(self, request_id: int) -> ClipRequest:
        from app.clips import parse_clip

        return parse_clip(self._json(self._request("GET", f"/clips/{int(request_id)}")))

    def clip_step(self, request_id: int, step: str, reason: str | None = None) -> ClipRequest:
        """``endorse``, ``approve`` or ``reject`` (with a reason); the server decides who may."""
        from app.clips import parse_clip

        if step not in ("endorse", "approve", "reject"):
            raise ValueError(f"unknown clip step {step!r}")
        body = {"reason": reason or ""} if step == "reject" else None
        return parse_clip(self._json(self._request(
            "POST", f"/clips/{int(request_id)}/{step}", json=body)))

    def clip_manifest(self, request_id: int) -> dict[str, Any]:
        """The signed manifest document ``{"manifest", "signature"}`` as stored by the server."""
        data = self._json(self._request("GET", f"/clips/{int(request_id)}/manifest"))
        if not isinstance(data, dict) or "manifest" not in data or "signature" not in data:
            raise BackendError("the server sent an unexpected clip manifest")
        return data

    def signing_keys(self) -> list[SigningKey]:
        from app.clips import parse_signing_key

        data = self._json(self._request("GET", "/keys", auth=False))
        if not isinstance(data, list):
            raise BackendError("the server sent an unexpected key list")
        return [parse_signing_key(item) for item in data]

    def recordings(self, camera_id: int, since: datetime | None = None,
                   until: datetime | None = None) -> list[tuple[datetime, datetime]]:
        """Recorded spans ``(start, end)`` of a camera (default: the last 24 h), oldest first."""
        params = {k: v.isoformat() for k, v in (("since", since), ("until", until)) if v}
        data = self._json(self._request("GET", f"/cameras/{int(camera_id)}/recordings",
                                        params=params))
        try:
            return [(_aware_time(r["start"]), _aware_time(r["end"])) for r in data["ranges"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendError("the server sent an unexpected recording list") from exc

    def download_clip(self, request_id: int, destination: Path, *,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      chunk_size: int = 256 * 1024) -> str:
        """Stream the clip's MP4 into ``destination``; return the server's ``X-Clip-SHA256``.

        Blocking (run it through ops). The bytes go to a temporary file beside ``destination``,
        fsynced and renamed at the end: a cancelled or failed download leaves nothing behind.
        ``progress(done, total)`` is called from this thread (total 0 when unknown);
        ``cancelled()`` is polled between chunks and ends the download with
        :class:`DownloadCancelled`."""
        headers, done = self._stream_to(f"/clips/{int(request_id)}/download", destination,
                                        progress=progress, cancelled=cancelled,
                                        chunk_size=chunk_size)
        log.info("clip %d downloaded: %d bytes", request_id, done)
        return str(headers.get("X-Clip-SHA256") or "")

    def download_case_package(self, case_id: int, destination: Path, *, purpose: str,
                              progress: Callable[[int, int], None] | None = None,
                              cancelled: Callable[[], bool] | None = None) -> str:
        """Stream case ``case_id``'s evidence package (a ZIP a recipient checks without
        iocwall) into ``destination`` as :meth:`download_clip` does; ``purpose``: what it is
        for (the audit keeps it). Returns the server's ``X-Package-SHA256``."""
        headers, done = self._stream_to(f"/cases/{int(case_id)}/package", destination,
                                        params={"purpose": purpose}, progress=progress,
                                        cancelled=cancelled)
        log.info("case %d evidence package downloaded: %d bytes", case_id, done)
        return str(headers.get("X-Package-SHA256") or "")

    def _stream_to(self, path: str, destination: Path, *,
                   params: dict[str, Any] | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None,
                   chunk_size: int = 256 * 1024) -> tuple[Any, int]:
        """A file answer streamed to ``destination`` whole or not at all: (headers, bytes)."""
        from app.clips import DownloadCancelled

        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        response = self._request("GET", path, params=params, stream=True)
        fd, part_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part",
                                         dir=destination.parent)
        part = Path(part_name)
        try:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            with os.fdopen(fd, "wb") as handle:
                if progress is not None:
                    progress(0, total)
                for chunk in response.iter_content(chunk_size):
                    if cancelled is not None and cancelled():
                        raise DownloadCancelled("the download was cancelled")
                    handle.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
                handle.flush()
                os.fsync(handle.fileno())
            if total and done != total:
                raise BackendError(f"the download ended early ({done} of {total} bytes)")
            os.replace(part, destination)
        except requests.RequestException as exc:
            raise BackendUnreachable(
                f"the download from {mask_url(self.server_url)} broke off") from exc
        finally:
            response.close()
            part.unlink(missing_ok=True)
        return response.headers, done

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


def _retry_after(response: requests.Response) -> int | None:
    value = response.headers.get("Retry-After", "")
    return int(value) if value.isdigit() else None


def _error_for(response: requests.Response, *, authenticated: bool) -> BackendError:
    """The typed error of a refused request, read from the server's one error envelope."""
    return error_for(response.status_code, _body(response), authenticated=authenticated,
                     retry_after=_retry_after(response))


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _aware_time(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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
                    str(data.get("role") or ""), unit, scope,
                    must_change_password=bool(data.get("must_change_password", False)))
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
            streams=tuple(str(s) for s in data.get("streams") or ()),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackendError("the server sent an unexpected camera record") from exc
