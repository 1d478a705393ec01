"""The logged-in user's PTZ sessions, one per camera, and the USB joystick pump."""

from __future__ import annotations

import asyncio
import logging

from app.backend import BackendClient
from app.domain import Camera
from app.ops import Ops
from app.ptz.base import LeaseHolder
from app.ptz.joystick_sdl import JoystickPump, SdlJoystickSource
from app.ptz.lease import LeaseApi, PtzLease
from app.ptz.onvif_controller import OnvifPtzController
from app.ptz.session import PtzSession

log = logging.getLogger("iocwall.ptz")


class PtzSessions:
    """One PTZ session per camera, opened on first use and kept until logout (the lease itself is
    released by the session after 30 s idle).

    ``open(camera)`` asks the backend for the way to the camera's ONVIF service (its media
    gateway's PTZ broker and a PTZ token: only for cameras with the ptz action), builds
    ``PtzLease`` + ``OnvifPtzController`` (signing each call with the lease's newest token) +
    ``PtzSession`` and connects (capabilities, presets). Concurrent opens of one camera share one attempt; a failed
    attempt is forgotten so the next selection tries again."""

    def __init__(self, backend: BackendClient, ops: Ops,
                 joystick: JoystickPump | None = None) -> None:
        self.api = LeaseApi(backend)
        # a backend reached over HTTPS: its gateways' PTZ brokers are HTTPS with the same CA
        ca = backend.ca_file if backend.server_url.startswith("https://") else None
        self.ca_file = str(ca) if ca is not None else None
        self.ops = ops
        self.joystick = joystick
        self.username = backend.session.user.username if backend.session is not None else ""
        self._sessions: dict[int, asyncio.Future[PtzSession]] = {}
        self.closing = False  # the application is closing them: a second quit does not wait

    async def open(self, camera: Camera) -> PtzSession:
        future = self._sessions.get(camera.id)
        if future is None or (future.done() and (future.cancelled() or future.exception())):
            future = asyncio.ensure_future(self._open(camera))
            self._sessions[camera.id] = future
        return await asyncio.shield(future)

    @property
    def opened(self) -> bool:
        return bool(self._sessions)

    async def _open(self, camera: Camera) -> PtzSession:
        lease = PtzLease(self.api, camera.id)
        access = await lease.access()
        controller = OnvifPtzController(access.host, access.port, access.token, access.token,
                                        label=camera.name, credentials=lease.credentials,
                                        ca_file=self.ca_file)
        session = PtzSession(controller, lease, self.ops, label=camera.name)
        try:
            await session.a_connect()
        except BaseException:  # failed or cancelled (closed meanwhile): no ONVIF left open
            await session.a_close()
            raise
        return session

    async def holder(self, camera_id: int) -> LeaseHolder | None:
        holder, _queue = await self.api.holder(camera_id)
        return holder

    async def a_close(self) -> None:
        """Stop what moves, release every lease, close ONVIF and the lease client."""
        futures, self._sessions = list(self._sessions.values()), {}
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                await future.result().a_close()
            elif not future.done():
                future.cancel()
        await self.api.close()


def start_joystick() -> JoystickPump | None:
    """USB joysticks through SDL (dummy video driver, ≈ 0.1 s); None when SDL cannot start."""
    try:
        pump = JoystickPump(SdlJoystickSource())
    except (ImportError, RuntimeError, OSError) as exc:  # pygame.error is a RuntimeError
        log.warning("joystick input unavailable: %s", exc)
        return None
    pump.start()
    return pump
