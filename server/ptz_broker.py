"""PTZ through the media gateway, the backend's half: tokens for the client, the lease holder for
the gateway.

The client never gets a camera's ONVIF address or password. It speaks ONVIF to the PTZ broker
of the camera's gateway (``gateway/ptz.py``) with a PTZ token (:mod:`common.ptz_tokens`) as its
WS-Security user name and password:
- ``POST /cameras/{id}/ptz/access`` gives one to anybody holding ``ptz`` on the camera (it
  reads the camera's profiles, presets and position with it), and every lease grant or renewal
  (``POST /cameras/{id}/ptz/lease``, 200) gives the holder a new one, so that the token is
  renewed with the lease and lives no longer than it (``PTZ_TOKEN_LIFETIME_S`` at most).
- The gateway moves the camera only for the holder the backend told it: after each lease
  request that may change the holder (acquire, release) the camera's holder is posted to its
  gateway (``POST /ptz/holder``), under a per-camera lock held from before the lease row is
  locked until the notice is sent, so notices reach the gateway in the order the database
  decided them. A restarted gateway is told every live lease again (:func:`replay_holders`).
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from common import ptz_tokens
from common.ptz_tokens import PtzToken
from common.records import PtzAccess
from server import ptz_leases
from server.models import Camera, Gateway, PtzLease, User
from server.schemas import PtzHolderPublic
from server.security import SecretBox
from server.tls import open_gateway

log = logging.getLogger("iocwall.gateway")

PTZ_TOKEN_LIFETIME_S = int(ptz_leases.LEASE_TTL.total_seconds())
CONTROL_TIMEOUT_S = 2.0


def gateway_ready(gateway: Gateway | None) -> bool:
    """A gateway whose PTZ broker a client may be sent to now."""
    return (gateway is not None and gateway.is_active and gateway.last_seen_at is not None
            and bool(gateway.ptz_port))


def issue(key: Ed25519PrivateKey, gateway: Gateway, user: User, camera_id: int,
          now: datetime, until: datetime | None = None) -> PtzAccess:
    """A PTZ token for ``user`` on the camera, at ``gateway``'s broker, for
    ``PTZ_TOKEN_LIFETIME_S`` or until ``until`` (the lease's end) if sooner."""
    issued_at = int(now.timestamp())
    expires_at = issued_at + PTZ_TOKEN_LIFETIME_S
    if until is not None:
        expires_at = max(issued_at + 1, min(expires_at, int(until.timestamp())))
    token = PtzToken(user_id=user.id, username=user.username, camera_id=camera_id,
                     issued_at=issued_at, expires_at=expires_at)
    assert gateway.ptz_port is not None
    return PtzAccess(host=gateway.rtsp_host, port=gateway.ptz_port,
                     token=ptz_tokens.encode(token, key.sign),
                     expires_at=datetime.fromtimestamp(expires_at, UTC))


def onvif_entries(cameras: list[Camera], box: SecretBox) -> list[dict[str, Any]]:
    """The gateway's ``ptz_cameras``: each PTZ camera's ONVIF host, port and user, and its
    password sealed to the gateway (a camera without a sealed password is left out: the
    gateway could not log in to it)."""
    entries = []
    for camera in cameras:
        if not camera.ptz or camera.onvif_password_sealed is None:
            continue
        host = box.decrypt(camera.onvif_host_enc)
        port = box.decrypt(camera.onvif_port_enc)
        if not host or not port or not port.isdigit():
            continue
        entries.append({"camera_id": camera.id, "host": host, "port": int(port),
                        "username": box.decrypt(camera.onvif_username_enc) or "",
                        "sealed_password": camera.onvif_password_sealed,
                        "name": camera.name})
    return entries


def holder_body(camera_id: int, holder: PtzHolderPublic | None) -> dict[str, Any]:
    """``POST /ptz/holder``'s body: the holder until the lease's end, or nobody."""
    if holder is None:
        return {"camera_id": camera_id}
    return {"camera_id": camera_id, "user_id": holder.user_id, "username": holder.username,
            "full_name": holder.full_name, "until": holder.expires_at.timestamp()}


def post_holder(control_url: str, secret: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{control_url.rstrip('/')}/ptz/holder", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    with open_gateway(request, CONTROL_TIMEOUT_S) as answer:
        answer.read()


class HolderNotices:
    """Tells each camera's gateway who holds its PTZ lease (see the module docstring)."""

    def __init__(self, box: SecretBox) -> None:
        self._box = box
        self._guard = threading.Lock()
        self._locks: dict[int, threading.Lock] = {}

    @contextmanager
    def ordered(self, camera_id: int) -> Iterator[None]:
        """Hold around a lease change and its notice: one camera's notices in order."""
        with self._guard:
            lock = self._locks.setdefault(camera_id, threading.Lock())
        with lock:
            yield

    def tell(self, session: Session, camera_id: int, holder: PtzHolderPublic | None) -> None:
        """Post the holder to the camera's gateway if it is up; a failure is logged (the next
        renewal, within seconds, tells it again, and a restarted gateway hears every lease)."""
        camera = session.get(Camera, camera_id)
        gateway = session.get(Gateway, camera.gateway_id) if camera and camera.gateway_id \
            else None
        if gateway is None or not gateway.is_active or gateway.last_seen_at is None:
            return
        body = holder_body(camera_id, holder)
        try:
            post_holder(gateway.control_url, self._box.decrypt(gateway.control_secret_enc) or "",
                        body)
        except (OSError, ValueError) as err:
            log.warning("gateway %s: PTZ holder of camera %d not delivered: %s", gateway.name,
                        camera_id, err)

    def replay(self, sessions: sessionmaker[Session], gateway_id: int,
               clock: Callable[[], datetime],
               tell: Callable[[int, dict[str, Any]], None]) -> int:
        """Every live lease of the gateway's cameras told again with ``tell(camera_id, body)``
        (a camera that just moved there, a gateway that forgot), each read afresh and told
        under its camera's lock: a lease changing meanwhile is told after it, never overtaken
        by the holder it replaced. How many were told."""
        with sessions() as session:
            camera_ids = session.execute(
                select(PtzLease.camera_id).join(Camera, Camera.id == PtzLease.camera_id)
                .where(Camera.gateway_id == gateway_id, PtzLease.expires_at > clock())
            ).scalars().all()
        told = 0
        for camera_id in camera_ids:
            with self.ordered(camera_id), sessions() as session:
                row = session.execute(
                    select(User, PtzLease.expires_at)
                    .join(PtzLease, PtzLease.holder_id == User.id)
                    .join(Camera, Camera.id == PtzLease.camera_id)
                    .where(PtzLease.camera_id == camera_id, Camera.gateway_id == gateway_id,
                           PtzLease.expires_at > clock())).first()
                if row is None:
                    continue
                user, expires_at = row
                assert expires_at is not None
                tell(camera_id, {"user_id": user.id, "username": user.username,
                                 "full_name": user.full_name, "until": expires_at.timestamp()})
                told += 1
        return told


def replay_holders(session: Session, gateway_id: int, now: datetime,
                   tell: Callable[[int, dict[str, Any]], None]) -> int:
    """Every live lease of the gateway's cameras, told again with ``tell(camera_id, body)``
    (a gateway that restarted knows no holder); how many."""
    rows = session.execute(
        select(PtzLease.camera_id, User, PtzLease.expires_at)
        .join(Camera, Camera.id == PtzLease.camera_id)
        .join(User, User.id == PtzLease.holder_id)
        .where(Camera.gateway_id == gateway_id, PtzLease.expires_at > now)).all()
    for camera_id, user, expires_at in rows:
        assert expires_at is not None
        tell(camera_id, {"user_id": user.id, "username": user.username,
                         "full_name": user.full_name, "until": expires_at.timestamp()})
    return len(rows)
