"""``python -m server rotate-keys``: a new key for one purpose, without losing what the old one
vouched for (docs/keys.md).

- **Evidence** (``clip-signing.key``): a new signing key; the old public key joins the ring
  (:mod:`server.key_ring`) and stays published at ``GET /keys``, so every clip it signed still
  verifies. The old private key is gone: nothing can be signed in its name any more.
- **Token** (``stream-token.key``): a new key for stream session tokens. The gateways are told
  the new key *before* the backend signs with it, and keep trusting the old one until the last
  token it signed has expired (``stream_token_lifetime_s`` after the rotation): nobody is cut
  and no session start fails. A running backend signs with the new key from its next token
  (:class:`~server.key_ring.KeyOnFile`).
- **Credentials** (the embedded gateway's ``x25519.key``): the gateway makes a new key pair;
  every camera password sealed to the old key is re-sealed to the new one by a gateway holding
  the old key (``POST /reseal``: the backend never sees a password), the database takes the
  new boxes and key in one transaction, then the new key file replaces the old one. The
  backend must be stopped (its running gateway holds the old key).

Every rotation is audited (``key_rotate``: which key, the key ids, who ran it; never a key).
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.process import GatewayError, GatewayProcess, gateway_public_key
from server import audit
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.gateway_fleet import (
    SECRET_COLUMNS,
    GatewayRefused,
    GatewayUnreachable,
    control_request,
)
from server.gateways import KEY_FILE
from server.key_ring import rotate
from server.models import Camera, Gateway
from server.security import SecretBox
from server.stream_sessions import gateway_token_keys, public_key_base64

log = logging.getLogger("iocwall.server.keys")


class RotationRefused(RuntimeError):
    """The rotation cannot be done now; the message says why and what to do. Nothing changed."""


@dataclass
class Rotated:
    """What a rotation did: the key ids (or, for the credentials, the X25519 public keys) and
    what the administrator still has to do (``todo``)."""

    key: str
    retired: str
    current: str
    resealed: int = 0
    todo: list[str] = field(default_factory=list)


def fingerprint(public_key_b64: str) -> str:
    """A short name for an X25519 public key in the audit log (as key ids are for Ed25519)."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def _audit(session: Session, now: datetime, rotated: Rotated) -> None:
    audit.append(session, "key_rotate", now=now, username="system",
                 detail={"key": rotated.key, "retired": rotated.retired,
                         "current": rotated.current, "resealed": rotated.resealed,
                         "by": _operator()})


def _with_session(settings: Settings, work: Any) -> Any:
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return work(session)
    finally:
        engine.dispose()


def rotate_evidence(settings: Settings, now: datetime) -> Rotated:
    retired, current = rotate(settings.signing_key_file, now)
    rotated = Rotated("evidence", retired.key_id, current.key_id)

    def record(session: Session) -> None:
        _audit(session, now, rotated)
        session.commit()

    _with_session(settings, record)
    log.info("evidence key %s retired, %s signs from now on", retired.key_id, current.key_id)
    return rotated


def rotate_token(settings: Settings, now: datetime) -> Rotated:
    """See the module. ``todo`` names the gateways that could not be told (a remote one down:
    its configuration's ``token_keys`` needs the new key before it is trusted again)."""
    key_file = settings.stream_token_key_file
    new_key = Ed25519PrivateKey.generate()
    new_public = public_key_base64(new_key)
    trusted_until = now + timedelta(seconds=settings.stream_token_lifetime_s)
    old_entries = gateway_token_keys(key_file, now)  # the current key first
    entries: list[Any] = [new_public,
                          {"key": old_entries[0], "until": int(trusted_until.timestamp()) + 1},
                          *old_entries[1:]]
    box = SecretBox.from_settings(settings)

    def tell_gateways(session: Session) -> list[str]:
        todo = []
        for gateway in session.execute(select(Gateway).where(Gateway.is_active.is_(True))
                                       ).scalars():
            embedded = gateway.name == settings.gateway_name and settings.gateway == "embedded"
            try:
                control_request(gateway, box, "PUT", "/token-keys", {"token_keys": entries})
            except (GatewayUnreachable, GatewayRefused) as err:
                if embedded:
                    continue  # not running: it reads the keys from the ring when it starts
                todo.append(f"gateway {gateway.name} was not told ({err}): add {new_public} "
                            "to token_keys in its configuration and restart it")
        return todo

    todo: list[str] = _with_session(settings, tell_gateways)
    retired, current = rotate(key_file, now, trusted_until, new_key)
    rotated = Rotated("token", retired.key_id, current.key_id, todo=todo)

    def record(session: Session) -> None:
        _audit(session, now, rotated)
        session.commit()

    _with_session(settings, record)
    return rotated


def _temporary_gateway(settings: Settings) -> GatewayProcess:
    """A gateway with the embedded one's key and no camera: only its ``/reseal`` is used."""
    token_key = public_key_base64(Ed25519PrivateKey.generate())  # no token will be shown
    return GatewayProcess({"rtsp": {"address": "127.0.0.1", "port": 0},
                           "control": {"address": "127.0.0.1", "port": 0,
                                       "secret": secrets.token_urlsafe(24)},
                           "ptz": {"address": "127.0.0.1", "port": 0},
                           "token_keys": [token_key],
                           "key_file": str(settings.gateway_dir / KEY_FILE), "cameras": []})


def rotate_credentials(settings: Settings, now: datetime) -> Rotated:
    """See the module. :class:`RotationRefused` while the backend's gateway runs, or when the
    key file is not the key the passwords are sealed to."""
    key_file = settings.gateway_dir / KEY_FILE
    new_file = key_file.with_name(KEY_FILE + ".new")
    box = SecretBox.from_settings(settings)

    def work(session: Session) -> Rotated:
        gateway = session.execute(select(Gateway).where(Gateway.name == settings.gateway_name)
                                  ).scalar_one_or_none()
        if gateway is None or gateway.public_key is None or not key_file.exists():
            raise RotationRefused(f"the gateway {settings.gateway_name} has no key yet: "
                                  "nothing to rotate")
        try:
            control_request(gateway, box, "GET", "/health", timeout=1.0)
        except (GatewayUnreachable, GatewayRefused):
            pass
        else:
            raise RotationRefused(f"the gateway {gateway.name} is running with the key: stop "
                                  "the backend (systemctl stop iocwall-server), rotate, start it")
        new_file.unlink(missing_ok=True)  # a rotation that stopped before its end
        try:
            process = _temporary_gateway(settings)
        except GatewayError as err:
            raise RotationRefused(f"the gateway with the current key did not start: {err}"
                                  ) from err
        try:
            if process.public_key != gateway.public_key:
                raise RotationRefused(f"{key_file} is not the key the passwords are sealed "
                                      "to: nothing to re-seal with (see docs/keys.md, lost "
                                      "credential key)")
            new_public = gateway_public_key(new_file)  # the gateway makes the new pair
            cameras = session.execute(select(Camera).where(Camera.gateway_id == gateway.id)
                                      ).scalars().all()
            resealed = 0
            for camera in cameras:
                for column in SECRET_COLUMNS.values():
                    sealed = getattr(camera, column)
                    if sealed is not None:
                        setattr(camera, column, process.reseal(sealed, new_public))
                        resealed += 1
        except (GatewayError, OSError) as err:
            session.rollback()
            new_file.unlink(missing_ok=True)
            raise RotationRefused(f"re-sealing failed, nothing changed: {err}") from err
        finally:
            process.stop()
        rotated = Rotated("credentials", fingerprint(gateway.public_key),
                          fingerprint(new_public), resealed)
        gateway.public_key = new_public
        _audit(session, now, rotated)
        session.commit()
        # the boxes now open with the new key only: it takes the old one's place, which is gone
        os.replace(new_file, key_file)
        return rotated

    result: Rotated = _with_session(settings, work)
    return result
