"""The PTZ broker: ONVIF SOAP on the gateway's own port, forwarded to the camera for the lease
holder only.

The client's ONVIF controller talks to this endpoint as if it were the camera; the camera's
ONVIF password never leaves the gateway. Each request:
1. is parsed (SOAP 1.2, no DTD) and its operation looked up in a whitelist: what a PTZ user
   needs (device discovery, media profiles, PTZ moves, presets, home, status) and nothing else
   (reboot, users, network, time: refused, ``ter:ActionNotSupported``);
2. GetSystemDateAndTime is answered here, from the gateway's clock, without a login (the
   client's controller reads it to align its WS-Security timestamps with ours);
3. any other operation carries a WS-Security UsernameToken whose user name and password are a
   PTZ token (:mod:`common.ptz_tokens`): the PasswordDigest and the token's signature, expiry
   and camera are checked, and the token must not be covered by a revocation of its user or
   camera (``ter:NotAuthorized`` otherwise);
4. a command (anything that moves the camera or changes its presets or home) goes on only for
   the user the backend said holds the camera's lease (:class:`Holders`); anybody else gets a
   fault naming the holder ("PTZ held by <full name>", subcode ``iw:PtzNotHolder``). A Stop
   is also let through for the last holder while nobody holds the lease, and with a token
   expired less than ``STOP_GRACE_S`` ago; and when the lease changes hands (or is released)
   while the last command forwarded was a ContinuousMove, the gateway stops the camera itself
   before it answers the backend (so before the new holder has its token): a camera is never
   left moving because its lease ran out or was taken;
5. is forwarded to the camera's configured host and port, signed with the camera's own
   UsernameToken (PasswordDigest, ``Created`` on the camera's clock: its skew is read from its
   GetSystemDateAndTime, again once when it refuses us), over kept-alive connections;
6. the answer goes back as it came, except that service addresses (GetServices,
   GetCapabilities) are rewritten to this endpoint and services other than device, media and
   PTZ dropped; a camera that cannot be reached or refuses the gateway's login is a fault too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import logging
import os
import queue
import re
import ssl
import threading
import time
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from common.ptz_tokens import ExpiredPtzToken, PtzToken, decode_and_verify
from common.stream_tokens import TokenError, VerifySignature
from gateway.config import OnvifTarget
from gateway.served import ServedHttp

log = logging.getLogger("iocwall.gateway.ptz")

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "ter": "http://www.onvif.org/ver10/error",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "iw": "urn:iocwall:ptz",
}
for _prefix, _uri in NS.items():
    # forwarded bodies keep the usual prefixes (ElementTree would write ns0, ns1...)
    ET.register_namespace(_prefix, _uri)
PASSWORD_DIGEST = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-"
                   "profile-1.0#PasswordDigest")
NONCE_BASE64 = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-"
                "security-1.0#Base64Binary")

# the service each namespace's operations go to, and this endpoint's path for it
SERVICES = {NS["tds"]: "device_service", NS["trt"]: "media_service", NS["tptz"]: "ptz_service"}
READS = {
    NS["tds"]: frozenset({"GetServices", "GetCapabilities", "GetDeviceInformation"}),
    NS["trt"]: frozenset({"GetProfiles", "GetProfile"}),
    NS["tptz"]: frozenset({"GetPresets", "GetStatus", "GetConfigurations", "GetConfiguration",
                           "GetConfigurationOptions", "GetNodes", "GetNode"}),
}
COMMANDS = frozenset({"ContinuousMove", "Stop", "AbsoluteMove", "RelativeMove", "GotoPreset",
                      "SetPreset", "RemovePreset", "GotoHomePosition", "SetHomePosition"})
# commands after which the camera no longer moves on its own (ONVIF: a move ends another)
HALTS = frozenset({"Stop", "AbsoluteMove", "RelativeMove", "GotoPreset", "GotoHomePosition"})
MAX_BODY = 256 * 1024
CLOCK_TOLERANCE_S = 300  # a client's WS-Security Created may be this far off the gateway clock
STOP_GRACE_S = 30.0
CAMERA_TIMEOUT_S = 4.0  # below the client's 5 s: it hears our fault, not its own timeout
IDLE_CONNECTIONS = 4  # kept-alive connections per camera
_HOST_HEADER = re.compile(r"[A-Za-z0-9._-]{1,253}(:\d{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?")


class Fault(Exception):
    """A SOAP fault to answer: code, subcodes (prefixed names), reason and HTTP status."""

    def __init__(self, subcodes: tuple[str, ...], reason: str, *, sender: bool = True) -> None:
        super().__init__(reason)
        self.subcodes = subcodes
        self.reason = reason
        self.code = "env:Sender" if sender else "env:Receiver"
        self.status = 400 if sender else 500


def envelope(body: str, header: str = "") -> bytes:
    decls = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items() if p not in ("wsse", "wsu"))
    head = f"<env:Header>{header}</env:Header>" if header else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope {decls}>{head}'
            f"<env:Body>{body}</env:Body></env:Envelope>").encode()


def fault_envelope(fault: Fault) -> bytes:
    sub = ""
    for code in reversed(fault.subcodes):
        sub = f"<env:Subcode><env:Value>{code}</env:Value>{sub}</env:Subcode>"
    return envelope(
        f"<env:Fault><env:Code><env:Value>{fault.code}</env:Value>{sub}</env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(fault.reason)}</env:Text></env:Reason>'
        "</env:Fault>")


def parse_soap(data: bytes) -> tuple[ET.Element, ET.Element]:
    """(envelope, the Body's operation element) of a SOAP 1.2 message; a Sender fault if not."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Fault(("ter:WellFormed",), "a DTD is not allowed in SOAP")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise Fault(("ter:WellFormed",), f"malformed XML: {err}") from err
    body = root.find("env:Body", NS)
    if root.tag != f"{{{NS['env']}}}Envelope" or body is None or len(body) == 0:
        raise Fault(("ter:WellFormed",), "not a SOAP 1.2 envelope with a body")
    return root, body[0]


def split_tag(tag: str) -> tuple[str, str]:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace, local


# -- WS-Security UsernameToken ----------------------------------------------------------------

def password_digest(nonce: bytes, created: str, password: str) -> str:
    return base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode())
                            .digest()).decode()


def username_token(username: str, password: str, created: datetime) -> str:
    """A wsse:Security header with a PasswordDigest UsernameToken created at ``created``."""
    nonce = os.urandom(16)
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return (
        f'<wsse:Security xmlns:wsse="{NS["wsse"]}" xmlns:wsu="{NS["wsu"]}" '
        'env:mustUnderstand="true"><wsse:UsernameToken>'
        f"<wsse:Username>{escape(username)}</wsse:Username>"
        f'<wsse:Password Type="{PASSWORD_DIGEST}">{password_digest(nonce, stamp, password)}'
        "</wsse:Password>"
        f'<wsse:Nonce EncodingType="{NONCE_BASE64}">{base64.b64encode(nonce).decode()}'
        f"</wsse:Nonce><wsu:Created>{stamp}</wsu:Created></wsse:UsernameToken></wsse:Security>")


def presented_token(root: ET.Element, now: float) -> str:
    """The user name of the request's UsernameToken once its PasswordDigest, computed with the
    user name as the password (a PTZ token is both), holds and its Created is near ``now``."""
    token = root.find("env:Header/wsse:Security/wsse:UsernameToken", NS)
    refused = Fault(("ter:NotAuthorized",), "Sender not Authorized")
    if token is None:
        raise refused
    username = (token.findtext("wsse:Username", "", NS) or "").strip()
    password = token.find("wsse:Password", NS)
    created = (token.findtext("wsu:Created", "", NS) or "").strip()
    if not username or password is None or not (password.get("Type") or "").endswith(
            "#PasswordDigest"):
        raise refused
    try:
        nonce = base64.b64decode((token.findtext("wsse:Nonce", "", NS) or "").strip(),
                                 validate=True)
        when = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError as err:
        raise refused from err
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if not hmac.compare_digest((password.text or "").strip(),
                               password_digest(nonce, created, username)):
        raise refused
    if abs(when.timestamp() - now) > CLOCK_TOLERANCE_S:
        raise Fault(("ter:NotAuthorized",), "WS-Security Created is too far off the gateway "
                    "clock (read it with GetSystemDateAndTime)")
    return username


# -- who may drive ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Holder:
    """The user holding a camera's PTZ lease, as the backend told us, until ``until``."""

    user_id: int
    username: str
    full_name: str
    until: float

    @property
    def display(self) -> str:
        return self.full_name or self.username


class Holders:
    """Each camera's lease holder (thread-safe); the last holder is kept for its Stop."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._holders: dict[int, Holder] = {}
        self._last: dict[int, int] = {}  # camera → the user id of its last holder

    def set(self, camera_id: int, holder: Holder | None) -> Holder | None:
        """The holder it replaces (None: there was none)."""
        with self._lock:
            if holder is None:
                previous = self._holders.pop(camera_id, None)
            else:
                previous = self._holders.get(camera_id)
                self._holders[camera_id] = holder
                self._last[camera_id] = holder.user_id
            return previous

    def current(self) -> dict[int, Holder]:
        with self._lock:
            return dict(self._holders)

    def forget(self, camera_id: int) -> None:
        """The camera left this gateway: neither its holder nor its last one counts here."""
        with self._lock:
            self._holders.pop(camera_id, None)
            self._last.pop(camera_id, None)

    def count(self) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for h in self._holders.values() if h.until > now)

    def holds(self, camera_id: int, user_id: int) -> bool:
        now = self._clock()
        with self._lock:
            holder = self._holders.get(camera_id)
            return holder is not None and holder.user_id == user_id and holder.until > now

    def check(self, camera_id: int, user_id: int, operation: str) -> None:
        """Nothing when ``user_id`` may send ``operation`` to the camera now; the fault the
        others get."""
        now = self._clock()
        with self._lock:
            holder = self._holders.get(camera_id)
            if holder is not None and holder.until <= now:
                holder = None
            if holder is not None and holder.user_id == user_id:
                return
            if holder is None and operation == "Stop" and self._last.get(camera_id) == user_id:
                return
        reason = (f"PTZ held by {holder.display}" if holder is not None
                  else "PTZ lease not held: ask for the lease first")
        raise Fault(("ter:NotAuthorized", "iw:PtzNotHolder"), reason)


# -- the camera side --------------------------------------------------------------------------

class CameraUnreachable(Exception):
    pass


class CameraLink:
    """The gateway's ONVIF client of one camera: kept-alive connections to its configured host
    and port, its clock offset, its service paths (learnt from GetServices, host ignored)."""

    def __init__(self, target: OnvifTarget, timeout_s: float = CAMERA_TIMEOUT_S) -> None:
        self.target = target
        self._timeout = timeout_s
        self._idle: queue.LifoQueue[http.client.HTTPConnection] = queue.LifoQueue()
        self._skew: timedelta | None = None
        self._paths: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- HTTP -------------------------------------------------------------------------------
    def _post(self, path: str, data: bytes) -> tuple[int, bytes, str | None]:
        """(status, body, Date header) of one POST; a dropped kept-alive connection is retried
        once on a new one (the camera closed it while idle: the request never reached it)."""
        for attempt in range(2):
            try:
                connection = self._idle.get_nowait()
                reused = True
            except queue.Empty:
                connection = http.client.HTTPConnection(self.target.host, self.target.port,
                                                        timeout=self._timeout)
                reused = False
            try:
                connection.request("POST", path, body=data, headers={
                    "Content-Type": "application/soap+xml; charset=utf-8"})
                answer = connection.getresponse()
                body = answer.read()
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError) as err:
                connection.close()
                if reused and attempt == 0:
                    continue
                raise CameraUnreachable(str(err) or type(err).__name__) from err
            except (OSError, http.client.HTTPException) as err:
                connection.close()
                raise CameraUnreachable(str(err) or type(err).__name__) from err
            if answer.will_close or self._idle.qsize() >= IDLE_CONNECTIONS:
                connection.close()
            else:
                self._idle.put(connection)
            return answer.status, body, answer.getheader("Date")
        raise CameraUnreachable("connection dropped")  # not reached: the loop returns or raises

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    # -- clock ------------------------------------------------------------------------------
    def _sync_clock(self) -> timedelta:
        """The camera clock's offset from ours: GetSystemDateAndTime without a login, or the
        HTTP Date header of its answer (cameras that want a login even for that)."""
        status, body, date = self._post("/onvif/device_service", envelope(
            "<tds:GetSystemDateAndTime/>"))
        camera_now: datetime | None = None
        if status == 200:
            try:
                _root, reply = parse_soap(body)
                utc = reply.find("tds:SystemDateAndTime/tt:UTCDateTime", NS)
                if utc is not None:
                    def part(path: str) -> int:
                        return int(utc.findtext(path, "", NS) or "")
                    camera_now = datetime(part("tt:Date/tt:Year"), part("tt:Date/tt:Month"),
                                          part("tt:Date/tt:Day"), part("tt:Time/tt:Hour"),
                                          part("tt:Time/tt:Minute"),
                                          part("tt:Time/tt:Second"), tzinfo=UTC)
            except (Fault, ValueError):
                camera_now = None
        if camera_now is None and date:
            try:
                camera_now = parsedate_to_datetime(date)
            except (TypeError, ValueError):
                camera_now = None
        skew = camera_now - datetime.now(UTC) if camera_now is not None else timedelta(0)
        if abs(skew) > timedelta(seconds=2):
            log.info("%s: camera clock is %.0f s off the gateway's", self.target.label,
                     skew.total_seconds())
        self._skew = skew
        return skew

    def _signed(self, operation: bytes) -> bytes:
        skew = self._skew if self._skew is not None else self._sync_clock()
        header = username_token(self.target.username, self.target.password,
                                datetime.now(UTC) + skew)
        return envelope(operation.decode(), header)

    # -- services ---------------------------------------------------------------------------
    def path(self, service: str) -> str:
        if service == "device_service":
            return "/onvif/device_service"  # fixed by the ONVIF core specification
        with self._lock:
            known = self._paths.get(service)
        if known is None:
            self._discover()
            with self._lock:
                known = self._paths.get(service, f"/onvif/{service}")
        return known

    def learn_paths(self, reply: ET.Element) -> None:
        """Service paths from a GetServices or GetCapabilities answer (hosts are ignored)."""
        found: dict[str, str] = {}
        for service in reply.findall("tds:Service", NS):
            namespace = (service.findtext("tds:Namespace", "", NS) or "").strip()
            address = (service.findtext("tds:XAddr", "", NS) or "").strip()
            if namespace in SERVICES and address:
                found[SERVICES[namespace]] = urlsplit(address).path or "/"
        for category, name in (("Media", "media_service"), ("PTZ", "ptz_service")):
            address = reply.findtext(f"tds:Capabilities/tt:{category}/tt:XAddr", "", NS)
            if address and address.strip():
                found.setdefault(name, urlsplit(address.strip()).path or "/")
        with self._lock:
            self._paths.update(found)

    def _discover(self) -> None:
        for request in (b"<tds:GetServices><tds:IncludeCapability>false"
                        b"</tds:IncludeCapability></tds:GetServices>",
                        b"<tds:GetCapabilities><tds:Category>All</tds:Category>"
                        b"</tds:GetCapabilities>"):
            status, body = self.call("/onvif/device_service", request)
            if status == 200:
                try:
                    self.learn_paths(parse_soap(body)[1])
                except Fault:
                    continue
                with self._lock:
                    if self._paths:
                        return

    def call(self, path: str, operation: bytes) -> tuple[int, bytes]:
        """Forward one operation (its XML, namespaces declared on it), signed as the camera's
        user; once more after reading the camera's clock again when it refuses the login."""
        status, body, _date = self._post(path, self._signed(operation))
        if status != 200 and _not_authorized(status, body):
            self._sync_clock()
            status, body, _date = self._post(path, self._signed(operation))
            if _not_authorized(status, body):
                log.warning("%s: the camera refuses the gateway's ONVIF login",
                            self.target.label)
                raise Fault(("ter:NotAuthorized", "iw:CameraLogin"),
                            "the camera refused the gateway's ONVIF login", sender=False)
        return status, body


def _not_authorized(status: int, body: bytes) -> bool:
    if status == 401:
        return True
    return b"NotAuthorized" in body or b"FailedAuthentication" in body


# -- the endpoint -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class PtzBroker:
    """Decides and forwards (see the module docstring); :class:`PtzServer` serves it."""

    def __init__(self, cameras: dict[int, OnvifTarget], verify: VerifySignature,
                 max_token_lifetime_s: int, holders: Holders,
                 emit: Callable[[dict[str, Any]], None],
                 revoked: Callable[[int, int, int], bool] = lambda *_claims: False,
                 clock: Callable[[], float] = time.time, *, secure: bool = False) -> None:
        """``revoked(user_id, camera_id, issued_at)``: the revocation list's word on a token
        (:meth:`gateway.access.Gate.revoked_claims`); ``secure``: served over HTTPS, so the
        service addresses handed out are ``https://`` (a client following ``http://`` would
        leave the TLS it trusted)."""
        self.scheme = "https" if secure else "http"
        self.links = {camera_id: CameraLink(target) for camera_id, target in cameras.items()}
        self.holders = holders
        self._verify = verify
        self._max_lifetime = max_token_lifetime_s
        self._emit = emit
        self._revoked = revoked
        self._clock = clock
        self._moving: dict[int, str] = {}  # camera → the profile of its last ContinuousMove
        self._moving_lock = threading.Lock()
        self._links_lock = threading.Lock()  # one replacement of the targets at a time

    def set_holder(self, camera_id: int, holder: Holder | None) -> None:
        """The backend's word on who holds the camera; a camera left moving by a holder who
        lost the lease (taken, released, ran out) is stopped here."""
        previous = self.holders.set(camera_id, holder)
        if holder is not None and previous is not None and previous.user_id == holder.user_id:
            return
        self._stop_if_moving(camera_id)

    def _stop_if_moving(self, camera_id: int) -> None:
        with self._moving_lock:
            profile = self._moving.pop(camera_id, None)
        link = self.links.get(camera_id)
        if profile is None or link is None:
            return
        stop = (f'<tptz:Stop xmlns:tptz="{NS["tptz"]}"><tptz:ProfileToken>{escape(profile)}'
                "</tptz:ProfileToken><tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true"
                "</tptz:Zoom></tptz:Stop>")
        try:
            status, _body = link.call(link.path("ptz_service"), stop.encode())
        except (CameraUnreachable, Fault) as err:
            log.warning("%s: could not stop the camera its last holder left moving: %s",
                        link.target.label, err)
            return
        log.info("%s: stopped the camera its last holder left moving (HTTP %d)",
                 link.target.label, status)

    def replace_targets(self, targets: dict[int, OnvifTarget]) -> dict[str, int]:
        """Broker exactly ``targets`` from now on (the backend's camera table changed). A camera
        that left is stopped if its holder left it moving, then forgotten with its holder (it
        is driven through its new gateway); a changed one (host, port, user, password) gets a
        new link and keeps its holder (the lease is the backend's, not the address's); an
        unchanged one keeps its link (clock offset, service paths). The counts, for the log."""
        with self._links_lock:
            gone = [camera for camera in self.links if camera not in targets]
            for camera in gone:
                self.set_holder(camera, None)  # stops it while its link is still there
                self.holders.forget(camera)
            links: dict[int, CameraLink] = {}
            replaced: list[CameraLink] = []
            for camera, target in targets.items():
                link = self.links.get(camera)
                if link is not None and link.target == target:
                    links[camera] = link
                    continue
                if link is not None:
                    replaced.append(link)
                links[camera] = CameraLink(target)
            replaced += [self.links[camera] for camera in gone]
            self.links = links  # one assignment: a request sees the old table or the new one
        with self._moving_lock:
            for camera in gone:
                self._moving.pop(camera, None)
        for link in replaced:
            link.close()
        log.info("PTZ targets replaced: %d camera(s), %d gone", len(links), len(gone))
        return {"ptz_cameras": len(links), "ptz_removed": len(gone)}

    def revoke(self, user_id: int | None, camera_id: int | None) -> None:
        """A revocation of a user, a camera or a user on a camera: a holder it covers holds
        nothing any more (and what it left moving is stopped)."""
        if user_id is None and camera_id is None:
            return  # sessions named by id: viewers, not PTZ
        for camera, holder in self.holders.current().items():
            if ((user_id is None or holder.user_id == user_id)
                    and (camera_id is None or camera == camera_id)):
                self.set_holder(camera, None)

    def _moved(self, camera_id: int, operation: str, op: ET.Element) -> None:
        """Remember whether the last command forwarded leaves the camera moving."""
        with self._moving_lock:
            if operation == "ContinuousMove":
                profile = (op.findtext("tptz:ProfileToken", "", NS) or "").strip()
                self._moving[camera_id] = profile
            elif operation in HALTS:
                self._moving.pop(camera_id, None)

    def handle(self, data: bytes, host: str) -> Answer:
        operation = "?"
        try:
            root, op = parse_soap(data)
            namespace, operation = split_tag(op.tag)
            if namespace == NS["tds"] and operation == "GetSystemDateAndTime":
                return Answer(200, envelope(self._date_and_time()))
            if operation not in READS.get(namespace, ()) and not (
                    namespace == NS["tptz"] and operation in COMMANDS):
                raise Fault(("ter:ActionNotSupported",),
                            f"{operation} is not offered through the iocwall gateway",
                            sender=False)
            token = self._token(root, operation)
            link = self.links.get(token.camera_id)
            if link is None:
                raise Fault(("ter:ActionNotSupported", "iw:NoPtzCamera"),
                            f"camera {token.camera_id} has no PTZ at this gateway",
                            sender=False)
            if operation in COMMANDS:
                try:
                    self.holders.check(token.camera_id, token.user_id, operation)
                except Fault as fault:
                    self._refused(token, operation, "not_holder")
                    raise fault from None
            answer = self._forward(link, namespace, operation, op, host)
            if operation in COMMANDS and answer.status == 200:
                self._moved(token.camera_id, operation, op)
                if operation == "ContinuousMove" and not self.holders.holds(
                        token.camera_id, token.user_id):
                    # the lease changed hands while this move was on its way
                    self._stop_if_moving(token.camera_id)
            return answer
        except Fault as fault:
            if fault.code == "env:Sender":
                log.info("PTZ %s refused: %s", operation, fault.reason)
            return Answer(fault.status, fault_envelope(fault))

    def _token(self, root: ET.Element, operation: str) -> PtzToken:
        now = self._clock()
        text = presented_token(root, now)
        try:
            token = decode_and_verify(text, self._verify, now)
        except ExpiredPtzToken as err:
            if operation != "Stop" or now - err.token.expires_at > STOP_GRACE_S:
                self._refused(err.token, operation, err.reason)
                raise Fault(("ter:NotAuthorized", "iw:TokenExpired"),
                            "PTZ token expired: renew the lease") from None
            token = err.token
        except TokenError as err:
            self._emit({"event": "ptz_refused", "reason": err.reason, "operation": operation})
            raise Fault(("ter:NotAuthorized",), "Sender not Authorized") from None
        if token.expires_at - token.issued_at > self._max_lifetime:
            self._refused(token, operation, "malformed")
            raise Fault(("ter:NotAuthorized",), "Sender not Authorized")
        if self._revoked(token.user_id, token.camera_id, token.issued_at):
            self._refused(token, operation, "revoked")
            raise Fault(("ter:NotAuthorized",), "PTZ token revoked")
        return token

    def _refused(self, token: PtzToken, operation: str, reason: str) -> None:
        self._emit({"event": "ptz_refused", "reason": reason, "operation": operation,
                    "camera_id": token.camera_id, "user_id": token.user_id,
                    "username": token.username})

    def _date_and_time(self) -> str:
        now = datetime.fromtimestamp(self._clock(), UTC)

        def stamp(tag: str) -> str:
            return (f"<{tag}><tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}"
                    f"</tt:Minute><tt:Second>{now.second}</tt:Second></tt:Time><tt:Date>"
                    f"<tt:Year>{now.year}</tt:Year><tt:Month>{now.month}</tt:Month>"
                    f"<tt:Day>{now.day}</tt:Day></tt:Date></{tag}>")

        return ("<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
                "<tt:DateTimeType>NTP</tt:DateTimeType>"
                "<tt:DaylightSavings>false</tt:DaylightSavings>"
                "<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>"
                f"{stamp('tt:UTCDateTime')}</tds:SystemDateAndTime>"
                "</tds:GetSystemDateAndTimeResponse>")

    def _forward(self, link: CameraLink, namespace: str, operation: str, op: ET.Element,
                 host: str) -> Answer:
        op.tail = None
        try:
            status, body = link.call(link.path(SERVICES[namespace]), ET.tostring(op))
        except CameraUnreachable as err:
            log.warning("%s: ONVIF %s: camera unreachable: %s", link.target.label, operation,
                        err)
            raise Fault(("iw:CameraUnreachable",), "the camera cannot be reached from the "
                        "gateway", sender=False) from None
        if operation in ("GetServices", "GetCapabilities") and status == 200:
            body = self._rewritten(link, body, host)
        elif status != 200 and not body.lstrip().startswith(b"<"):
            raise Fault(("iw:CameraFailed",), f"the camera answered HTTP {status}",
                        sender=False)
        return Answer(status, body)

    def _rewritten(self, link: CameraLink, body: bytes, host: str) -> bytes:
        """The answer with every service address ours, and only the services we broker."""
        try:
            root, reply = parse_soap(body)
        except Fault:
            raise Fault(("iw:CameraFailed",), "the camera sent a malformed answer",
                        sender=False) from None
        link.learn_paths(reply)
        base = f"{self.scheme}://{host}/onvif"
        for service in reply.findall("tds:Service", NS):
            namespace = (service.findtext("tds:Namespace", "", NS) or "").strip()
            address = service.find("tds:XAddr", NS)
            if namespace not in SERVICES or address is None:
                reply.remove(service)
            else:
                address.text = f"{base}/{SERVICES[namespace]}"
        capabilities = reply.find("tds:Capabilities", NS)
        if capabilities is not None:
            kept = {"Device": "device_service", "Media": "media_service", "PTZ": "ptz_service"}
            for category in list(capabilities):
                _ns, name = split_tag(category.tag)
                address = category.find("tt:XAddr", NS)
                if name not in kept or address is None:
                    capabilities.remove(category)
                else:
                    address.text = f"{base}/{kept[name]}"
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)

    def close(self) -> None:
        for link in self.links.values():
            link.close()


class PtzServer(ServedHttp):
    """Serves a :class:`PtzBroker` over HTTP/1.1 (kept alive) on a thread; ``port`` is the
    bound one."""

    def __init__(self, address: str, port: int, broker: PtzBroker,
                 tls: ssl.SSLContext | None = None) -> None:
        bound_host = f"[{address}]" if ":" in address else address

        class Handler(BaseHTTPRequestHandler):
            server_version = "iocwall-gateway"
            protocol_version = "HTTP/1.1"
            # headers and body leave in two writes: without this, Nagle's algorithm holds the
            # body back for the client's delayed ACK
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                log.debug("ptz: " + format, *args)

            def _send(self, answer: Answer) -> None:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if not 0 < length <= MAX_BODY:
                    self.close_connection = True
                    self._send(Answer(400, fault_envelope(Fault(
                        ("ter:WellFormed",), "body missing or too large"))))
                    return
                data = self.rfile.read(length)
                host = self.headers.get("Host") or ""
                if not _HOST_HEADER.fullmatch(host):
                    host = f"{bound_host}:{bound_port}"
                self._send(broker.handle(data, host))

            def do_GET(self) -> None:  # noqa: N802
                self._send(Answer(405, fault_envelope(Fault(
                    ("ter:ActionNotSupported",), "SOAP over POST only"))))

        self.broker = broker
        super().__init__(address, port, Handler, "ptz", tls)
        bound_port = self.port

    def close(self) -> None:
        super().close()
        self.broker.close()
