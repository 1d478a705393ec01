"""The lab's cameras: names and places of Đồng Hới, stream sizes, credentials, PTZ flags."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from typing import Any

from lab.traits import CameraTraits

# Real places of Đồng Hới, so demo walls and screenshots look like the city's own.
PLACES: tuple[tuple[str, str], ...] = (
    ("Quảng trường Hồ Chí Minh", "Quảng trường Hồ Chí Minh, Đồng Hới"),
    ("Cầu Nhật Lệ", "Cầu Nhật Lệ, phường Hải Thành, Đồng Hới"),
    ("Chợ Đồng Hới", "Chợ Đồng Hới, phường Đồng Phú, Đồng Hới"),
    ("Quảng Bình Quan", "Quảng Bình Quan, phường Đồng Hải, Đồng Hới"),
    ("Bãi biển Bảo Ninh", "Bãi biển Bảo Ninh, xã Bảo Ninh, Đồng Hới"),
    ("Ngã tư Lý Thường Kiệt – Trần Hưng Đạo", "Lý Thường Kiệt × Trần Hưng Đạo, Đồng Hới"),
    ("Ga Đồng Hới", "Ga Đồng Hới, phường Nam Lý, Đồng Hới"),
    ("Công viên Nguyễn Du", "Công viên Nguyễn Du, phường Đồng Phú, Đồng Hới"),
    ("Bến xe Đồng Hới", "Bến xe khách Đồng Hới, phường Bắc Lý, Đồng Hới"),
    ("Hồ Bàu Tró", "Hồ Bàu Tró, phường Hải Thành, Đồng Hới"),
    ("Cầu Dài", "Cầu Dài, phường Đức Ninh Đông, Đồng Hới"),
    ("Đường Trương Pháp", "Đường Trương Pháp, phường Hải Thành, Đồng Hới"),
    ("Bệnh viện Việt Nam – Cu Ba", "Bệnh viện Hữu nghị Việt Nam – Cu Ba, Đồng Hới"),
    ("Chợ Bắc Lý", "Chợ Bắc Lý, phường Bắc Lý, Đồng Hới"),
    ("Nhà thờ Tam Tòa", "Phế tích Nhà thờ Tam Tòa, phường Đồng Hải, Đồng Hới"),
    ("Sân bay Đồng Hới", "Cảng hàng không Đồng Hới, phường Bắc Lý, Đồng Hới"),
)
DIRECTIONS = ("", " – hướng Bắc", " – hướng Nam", " – hướng Đông")
MAX_CAMERAS = len(PLACES) * len(DIRECTIONS)


@dataclass(frozen=True)
class LabCamera:
    """One simulated camera, exactly as in the manifest (docs/contracts.md, Lab)."""

    index: int
    name: str
    location: str
    main_url: str
    sub_url: str
    rtsp_username: str
    rtsp_password: str
    ptz: bool
    onvif_host: str | None
    onvif_port: int | None
    onvif_username: str | None
    onvif_password: str | None
    main_width: int
    main_height: int
    gop_seconds: int = 1  # seconds between key frames, both streams
    # codec, profile, fps, transport, audio, auth…, resolved: size and gop_seconds filled in
    traits: CameraTraits = CameraTraits()

    @property
    def slug(self) -> str:
        """``cam01``: the RTSP path segment and the child's handle for the camera."""
        return f"cam{self.index + 1:02d}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "traits": self.traits.to_json()}

    def summary(self) -> str:
        """One line for the console, without credentials."""
        onvif = f"  ONVIF {self.onvif_host}:{self.onvif_port}" if self.onvif_port else ""
        gop = f" GOP {self.gop_seconds} s" if self.gop_seconds != 1 else ""
        t = self.traits
        extra = "".join(
            f" {text}" for text, shown in (
                (f"{t.codec} {t.profile} {t.fps} fps", (t.codec, t.profile, t.fps)
                 != ("h264", "baseline", 25)),
                (f"{t.transport.upper()} only", t.transport != "any"),
                ("SPS out-of-band", t.parameter_sets != "in-band"),
                (f"audio {t.audio}", t.audio != "none"),
                (f"auth {t.auth}", t.auth != "digest"),
            ) if shown)
        return (
            f"{self.name:<48} {self.main_width}x{self.main_height}{gop}{extra} {self.main_url}  "
            f"{self.sub_url}{onvif}"
        )

    def __repr__(self) -> str:  # dataclass repr would print the passwords
        return f"LabCamera(index={self.index}, name={self.name!r}, ptz={self.ptz})"


def describe(index: int) -> tuple[str, str]:
    """The display name (``CAM-01 Quảng trường Hồ Chí Minh``) and location of camera ``index``."""
    place, location = PLACES[index % len(PLACES)]
    direction = DIRECTIONS[index // len(PLACES) % len(DIRECTIONS)]
    return f"CAM-{index + 1:02d} {place}{direction}", location


def main_size(index: int) -> tuple[int, int]:
    """Every fourth camera is full HD, the others 720p."""
    return (1920, 1080) if index % 4 == 3 else (1280, 720)


def make_camera(
    index: int, host: str, rtsp_port: int, onvif_port: int | None,
    previous: dict[str, Any] | None = None, gop_seconds: int = 1,
    traits: CameraTraits | None = None,
) -> LabCamera:
    """A camera with random credentials, or those of ``previous`` (its entry in the last manifest).

    Reusing the last run's credentials keeps a backend seeded from an older manifest working.
    """
    prev = previous or {}
    name, location = describe(index)
    traits = (traits or CameraTraits()).resolved(main_size(index), gop_seconds)
    assert traits.size is not None and traits.gop_seconds is not None
    width, height = traits.size
    slug = f"cam{index + 1:02d}"
    ptz = index % 3 == 0
    onvif = ptz or traits.onvif
    rtsp_password = str(prev.get("rtsp_password") or secrets.token_urlsafe(12))
    if traits.onvif:  # one account for ONVIF and RTSP, as on real cameras
        onvif_username: str | None = f"viewer{index + 1:02d}"
        onvif_password: str | None = rtsp_password
    elif ptz:
        onvif_username = f"onvif{index + 1:02d}"
        onvif_password = str(prev.get("onvif_password") or secrets.token_urlsafe(12))
    else:
        onvif_username = onvif_password = None
    return LabCamera(
        index=index,
        name=name,
        location=location,
        main_url=f"rtsp://{host}:{rtsp_port}/{slug}/main",
        sub_url=f"rtsp://{host}:{rtsp_port}/{slug}/sub",
        rtsp_username=f"viewer{index + 1:02d}",
        rtsp_password=rtsp_password,
        ptz=ptz,
        onvif_host=host if onvif else None,
        onvif_port=onvif_port if onvif else None,
        onvif_username=onvif_username,
        onvif_password=onvif_password,
        main_width=width,
        main_height=height,
        gop_seconds=traits.gop_seconds,
        traits=traits,
    )
