"""``CameraTraits``: what makes a lab camera behave like a real one (docs/contracts.md, Lab).

The lab's cameras default to what the lab always served: H.264 constrained baseline without
B-frames (x264 ultrafast), 25 fps, parameter sets in-band before every key frame, no audio, RTSP
over TCP and UDP, Digest auth without qop. Real cameras differ (``notes/video-pipeline.md``,
"Real cameras differ from the lab"), so a camera can be given other traits when the lab starts::

    Lab.start(cameras=4, traits={1: CameraTraits(transport="udp", codec="h265", profile="main",
                                                 fps=5, size=(2560, 1440), audio="pcma",
                                                 auth="both")})

Every field is independent of the others. A camera's traits apply to both of its streams, except
``size`` (the main stream's; the sub stream stays 640×360). PTZ cameras (every third index) are
encoded live and take no traits but ``transport``, ``auth`` and ``gop_seconds``; asking them for
others is an error, so a test never believes it has a trait it has not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Transport = Literal["any", "udp", "tcp"]
Codec = Literal["h264", "h265"]
Profile = Literal["baseline", "main", "high"]
ParameterSets = Literal["in-band", "out-of-band"]
Audio = Literal["none", "pcma", "pcmu", "aac"]
Auth = Literal["digest", "digest-qop", "basic", "both"]
OnvifAuth = Literal["wsse", "http-digest", "http-digest+wsse"]
TimeLogin = Literal["none", "fault", "http-401"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "transport": ("any", "udp", "tcp"),
    "codec": ("h264", "h265"),
    "profile": ("baseline", "main", "high"),
    "parameter_sets": ("in-band", "out-of-band"),
    "audio": ("none", "pcma", "pcmu", "aac"),
    "auth": ("digest", "digest-qop", "basic", "both"),
    "onvif_auth": ("wsse", "http-digest", "http-digest+wsse"),
    "time_login": ("none", "fault", "http-401"),
}


@dataclass(frozen=True)
class CameraTraits:
    """One camera's traits; the defaults are the lab's cameras as they always were.

    - ``transport``: "any" (TCP and UDP); "udp" (a TCP SETUP is answered 461 Unsupported
      Transport); "tcp" (a UDP SETUP is answered 461).
    - ``codec``: "h264" or "h265". ``profile``: "baseline" (x264 ultrafast, no B-frames) or
      "main"/"high" (x264 veryfast, two B-frames, deblocking); H.265 is always Main with two
      B-frames (x265 ultrafast, deblocking on), so it takes ``profile="main"``.
    - ``fps`` and ``size`` (main stream, width × height; None: the lab's size for that index).
    - ``gop_seconds``: seconds between key frames; None: ``Lab.start``'s ``gop_seconds``.
    - ``parameter_sets``: "in-band" (SPS/PPS, and VPS for H.265, before every key frame) or
      "out-of-band" (only in the SDP's sprop-parameter-sets / sprop-vps, -sps, -pps).
    - ``audio``: "none", "pcma" (G.711 A-law, 8 kHz), "pcmu" (G.711 µ-law, 8 kHz) or "aac"
      (16 kHz mono, RFC 3640): a live tone in the same RTSP session, stamped on the same
      pipeline clock as the video.
    - ``auth``: "digest" (GStreamer's, no qop), "digest-qop" (qop="auth", and a response
      without qop is refused, as RFC 7616 has it; GStreamer 1.22's rtspsrc cannot answer it),
      "basic", or "both" (a Digest challenge without qop, then a Basic one: two
      WWW-Authenticate headers, as Hikvision sends; either answer is accepted).

    ONVIF traits (what an onboarding probe meets on real devices; PTZ cameras take them too):

    - ``onvif``: True gives a camera that is not PTZ an ONVIF endpoint (Device and Media, no
      PTZ service). Any ONVIF trait below implies it. A camera with ``onvif`` has one account
      for ONVIF and RTSP (its RTSP user name and password), as real cameras do, so that one
      login entered by an administrator reaches both.
    - ``clock_skew_s``: the device clock this many seconds off UTC from the start (real
      devices are often hours off: ``7 * 3600``, ``-(5 * 3600 + 13 * 60)``); WS-Security
      ``Created`` is checked against it, and HTTP ``Date`` headers carry it.
    - ``advertise_host``: the address the device believes it has (``"192.168.1.64"``, behind
      NAT): GetCapabilities, GetServices, GetStreamUri and GetSnapshotUri answer it, with the
      real port and path, instead of the loopback one a client connects to.
    - ``onvif_auth``: "wsse" (WS-Security UsernameToken); "http-digest" (HTTP Digest, qop=auth,
      on the SOAP endpoint: 401 with ``WWW-Authenticate: Digest``; a WS-Security header alone
      is not accepted); "http-digest+wsse" (both are required).
    - ``media2``: a Media2 service (``ver20/media/wsdl``) listing every profile; Media1's
      GetProfiles then lists only the H.264 ones (an H.265 camera's profiles are Media2-only).
    - ``time_login``: "none" (GetSystemDateAndTime answers anybody), "fault" (it answers
      ``ter:NotAuthorized`` without a login) or "http-401" (HTTP 401 without a login).
    - ``undeclared_prefixes``: replies use the ``tt:`` prefix without declaring it (as some
      cheap firmwares do); a strict XML parser rejects them.
    """

    transport: Transport = "any"
    codec: Codec = "h264"
    profile: Profile = "baseline"
    fps: int = 25
    size: tuple[int, int] | None = None
    gop_seconds: int | None = None
    parameter_sets: ParameterSets = "in-band"
    audio: Audio = "none"
    auth: Auth = "digest"
    onvif: bool = False
    clock_skew_s: int = 0
    advertise_host: str | None = None
    onvif_auth: OnvifAuth = "wsse"
    media2: bool = False
    time_login: TimeLogin = "none"
    undeclared_prefixes: bool = False

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {getattr(self, name)!r}")
        if self.codec == "h265" and self.profile != "main":
            raise ValueError('H.265 cameras are Main profile: profile="main"')
        if not isinstance(self.fps, int) or not 1 <= self.fps <= 60:
            raise ValueError("fps must be a whole number 1..60")
        if self.size is not None:
            width, height = self.size
            if width % 8 or height % 8 or not (64 <= width <= 3840 and 64 <= height <= 2160):
                raise ValueError("size must be multiples of 8 up to 3840×2160")
        if self.gop_seconds is not None and (
                not isinstance(self.gop_seconds, int) or self.gop_seconds < 1):
            raise ValueError("gop_seconds must be whole seconds ≥ 1")
        if not isinstance(self.clock_skew_s, int):
            raise ValueError("clock_skew_s must be whole seconds")
        if self.advertise_host is not None and not self.advertise_host:
            raise ValueError("advertise_host must be an address or None")
        onvif_traits = (self.clock_skew_s, self.advertise_host, self.onvif_auth != "wsse",
                        self.media2, self.time_login != "none", self.undeclared_prefixes)
        if any(onvif_traits) and not self.onvif:
            object.__setattr__(self, "onvif", True)  # an ONVIF trait needs an ONVIF endpoint

    @property
    def clip_traits(self) -> tuple[str, ...]:
        """The fields a live-encoded (PTZ) camera cannot take, where they differ from default."""
        default = CameraTraits()
        fields = ("codec", "profile", "fps", "size", "parameter_sets", "audio")
        return tuple(f for f in fields if getattr(self, f) != getattr(default, f))

    def resolved(self, size: tuple[int, int], gop_seconds: int) -> CameraTraits:
        """These traits with ``size`` and ``gop_seconds`` filled in (what the manifest says)."""
        return replace(self, size=self.size or size,
                       gop_seconds=self.gop_seconds if self.gop_seconds is not None
                       else gop_seconds)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["size"] = list(self.size) if self.size else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CameraTraits:
        size = data.get("size")
        return cls(**{**data, "size": tuple(size) if size else None})
