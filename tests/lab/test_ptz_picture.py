"""A PTZ camera's picture follows its PTZ state (a crop of the lab's panorama, encoded live)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import av
import pytest
from onvif import ONVIFCamera

from lab import Lab, LabCamera

pytestmark = pytest.mark.lab

CAM = 0


def grab(cam: LabCamera, frames: int = 30) -> list[list[float]]:
    """Decode a few frames of the sub stream; return the last one's mean RGB per 4×2 region."""
    url = cam.sub_url.replace(
        "rtsp://", f"rtsp://{quote(cam.rtsp_username, safe='')}:"
                   f"{quote(cam.rtsp_password, safe='')}@")
    with av.open(url, options={"rtsp_transport": "tcp", "timeout": "10000000"}) as container:
        last = None
        for i, frame in enumerate(container.decode(video=0)):
            last = frame
            if i >= frames:
                break
    assert last is not None
    # Scaled down to 64×32 (no numpy here), then averaged per region.
    w, h = 64, 32
    small = last.reformat(width=w, height=h, format="rgb24", interpolation="AREA")
    plane = small.planes[0]
    data = bytes(plane)
    regions = []
    for row in range(2):
        for col in range(4):
            sums = [0, 0, 0]
            for y in range(row * h // 2, (row + 1) * h // 2):
                for x in range(col * w // 4, (col + 1) * w // 4):
                    at = y * plane.line_size + x * 3
                    for c in range(3):
                        sums[c] += data[at + c]
            n = (h // 2) * (w // 4)
            regions.append([s / n for s in sums])
    return regions


def move(cam: LabCamera, pan: float, tilt: float, zoom: float) -> None:
    async def go() -> None:
        client = ONVIFCamera(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                             cam.onvif_password, adjust_time=True)
        try:
            await client.update_xaddrs()
            ptz = await client.create_ptz_service()
            await ptz.AbsoluteMove({"ProfileToken": "Profile_Sub",
                                    "Position": {"PanTilt": {"x": pan, "y": tilt},
                                                 "Zoom": {"x": zoom}}})
        finally:
            await client.close()

    asyncio.run(asyncio.wait_for(go(), 30))


def distance(a: list[list[float]], b: list[list[float]]) -> float:
    return max(abs(x - y) for ra, rb in zip(a, b, strict=True) for x, y in zip(ra, rb,
                                                                               strict=True))


def test_the_picture_moves_with_the_head(lab: Lab) -> None:
    cam = lab.cameras[CAM]
    move(cam, -1.0, 0.0, 0.0)
    left = grab(cam)
    again = grab(cam)
    assert distance(left, again) < 40  # a still scene stays the same (clock and noise aside)
    move(cam, 1.0, 0.0, 0.0)
    right = grab(cam)
    assert distance(left, right) > 80  # the far left (red/green) vs the far right (blue/cyan)
    # Red dominates the left-most region after panning left, blue/cyan after panning right.
    assert left[0][0] > left[0][2]
    assert right[3][2] > right[3][0]
    move(cam, 0.0, 0.0, 0.0)
