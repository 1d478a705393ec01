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
The requests follow the element names of ONVIF's WSDLs (``devicemgmt.wsdl``, ``media.wsdl``,
``ver20/media/wsdl/media.wsdl``, ``ptz.wsdl``; the suite reads them back with zeep against the
WSDLs onvif-zeep-async ships) and go through :mod:`gateway.onvif_soap` (standard library: the
gateway runs on Debian's Python without the venv's zeep), which answers HTTP Digest and reads
replies with namespace prefixes they never declare.

The answer never carries the password; URIs carry no user info. This module imports no
GStreamer, so the suite can run the ONVIF half in its own process under its socket guard.
"""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

from common.urls import mask_url
from common.vocabulary import ProbeFailure
from gateway.onvif_soap import (
    DEVICE_PATH,
    OnvifSoap,
    ProbeError,
    Refused,
    child,
    children,
    local_name,
    text,
)

log = logging.getLogger("iocwall.gateway.probe")

NS_DEVICE = "http://www.onvif.org/ver10/device/wsdl"
NS_MEDIA = "http://www.onvif.org/ver10/media/wsdl"
NS_MEDIA2 = "http://www.onvif.org/ver20/media/wsdl"
NS_PTZ = "http://www.onvif.org/ver20/ptz/wsdl"
NS_IMAGING = "http://www.onvif.org/ver20/imaging/wsdl"
NS_SCHEMA = "http://www.onvif.org/ver10/schema"
# A clock this far off was never set (a camera back at 1970 after a power cut): its events and
# recordings would carry nonsense, so the administrator sets its time first. Hours or days off
# are common and fixed by stamping our requests on the camera's clock.
MAX_CLOCK_OFFSET_S = 366 * 24 * 3600
PLAYABLE = ("H264", "H265")


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
        kinds = sorted({local_name(space.tag) for space in
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


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


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
