"""The client side of PTZ arbitration (docs/contracts.md, backend "PTZ leases").

``LeaseApi`` speaks the lease endpoints over aiohttp on the qasync loop (one keep-alive session;
the blocking ``BackendClient`` stays for everything else) using the backend client's public
``server_url`` and ``session.access_token``. ``PtzLease`` is one camera's lease as the session
sees it: acquire, renew every ``renew_interval_s`` (≤ 5 s) while in use, poll while queued,
release, and the ``lost`` signal when another user takes the camera or the lease runs out.

It is also the way to the camera: ONVIF goes to the PTZ broker of the camera's media gateway
with a PTZ token (``common.records.PtzAccess``), never to the camera. Every grant brings the
holder a new token; anybody else (and the holder before its first grant) asks for one
(``POST /cameras/{id}/ptz/access``) when the one it has runs out. The controller asks
:meth:`PtzLease.credentials` before each call.

Signals (PtzLease):
    state_changed(LeaseState): after every answer from the backend that changes what we hold.
    lost(str): the lease is gone (taken by a higher priority, expired, refused); the text is the
        backend's ("PTZ taken by <name>, <unit>") or ours. The session stops the camera on it.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import aiohttp
from PySide6.QtCore import QObject, Signal

from app.errors import (
    BackendError,
    BackendUnreachable,
    Forbidden,
    NotFound,
    SessionExpired,
    UntrustedCertificate,
    error_for,
)
from app.ptz.base import LeaseHolder, LeaseState, LeaseStatus, PtzError, PtzErrorKind
from common.records import MalformedRecord, PtzAccess, from_json

log = logging.getLogger("iocwall.ptz")

API_PREFIX = "/api/v1"
LEASE_TTL_S = 15.0
RENEW_INTERVAL_S = 4.0
QUEUE_POLL_S = 2.0
IDLE_RELEASE_S = 30.0
HTTP_TIMEOUT_S = 5.0
ACCESS_MARGIN_S = 2.0  # a token with less life than this left is renewed before a call
ACCESS_FALLBACK_S = 10.0  # the life assumed when our clock disagrees with the server's


class BackendLike(Protocol):
    """What we use of ``app.backend.BackendClient`` (public attributes only)."""

    server_url: str
    session: Any


@dataclass(frozen=True)
class GrantedAccess:
    """A PTZ access and when (our monotonic clock) it should be renewed: the server's
    ``expires_at`` turned into a duration as it arrived, so that a client clock that is off
    does not make every token look dead or everlasting."""

    access: PtzAccess
    renew_at: float

    @classmethod
    def arrived(cls, access: PtzAccess, clock: Callable[[], float]) -> GrantedAccess:
        left = (access.expires_at - datetime.now(UTC)).total_seconds()
        if not 0 < left <= 600:
            left = ACCESS_FALLBACK_S
        return cls(access, clock() + left - ACCESS_MARGIN_S)


def _access(data: Any) -> PtzAccess | None:
    if not isinstance(data, dict):
        return None
    try:
        return from_json(PtzAccess, data)
    except MalformedRecord as err:
        raise BackendError(f"PTZ access: {err}") from err


def _holder(data: Any) -> LeaseHolder | None:
    if not isinstance(data, dict):
        return None
    return LeaseHolder(str(data.get("username", "")), str(data.get("full_name", "")),
                       str(data.get("unit", "")), str(data.get("priority", "")),
                       data.get("expires_at"), data.get("reserved_until"))


class LeaseApi:
    """Async client of the lease endpoints; one per logged-in backend client."""

    def __init__(self, backend: BackendLike, *, timeout_s: float = HTTP_TIMEOUT_S) -> None:
        self._backend = backend
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._http: aiohttp.ClientSession | None = None

    def _headers(self) -> dict[str, str]:
        session = self._backend.session
        token = getattr(session, "access_token", None)
        if not token:
            raise SessionExpired("not logged in")
        return {"Authorization": f"Bearer {token}"}

    def _url(self, path: str) -> str:
        return f"{self._backend.server_url}{API_PREFIX}{path}"

    async def _send(self, method: str, path: str, json: Any = None) -> tuple[int, Any]:
        if self._http is None or self._http.closed:
            ca_file = getattr(self._backend, "ca_file", None)
            connector = aiohttp.TCPConnector(
                ssl=ssl.create_default_context(cafile=str(ca_file)) if ca_file else True)
            self._http = aiohttp.ClientSession(timeout=self._timeout, connector=connector)
        try:
            async with self._http.request(method, self._url(path), json=json,
                                          headers=self._headers()) as response:
                status = response.status
                try:
                    body = await response.json(content_type=None) if status != 204 else None
                except ValueError:
                    body = None
        except aiohttp.ClientConnectorCertificateError as err:
            raise UntrustedCertificate("the server's certificate is not from the certificate "
                                       "authority trusted for it") from err
        except (TimeoutError, aiohttp.ClientError) as err:
            raise BackendUnreachable("cannot reach the server for the PTZ lease") from err
        if status >= 400 and status != 409:  # a 409 is an answer here: who holds the lease
            raise error_for(status, body if isinstance(body, dict) else {}, authenticated=True)
        return status, body

    async def acquire(self, camera_id: int, reserve_seconds: int | None = None) -> LeaseState:
        body = None if reserve_seconds is None else {"reserve_seconds": int(reserve_seconds)}
        status, data = await self._send("POST", f"/cameras/{int(camera_id)}/ptz/lease", body)
        data = data if isinstance(data, dict) else {}
        if status == 409:  # the backend's error shape: who took it is in its context
            context = data.get("context")
            context = context if isinstance(context, dict) else {}
            return LeaseState(camera_id, LeaseStatus.TAKEN, _holder(context.get("holder")),
                              detail=str(data.get("message") or "PTZ taken by another user"))
        holder = _holder(data.get("holder"))
        if status == 200:
            return LeaseState(camera_id, LeaseStatus.GRANTED, holder,
                              access=_access(data.get("access")))
        if status == 202:
            return LeaseState(camera_id, LeaseStatus.QUEUED, holder,
                              int(data.get("position") or 0))
        raise BackendError(f"PTZ lease: unexpected answer {status}")

    async def release(self, camera_id: int) -> None:
        await self._send("DELETE", f"/cameras/{int(camera_id)}/ptz/lease")

    async def holder(self, camera_id: int) -> tuple[LeaseHolder | None, list[LeaseHolder]]:
        _status, data = await self._send("GET", f"/cameras/{int(camera_id)}/ptz/lease")
        data = data if isinstance(data, dict) else {}
        queue = [h for h in (_holder(q) for q in data.get("queue") or []) if h is not None]
        return _holder(data.get("holder")), queue

    async def onvif_endpoint(self, camera_id: int) -> PtzAccess:
        """The way to the camera's ONVIF service through its media gateway (for a user with
        ``ptz`` on it): reads for anybody, commands for the lease holder only."""
        try:
            _status, data = await self._send("POST", f"/cameras/{int(camera_id)}/ptz/access")
        except (NotFound, Forbidden) as err:
            raise PtzError(PtzErrorKind.NOT_SUPPORTED, f"no PTZ on this camera: {err}") from err
        except BackendUnreachable as err:
            raise PtzError(PtzErrorKind.UNREACHABLE, str(err)) from err
        except BackendError as err:  # no gateway serves it (409), or it is down (503)
            raise PtzError(PtzErrorKind.UNREACHABLE, f"PTZ: {err}") from err
        access = _access(data)
        if access is None:
            raise PtzError(PtzErrorKind.MALFORMED, "PTZ access: not an answer")
        return access

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


class PtzLease(QObject):
    """One camera's lease: see the module docstring for the signals."""

    state_changed = Signal(object)  # LeaseState
    lost = Signal(str)

    def __init__(self, api: LeaseApi, camera_id: int, *, renew_interval_s: float = RENEW_INTERVAL_S,
                 poll_interval_s: float = QUEUE_POLL_S, idle_release_s: float = IDLE_RELEASE_S,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        if renew_interval_s > 5.0:
            raise ValueError("the lease must be renewed at least every 5 s while driving")
        self.api = api
        self.camera_id = int(camera_id)
        self.renew_interval_s = renew_interval_s
        self.poll_interval_s = poll_interval_s
        self.idle_release_s = idle_release_s
        self._clock = clock
        self.state = LeaseState(self.camera_id, LeaseStatus.NONE)
        self._granted_at: float | None = None  # clock() of the last 200
        self._used_at = clock()
        self._keeper: asyncio.Task[None] | None = None
        self.keep_alive = False  # a patrol or a held button keeps the lease without input
        self._access: GrantedAccess | None = None  # the newest way to the camera
        self._asking: asyncio.Future[PtzAccess] | None = None

    async def access(self) -> PtzAccess:
        """A PTZ access with some life left: the newest held, else a new one asked for."""
        held = self._access
        if held is not None and self._clock() < held.renew_at:
            return held.access
        if self._asking is None or self._asking.done():
            self._asking = asyncio.ensure_future(self.api.onvif_endpoint(self.camera_id))
        asking = self._asking
        access = await asyncio.shield(asking)
        if self._access is held:  # no grant brought a newer one while we asked
            self._access = GrantedAccess.arrived(access, self._clock)
        assert self._access is not None
        return self._access.access

    async def credentials(self) -> tuple[str, str]:
        """The WS-Security user name and password for the next ONVIF call: the token, twice."""
        access = await self.access()
        return access.token, access.token

    @property
    def granted(self) -> bool:
        return self.state.status is LeaseStatus.GRANTED and not self._expired()

    def _expired(self) -> bool:
        return self._granted_at is None or self._clock() - self._granted_at >= LEASE_TTL_S

    def touch(self) -> None:
        """A command was sent: the lease is in use."""
        self._used_at = self._clock()

    def _set(self, state: LeaseState) -> None:
        changed = state != self.state
        self.state = state
        if state.status is LeaseStatus.GRANTED:
            self._granted_at = self._clock()
        if state.access is not None:
            self._access = GrantedAccess.arrived(state.access, self._clock)
        if changed:
            self.state_changed.emit(state)

    def _lose(self, reason: str, state: LeaseState | None = None) -> None:
        was_held = self.state.status is LeaseStatus.GRANTED
        self._granted_at = None
        self._set(state or LeaseState(self.camera_id, LeaseStatus.NONE, detail=reason))
        if was_held:
            log.info("camera %d: PTZ lease lost: %s", self.camera_id, reason)
            self.lost.emit(reason)

    async def ensure(self) -> LeaseState:
        """Hold the lease or say why not (raises PtzError NO_LEASE when queued or taken)."""
        self.touch()
        if self.granted:
            return self.state
        try:
            state = await self.api.acquire(self.camera_id)
        except (NotFound, Forbidden) as err:
            raise PtzError(PtzErrorKind.NO_LEASE, f"PTZ not allowed: {err}") from err
        except BackendError as err:
            raise PtzError(PtzErrorKind.NO_LEASE, f"PTZ lease: {err}") from err
        self._apply(state)
        self._start_keeper()
        if state.status is LeaseStatus.GRANTED:
            return state
        if state.status is LeaseStatus.QUEUED:
            who = state.holder.display if state.holder else "?"
            raise PtzError(PtzErrorKind.NO_LEASE,
                           f"PTZ in use by {who}; you are number {state.position} in the queue")
        raise PtzError(PtzErrorKind.NO_LEASE, state.detail or "PTZ taken by another user")

    def _apply(self, state: LeaseState) -> None:
        if state.status is LeaseStatus.GRANTED:
            self._set(state)
        elif state.status is LeaseStatus.TAKEN:
            self._lose(state.detail, state)
        elif self.state.status is LeaseStatus.GRANTED:
            # We thought we held it and the backend queued us: it expired meanwhile.
            who = state.holder.display if state.holder else "another user"
            self._lose(f"PTZ taken by {who}", state)
        else:
            self._set(state)

    def _start_keeper(self) -> None:
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.get_event_loop().create_task(self._keep())

    async def _keep(self) -> None:
        """Renew while in use, poll while queued, release when idle."""
        while self.state.status in (LeaseStatus.GRANTED, LeaseStatus.QUEUED):
            queued = self.state.status is LeaseStatus.QUEUED
            await asyncio.sleep(self.poll_interval_s if queued else self.renew_interval_s)
            idle = self._clock() - self._used_at
            if not self.keep_alive and idle >= self.idle_release_s:
                log.info("camera %d: PTZ idle for %.0f s; releasing", self.camera_id, idle)
                await self.release()
                return
            try:
                state = await self.api.acquire(self.camera_id)
            except (NotFound, Forbidden, SessionExpired) as err:
                self._lose(f"PTZ not allowed any more: {err}")
                return
            except BackendError as err:
                log.warning("camera %d: PTZ lease renewal failed: %s", self.camera_id, err)
                if self.state.status is LeaseStatus.GRANTED and self._expired():
                    self._lose("PTZ lease expired (the server could not be reached)")
                    return
                continue
            self._apply(state)

    async def release(self) -> None:
        keeper, self._keeper = self._keeper, None
        if keeper is not None and keeper is not asyncio.current_task():
            keeper.cancel()
        held = self.state.status in (LeaseStatus.GRANTED, LeaseStatus.QUEUED)
        self._granted_at = None
        self._set(LeaseState(self.camera_id, LeaseStatus.NONE))
        if held:
            try:
                await self.api.release(self.camera_id)
            except BackendError as err:
                log.warning("camera %d: PTZ lease release failed: %s (it expires in 15 s)",
                            self.camera_id, err)
