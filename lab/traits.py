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

_CHOICES: dict[str, tuple[str, ...]] = {
    "transport": ("any", "udp", "tcp"),
    "codec": ("h264", "h265"),
    "profile": ("baseline", "main", "high"),
    "parameter_sets": ("in-band", "out-of-band"),
    "audio": ("none", "pcma", "pcmu", "aac"),
    "auth": ("digest", "digest-qop", "basic", "both"),
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
