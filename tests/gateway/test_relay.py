"""The gateway seen by real viewers (ffprobe, PyAV) in front of the lab's cameras."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import camera_id, issue, probe_video, session_url

pytestmark = pytest.mark.lab


@pytest.mark.parametrize(("index", "stream"), [(1, "main"), (1, "sub"), (3, "main")])
def test_a_session_url_gives_the_cameras_h264_at_its_size(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey, index: int,
        stream: str) -> None:
    cam = lab.cameras[index]
    claims = issue(signing_key, camera_id(cam), stream)
    info = probe_video(session_url(gateway, claims, signing_key))
    size = (cam.main_width, cam.main_height) if stream == "main" else (640, 360)
    assert info["codec_name"] == "h264"
    assert (info["width"], info["height"]) == size
