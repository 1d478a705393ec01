"""A simulated ONVIF device (Device, Media, PTZ and optionally Media2 services) for every PTZ lab
camera and every camera with the ``onvif`` trait (those without PTZ have no PTZ service).

Real enough for onvif-zeep-async with its bundled WSDLs: SOAP 1.2 over HTTP on loopback, one port
per camera, XAddrs advertised as ``http://127.0.0.1:<port>/onvif/...``, WS-Security UsernameToken
with PasswordDigest checked against the camera's credentials and its own (possibly skewed) clock,
and SOAP faults (``ter:NotAuthorized`` with HTTP 400) where real devices send them. The PTZ
position moves with the last ContinuousMove velocity, computed from the elapsed time whenever it
is read, and clamps at the limits, so tests see a head that keeps moving between two calls.

A camera's ONVIF traits (``lab.traits``) make it answer as awkward real devices do: a skewed
clock (also in every HTTP ``Date`` header), a foreign advertised address, HTTP Digest on the
SOAP endpoint, a Media2 service with the profiles Media1 does not list, a login demanded for
GetSystemDateAndTime, and replies using a namespace prefix they never declare.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web
from lxml import etree

from lab.cameras import LabCamera

log = logging.getLogger("iocwall.lab")

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "ter": "http://www.onvif.org/ver10/error",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
}
SPACE_PT_POS = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
SPACE_Z_POS = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
SPACE_PT_VEL = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace"
SPACE_Z_VEL = "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace"
SPACE_PT_TR = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace"
SPACE_Z_TR = "http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace"
SPACE_SPEED = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace"
SPACE_ZSPEED = "http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace"

PAN_TILT_RATE = 0.5  # position units per second at velocity 1.0 (a full sweep -1..1 takes 4 s)
ZOOM_RATE = 0.25
CLOCK_TOLERANCE_S = 300  # WS-Security "Created" may differ this much from the device clock
MAX_PRESETS = 32
NODE_TOKEN = "PTZNode0"
PTZ_CONFIG_TOKEN = "PTZConfig0"
PROFILES = {"Profile_Main": "main", "Profile_Sub": "sub"}
_MOTION_ACTIONS = frozenset({"ContinuousMove", "RelativeMove", "AbsoluteMove", "Stop",
                             "GotoPreset", "GotoHomePosition"})


class SoapFault(Exception):
    """A fault to send back: SOAP code, ONVIF subcode(s), reason and HTTP status."""

    def __init__(self, subcodes: tuple[str, ...], reason: str, status: int = 400,
                 code: str = "env:Sender") -> None:
        super().__init__(reason)
        self.subcodes = subcodes
        self.reason = reason
        self.status = status
        self.code = code


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


_DURATION = re.compile(r"^P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text: str | None) -> float | None:
    """``PT5S`` / ``PT1M30.5S`` → seconds (only the time part: PTZ timeouts are short)."""
    if not text:
        return None
    m = _DURATION.match(text.strip())
    if not m:
        raise SoapFault(("ter:InvalidArgVal", "ter:InvalidTimeout"), f"bad duration {text!r}")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    return hours * 3600 + minutes * 60 + seconds


@dataclass
class PtzVector:
    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0

    def clamped(self) -> PtzVector:
        return PtzVector(_clamp(self.pan, -1, 1), _clamp(self.tilt, -1, 1), _clamp(self.zoom, 0, 1))


@dataclass
class PtzState:
    """Position as a function of time: ``origin + velocity × (t − since)``, up to ``until``."""

    origin: PtzVector = field(default_factory=PtzVector)
    velocity: PtzVector = field(default_factory=PtzVector)
    since: float = field(default_factory=time.monotonic)
    until: float | None = None
    home: PtzVector = field(default_factory=PtzVector)
    presets: dict[str, tuple[str, PtzVector]] = field(default_factory=dict)
    preset_seq: int = 0

    def position(self, now: float | None = None) -> PtzVector:
        now = time.monotonic() if now is None else now
        end = now if self.until is None else min(now, self.until)
        dt = max(0.0, end - self.since)
        return PtzVector(
            self.origin.pan + self.velocity.pan * PAN_TILT_RATE * dt,
            self.origin.tilt + self.velocity.tilt * PAN_TILT_RATE * dt,
            self.origin.zoom + self.velocity.zoom * ZOOM_RATE * dt,
        ).clamped()

    def moving(self, now: float | None = None) -> tuple[bool, bool]:
        """(pan/tilt moving, zoom moving): stopped at a limit or after the timeout is idle."""
        now = time.monotonic() if now is None else now
        if self.until is not None and now >= self.until:
            return False, False
        pos = self.position(now)
        v = self.velocity

        def axis(p: float, vel: float, low: float, high: float) -> bool:
            return (vel > 0 and p < high) or (vel < 0 and p > low)

        pt = axis(pos.pan, v.pan, -1, 1) or axis(pos.tilt, v.tilt, -1, 1)
        return pt, axis(pos.zoom, v.zoom, 0, 1)

    def move(self, velocity: PtzVector, timeout: float | None) -> None:
        now = time.monotonic()
        self.origin = self.position(now)
        self.velocity = velocity
        self.since = now
        self.until = None if timeout is None else now + timeout

    def jump(self, target: PtzVector) -> None:
        """Absolute/relative moves and presets arrive at once (no travel time is simulated)."""
        self.origin = target.clamped()
        self.velocity = PtzVector()
        self.since = time.monotonic()
        self.until = None

    def stop(self, pan_tilt: bool = True, zoom: bool = True) -> None:
        now = time.monotonic()
        pos = self.position(now)
        self.origin = pos
        v = self.velocity
        self.velocity = PtzVector(0 if pan_tilt else v.pan, 0 if pan_tilt else v.tilt,
                                  0 if zoom else v.zoom)
        self.since = now


@dataclass
class DeviceControls:
    """What tests change while the lab runs (read by the handlers on every request)."""

    clock_skew_s: float = 0.0
    drop: bool = False
    # Actions answered with ter:ActionNotSupported (a camera with a partly broken ONVIF stack).
    refused: frozenset[str] = frozenset()
    # Host advertised in XAddrs instead of the real one (a camera behind NAT); None = real.
    advertise_host: str | None = None
    # Called (on the lab's ONVIF thread) with the action name as soon as a request is parsed.
    on_request: Callable[[str], None] | None = None
    # Called after every change of the PTZ motion (the RTSP child renders the picture from it).
    on_motion: Callable[[PtzState], None] | None = None


def _find(el: etree._Element | None, path: str) -> etree._Element | None:
    if el is None:
        return None
    return el.find(path, NS)


def _text(el: etree._Element | None, path: str) -> str | None:
    found = _find(el, path)
    return None if found is None or found.text is None else found.text.strip()


def _vector(el: etree._Element | None, default: PtzVector | None = None) -> PtzVector | None:
    """A tt:PTZVector / tt:PTZSpeed (PanTilt x,y and Zoom x attributes); missing axes stay None."""
    if el is None:
        return default
    base = default or PtzVector()
    pt, z = _find(el, "tt:PanTilt"), _find(el, "tt:Zoom")
    try:
        return PtzVector(
            float(pt.get("x", base.pan)) if pt is not None else base.pan,
            float(pt.get("y", base.tilt)) if pt is not None else base.tilt,
            float(z.get("x", base.zoom)) if z is not None else base.zoom,
        )
    except ValueError as err:
        raise SoapFault(("ter:InvalidArgVal",), f"bad PTZ vector: {err}") from err


def _xml_vector(tag: str, v: PtzVector, pt_space: str, z_space: str) -> str:
    return (
        f'<{tag}><tt:PanTilt x="{v.pan:.6f}" y="{v.tilt:.6f}" space="{pt_space}"/>'
        f'<tt:Zoom x="{v.zoom:.6f}" space="{z_space}"/></{tag}>'
    )


def _xml_datetime(tag: str, t: datetime) -> str:
    return (
        f"<{tag}><tt:Time><tt:Hour>{t.hour}</tt:Hour><tt:Minute>{t.minute}</tt:Minute>"
        f"<tt:Second>{t.second}</tt:Second></tt:Time><tt:Date><tt:Year>{t.year}</tt:Year>"
        f"<tt:Month>{t.month}</tt:Month><tt:Day>{t.day}</tt:Day></tt:Date></{tag}>"
    )


def envelope(body: str, undeclared: tuple[str, ...] = ()) -> str:
    """A SOAP 1.2 envelope; the prefixes in ``undeclared`` are used but not declared (as cheap
    firmwares send them: the reply is not namespace-well-formed)."""
    decls = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items()
                     if p not in ("wsse", "wsu", *undeclared))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope {decls}>'
        f"<env:Body>{body}</env:Body></env:Envelope>"
    )


def fault_body(fault: SoapFault) -> str:
    sub = ""
    for code in reversed(fault.subcodes):
        sub = f"<env:Subcode><env:Value>{code}</env:Value>{sub}</env:Subcode>"
    return (
        f"<env:Fault><env:Code><env:Value>{fault.code}</env:Value>{sub}</env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(fault.reason)}</env:Text></env:Reason>'
        "</env:Fault>"
    )


class OnvifDevice:
    """One camera's ONVIF endpoint: request parsing, auth, and the three services."""

    def __init__(self, camera: LabCamera, snapshot: bytes, controls: DeviceControls,
                 closing: asyncio.Event) -> None:
        self.camera = camera
        self.snapshot = snapshot
        self.controls = controls
        self.closing = closing
        self.ptz = PtzState()
        self.port = 0
        self.handlers: dict[str, Callable[[etree._Element], str]] = {
            "GetSystemDateAndTime": self.get_system_date_and_time,
            "GetDeviceInformation": self.get_device_information,
            "GetCapabilities": self.get_capabilities,
            "GetServices": self.get_services,
            "GetProfiles": self.get_profiles,
            "GetProfile": self.get_profile,
            "GetStreamUri": self.get_stream_uri,
            "GetSnapshotUri": self.get_snapshot_uri,
        }
        # Media2 names its operations as Media1 does: they are told apart by namespace
        self.media2_handlers: dict[str, Callable[[etree._Element], str]] = {
            "GetProfiles": self.get_profiles2,
            "GetStreamUri": self.get_stream_uri2,
            "GetSnapshotUri": self.get_snapshot_uri2,
        }
        self._nonce_key = os.urandom(16)
        if not camera.ptz:
            return
        self.handlers.update({
            "GetNodes": self.get_nodes,
            "GetNode": self.get_nodes,
            "GetConfigurations": self.get_configurations,
            "GetConfiguration": self.get_configurations,
            "GetConfigurationOptions": self.get_configuration_options,
            "ContinuousMove": self.continuous_move,
            "RelativeMove": self.relative_move,
            "AbsoluteMove": self.absolute_move,
            "Stop": self.stop,
            "GetStatus": self.get_status,
            "GetPresets": self.get_presets,
            "SetPreset": self.set_preset,
            "GotoPreset": self.goto_preset,
            "RemovePreset": self.remove_preset,
            "GotoHomePosition": self.goto_home,
            "SetHomePosition": self.set_home,
        })

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        host = self.controls.advertise_host or self.camera.onvif_host
        return f"http://{host}:{self.port}/onvif"

    def device_now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.controls.clock_skew_s)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.controls.drop:
            # Accept the connection and the request, never answer: what a hung device does.
            log.info("%s: ONVIF request dropped (lab control)", self.camera.name)
            await self.closing.wait()
            raise web.HTTPServiceUnavailable()
        raw = await request.read()
        action = "?"
        traits = self.camera.traits
        headers = {"Date": format_datetime(self.device_now(), usegmt=True)}
        try:
            try:
                root = etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False))
            except etree.XMLSyntaxError as err:
                raise SoapFault(("ter:WellFormed",), f"malformed XML: {err}") from err
            body = _find(root, "env:Body")
            if body is None or len(body) == 0:
                raise SoapFault(("ter:WellFormed",), "no SOAP 1.2 Body")
            op = body[0]
            action = etree.QName(op).localname
            if self.controls.on_request is not None:
                self.controls.on_request(action)
            media2 = etree.QName(op).namespace == NS["tr2"]
            handlers = self.media2_handlers if media2 and traits.media2 else \
                {} if media2 else self.handlers
            handler = handlers.get(action)
            if handler is None or action in self.controls.refused:
                raise SoapFault(("ter:ActionNotSupported",), f"{action} is not supported",
                                code="env:Receiver")
            if action != "GetSystemDateAndTime" or traits.time_login != "none":
                challenge = self.check_http_digest(request)
                if challenge is not None:
                    headers["WWW-Authenticate"] = challenge
                    fault = SoapFault(("ter:NotAuthorized",), "Sender not Authorized", 401)
                    return self._reply(envelope(fault_body(fault)), 401, headers)
                if traits.onvif_auth != "http-digest":
                    self.check_auth(root)
            reply = handler(op)
            if action in _MOTION_ACTIONS and self.controls.on_motion is not None:
                self.controls.on_motion(self.ptz)
            undeclared = ("tt",) if traits.undeclared_prefixes else ()
            return self._reply(envelope(reply, undeclared), 200, headers)
        except SoapFault as fault:
            log.info("%s: ONVIF %s fault: %s", self.camera.name, action, fault.reason)
            status = fault.status
            if (action == "GetSystemDateAndTime" and traits.time_login == "http-401"
                    and "ter:NotAuthorized" in fault.subcodes):
                status = 401
            return self._reply(envelope(fault_body(fault)), status, headers)

    def _reply(self, text: str, status: int, headers: dict[str, str]) -> web.Response:
        return web.Response(body=text.encode(), status=status, headers=headers,
                            content_type="application/soap+xml", charset="utf-8")

    def _nonce(self) -> str:
        stamp = str(int(time.time()))
        mac = hmac.new(self._nonce_key, stamp.encode(), hashlib.sha256).hexdigest()[:16]
        return f"{stamp}.{mac}"

    def check_http_digest(self, request: web.Request) -> str | None:
        """None when the camera asks no HTTP login or the request's Digest answer holds; else
        the challenge to send with a 401 (qop=auth, MD5, as most cameras)."""
        if not self.camera.traits.onvif_auth.startswith("http-digest"):
            return None
        challenge = (f'Digest realm="iocwall-lab-onvif", qop="auth", '
                     f'nonce="{self._nonce()}", algorithm=MD5')
        given = request.headers.get("Authorization", "")
        if not given.lower().startswith("digest "):
            return challenge
        fields = {k: quoted or bare for k, quoted, bare in
                  re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]*))', given[7:])}
        nonce = fields.get("nonce", "")
        stamp, _, mac = nonce.partition(".")
        expected_mac = hmac.new(self._nonce_key, stamp.encode(), hashlib.sha256).hexdigest()[:16]
        if not hmac.compare_digest(mac, expected_mac):
            return challenge

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - RFC 7616 MD5

        ha1 = md5(f"{self.camera.onvif_username}:iocwall-lab-onvif:{self.camera.onvif_password}")
        ha2 = md5(f"{request.method}:{fields.get('uri', '')}")
        expected = md5(f"{ha1}:{nonce}:{fields.get('nc', '')}:{fields.get('cnonce', '')}:auth:"
                       f"{ha2}")
        user_ok = hmac.compare_digest(fields.get("username", ""),
                                      self.camera.onvif_username or "")
        if not (user_ok and fields.get("qop") == "auth"
                and hmac.compare_digest(fields.get("response", ""), expected)):
            return challenge
        return None

    def check_auth(self, root: etree._Element) -> None:
        token = _find(root, "env:Header/wsse:Security/wsse:UsernameToken")
        not_authorized = SoapFault(("ter:NotAuthorized",), "Sender not Authorized")
        if token is None:
            raise not_authorized
        username = _text(token, "wsse:Username") or ""
        password_el = _find(token, "wsse:Password")
        nonce_b64 = _text(token, "wsse:Nonce") or ""
        created = _text(token, "wsu:Created") or ""
        if password_el is None or not password_el.get("Type", "").endswith("#PasswordDigest"):
            raise not_authorized
        try:
            nonce = base64.b64decode(nonce_b64)
            when = datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError as err:
            raise not_authorized from err
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        expected = base64.b64encode(
            hashlib.sha1(nonce + created.encode() + (self.camera.onvif_password or "").encode())
            .digest()
        ).decode()
        given = (password_el.text or "").strip()
        user_ok = hmac.compare_digest(username, self.camera.onvif_username or "")
        if not (user_ok and hmac.compare_digest(given, expected)):
            raise not_authorized
        skew = abs((when - self.device_now()).total_seconds())
        if skew > CLOCK_TOLERANCE_S:
            # Real devices answer a stale/future Created exactly like a wrong password.
            log.info("%s: WS-Security Created is %.0f s off the device clock",
                     self.camera.name, skew)
            raise not_authorized

    # -- device ---------------------------------------------------------------------------------
    def get_system_date_and_time(self, _op: etree._Element) -> str:
        now = self.device_now()
        local = now + timedelta(hours=7)
        return (
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
            "<tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone>"
            f"{_xml_datetime('tt:UTCDateTime', now)}{_xml_datetime('tt:LocalDateTime', local)}"
            "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
        )

    def get_device_information(self, _op: etree._Element) -> str:
        return (
            "<tds:GetDeviceInformationResponse>"
            "<tds:Manufacturer>iocwall lab</tds:Manufacturer>"
            f"<tds:Model>{'LabPTZ-1' if self.camera.ptz else 'LabCam-1'}</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion>"
            f"<tds:SerialNumber>LAB-{self.camera.index + 1:04d}</tds:SerialNumber>"
            f"<tds:HardwareId>{'lab-ptz' if self.camera.ptz else 'lab-cam'}</tds:HardwareId></tds:GetDeviceInformationResponse>"
        )

    def get_capabilities(self, _op: etree._Element) -> str:
        return (
            "<tds:GetCapabilitiesResponse><tds:Capabilities>"
            f"<tt:Device><tt:XAddr>{self.base}/device_service</tt:XAddr></tt:Device>"
            f"<tt:Media><tt:XAddr>{self.base}/media_service</tt:XAddr>"
            "<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>"
            "<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>"
            "</tt:StreamingCapabilities></tt:Media>"
            + (f"<tt:PTZ><tt:XAddr>{self.base}/ptz_service</tt:XAddr></tt:PTZ>"
               if self.camera.ptz else "")
            + "</tds:Capabilities></tds:GetCapabilitiesResponse>"
        )

    def get_services(self, _op: etree._Element) -> str:
        services = [(NS["tds"], "device_service", 2, 60), (NS["trt"], "media_service", 2, 60)]
        if self.camera.ptz:
            services.append((NS["tptz"], "ptz_service", 2, 60))
        if self.camera.traits.media2:
            services.append((NS["tr2"], "media2_service", 2, 60))
        items = "".join(
            f"<tds:Service><tds:Namespace>{ns}</tds:Namespace>"
            f"<tds:XAddr>{self.base}/{path}</tds:XAddr>"
            f"<tds:Version><tt:Major>{major}</tt:Major><tt:Minor>{minor}</tt:Minor></tds:Version>"
            "</tds:Service>"
            for ns, path, major, minor in services
        )
        return f"<tds:GetServicesResponse>{items}</tds:GetServicesResponse>"

    # -- media ----------------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        return "H265" if self.camera.traits.codec == "h265" else "H264"

    def _media1_tokens(self) -> tuple[str, ...]:
        """Media1 knows only H.264 (its schema's encodings): with Media2, an H.265 camera's
        profiles are listed there alone."""
        if self.camera.traits.media2 and self.encoding != "H264":
            return ()
        return tuple(PROFILES)

    def _stream_size(self, stream: str) -> tuple[int, int, int]:
        cam = self.camera
        w, h = (cam.main_width, cam.main_height) if stream == "main" else (640, 360)
        return w, h, 3000 if stream == "main" else 1000

    def _advertised(self, url: str) -> str:
        """``url`` as the device believes it is reached (its own address behind NAT)."""
        host = self.controls.advertise_host
        if not host:
            return url
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}"))

    def _profile_xml(self, tag: str, token: str) -> str:
        stream = PROFILES[token]
        cam = self.camera
        w, h, kbps = self._stream_size(stream)
        fps = cam.traits.fps
        return (
            f'<{tag} token="{token}" fixed="true"><tt:Name>{stream}</tt:Name>'
            '<tt:VideoSourceConfiguration token="VideoSourceConfig0">'
            "<tt:Name>VideoSource</tt:Name><tt:UseCount>2</tt:UseCount>"
            "<tt:SourceToken>VideoSource0</tt:SourceToken>"
            f'<tt:Bounds x="0" y="0" width="{cam.main_width}" height="{cam.main_height}"/>'
            "</tt:VideoSourceConfiguration>"
            f'<tt:VideoEncoderConfiguration token="VideoEncoder_{stream}">'
            f"<tt:Name>{stream}</tt:Name><tt:UseCount>1</tt:UseCount>"
            f"<tt:Encoding>{self.encoding}</tt:Encoding>"
            f"<tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height></tt:Resolution>"
            "<tt:Quality>5</tt:Quality><tt:RateControl>"
            f"<tt:FrameRateLimit>{fps}</tt:FrameRateLimit>"
            f"<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>{kbps}"
            "</tt:BitrateLimit></tt:RateControl>"
            "<tt:H264><tt:GovLength>25</tt:GovLength><tt:H264Profile>Main</tt:H264Profile>"
            "</tt:H264><tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
            "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>"
            "<tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
            "<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>"
            + (self._ptz_configuration_xml("tt:PTZConfiguration") if cam.ptz else "")
            + f"</{tag}>"
        )

    def _profile_token(self, op: etree._Element) -> str:
        token = _text(op, "trt:ProfileToken") or _text(op, "tptz:ProfileToken")
        if token not in PROFILES or (etree.QName(op).namespace == NS["trt"]
                                     and token not in self._media1_tokens()):
            raise SoapFault(("ter:InvalidArgVal", "ter:NoProfile"), f"no profile {token!r}")
        return token

    def get_profiles(self, _op: etree._Element) -> str:
        profiles = "".join(self._profile_xml("trt:Profiles", t) for t in self._media1_tokens())
        return f"<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>"

    def get_profile(self, op: etree._Element) -> str:
        token = self._profile_token(op)
        return f"<trt:GetProfileResponse>{self._profile_xml('trt:Profile', token)}" \
               "</trt:GetProfileResponse>"

    def _media_uri(self, tag: str, uri: str) -> str:
        return (
            f"<{tag}><trt:MediaUri><tt:Uri>{escape(uri)}</tt:Uri>"
            "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
            "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>"
            f"<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></{tag}>"
        )

    def get_stream_uri(self, op: etree._Element) -> str:
        token = self._profile_token(op)
        uri = self.camera.main_url if PROFILES[token] == "main" else self.camera.sub_url
        return self._media_uri("trt:GetStreamUriResponse", self._advertised(uri))

    def get_snapshot_uri(self, op: etree._Element) -> str:
        self._profile_token(op)
        return self._media_uri("trt:GetSnapshotUriResponse", f"{self.base}/snapshot.jpg")

    # -- Media2 (ver20/media/wsdl) --------------------------------------------------------------
    def _profile2_xml(self, token: str) -> str:
        stream = PROFILES[token]
        cam = self.camera
        w, h, kbps = self._stream_size(stream)
        return (
            f'<tr2:Profiles token="{token}" fixed="true"><tr2:Name>{stream}</tr2:Name>'
            "<tr2:Configurations>"
            '<tr2:VideoSource token="VideoSourceConfig0"><tt:Name>VideoSource</tt:Name>'
            "<tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSource0</tt:SourceToken>"
            f'<tt:Bounds x="0" y="0" width="{cam.main_width}" height="{cam.main_height}"/>'
            "</tr2:VideoSource>"
            f'<tr2:VideoEncoder token="VideoEncoder_{stream}" GovLength="{cam.traits.fps}" '
            f'Profile="Main"><tt:Name>{stream}</tt:Name><tt:UseCount>1</tt:UseCount>'
            f"<tt:Encoding>{self.encoding}</tt:Encoding>"
            f"<tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}</tt:Height></tt:Resolution>"
            f"<tt:RateControl ConstantBitRate=\"false\"><tt:FrameRateLimit>{cam.traits.fps}"
            f"</tt:FrameRateLimit><tt:BitrateLimit>{kbps}</tt:BitrateLimit></tt:RateControl>"
            "<tt:Quality>5</tt:Quality></tr2:VideoEncoder>"
            "</tr2:Configurations></tr2:Profiles>"
        )

    def _profile2_token(self, op: etree._Element) -> str:
        token = _text(op, "tr2:ProfileToken")
        if token not in PROFILES:
            raise SoapFault(("ter:InvalidArgVal", "ter:NoProfile"), f"no profile {token!r}")
        return token

    def get_profiles2(self, op: etree._Element) -> str:
        wanted = _text(op, "tr2:Token")
        tokens = [t for t in PROFILES if wanted in (None, t)]
        profiles = "".join(self._profile2_xml(t) for t in tokens)
        return f"<tr2:GetProfilesResponse>{profiles}</tr2:GetProfilesResponse>"

    def get_stream_uri2(self, op: etree._Element) -> str:
        token = self._profile2_token(op)
        uri = self.camera.main_url if PROFILES[token] == "main" else self.camera.sub_url
        return (f"<tr2:GetStreamUriResponse><tr2:Uri>{escape(self._advertised(uri))}</tr2:Uri>"
                "</tr2:GetStreamUriResponse>")

    def get_snapshot_uri2(self, op: etree._Element) -> str:
        self._profile2_token(op)
        return (f"<tr2:GetSnapshotUriResponse><tr2:Uri>{escape(self.base)}/snapshot.jpg"
                "</tr2:Uri></tr2:GetSnapshotUriResponse>")

    async def handle_snapshot(self, request: web.Request) -> web.StreamResponse:
        """HTTP Basic, as many cameras do for snapshots."""
        expected = base64.b64encode(
            f"{self.camera.onvif_username}:{self.camera.onvif_password}".encode()
        ).decode()
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given, f"Basic {expected}"):
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="lab"'})
        return web.Response(body=self.snapshot, content_type="image/jpeg")

    # -- PTZ ------------------------------------------------------------------------------------
    def _spaces_xml(self) -> str:
        def d2(tag: str, uri: str, lo: float = -1, hi: float = 1) -> str:
            return (
                f"<tt:{tag}><tt:URI>{uri}</tt:URI>"
                f"<tt:XRange><tt:Min>{lo}</tt:Min><tt:Max>{hi}</tt:Max></tt:XRange>"
                f"<tt:YRange><tt:Min>{lo}</tt:Min><tt:Max>{hi}</tt:Max></tt:YRange></tt:{tag}>"
            )

        def d1(tag: str, uri: str, lo: float, hi: float) -> str:
            return (
                f"<tt:{tag}><tt:URI>{uri}</tt:URI>"
                f"<tt:XRange><tt:Min>{lo}</tt:Min><tt:Max>{hi}</tt:Max></tt:XRange></tt:{tag}>"
            )

        return (
            d2("AbsolutePanTiltPositionSpace", SPACE_PT_POS)
            + d1("AbsoluteZoomPositionSpace", SPACE_Z_POS, 0, 1)
            + d2("RelativePanTiltTranslationSpace", SPACE_PT_TR)
            + d1("RelativeZoomTranslationSpace", SPACE_Z_TR, -1, 1)
            + d2("ContinuousPanTiltVelocitySpace", SPACE_PT_VEL)
            + d1("ContinuousZoomVelocitySpace", SPACE_Z_VEL, -1, 1)
            + d1("PanTiltSpeedSpace", SPACE_SPEED, 0, 1)
            + d1("ZoomSpeedSpace", SPACE_ZSPEED, 0, 1)
        )

    def _ptz_configuration_xml(self, tag: str) -> str:
        return (
            f'<{tag} token="{PTZ_CONFIG_TOKEN}"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount>'
            f"<tt:NodeToken>{NODE_TOKEN}</tt:NodeToken>"
            f"<tt:DefaultAbsolutePantTiltPositionSpace>{SPACE_PT_POS}"
            "</tt:DefaultAbsolutePantTiltPositionSpace>"
            f"<tt:DefaultAbsoluteZoomPositionSpace>{SPACE_Z_POS}"
            "</tt:DefaultAbsoluteZoomPositionSpace>"
            f"<tt:DefaultRelativePanTiltTranslationSpace>{SPACE_PT_TR}"
            "</tt:DefaultRelativePanTiltTranslationSpace>"
            f"<tt:DefaultRelativeZoomTranslationSpace>{SPACE_Z_TR}"
            "</tt:DefaultRelativeZoomTranslationSpace>"
            f"<tt:DefaultContinuousPanTiltVelocitySpace>{SPACE_PT_VEL}"
            "</tt:DefaultContinuousPanTiltVelocitySpace>"
            f"<tt:DefaultContinuousZoomVelocitySpace>{SPACE_Z_VEL}"
            "</tt:DefaultContinuousZoomVelocitySpace>"
            f'<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="{SPACE_SPEED}"/>'
            f'<tt:Zoom x="1" space="{SPACE_ZSPEED}"/></tt:DefaultPTZSpeed>'
            "<tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>"
            f"<tt:PanTiltLimits><tt:Range><tt:URI>{SPACE_PT_POS}</tt:URI>"
            "<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange>"
            "<tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range>"
            "</tt:PanTiltLimits>"
            f"<tt:ZoomLimits><tt:Range><tt:URI>{SPACE_Z_POS}</tt:URI>"
            "<tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range>"
            f"</tt:ZoomLimits></{tag}>"
        )

    def get_nodes(self, op: etree._Element) -> str:
        single = etree.QName(op).localname == "GetNode"
        tag = "tptz:PTZNode"
        node = (
            f'<{tag} token="{NODE_TOKEN}" FixedHomePosition="false"><tt:Name>PTZ</tt:Name>'
            f"<tt:SupportedPTZSpaces>{self._spaces_xml()}</tt:SupportedPTZSpaces>"
            f"<tt:MaximumNumberOfPresets>{MAX_PRESETS}</tt:MaximumNumberOfPresets>"
            f"<tt:HomeSupported>true</tt:HomeSupported></{tag}>"
        )
        name = "GetNodeResponse" if single else "GetNodesResponse"
        return f"<tptz:{name}>{node}</tptz:{name}>"

    def get_configurations(self, op: etree._Element) -> str:
        if etree.QName(op).localname == "GetConfiguration":
            body = self._ptz_configuration_xml("tptz:PTZConfiguration")
            return f"<tptz:GetConfigurationResponse>{body}</tptz:GetConfigurationResponse>"
        body = self._ptz_configuration_xml("tptz:PTZConfiguration")
        return f"<tptz:GetConfigurationsResponse>{body}</tptz:GetConfigurationsResponse>"

    def get_configuration_options(self, _op: etree._Element) -> str:
        return (
            "<tptz:GetConfigurationOptionsResponse><tptz:PTZConfigurationOptions>"
            f"<tt:Spaces>{self._spaces_xml()}</tt:Spaces>"
            "<tt:PTZTimeout><tt:Min>PT1S</tt:Min><tt:Max>PT60S</tt:Max></tt:PTZTimeout>"
            "</tptz:PTZConfigurationOptions></tptz:GetConfigurationOptionsResponse>"
        )

    def continuous_move(self, op: etree._Element) -> str:
        self._profile_token(op)
        velocity = _vector(_find(op, "tptz:Velocity")) or PtzVector()
        velocity = PtzVector(_clamp(velocity.pan, -1, 1), _clamp(velocity.tilt, -1, 1),
                             _clamp(velocity.zoom, -1, 1))
        self.ptz.move(velocity, parse_duration(_text(op, "tptz:Timeout")))
        return "<tptz:ContinuousMoveResponse/>"

    def relative_move(self, op: etree._Element) -> str:
        self._profile_token(op)
        delta = _vector(_find(op, "tptz:Translation")) or PtzVector()
        pos = self.ptz.position()
        self.ptz.jump(PtzVector(pos.pan + delta.pan, pos.tilt + delta.tilt, pos.zoom + delta.zoom))
        return "<tptz:RelativeMoveResponse/>"

    def absolute_move(self, op: etree._Element) -> str:
        self._profile_token(op)
        target = _vector(_find(op, "tptz:Position"), self.ptz.position())
        assert target is not None
        self.ptz.jump(target)
        return "<tptz:AbsoluteMoveResponse/>"

    def stop(self, op: etree._Element) -> str:
        self._profile_token(op)
        pan_tilt = (_text(op, "tptz:PanTilt") or "true").lower() != "false"
        zoom = (_text(op, "tptz:Zoom") or "true").lower() != "false"
        self.ptz.stop(pan_tilt, zoom)
        return "<tptz:StopResponse/>"

    def get_status(self, op: etree._Element) -> str:
        self._profile_token(op)
        now = time.monotonic()
        pos = self.ptz.position(now)
        pt_moving, z_moving = self.ptz.moving(now)
        utc = datetime.now(UTC) + timedelta(seconds=self.controls.clock_skew_s)
        return (
            "<tptz:GetStatusResponse><tptz:PTZStatus>"
            f"{_xml_vector('tt:Position', pos, SPACE_PT_POS, SPACE_Z_POS)}"
            f"<tt:MoveStatus><tt:PanTilt>{'MOVING' if pt_moving else 'IDLE'}</tt:PanTilt>"
            f"<tt:Zoom>{'MOVING' if z_moving else 'IDLE'}</tt:Zoom></tt:MoveStatus>"
            f"<tt:UtcTime>{utc.strftime('%Y-%m-%dT%H:%M:%SZ')}</tt:UtcTime>"
            "</tptz:PTZStatus></tptz:GetStatusResponse>"
        )

    def get_presets(self, op: etree._Element) -> str:
        self._profile_token(op)
        items = "".join(
            f"<tptz:Preset token={quoteattr(token)}><tt:Name>{escape(name)}</tt:Name>"
            f"{_xml_vector('tt:PTZPosition', pos, SPACE_PT_POS, SPACE_Z_POS)}</tptz:Preset>"
            for token, (name, pos) in self.ptz.presets.items()
        )
        return f"<tptz:GetPresetsResponse>{items}</tptz:GetPresetsResponse>"

    def set_preset(self, op: etree._Element) -> str:
        self._profile_token(op)
        token = _text(op, "tptz:PresetToken")
        name = _text(op, "tptz:PresetName")
        if token is not None and token not in self.ptz.presets:
            raise SoapFault(("ter:InvalidArgVal", "ter:NoToken"), f"no preset {token!r}")
        if token is None:
            if len(self.ptz.presets) >= MAX_PRESETS:
                raise SoapFault(("ter:Action", "ter:TooManyPresets"), "preset list is full",
                                code="env:Receiver", status=500)
            self.ptz.preset_seq += 1
            token = f"Preset{self.ptz.preset_seq}"
        if name is None:
            name = self.ptz.presets.get(token, (token, PtzVector()))[0]
        self.ptz.presets[token] = (name, self.ptz.position())
        return (
            f"<tptz:SetPresetResponse><tptz:PresetToken>{escape(token)}</tptz:PresetToken>"
            "</tptz:SetPresetResponse>"
        )

    def _preset(self, op: etree._Element) -> str:
        token = _text(op, "tptz:PresetToken") or ""
        if token not in self.ptz.presets:
            raise SoapFault(("ter:InvalidArgVal", "ter:NoToken"), f"no preset {token!r}")
        return token

    def goto_preset(self, op: etree._Element) -> str:
        self._profile_token(op)
        self.ptz.jump(self.ptz.presets[self._preset(op)][1])
        return "<tptz:GotoPresetResponse/>"

    def remove_preset(self, op: etree._Element) -> str:
        self._profile_token(op)
        del self.ptz.presets[self._preset(op)]
        return "<tptz:RemovePresetResponse/>"

    def goto_home(self, op: etree._Element) -> str:
        self._profile_token(op)
        self.ptz.jump(self.ptz.home)
        return "<tptz:GotoHomePositionResponse/>"

    def set_home(self, op: etree._Element) -> str:
        self._profile_token(op)
        self.ptz.home = self.ptz.position()
        return "<tptz:SetHomePositionResponse/>"


class OnvifLab:
    """Runs every PTZ camera's ONVIF endpoint on one asyncio loop in a background thread.

    The lab's public API is synchronous (tests, ``main.py --demo``), so the aiohttp servers get a
    loop of their own instead of borrowing the caller's.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="lab-onvif", daemon=True)
        self.closing: asyncio.Event | None = None
        self.runners: list[web.AppRunner] = []
        self.devices: dict[int, OnvifDevice] = {}
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, coro, timeout: float = 30.0):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _serve(self, app: web.Application, host: str, port: int) -> int:
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        # Bind the socket ourselves: with port 0 this is how we learn the port we got.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            sock.close()
            await runner.cleanup()
            raise
        sock.listen(128)
        sock.setblocking(False)
        await web.SockSite(runner, sock).start()
        self.runners.append(runner)
        return int(sock.getsockname()[1])

    async def _add(self, camera: LabCamera, snapshot: bytes, controls: DeviceControls,
                   port: int) -> int:
        if self.closing is None:
            self.closing = asyncio.Event()
        device = OnvifDevice(camera, snapshot, controls, self.closing)
        app = web.Application(client_max_size=256 * 1024)
        for path in ("device_service", "media_service", "ptz_service", "media2_service"):
            app.router.add_post(f"/onvif/{path}", device.handle)
        app.router.add_get("/onvif/snapshot.jpg", device.handle_snapshot)
        device.port = await self._serve(app, camera.onvif_host or "127.0.0.1", port)
        self.devices[camera.index] = device
        return device.port

    def add_device(self, camera: LabCamera, snapshot: bytes, controls: DeviceControls,
                   port: int) -> int:
        """Start ``camera``'s endpoint on ``port`` (0: any free port); return the bound port."""
        return int(self.call(self._add(camera, snapshot, controls, port)))

    def set_camera(self, camera: LabCamera) -> None:
        """Replace the camera record (its URLs are known only once the RTSP child has a port)."""
        self.devices[camera.index].camera = camera

    def add_app(self, app: web.Application, host: str, port: int) -> int:
        return int(self.call(self._serve(app, host, port)))

    async def _close(self) -> None:
        if self.closing is not None:
            self.closing.set()
        for runner in self.runners:
            await runner.cleanup()
        self.runners.clear()

    def close(self) -> None:
        if self.loop.is_closed():
            return
        try:
            self.call(self._close(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            self.loop.close()
