"""Media gateways on the backend's side: the embedded one it runs, sealing, revocations.

A site runs one or more gateways (``gateway/``), each serving the cameras assigned to it
(``cameras.gateway_id``). The backend never holds what a gateway needs in clear for long:
- **Sealing.** A gateway keeps its own X25519 key pair (a file only it reads) and reports the
  public half (the embedded one's is known before its first start: ``python3 -m gateway
  keygen``); the backend seals each camera password to it (libsodium sealed box, PyNaCl) when
  it is written, and stores and sends only that. It cannot open it again, and keeps no clear
  copy: a gateway that comes back with a new key cannot open its cameras' passwords any more,
  so they are dropped and the cameras need their credentials entered again.
- **Revocation.** When a user is deactivated, a grant ends or a camera leaves a user's scope,
  :class:`Gateways` tells every gateway concerned (``POST /revoke`` on its control endpoint):
  live sessions end at once, tokens issued before are refused.
- **The embedded gateway.** :class:`GatewaySupervisor` (started by ``server.main`` unless
  ``IOCWALL_GATEWAY=off``) runs ``/usr/bin/python3 -m gateway`` for the gateway row named
  ``settings.gateway_name``, feeds it the cameras assigned to it, the token key and its control
  secret on stdin, restarts it with backoff when it dies (replaying recent revocations), and
  writes its ``session_start`` / ``session_end`` events to the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import queue
import secrets
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from nacl.public import PublicKey, SealedBox
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.evidence import canonical_json
from common.stream_tokens import PREVIEW_STREAM
from gateway.process import GatewayError, GatewayProcess, gateway_public_key
from server import audit, ptz_broker, tls
from server.config import Settings
from server.models import AccessGrant, Camera, Gateway, User
from server.security import SecretBox, SecretKeyMismatch
from server.services import visible_camera
from server.tls import open_gateway

log = logging.getLogger("iocwall.gateway")

CONTROL_TIMEOUT_S = 2.0
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 10.0
STABLE_AFTER_S = 60.0  # a gateway that ran this long starts again from the first backoff
KEY_FILE = "x25519.key"  # in settings.gateway_dir


# -- sealing ----------------------------------------------------------------------------------

def seal(public_key: str, plaintext: str) -> str:
    """``plaintext`` sealed to a gateway's X25519 public key (base64 in, base64 out): only the
    holder of the private key opens it — not the backend."""
    box = SealedBox(PublicKey(base64.b64decode(public_key, validate=True)))
    return base64.b64encode(box.encrypt(plaintext.encode("utf-8"))).decode("ascii")


def set_gateway_key(session: Session, gateway: Gateway, public_key: str) -> list[str]:
    """The gateway reported a key it did not have before (first start, key file replaced):
    what was sealed to another key can no longer be opened, so it is dropped (the cameras
    need their credentials entered again; there is no clear copy to seal anew). The names of
    those cameras."""
    gateway.public_key = public_key
    lost = []
    for camera in session.execute(select(Camera).where(Camera.gateway_id == gateway.id)
                                  ).scalars():
        if camera.rtsp_password_sealed is not None or camera.onvif_password_sealed is not None:
            camera.rtsp_password_sealed = camera.onvif_password_sealed = None
            lost.append(camera.name)
    if lost:
        log.warning("gateway %s has a new key and cannot open the passwords sealed to its old "
                    "one: enter the credentials of %s again", gateway.name, ", ".join(lost))
    return lost


# -- the rows ---------------------------------------------------------------------------------

def privacy_masks(camera: Camera) -> list[list[float]]:
    return json.loads(camera.privacy_masks) if camera.privacy_masks else []


def camera_entries(session: Session, gateway: Gateway, box: SecretBox) -> list[dict[str, Any]]:
    """The camera streams ``gateway`` serves, in its configuration's shape (sealed passwords)."""
    cameras = session.execute(select(Camera).where(Camera.gateway_id == gateway.id,
                                                   Camera.is_active.is_(True))
                              .order_by(Camera.id)).scalars().all()
    entries = []
    for camera in cameras:
        username = box.decrypt(camera.rtsp_username_enc) or ""
        for stream, url in (("main", camera.main_url), ("sub", camera.sub_url)):
            if not url:
                continue
            entry: dict[str, Any] = {"camera_id": camera.id, "stream": stream, "url": url,
                                     "username": username, "transport": camera.transport,
                                     "name": camera.name}
            if camera.rtsp_password_sealed is not None:
                entry["sealed_password"] = camera.rtsp_password_sealed
            masks = privacy_masks(camera)
            if masks:  # the same regions on both streams: they are fractions of the picture
                entry["masks"] = masks
            entries.append(entry)
    return entries


def table_version(cameras: list[dict[str, Any]], ptz_cameras: list[dict[str, Any]]) -> str:
    """A name for a gateway's table, video and PTZ: equal tables, equal names (the gateway
    repeats it in ``GET /health``)."""
    both = {"cameras": cameras, "ptz_cameras": ptz_cameras}
    return hashlib.sha256(canonical_json(both).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class GatewayTable:
    """What one gateway serves: its camera streams and its PTZ cameras' ONVIF targets
    (passwords sealed to its key), and the table's name. The embedded gateway starts with it
    (``GatewaySupervisor``); every gateway is sent it when its version differs
    (``GatewaySync``, ``PUT /cameras``)."""

    cameras: list[dict[str, Any]]
    ptz_cameras: list[dict[str, Any]]

    @property
    def version(self) -> str:
        return table_version(self.cameras, self.ptz_cameras)

    def body(self) -> dict[str, Any]:
        """``PUT /cameras``'s body."""
        return {"cameras": self.cameras, "ptz_cameras": self.ptz_cameras,
                "version": self.version}


def gateway_table(session: Session, gateway: Gateway, box: SecretBox) -> GatewayTable:
    cameras = session.execute(select(Camera).where(Camera.gateway_id == gateway.id,
                                                   Camera.is_active.is_(True))
                              .order_by(Camera.id)).scalars().all()
    return GatewayTable(cameras=camera_entries(session, gateway, box),
                        ptz_cameras=ptz_broker.onvif_entries(list(cameras), box))


def ensure_local_gateway(session: Session, settings: Settings, box: SecretBox) -> Gateway:
    """The embedded gateway's row (created on first use, its viewers' address from the
    settings); the caller commits."""
    gateway = session.execute(select(Gateway).where(Gateway.name == settings.gateway_name)
                              ).scalar_one_or_none()
    if gateway is None:
        gateway = Gateway(name=settings.gateway_name, rtsp_host=settings.gateway_rtsp_host,
                          rtsp_port=settings.gateway_rtsp_port,
                          control_url="http://127.0.0.1:0", is_active=True,
                          control_secret_enc=box.encrypt(secrets.token_urlsafe(24)) or "")
        session.add(gateway)
        session.flush()
    elif gateway.rtsp_host != settings.gateway_rtsp_host:
        gateway.rtsp_host = settings.gateway_rtsp_host
    if gateway.public_key is None and settings.gateway == "embedded":
        # known before its first start, so that passwords written now are sealed to it
        set_gateway_key(session, gateway, gateway_public_key(settings.gateway_dir / KEY_FILE))
    return gateway


# -- revocations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Revocation:
    """A user, a camera, or a user on one camera (``POST /revoke``'s bodies)."""

    user_id: int | None = None
    camera_id: int | None = None

    def body(self) -> dict[str, int]:
        return {k: v for k, v in (("user_id", self.user_id), ("camera_id", self.camera_id))
                if v is not None}


class Gateways:
    """Tells the gateways what to cut. Revocations are kept for a token's lifetime, so a
    gateway that restarts (and forgot its list) hears them again before it serves anyone."""

    def __init__(self, sessions: sessionmaker[Session], box: SecretBox,
                 token_lifetime_s: int) -> None:
        self._sessions = sessions
        self._box = box
        self._lifetime = token_lifetime_s
        self._lock = threading.Lock()
        self._recent: list[tuple[float, Revocation]] = []

    def revoke_user(self, user_id: int) -> int:
        return self._send(Revocation(user_id=user_id))

    def revoke_camera(self, camera_id: int) -> int:
        """Every viewer's streams of the camera (deactivated)."""
        return self._send(Revocation(camera_id=camera_id))

    def revoke_user_camera(self, user_id: int, camera_id: int) -> int:
        return self._send(Revocation(user_id=user_id, camera_id=camera_id))

    def recent(self) -> list[Revocation]:
        horizon = time.monotonic() - self._lifetime - 1
        with self._lock:
            self._recent = [(at, r) for at, r in self._recent if at > horizon]
            return [r for _at, r in self._recent]

    def _send(self, revocation: Revocation) -> int:
        """Every gateway that may serve it is told; how many live sessions were cut. A
        gateway that cannot be reached is logged (a restarted one hears it again)."""
        with self._lock:
            self._recent.append((time.monotonic(), revocation))
        with self._sessions() as session:
            query = select(Gateway).where(Gateway.is_active.is_(True),
                                          Gateway.last_seen_at.is_not(None))
            if revocation.camera_id is not None:
                query = query.join(Camera, Camera.gateway_id == Gateway.id).where(
                    Camera.id == revocation.camera_id)
            targets = [(g.name, g.control_url, self._box.decrypt(g.control_secret_enc) or "")
                       for g in session.execute(query).scalars()]
        cut = 0
        for name, url, secret in targets:
            try:
                cut += post_revoke(url, secret, revocation.body())
            except (OSError, ValueError) as err:
                log.warning("gateway %s: revocation %s not delivered: %s", name,
                            revocation.body(), err)
        return cut


def cut_lost_cameras(session: Session, gateways: Gateways, unit_id: int,
                     camera_ids: list[int], now: datetime) -> int:
    """The unit's grants of these cameras ended: each of its users who may no longer view one
    is cut from it (a user who still may, through another grant, plays on)."""
    cut = 0
    users = session.execute(select(User).where(User.unit_id == unit_id)).scalars().all()
    for user in users:
        for camera_id in dict.fromkeys(camera_ids):
            if visible_camera(session, user, camera_id, now) is None:
                cut += gateways.revoke_user_camera(user.id, camera_id)
    return cut


class GrantEnds:
    """Watches access grants reach their end (``valid_until``, also when revoked early) and
    cuts the streams they allowed: a grant ends by itself, with no request to hook. Grants
    that ended in the day before it started are told again (a gateway may have outlived the
    backend)."""

    INTERVAL_S = 1.0

    def __init__(self, sessions: sessionmaker[Session], gateways: Gateways,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._gateways = gateways
        self._clock = clock
        self._since: datetime | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="grant-ends", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stopping.wait(self.INTERVAL_S):
            try:
                self.check()
            except SQLAlchemyError as err:
                log.warning("grant ends: database unavailable (%s); next check in %.0f s",
                            err, self.INTERVAL_S)

    def check(self) -> int:
        """Cut what grants ended since the last check allowed; how many sessions were cut."""
        now = self._clock()
        since = self._since if self._since is not None else now - timedelta(days=1)
        cut = 0
        with self._sessions() as session:
            rows = session.execute(
                select(AccessGrant.unit_id, AccessGrant.camera_id)
                .where(AccessGrant.valid_until > since, AccessGrant.valid_until <= now)
            ).all()
            by_unit: dict[int, list[int]] = {}
            for unit_id, camera_id in rows:
                by_unit.setdefault(unit_id, []).append(camera_id)
            for unit_id, camera_ids in by_unit.items():
                cut += cut_lost_cameras(session, self._gateways, unit_id, camera_ids, now)
        self._since = now
        return cut


def post_revoke(control_url: str, secret: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        f"{control_url.rstrip('/')}/revoke", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    with open_gateway(request, CONTROL_TIMEOUT_S) as answer:
        return int(json.loads(answer.read())["cut"])


# -- the embedded gateway ---------------------------------------------------------------------

class GatewaySupervisor:
    """Runs the local gateway and keeps it running; its sessions go to the audit log.

    ``pid`` is the running child's (None between two), ``restarts`` counts the restarts after
    a death (tests kill it)."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings, box: SecretBox,
                 token_keys: Callable[[], list[Any]], gateways: Gateways,
                 clock: Callable[[], datetime], *,
                 on_restart: Callable[[str, str], None] | None = None) -> None:
        """``token_keys()``: the gateway configuration's ``token_keys`` at each start (the
        current key, and retired ones while tokens they signed live). ``on_restart(subject,
        note)``: the gateway died and is started again (``server.restarts``)."""
        self._on_restart = on_restart
        self._sessions = sessions
        self._settings = settings
        self._box = box
        self._token_keys = token_keys
        self._gateways = gateways
        self._clock = clock
        self._stopping = threading.Event()
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._process: GatewayProcess | None = None
        self._last_port: int | None = None
        self._last_ptz_port: int | None = None
        self._threads: list[threading.Thread] = []
        self.restarts = 0
        self.ready = threading.Event()  # set at each ready, cleared when the child dies

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.alive() else None

    @property
    def process(self) -> GatewayProcess | None:
        return self._process

    def start(self) -> None:
        self._settings.gateway_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for target, name in ((self._run, "gateway-supervisor"),
                             (self._write_audit, "gateway-audit")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        process = self._process
        if process is not None:
            process.stop()
        for thread in self._threads:
            thread.join(15)

    # -- the child -------------------------------------------------------------------------
    def _run(self) -> None:
        self._mark_unseen()
        delay = FIRST_BACKOFF_S
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                process = self._launch()
            except (GatewayError, SQLAlchemyError, OSError, ValueError,
                    SecretKeyMismatch, tls.TlsError) as err:
                log.error("gateway %s did not start: %s; again in %.1f s",
                          self._settings.gateway_name, err, delay)
                # the ports may be taken: the configured ones next
                self._last_port = self._last_ptz_port = None
                self._stopping.wait(delay)
                delay = min(delay * 2, MAX_BACKOFF_S)
                continue
            self._process = process
            self._after_ready(process)
            while not self._stopping.is_set() and process.wait(0.2) is None:
                pass
            self.ready.clear()
            if self._stopping.is_set():
                break
            self.restarts += 1
            planned = process.proc.returncode in (0, -signal.SIGTERM)
            if planned or time.monotonic() - started > STABLE_AFTER_S:
                # a stop asked for (an upgrade, the service manager) is no crash loop: the
                # viewers' tiles wait on it, so it comes back after the shortest pause
                delay = FIRST_BACKOFF_S
            log.warning("gateway %s (pid %d) died with code %s; restarting in %.1f s",
                        self._settings.gateway_name, process.pid, process.proc.returncode,
                        delay)
            if self._on_restart is not None:
                # told on its own thread: filing the incident must not hold the viewers' gateway
                # back (its database write may wait on a busy database)
                threading.Thread(
                    target=self._on_restart, name="gateway-restart-notice", daemon=True,
                    args=(f"gateway {self._settings.gateway_name}",
                          f"Cổng truyền hình {self._settings.gateway_name} (pid "
                          f"{process.pid}) dừng với mã {process.proc.returncode}; "
                          "đang khởi động lại")).start()
            self._stopping.wait(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)

    def _mark_unseen(self) -> None:
        """Until this run's gateway is up, no session URL points at it (503, "try again"):
        one that never comes up must not be handed out from an earlier run's address."""
        try:
            with self._sessions() as session:
                session.execute(update(Gateway).where(Gateway.name == self._settings.gateway_name)
                                .values(last_seen_at=None))
                session.commit()
        except SQLAlchemyError as err:
            log.warning("gateway %s: could not mark it down: %s", self._settings.gateway_name,
                        err)

    def _launch(self) -> GatewayProcess:
        """Start the child; once more when it reports a key the cameras were not sealed to."""
        for _attempt in range(2):
            config = self._configuration()
            try:
                process = GatewayProcess(config, on_event=self._events.put, keep_events=200)
            except GatewayError as err:
                if err.public_key is None or not self._new_key(err.public_key):
                    raise
                continue
            if (process.public_key is not None and self._new_key(process.public_key)
                    and (config["cameras"] or config["ptz_cameras"])):
                # its cameras were sealed to another key (or not yet): again, sealed anew,
                # on the port it had
                self._last_port = process.rtsp_port
                process.stop()
                continue
            return process
        raise GatewayError("the gateway's key keeps changing")

    def _configuration(self) -> dict[str, Any]:
        settings = self._settings
        with self._sessions() as session:
            gateway = ensure_local_gateway(session, settings, self._box)
            session.commit()
            table = gateway_table(session, gateway, self._box)
            secret = self._box.decrypt(gateway.control_secret_enc) or ""
        port = self._last_port if self._last_port is not None else settings.gateway_rtsp_port
        config: dict[str, Any] = {}
        if settings.site_ca_file is not None:
            config["tls"] = self._certificate()
        return {**config, "rtsp": {"address": settings.gateway_rtsp_address, "port": port},
                "control": {"address": "127.0.0.1", "port": 0, "secret": secret},
                "token_keys": self._token_keys(),
                "max_token_lifetime_s": settings.stream_token_lifetime_s,
                "key_file": str(settings.gateway_dir / KEY_FILE),
                "cameras": table.cameras, "cameras_version": table.version,
                # clients keep the PTZ port they were given across a restart: the same one
                "ptz": {"address": settings.gateway_rtsp_address,
                        "port": self._last_ptz_port if self._last_ptz_port is not None
                        else settings.gateway_ptz_port},
                "ptz_cameras": table.ptz_cameras}

    def _certificate(self) -> dict[str, str]:
        """The embedded gateway's certificate, issued by the site CA at each start for the
        names viewers and the backend dial it by; a site whose CA lives in its own PKI (no CA
        key here) lends it the backend's certificate, which names this machine too."""
        settings = self._settings
        site = tls.site_tls(settings.data_dir)
        if not site.can_issue():
            return {"cert_file": str(site.cert), "key_file": str(site.key),
                    "ca_file": str(site.ca_cert)}
        cert, key = settings.gateway_dir / "gateway.crt", settings.gateway_dir / "gateway.key"
        tls.issue(site, f"iocwall gateway {settings.gateway_name}",
                  [settings.gateway_rtsp_host, settings.gateway_rtsp_address, *tls.DEFAULT_NAMES],
                  cert, key)
        return {"cert_file": str(cert), "key_file": str(key), "ca_file": str(site.ca_cert)}

    def _new_key(self, public_key: str) -> bool:
        """Store a key the row did not have and seal to it; False when it is the known one."""
        with self._sessions() as session:
            gateway = ensure_local_gateway(session, self._settings, self._box)
            if gateway.public_key == public_key:
                return False
            log.info("gateway %s: new key", gateway.name)
            set_gateway_key(session, gateway, public_key)
            session.commit()
        return True

    def _after_ready(self, process: GatewayProcess) -> None:
        self._last_port, self._last_ptz_port = process.rtsp_port, process.ptz_port
        with self._sessions() as session:
            gateway = ensure_local_gateway(session, self._settings, self._box)
            gateway.rtsp_port = process.rtsp_port
            gateway.ptz_port = process.ptz_port
            gateway.control_url = f"{process.scheme}://127.0.0.1:{process.control_port}"
            gateway.last_seen_at = self._clock()
            session.commit()
        for revocation in self._gateways.recent():
            try:
                process.revoke(user_id=revocation.user_id, camera_id=revocation.camera_id)
            except (GatewayError, OSError) as err:
                log.warning("gateway: replaying %s failed: %s", revocation.body(), err)
        self._replay_ptz_holders(process, gateway.id)
        log.info("gateway %s ready: pid %d, RTSP port %d", self._settings.gateway_name,
                 process.pid, process.rtsp_port)
        self.ready.set()

    def _replay_ptz_holders(self, process: GatewayProcess, gateway_id: int) -> None:
        """A restarted gateway knows no PTZ lease holder: tell it every live one."""
        def tell(camera_id: int, holder: dict[str, Any]) -> None:
            try:
                process.set_ptz_holder(camera_id, holder)
            except (GatewayError, OSError) as err:
                log.warning("gateway: replaying the PTZ holder of camera %d failed: %s",
                            camera_id, err)

        with self._sessions() as session:
            ptz_broker.replay_holders(session, gateway_id, self._clock(), tell)

    # -- its sessions in the audit log -----------------------------------------------------
    def _write_audit(self) -> None:
        """Session events in order; an unreachable database delays them, loses none."""
        pending: dict[str, Any] | None = None
        while True:
            if pending is None:
                try:
                    pending = self._events.get(timeout=0.2)
                except queue.Empty:
                    if self._stopping.is_set():
                        return
                    continue
            if pending.get("event") not in ("session_start", "session_end"):
                if pending.get("event") == "session_refused":
                    log.info("gateway refused a session: %s on camera %s %s",
                             pending.get("reason"), pending.get("camera_id"),
                             pending.get("stream"))
                pending = None
                continue
            try:
                self._audit(pending)
            except SQLAlchemyError as err:
                if self._stopping.is_set():
                    log.error("gateway session event not audited at shutdown: %s", err)
                    return
                log.warning("gateway session event waits for the database: %s", err)
                self._stopping.wait(1.0)
                continue
            pending = None

    def _audit(self, event: dict[str, Any]) -> None:
        start = event["event"] == "session_start"
        detail: dict[str, Any] = {
            "session_id": event.get("session_id"), "stream": event.get("stream"),
            "gateway": self._settings.gateway_name,
            "started_at": _iso(event.get("started_at")),
        }
        if not start:
            detail["duration_s"] = event.get("duration_s")
            detail["reason"] = event.get("reason")
        # a preview's session is of no camera yet (its token names camera 0)
        camera_id = None if event.get("stream") == PREVIEW_STREAM else _int(event.get("camera_id"))
        with self._sessions() as session:
            audit.append(session, "stream_session_start" if start else "stream_session_end",
                         now=self._clock(), user_id=_int(event.get("user_id")),
                         username=event.get("username"), camera_id=camera_id, detail=detail)
            session.commit()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _iso(value: Any) -> str | None:
    if not isinstance(value, (int, float)):
        return None
    return datetime.fromtimestamp(value, UTC).isoformat()
