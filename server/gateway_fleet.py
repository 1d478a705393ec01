"""A site's media gateways: which cameras each serves, kept in step while they run.

A city grows past one box by running several gateways near its cameras; the backend records
which gateway serves which camera (``cameras.gateway_id``) and keeps each gateway's camera table
equal to that record:
- **The table.** :func:`gateway_table` is what one gateway serves, video streams and PTZ
  cameras (passwords sealed to its key), with its version. The embedded gateway starts with it
  (``GatewaySupervisor``); :class:`GatewaySync` asks every active gateway for its health every
  few seconds, learns a new gateway's key, notes who is up (``last_seen_at``: sessions point
  only at gateways up), and sends the table (``PUT /cameras``) to a gateway whose version
  differs — after an administrator's change, or to a gateway that restarted and forgot the
  table it was sent — then tells it every live PTZ lease of its cameras (a camera that just
  came, a gateway that forgot its holders).
- **Moving a camera.** :func:`move_camera` re-seals its passwords to the new gateway's key
  through the gateway that holds them (``POST /reseal``): the backend carries the boxes and
  can open none. When that gateway does not answer, the administrator enters the passwords again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from common.stream_tokens import trusted_keys_digest
from common.vocabulary import IncidentCategory, IncidentKind
from server import incidents, ptz_broker
from server.clocks import ClockWatch
from server.gateways import CONTROL_TIMEOUT_S, gateway_table, seal, set_gateway_key
from server.models import Camera, Gateway
from server.security import SecretBox
from server.stream_sessions import token_key_pairs
from server.tls import open_gateway

log = logging.getLogger("iocwall.gateway")

SYNC_INTERVAL_S = 3.0
# A gateway silent this long is a fault for the duty desk; a restart (an upgrade's takes ≤ 3 s)
# is not
GATEWAY_DOWN_AFTER_S = 15.0
SECRET_COLUMNS = {"rtsp_password": "rtsp_password_sealed",
                  "onvif_password": "onvif_password_sealed"}


class GatewayUnreachable(OSError):
    """The gateway's control endpoint did not answer (or answered nonsense)."""


class GatewayBusy(GatewayUnreachable):
    """The gateway answered 503: it is doing as much of that work as it does at once (its
    probes); the same request a few seconds later is served."""


class GatewayRefused(ValueError):
    """The gateway answered 4xx; the message is its own, naming what it refused."""


class CredentialsNeeded(ValueError):
    """A camera cannot move without its password being entered again; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def control_request(gateway: Gateway, box: SecretBox, method: str, path: str,
                    body: Any = None, timeout: float = CONTROL_TIMEOUT_S) -> Any:
    """One call to a gateway's control endpoint; its JSON answer."""
    secret = box.decrypt(gateway.control_secret_enc) or ""
    request = urllib.request.Request(
        f"{gateway.control_url.rstrip('/')}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    try:
        with open_gateway(request, timeout) as answer:
            return json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as err:
        try:
            said = json.loads(err.read() or b"null")
        except ValueError:
            said = None
        message = said.get("error") if isinstance(said, dict) else None
        if 400 <= err.code < 500:
            raise GatewayRefused(f"gateway {gateway.name}: {message or err.code}") from err
        if err.code == 503:
            raise GatewayBusy(f"gateway {gateway.name}: busy ({message or 'try again'})") from err
        raise GatewayUnreachable(f"gateway {gateway.name}: HTTP {err.code}") from err
    except (OSError, ValueError) as err:
        raise GatewayUnreachable(f"gateway {gateway.name}: {err}") from err


def move_camera(session: Session, camera: Camera, target: Gateway, box: SecretBox, *,
                passwords: dict[str, str | None]) -> None:
    """Serve ``camera`` by ``target`` from now on; the caller commits (then syncs both
    gateways). A password given in ``passwords`` (``rtsp_password``, ``onvif_password``) is
    sealed to the target's key; one not given is re-sealed by the gateway that holds it.
    :class:`CredentialsNeeded` when that is impossible (no key yet, holder down)."""
    if target.public_key is None:
        raise CredentialsNeeded("gateway_id", f"the gateway {target.name} has not reported its "
                                "key yet: start it, then move the camera")
    source = session.get(Gateway, camera.gateway_id) if camera.gateway_id is not None else None
    for field, column in SECRET_COLUMNS.items():
        given = passwords.get(field)
        current = getattr(camera, column)
        if given:
            setattr(camera, column, seal(target.public_key, given))
        elif current is None or (source is not None and source.id == target.id):
            continue
        elif source is None or source.public_key is None:
            raise CredentialsNeeded(field, "no gateway holds this password: enter it again")
        elif source.last_seen_at is None or not source.is_active:
            # not heard from (down, or just moved to an address not yet answering): asking it
            # would only wait for a timeout
            raise CredentialsNeeded(field, f"the gateway {source.name} that holds the password "
                                    "is not answering: enter it again")
        else:
            try:
                answer = control_request(source, box, "POST", "/reseal",
                                         {"sealed": current, "to": target.public_key})
            except (GatewayUnreachable, GatewayRefused) as err:
                raise CredentialsNeeded(field, f"the gateway {source.name} that holds the "
                                        f"password cannot hand it over ({err}): enter it "
                                        "again") from err
            if not isinstance(answer, dict) or not isinstance(answer.get("sealed"), str):
                raise CredentialsNeeded(field, f"the gateway {source.name} answered no "
                                        "password: enter it again")
            setattr(camera, column, answer["sealed"])
    camera.gateway_id = target.id


@dataclass(frozen=True)
class UpstreamState:
    """A gateway's word on one camera stream's connection (its GET /stats ``upstream``):
    ``state`` (idle, connecting, connected, auth_failed, failed), ``next_attempt_in_s``, what
    the camera sends (``video``, ``audio``), ``transport``; ``heard_at`` is monotonic."""

    upstream: dict[str, Any]
    heard_at: float
    gateway_id: int | None = None  # the gateway that said it

    @property
    def state(self) -> str:
        return str(self.upstream.get("state") or "")

    def login_refused_now(self, now: float) -> bool:
        """The camera refused the gateway's login and the gateway is not trying it again yet:
        a session now would only be refused (the gateway tries once a minute)."""
        if self.state != "auth_failed":
            return False
        wait = self.upstream.get("next_attempt_in_s")
        return isinstance(wait, int | float) and now < self.heard_at + float(wait)

    def public(self) -> dict[str, Any]:
        """For administrators: never a secret (the gateway's stats hold none)."""
        keep = ("state", "failures", "auth_failures", "next_attempt_in_s", "last_error",
                "transport", "video", "audio")
        return {k: self.upstream.get(k) for k in keep if k in self.upstream}


class GatewaySync:
    """Keeps every active gateway's camera table equal to the database (see the module)."""

    def __init__(self, sessions: sessionmaker[Session], box: SecretBox,
                 clock: Callable[[], datetime], *, embedded: str | None = None,
                 interval_s: float = SYNC_INTERVAL_S,
                 holders: ptz_broker.HolderNotices | None = None,
                 clocks: ClockWatch | None = None,
                 token_keys: Callable[[], list[Any]] | None = None) -> None:
        """``embedded``: the name of the gateway this backend runs; its supervisor says when
        it is up (a pass that raced its restart must not mark it down). ``holders``: the PTZ
        lease notices, whose per-camera order the replay after a new table keeps."""
        self._sessions = sessions
        self._clocks = clocks
        self._token_keys = token_keys  # what every gateway must trust (server.stream_sessions)
        self.wall_time: Callable[[], float] = time.time  # the server's clock gateways are held to
        self._holders = holders if holders is not None else ptz_broker.HolderNotices(box)
        self._embedded = embedded
        self._box = box
        self._clock = clock
        self._interval = interval_s
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()  # one pass at a time (the thread, a route's sync_now)
        # Changes asked for (``sync_soon``) and the newest of them a finished pass has seen: a
        # session for a camera just added waits for the pass that tells its gateway of it.
        self._settled = threading.Condition()
        self._asked = 0
        self._done = 0
        self._down: set[int] = set()  # logged as down: said once, not every pass
        self._down_since: dict[int, float] = {}  # monotonic time of the first silent pass
        self._filed_down: set[int] = set()  # its gateway_down incident is open
        self._thread: threading.Thread | None = None
        # (camera id, stream) → what its gateway last said of the camera's connection
        # (``upstream`` of the gateway's GET /stats) and when, for administrators and sessions
        self._upstreams: dict[tuple[int, str], UpstreamState] = {}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="gateway-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stopping.is_set():
                break
            try:
                self.sync()
            except SQLAlchemyError as err:
                log.warning("gateway sync: database unavailable (%s)", err)

    def sync_soon(self) -> None:
        """After a change: the next pass now, not at the next interval."""
        with self._settled:
            self._asked += 1
        self._wake.set()

    def settled(self, timeout: float) -> bool:
        """Wait until a pass that began after every change asked for so far has ended (at most
        ``timeout`` seconds): then the gateways have been told of it, or found down."""
        with self._settled:
            wanted = self._asked
            return self._settled.wait_for(lambda: self._done >= wanted, timeout)

    def sync(self, gateway_ids: Iterable[int] | None = None) -> dict[int, bool]:
        """One pass over the active gateways (or the given ones): whether each is up and
        serving the table it should."""
        with self._lock, self._sessions() as session:
            with self._settled:
                seen = self._asked
            query = select(Gateway).where(Gateway.is_active.is_(True))
            if gateway_ids is not None:
                query = query.where(Gateway.id.in_(list(gateway_ids)))
            result = {}
            for gateway in session.execute(query).scalars().all():
                result[gateway.id] = self._sync_one(session, gateway)
                session.commit()
            if gateway_ids is None:
                with self._settled:
                    self._done = max(self._done, seen)
                    self._settled.notify_all()
            return result

    def _sync_one(self, session: Session, gateway: Gateway) -> bool:
        if gateway.control_url.endswith(":0"):
            return False  # the embedded gateway before its first start: nothing to ask
        try:
            sent = self.wall_time()
            health = control_request(gateway, self._box, "GET", "/health")
            received = self.wall_time()
            if not isinstance(health, dict) or not health.get("ok"):
                raise GatewayUnreachable(f"gateway {gateway.name}: not healthy")
            self._note_clock(gateway, health.get("time"), sent, received)
            self._send_token_keys(gateway, health.get("token_keys_digest"))
            key = health.get("public_key")
            if isinstance(key, str) and key and key != gateway.public_key:
                log.info("gateway %s reports a new key", gateway.name)
                set_gateway_key(session, gateway, key)
            table = gateway_table(session, gateway, self._box)
            if health.get("cameras_version") != table.version:
                answer = control_request(gateway, self._box, "PUT", "/cameras", table.body(),
                                         timeout=CONTROL_TIMEOUT_S * 5)
                log.info("gateway %s: camera table sent (%s)", gateway.name, answer)
                session.commit()  # a key learnt above: not held across the holders' locks
                self._tell_holders(gateway)
            self._read_upstreams(gateway)
        except (GatewayUnreachable, GatewayRefused) as err:
            if gateway.id not in self._down:
                log.warning("%s; its cameras get no sessions until it answers", err)
                self._down.add(gateway.id)
            self._file_down(session, gateway, str(err))
            if gateway.name != self._embedded:
                gateway.last_seen_at = None
            return False
        self._down_since.pop(gateway.id, None)
        if gateway.id in self._filed_down:
            self._filed_down.discard(gateway.id)
            incidents.clear_system_incident(
                session, IncidentKind.GATEWAY_DOWN, f"gateway {gateway.name}",
                "Cổng truyền hình trả lời trở lại", self._clock())
        if gateway.id in self._down:
            log.info("gateway %s answers again", gateway.name)
            self._down.discard(gateway.id)
        if gateway.name != self._embedded:
            gateway.last_seen_at = self._clock()
        return True

    def _file_down(self, session: Session, gateway: Gateway, why: str) -> None:
        """A gateway silent for :data:`GATEWAY_DOWN_AFTER_S`: an incident on every duty
        operator's list (its cameras are dark), cleared when it answers again."""
        since = self._down_since.setdefault(gateway.id, time.monotonic())
        if gateway.id in self._filed_down or time.monotonic() - since < GATEWAY_DOWN_AFTER_S:
            return
        self._filed_down.add(gateway.id)
        incidents.file_system_incident(
            session, IncidentCategory.SERVER, IncidentKind.GATEWAY_DOWN,
            f"gateway {gateway.name}",
            f"Cổng truyền hình không trả lời ({why}); các camera của nó không xem được",
            self._clock())

    def _send_token_keys(self, gateway: Gateway, digest: object) -> None:
        """A gateway that trusts another set of token keys than the backend wants (a rotation
        it missed, or a restart from its file) is sent the set: nobody's session is refused
        for long after a rotation, on any gateway."""
        if self._token_keys is None or not isinstance(digest, str) or not digest:
            return
        entries = self._token_keys()
        if trusted_keys_digest(token_key_pairs(entries)) == digest:
            return
        control_request(gateway, self._box, "PUT", "/token-keys", {"token_keys": entries})
        log.info("gateway %s: token keys sent (%d)", gateway.name, len(entries))

    def _note_clock(self, gateway: Gateway, said: object, sent: float, received: float) -> None:
        """The gateway's clock against ours, NTP-style (its answer left between our send and
        our receipt): its tokens' times and its recordings' stamps depend on it."""
        if self._clocks is None or not isinstance(said, (int, float)) or isinstance(said, bool):
            return
        self._clocks.note(f"gateway {gateway.name}", float(said) - (sent + received) / 2)

    def upstream(self, camera_id: int, stream: str) -> UpstreamState | None:
        """What the camera's gateway last said of its connection to that stream (None: not
        heard yet)."""
        return self._upstreams.get((camera_id, stream))

    def upstreams(self) -> dict[tuple[int, str], UpstreamState]:
        """What every gateway last said of each camera stream it serves ((camera id, stream) →
        its word), for the stream watch (``server.stream_watch``)."""
        return dict(self._upstreams)

    def _read_upstreams(self, gateway: Gateway) -> None:
        """The gateway's word on each of its streams; a stream it no longer serves (the camera
        moved to another gateway, or left) loses what this gateway said of it."""
        stats = control_request(gateway, self._box, "GET", "/stats")
        now = time.monotonic()
        rows = stats.get("streams") if isinstance(stats, dict) else None
        served: set[tuple[int, str]] = set()
        for row in rows if isinstance(rows, list) else []:
            upstream = row.get("upstream") if isinstance(row, dict) else None
            camera_id, stream = row.get("camera_id"), row.get("stream")
            if isinstance(upstream, dict) and isinstance(camera_id, int) \
                    and isinstance(stream, str):
                self._upstreams[(camera_id, stream)] = UpstreamState(upstream, now, gateway.id)
                served.add((camera_id, stream))
        for key, state in list(self._upstreams.items()):
            if state.gateway_id == gateway.id and key not in served:
                del self._upstreams[key]

    def _tell_holders(self, gateway: Gateway) -> None:
        """Every live PTZ lease of the gateway's cameras (after a new table: a camera that
        moved here was leased while another gateway served it)."""
        def tell(camera_id: int, holder: dict[str, Any]) -> None:
            try:
                control_request(gateway, self._box, "POST", "/ptz/holder",
                                {"camera_id": camera_id, **holder})
            except (GatewayUnreachable, GatewayRefused) as err:
                # the holder's next renewal, within seconds, tells it again
                log.warning("%s: the PTZ holder of camera %d not delivered", err, camera_id)

        self._holders.replay(self._sessions, gateway.id, self._clock, tell)
