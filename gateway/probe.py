"""The ONVIF onboarding probe: what a camera an administrator entered is, and which streams to use.

It runs on the gateway because the gateway sits near the cameras and is the only holder of their
passwords (the backend seals the password to the gateway's key and never reads it back). Steps,
each failure naming its step and a :class:`common.vocabulary.ProbeFailure`:

1. ``GetSystemDateAndTime`` without a login, then with one if refused: its answer (or, when
   even the login is refused, the HTTP ``Date`` header of the refusal) gives the camera's clock
   offset; every WS-Security ``Created`` is stamped on the camera's clock, since cameras are
   often hours off and refuse a timestamp off theirs as they refuse a wrong password. Only an
   offset past :data:`MAX_CLOCK_OFFSET_S` (a clock never set) is refused: ``clock_skew``.
2. ``GetDeviceInformation``: manufacturer, model, firmware, serial; the first call whose
   refusal means the login is wrong (``auth_failed``).
3. ``GetServices`` (``GetCapabilities`` when the camera lacks it): the service addresses.
4. ``GetProfiles`` over Media2 when the camera has it (H.265 profiles are listed there only)
   and over Media1; ``GetStreamUri`` and ``GetSnapshotUri`` per profile.
5. ``GetNodes`` on the PTZ service when there is one.
6. The highest-resolution profile is proposed as the main stream and the lowest as the sub
   stream, and each is verified by the caller's ``verify`` (an RTSP DESCRIBE and a first key
   frame through GStreamer: :mod:`gateway.probe_stream`) before the answer.

Every address the camera advertises (service XAddrs, stream and snapshot URIs) is rewritten to
the host the administrator entered, keeping its port and path: cameras behind NAT advertise
their private address, and the probe never opens a connection to any host but the one given.
SOAP is spoken here with the standard library, from the element names of ONVIF's WSDLs
(``devicemgmt.wsdl``, ``media.wsdl``, ``ver20/media/wsdl/media.wsdl``, ``ptz.wsdl``), because
the gateway runs on Debian's Python without the venv's zeep. Replies are read by local name,
with a fallback for firmwares that use namespace prefixes they never declare. HTTP Digest on
the SOAP endpoint (some cameras ask for it instead of, or beside, WS-Security) is answered.

The answer never carries the password; URIs carry no user info. This module imports no
GStreamer, so the suite can run the ONVIF half in its own process under its socket guard.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import logging
import os
import re
import secrets
import socket
import ssl
import time
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

from common.urls import mask_url
from common.vocabulary import ProbeFailure

log = logging.getLogger("iocwall.gateway.probe")

NS_DEVICE = "http://www.onvif.org/ver10/device/wsdl"
NS_MEDIA = "http://www.onvif.org/ver10/media/wsdl"
NS_MEDIA2 = "http://www.onvif.org/ver20/media/wsdl"
NS_PTZ = "http://www.onvif.org/ver20/ptz/wsdl"
NS_IMAGING = "http://www.onvif.org/ver20/imaging/wsdl"
NS_SCHEMA = "http://www.onvif.org/ver10/schema"
SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_DIGEST = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-"
                   "profile-1.0#PasswordDigest")
NONCE_BASE64 = ("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-"
                "security-1.0#Base64Binary")

DEVICE_PATH = "/onvif/device_service"  # ONVIF Core: the device service's fixed address
# A clock this far off was never set (a camera back at 1970 after a power cut): its events and
# recordings would carry nonsense, so the administrator sets its time first. Hours or days off
# are common and fixed by stamping our requests on the camera's clock.
MAX_CLOCK_OFFSET_S = 366 * 24 * 3600
CALL_TIMEOUT_S = 5.0
MAX_REPLY = 4 * 1024 * 1024
PLAYABLE = ("H264", "H265")


class ProbeError(Exception):
    """A probe step failed: ``failure`` (the shared word), ``step`` (the ONVIF call or stage)
    and a detail for people (never a credential); ``partial``: what was learnt before (a
    stream that does not play still shows the profiles found)."""

    def __init__(self, failure: ProbeFailure, step: str, detail: str,
                 partial: ProbeResult | None = None) -> None:
        super().__init__(f"{step}: {detail}")
        self.failure = failure
        self.step = step
        self.detail = detail
        self.partial = partial

    def to_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"ok": False, "failure": str(self.failure), "step": self.step,
                                  "detail": self.detail}
        if self.partial is not None:
            answer["partial"] = self.partial.to_json()
        return answer


class Refused(Exception):
    """The camera refused a call: HTTP 401, or a fault (its subcodes' local names)."""

    def __init__(self, status: int, subcodes: tuple[str, ...], reason: str,
                 date: datetime | None) -> None:
        super().__init__(reason)
        self.status = status
        self.subcodes = subcodes
        self.reason = reason
        self.date = date  # the camera's HTTP Date header, when it sent one

    @property
    def login(self) -> bool:
        return self.status == 401 or "NotAuthorized" in self.subcodes

    @property
    def unsupported(self) -> bool:
        return bool({"ActionNotSupported", "NoSuchService"} & set(self.subcodes)) \
            or self.status in (404, 405, 501)


@dataclass(frozen=True)
class ProbeRequest:
    host: str
    port: int | None = 80  # the ONVIF port; None: a camera without ONVIF (rtsp_url only)
    username: str = ""
    password: str = ""
    rtsp_url: str | None = None  # verified as the main stream (the only one without ONVIF)

    def __repr__(self) -> str:  # the dataclass repr would print the password
        return f"ProbeRequest(host={self.host!r}, port={self.port})"


@dataclass
class StreamCheck:
    """What an RTSP DESCRIBE and the first key frame showed of a stream."""

    ok: bool
    failure: str | None = None
    detail: str = ""
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    audio: str | None = None
    seconds: float = 0.0


@dataclass
class Profile:
    token: str
    name: str
    codec: str | None
    width: int | None
    height: int | None
    fps: float | None
    media: str  # "media2" or "media1": where it was listed
    stream_uri: str | None = None  # the entered host, no user info
    snapshot_uri: str | None = None

    @property
    def pixels(self) -> int:
        return (self.width or 0) * (self.height or 0)

    def stream_path(self) -> str | None:
        if not self.stream_uri:
            return None
        parts = urlsplit(self.stream_uri)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class ProbeResult:
    host: str
    port: int | None
    device: dict[str, str] = field(default_factory=dict)
    clock_offset_s: float | None = None
    clock_source: str = ""  # "soap", "soap-login", "http-date" or "" (unknown)
    services: list[str] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)  # advertised hosts we did not follow
    profiles: list[Profile] = field(default_factory=list)
    main: str | None = None  # profile tokens
    sub: str | None = None
    ptz: dict[str, Any] | None = None
    verification: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        profiles = []
        for p in self.profiles:
            entry = asdict(p)
            entry["stream_path"] = p.stream_path()
            profiles.append(entry)
        return {"ok": True, "host": self.host, "port": self.port, "device": self.device,
                "clock_offset_s": self.clock_offset_s, "clock_source": self.clock_source,
                "services": self.services, "rewritten_hosts": self.rewritten,
                "profiles": profiles, "proposed": {"main": self.main, "sub": self.sub},
                "ptz": self.ptz, "verification": self.verification}


Verify = Callable[[str, str, str, float], StreamCheck]  # (url, username, password, deadline)


# -- XML, read by local name ----------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if el is None else [c for c in el if _local(c.tag) == name]


def child(el: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        found = children(el, name)
        el = found[0] if found else None
    return el


def text(el: ET.Element | None, *path: str) -> str | None:
    found = child(el, *path)
    return None if found is None or found.text is None else found.text.strip()


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


_PREFIX = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*=")


def parse_xml(data: bytes) -> ET.Element:
    """``data`` parsed; a reply using namespace prefixes it never declares (cheap firmwares)
    gets them declared with placeholder namespaces on a second try: the probe reads elements
    by local name, so what they stand for does not matter. A DTD is refused (entity bombs)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("a DTD in a SOAP reply")
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        if "unbound prefix" not in str(err):
            raise ValueError(f"not XML: {err}") from err
    source = data.decode("utf-8", "replace")
    declared = set(re.findall(r"xmlns:([\w.-]+)\s*=", source))
    used = {a or b for a, b in _PREFIX.findall(source)}
    missing = sorted(used - declared - {"xml", "xmlns"})
    declarations = "".join(f' xmlns:{p}="urn:iocwall:undeclared:{p}"' for p in missing)
    patched = re.sub(r"(<(?![?!])[^\s>/]+)", lambda m: m.group(1) + declarations, source,
                     count=1)
    try:
        return ET.fromstring(patched.encode("utf-8"))
    except ET.ParseError as err:
        raise ValueError(f"not XML: {err}") from err


# -- HTTP Digest (RFC 7616) -----------------------------------------------------------------------
def _challenge_fields(header: str) -> dict[str, str]:
    return {k.lower(): quoted or bare for k, quoted, bare in
            re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]*))', header)}


def digest_header(challenge: dict[str, str], method: str, uri: str, username: str,
                  password: str, nc: int) -> str:
    algorithm = challenge.get("algorithm", "MD5").upper()
    hash_name = {"MD5": "md5", "SHA-256": "sha256"}.get(algorithm.removesuffix("-SESS"), "md5")

    def h(value: str) -> str:
        return hashlib.new(hash_name, value.encode()).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce = secrets.token_hex(8)
    ha1 = h(f"{username}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qops = [q.strip() for q in challenge.get("qop", "").split(",")]
    header = f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
    if "auth" in qops:
        count = f"{nc:08x}"
        response = h(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        header += f', qop=auth, nc={count}, cnonce="{cnonce}"'
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    header += f', response="{response}", algorithm={challenge.get("algorithm", "MD5")}'
    if "opaque" in challenge:
        header += f', opaque="{challenge["opaque"]}"'
    return header


# -- the SOAP client ------------------------------------------------------------------------------
class OnvifSoap:
    """SOAP 1.2 to one camera, on the host the administrator entered only.

    Requests that need a login carry a WS-Security UsernameToken (PasswordDigest, ``Created``
    on the camera's clock: ``offset_s``); a 401 with a Digest challenge is answered once per
    request with HTTP Digest, and the challenge is kept for the next requests."""

    def __init__(self, host: str, username: str, password: str, deadline: float) -> None:
        self.host = host
        self.username = username
        self.password = password
        self.deadline = deadline
        self.offset_s = 0.0
        self.connected = False  # some connection to the camera succeeded
        self._digest: dict[str, str] | None = None
        self._nc = 0

    def address(self, advertised: str, fallback_port: int, note: list[str]) -> tuple[str, int,
                                                                                      str]:
        """(scheme, port, path) of an advertised service address, its host replaced by ours."""
        parts = urlsplit(advertised)
        if parts.hostname and parts.hostname != self.host:
            note.append(parts.hostname)
        scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
        port = parts.port or (443 if scheme == "https" else 80 if parts.hostname
                              else fallback_port)
        return scheme, port, parts.path or DEVICE_PATH

    def _security(self) -> str:
        nonce = os.urandom(16)
        created = (datetime.now(UTC) + timedelta(seconds=self.offset_s)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z")
        digest = base64.b64encode(hashlib.sha1(nonce + created.encode()
                                               + self.password.encode()).digest()).decode()
        return (f'<s:Header><wsse:Security s:mustUnderstand="true" xmlns:wsse="{WSSE}" '
                f'xmlns:wsu="{WSU}"><wsse:UsernameToken>'
                f"<wsse:Username>{escape(self.username)}</wsse:Username>"
                f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
                f'<wsse:Nonce EncodingType="{NONCE_BASE64}">{base64.b64encode(nonce).decode()}'
                f"</wsse:Nonce><wsu:Created>{created}</wsu:Created></wsse:UsernameToken>"
                "</wsse:Security></s:Header>")

    def call(self, step: str, endpoint: tuple[str, int, str], ns: str, op: str,
             inner: str = "", login: bool = True) -> ET.Element:
        """The reply's ``<op>Response`` element. Raises :class:`Refused` (401 or a fault),
        :class:`ProbeError` (unreachable, not ONVIF, deadline)."""
        scheme, port, path = endpoint
        body = (f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{SOAP_ENV}">'
                f"{self._security() if login else ''}<s:Body>"
                f'<{op} xmlns="{ns}">{inner}</{op}></s:Body></s:Envelope>').encode()
        headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{ns}/{op}"'}
        for attempt in range(2):
            if login and self._digest is not None:
                self._nc += 1
                headers["Authorization"] = digest_header(self._digest, "POST", path,
                                                         self.username, self.password, self._nc)
            status, reply_headers, data = self._post(step, scheme, port, path, body, headers)
            date = _http_date(reply_headers.get("Date"))
            challenge = next((h for h in reply_headers.get_all("WWW-Authenticate") or []
                              if h.lower().startswith("digest")), None)
            if status == 401 and login and challenge is not None and attempt == 0:
                fields = _challenge_fields(challenge[7:])
                stale = fields.get("stale", "").lower() == "true"
                if self._digest is None or stale or "Authorization" not in headers:
                    self._digest, self._nc = fields, 0
                    continue
            break
        root = self._envelope(step, status, data)
        body_el = child(root, "Body")
        fault = child(body_el, "Fault")
        if status == 401 or fault is not None:
            raise Refused(status, _subcodes(fault), text(fault, "Reason", "Text")
                          or f"HTTP {status}", date)
        if status != 200:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"HTTP {status} without a SOAP fault")
        answer = child(body_el, f"{op}Response")
        if answer is None:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"no {op}Response in the reply")
        return answer

    def _post(self, step: str, scheme: str, port: int, path: str, body: bytes,
              headers: dict[str, str]) -> tuple[int, http.client.HTTPMessage, bytes]:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ProbeError(ProbeFailure.TIMEOUT, step, "the probe's deadline passed")
        timeout = min(CALL_TIMEOUT_S, remaining)
        if scheme == "https":
            # cameras carry self-signed certificates; the password never crosses in clear
            # text either way (WS-Security digest, HTTP Digest)
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self.host, port, timeout=timeout, context=context)
        else:
            conn = http.client.HTTPConnection(self.host, port, timeout=timeout)
        try:
            conn.request("POST", path, body, headers)
            self.connected = True
            response = conn.getresponse()
            data = response.read(MAX_REPLY + 1)
            return response.status, response.msg, data
        except TimeoutError as err:
            if time.monotonic() >= self.deadline - 0.05:
                raise ProbeError(ProbeFailure.TIMEOUT, step,
                                 "the probe's deadline passed while the camera was silent") \
                    from err
            # a device that takes the request and never answers is as good as unreachable
            raise ProbeError(ProbeFailure.UNREACHABLE, step,
                             f"no answer from port {port} within {timeout:.0f} s") from err
        except (ConnectionError, socket.gaierror, OSError) as err:
            if not self.connected:
                raise ProbeError(ProbeFailure.UNREACHABLE, step,
                                 f"cannot connect to port {port}: {err.strerror or err}") from err
            raise ProbeError(ProbeFailure.NOT_ONVIF, step,
                             f"port {port} closed the connection: {err}") from err
        except http.client.HTTPException as err:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"not HTTP: {err}") from err
        finally:
            conn.close()

    def _envelope(self, step: str, status: int, data: bytes) -> ET.Element | None:
        if len(data) > MAX_REPLY:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, "reply too large")
        if status == 401 and not data.strip():
            return None
        try:
            root = parse_xml(data)
        except ValueError as err:
            if status == 401:
                return None
            raise ProbeError(ProbeFailure.NOT_ONVIF, step,
                             f"HTTP {status}, not a SOAP reply ({err})") from err
        if _local(root.tag) != "Envelope" or child(root, "Body") is None:
            if status == 401:
                return None
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"HTTP {status}, not a SOAP envelope")
        return root


def _subcodes(fault: ET.Element | None) -> tuple[str, ...]:
    names: list[str] = []
    code = child(fault, "Code")
    while code is not None:
        value = text(code, "Value")
        if value:
            names.append(value.rsplit(":", 1)[-1])
        code = child(code, "Subcode")
    return tuple(names)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _device_time(answer: ET.Element) -> datetime | None:
    utc = child(answer, "SystemDateAndTime", "UTCDateTime")
    if utc is None:
        return None
    try:
        return datetime(int(text(utc, "Date", "Year") or 0), int(text(utc, "Date", "Month") or 0),
                        int(text(utc, "Date", "Day") or 0), int(text(utc, "Time", "Hour") or 0),
                        int(text(utc, "Time", "Minute") or 0),
                        int(text(utc, "Time", "Second") or 0), tzinfo=UTC)
    except ValueError:
        return None


def clean_uri(uri: str, host: str) -> str:
    """``uri`` with the entered host (port, path and query kept) and no user info."""
    parts = urlsplit(uri.strip())
    port = f":{parts.port}" if parts.port else ""
    shown_host = f"[{host}]" if ":" in host else host
    return urlunsplit((parts.scheme, f"{shown_host}{port}", parts.path, parts.query, ""))


# -- the probe --------------------------------------------------------------------------------------
def probe(request: ProbeRequest, deadline: float, verify: Verify | None) -> ProbeResult:
    """Probe the camera (see the module's docstring); raises :class:`ProbeError`."""
    result = ProbeResult(request.host, request.port)
    if request.port is None:
        return _rtsp_only(request, result, deadline, verify)
    soap = OnvifSoap(request.host, request.username, request.password, deadline)
    device = ("http", request.port, DEVICE_PATH)
    _clock(soap, device, result)
    log.info("%s:%s: clock offset %+.0f s (%s)", request.host, request.port,
             result.clock_offset_s or 0, result.clock_source or "unknown")
    info = _logged_in(soap, "GetDeviceInformation", device, NS_DEVICE, "GetDeviceInformation")
    result.device = {name: text(info, tag) or "" for name, tag in (
        ("manufacturer", "Manufacturer"), ("model", "Model"),
        ("firmware", "FirmwareVersion"), ("serial", "SerialNumber"),
        ("hardware_id", "HardwareId"))}
    xaddrs = _services(soap, device, request.port, result)
    profiles: dict[str, Profile] = {}
    if NS_MEDIA2 in xaddrs:
        for profile in _media2_profiles(soap, xaddrs[NS_MEDIA2], request.host):
            profiles[profile.token] = profile
    if NS_MEDIA in xaddrs:
        for profile in _media1_profiles(soap, xaddrs[NS_MEDIA], request.host,
                                        skip=set(profiles)):
            profiles[profile.token] = profile
    result.profiles = list(profiles.values())
    if NS_PTZ in xaddrs:
        result.ptz = _ptz(soap, xaddrs[NS_PTZ])
    _propose(result)
    if request.rtsp_url:
        _rtsp_given(request, result)
    _verify(request, result, deadline, verify)
    return result


def _rtsp_given(request: ProbeRequest, result: ProbeResult) -> None:
    """An RTSP URL entered beside ONVIF: it is the main stream (the entered host's)."""
    uri = clean_uri(request.rtsp_url or "", request.host)
    result.profiles.insert(0, Profile("rtsp", "entered", None, None, None, None, "entered", uri))
    result.main = "rtsp"


def _rtsp_only(request: ProbeRequest, result: ProbeResult, deadline: float,
               verify: Verify | None) -> ProbeResult:
    _rtsp_given(request, result)
    _verify(request, result, deadline, verify)
    return result


def _logged_in(soap: OnvifSoap, step: str, endpoint: tuple[str, int, str], ns: str, op: str,
               inner: str = "") -> ET.Element:
    try:
        return soap.call(step, endpoint, ns, op, inner)
    except Refused as refused:
        if refused.login:
            raise ProbeError(ProbeFailure.AUTH_FAILED, step,
                             "the camera refused the user name or password") from refused
        raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"fault: {refused.reason}") from refused


def _clock(soap: OnvifSoap, device: tuple[str, int, str], result: ProbeResult) -> None:
    step = "GetSystemDateAndTime"
    sent = time.time()
    try:
        answer = soap.call(step, device, NS_DEVICE, "GetSystemDateAndTime", login=False)
        result.clock_source = "soap"
    except Refused as refused:
        if not refused.login:
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"fault: {refused.reason}") \
                from refused
        # the camera wants a login even for its clock: stamp it by its HTTP Date header
        if refused.date is not None:
            soap.offset_s = (refused.date - datetime.now(UTC)).total_seconds()
            result.clock_offset_s = round(soap.offset_s)
            result.clock_source = "http-date"
        _check_offset(soap.offset_s, step)
        sent = time.time()
        try:
            answer = soap.call(step, device, NS_DEVICE, "GetSystemDateAndTime")
        except Refused as again:
            if again.login:
                raise ProbeError(ProbeFailure.AUTH_FAILED, step,
                                 "the camera refused the user name or password") from again
            raise ProbeError(ProbeFailure.NOT_ONVIF, step, f"fault: {again.reason}") from again
        result.clock_source = "soap-login"
    when = _device_time(answer)
    if when is None:
        if result.clock_source != "http-date":
            result.clock_source = ""
        return
    # the camera read its clock about halfway through our call
    midway = datetime.fromtimestamp((sent + time.time()) / 2, UTC)
    soap.offset_s = (when - midway).total_seconds()
    result.clock_offset_s = round(soap.offset_s)
    _check_offset(soap.offset_s, step)


def _check_offset(offset_s: float, step: str) -> None:
    if abs(offset_s) > MAX_CLOCK_OFFSET_S:
        days = offset_s / 86400
        raise ProbeError(ProbeFailure.CLOCK_SKEW, step,
                         f"the camera's clock is {days:+.0f} days off: set its time (NTP) first")


def _services(soap: OnvifSoap, device: tuple[str, int, str], port: int,
              result: ProbeResult) -> dict[str, tuple[str, int, str]]:
    """Namespace → (scheme, port, path) of each service, hosts rewritten to ours."""
    found: dict[str, str] = {}
    try:
        answer = soap.call("GetServices", device, NS_DEVICE, "GetServices",
                           "<IncludeCapability>false</IncludeCapability>")
        for service in children(answer, "Service"):
            ns, xaddr = text(service, "Namespace"), text(service, "XAddr")
            if ns and xaddr:
                found[ns] = xaddr
    except Refused as refused:
        if refused.login:
            raise ProbeError(ProbeFailure.AUTH_FAILED, "GetServices",
                             "the camera refused the user name or password") from refused
    if not found:
        capabilities = child(_logged_in(soap, "GetCapabilities", device, NS_DEVICE,
                                        "GetCapabilities", "<Category>All</Category>"),
                             "Capabilities")
        for name, ns in (("Device", NS_DEVICE), ("Media", NS_MEDIA), ("PTZ", NS_PTZ),
                         ("Imaging", NS_IMAGING)):
            xaddr = text(capabilities, name, "XAddr")
            if xaddr:
                found[ns] = xaddr
    rewritten: list[str] = []
    addresses = {ns: soap.address(xaddr, port, rewritten) for ns, xaddr in found.items()}
    result.services = sorted({_service_name(ns) for ns in addresses} - {""})
    result.rewritten = sorted(set(rewritten))
    if result.rewritten:
        log.info("%s: the camera advertises %s; its services are reached on %s instead",
                 soap.host, ", ".join(result.rewritten), soap.host)
    return addresses


def _service_name(ns: str) -> str:
    return {NS_DEVICE: "device", NS_MEDIA: "media", NS_MEDIA2: "media2", NS_PTZ: "ptz",
            NS_IMAGING: "imaging"}.get(ns, "")


def _media2_profiles(soap: OnvifSoap, endpoint: tuple[str, int, str],
                     host: str) -> list[Profile]:
    answer = _logged_in(soap, "Media2 GetProfiles", endpoint, NS_MEDIA2, "GetProfiles",
                        "<Type>VideoEncoder</Type>")
    profiles = []
    for el in children(answer, "Profiles"):
        token = el.get("token") or ""
        encoder = child(el, "Configurations", "VideoEncoder")
        if not token or encoder is None:
            continue
        profile = Profile(token, text(el, "Name") or token, _codec(text(encoder, "Encoding")),
                          _int(text(encoder, "Resolution", "Width")),
                          _int(text(encoder, "Resolution", "Height")),
                          _number(text(encoder, "RateControl", "FrameRateLimit")), "media2")
        inner = f"<Protocol>RTSP</Protocol><ProfileToken>{escape(token)}</ProfileToken>"
        profile.stream_uri = _uri(soap, "Media2 GetStreamUri", endpoint, NS_MEDIA2,
                                  "GetStreamUri", inner, host, ("Uri",))
        profile.snapshot_uri = _uri(soap, "Media2 GetSnapshotUri", endpoint, NS_MEDIA2,
                                    "GetSnapshotUri",
                                    f"<ProfileToken>{escape(token)}</ProfileToken>", host,
                                    ("Uri",))
        profiles.append(profile)
    return profiles


def _media1_profiles(soap: OnvifSoap, endpoint: tuple[str, int, str], host: str,
                     skip: set[str]) -> list[Profile]:
    answer = _logged_in(soap, "GetProfiles", endpoint, NS_MEDIA, "GetProfiles")
    profiles = []
    for el in children(answer, "Profiles"):
        token = el.get("token") or ""
        encoder = child(el, "VideoEncoderConfiguration")
        if not token or token in skip or encoder is None:
            continue
        profile = Profile(token, text(el, "Name") or token, _codec(text(encoder, "Encoding")),
                          _int(text(encoder, "Resolution", "Width")),
                          _int(text(encoder, "Resolution", "Height")),
                          _number(text(encoder, "RateControl", "FrameRateLimit")), "media1")
        setup = ("<StreamSetup><Stream xmlns=\"http://www.onvif.org/ver10/schema\">RTP-Unicast"
                 "</Stream><Transport xmlns=\"http://www.onvif.org/ver10/schema\"><Protocol>RTSP"
                 "</Protocol></Transport></StreamSetup>"
                 f"<ProfileToken>{escape(token)}</ProfileToken>")
        profile.stream_uri = _uri(soap, "GetStreamUri", endpoint, NS_MEDIA, "GetStreamUri",
                                  setup, host, ("MediaUri", "Uri"))
        profile.snapshot_uri = _uri(soap, "GetSnapshotUri", endpoint, NS_MEDIA,
                                    "GetSnapshotUri",
                                    f"<ProfileToken>{escape(token)}</ProfileToken>", host,
                                    ("MediaUri", "Uri"))
        profiles.append(profile)
    return profiles


def _uri(soap: OnvifSoap, step: str, endpoint: tuple[str, int, str], ns: str, op: str,
         inner: str, host: str, path: tuple[str, ...]) -> str | None:
    """A media URI rewritten to the entered host; None when the camera has none for it (a
    snapshot is optional, and so is a stream for a profile the camera cannot stream)."""
    try:
        answer = soap.call(step, endpoint, ns, op, inner)
    except Refused as refused:
        if refused.login:
            raise ProbeError(ProbeFailure.AUTH_FAILED, step,
                             "the camera refused the user name or password") from refused
        return None
    uri = text(answer, *path)
    return clean_uri(uri, host) if uri else None


def _ptz(soap: OnvifSoap, endpoint: tuple[str, int, str]) -> dict[str, Any] | None:
    try:
        answer = soap.call("PTZ GetNodes", endpoint, NS_PTZ, "GetNodes")
    except Refused as refused:
        if refused.login:
            raise ProbeError(ProbeFailure.AUTH_FAILED, "PTZ GetNodes",
                             "the camera refused the user name or password") from refused
        return None
    nodes: list[dict[str, Any]] = []
    all_spaces: set[str] = set()
    for node in children(answer, "PTZNode"):
        supported = child(node, "SupportedPTZSpaces")
        kinds = sorted({_local(space.tag) for space in
                        (supported if supported is not None else [])})
        all_spaces.update(kinds)
        nodes.append({"token": node.get("token") or "", "name": text(node, "Name") or "",
                      "spaces": kinds,
                      "home_supported": (text(node, "HomeSupported") or "").lower() == "true",
                      "max_presets": _int(text(node, "MaximumNumberOfPresets"))})
    if not nodes:
        return None
    spaces = all_spaces
    return {"nodes": nodes,
            "continuous": any(s.startswith("ContinuousPanTilt") for s in spaces),
            "absolute": any(s.startswith("AbsolutePanTilt") for s in spaces),
            "relative": any(s.startswith("RelativePanTilt") for s in spaces),
            "zoom": any("Zoom" in s for s in spaces)}


def _codec(value: str | None) -> str | None:
    if not value:
        return None
    upper = value.upper().replace(".", "")
    return {"HEVC": "H265"}.get(upper, upper)


def _int(value: str | None) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _propose(result: ProbeResult) -> None:
    """Main: the largest playable profile with a stream URI; sub: the smallest other one."""
    usable = [p for p in result.profiles if p.stream_uri and p.codec in PLAYABLE]
    if not usable:
        usable = [p for p in result.profiles if p.stream_uri]
    if not usable:
        return
    ordered = sorted(usable, key=lambda p: p.pixels)
    result.main = ordered[-1].token
    if len(ordered) > 1:
        result.sub = ordered[0].token


def _verify(request: ProbeRequest, result: ProbeResult, deadline: float,
            verify: Verify | None) -> None:
    if result.main is None:
        raise ProbeError(ProbeFailure.NO_STREAM, "GetStreamUri",
                         "the camera lists no profile with an RTSP stream")
    if verify is None:
        return
    by_token = {p.token: p for p in result.profiles}
    proposed = [(role, by_token[token]) for role, token in (("main", result.main),
                                                            ("sub", result.sub)) if token]
    # both at once: each may wait up to a GOP for its first key frame
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="probe-verify") as pool:
        checks = list(pool.map(lambda item: verify(item[1].stream_uri or "", request.username,
                                                   request.password, deadline), proposed))
    failed: tuple[str, StreamCheck] | None = None
    for (role, profile), check in zip(proposed, checks, strict=True):
        result.verification[role] = {"token": profile.token, **asdict(check)}
        log.info("%s: %s stream %s: %s", request.host, role, mask_url(profile.stream_uri),
                 "plays" if check.ok else f"{check.failure} ({check.detail})")
        if not check.ok and failed is None:
            failed = role, check
    if failed is not None:
        role, check = failed
        raise ProbeError(ProbeFailure(check.failure or ProbeFailure.STREAM_UNPLAYABLE),
                         f"verify {role} stream", check.detail, result)
