"""Privacy masks (Decree 13/2023): the gateway blacks the regions out before any viewer, or the
recorder on the live mount, gets the stream; the camera's own stream is untouched elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import av
import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import camera_id, gateway_config, issue, session_url
from tests.gateway.test_live_mount import live_url

pytestmark = pytest.mark.lab

MASKED, PLAIN = 1, 2  # lab cameras
MASK = [0.0, 0.0, 0.5, 0.5]  # the top-left quarter


@pytest.fixture(scope="module")
def masked_gateway(lab: Lab, signing_key: Ed25519PrivateKey) -> Iterator[GatewayProcess]:
    config = gateway_config(lab, signing_key)
    for entry in config["cameras"]:
        if entry["camera_id"] == camera_id(lab.cameras[MASKED]):
            entry["masks"] = [MASK]
    with GatewayProcess(config) as running:
        yield running


def pictures(url: str, count: int = 10) -> tuple[str, list[Any]]:
    """The stream's codec and its first ``count`` decoded pictures, as luma planes."""
    container = av.open(url, options={"rtsp_transport": "tcp"}, timeout=(15, 10))
    try:
        stream = container.streams.video[0]
        planes: list[Any] = []
        for packet in container.demux(stream):
            try:  # the access unit delimiter a viewer gets before its first key frame: no picture
                frames = packet.decode()
            except av.error.InvalidDataError:
                continue
            planes.extend(frame.to_ndarray(format="gray") for frame in frames)
            if len(planes) >= count:
                break
        return stream.codec_context.name, planes[:count]
    finally:
        container.close()


def quarters(plane: Any) -> tuple[float, float]:
    """Mean luma of the masked quarter and of the opposite one."""
    h, w = plane.shape
    return float(np.mean(plane[: h // 2, : w // 2])), float(np.mean(plane[h // 2:, w // 2:]))


def test_a_masked_region_is_black_for_viewers_and_the_recorder_and_only_there(
        lab: Lab, masked_gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    masked = camera_id(lab.cameras[MASKED])
    plain = camera_id(lab.cameras[PLAIN])
    for url in (session_url(masked_gateway, issue(signing_key, masked), signing_key),
                live_url(masked_gateway, signing_key, masked)):
        codec, planes = pictures(url)
        assert codec == "h264"
        for plane in planes:
            hidden, shown = quarters(plane)
            # black (limited-range luma 16, a little more at the encoder's block edges)
            assert hidden < 20, f"the masked quarter is not black (luma {hidden:.1f})"
            assert shown > 40, f"the rest of the picture is gone too (luma {shown:.1f})"
    # the same quarter of an unmasked camera's picture is not black: the mask made it so
    _codec, planes = pictures(session_url(masked_gateway, issue(signing_key, plain), signing_key))
    assert all(quarters(plane)[0] > 40 for plane in planes)


def test_masks_outside_the_picture_are_refused_by_the_gateways_configuration() -> None:
    from gateway.config import ConfigError, parse_masks
    assert parse_masks([[0.1, 0.2, 0.3, 0.4]], "m") == ((0.1, 0.2, 0.3, 0.4),)
    for wrong in ([[0.6, 0, 0.5, 0.5]], [[0, 0, 0, 0.5]], [[-0.1, 0, 0.5, 0.5]], [[0, 0, 1]],
                  [["0", 0, 1, 1]], "x", [[0, 0, 0.1, 0.1]] * 17):
        with pytest.raises(ConfigError, match="m"):
            parse_masks(wrong, "m")
