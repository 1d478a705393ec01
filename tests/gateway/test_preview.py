"""A preview (``POST /preview``): a camera's stream watched before the camera is saved. It plays
with a token for that preview only; a camera's token does not open it and its token opens no
camera; it ends when its viewer has watched and left, when its camera cannot be reached, or at
its lifetime; a few at most."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common import stream_tokens
from common.stream_tokens import PREVIEW_STREAM, StreamToken, encode
from gateway.previews import MAX_PREVIEWS
from gateway.process import GatewayProcess
from lab import Lab, LabCamera
from lab.util import free_port
from tests.gateway.helpers import (
    camera_id,
    ffprobe,
    gateway_config,
    issue,
    probe_video,
    refused,
    session_url,
    wait_until,
)
from tests.gateway.test_sealed import seal

pytestmark = pytest.mark.lab

LIFETIME_S = 8


@pytest.fixture(scope="module")
def keyed_gateway(lab: Lab, signing_key: Ed25519PrivateKey,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayProcess]:
    config = gateway_config(lab, signing_key)
    config["key_file"] = str(tmp_path_factory.mktemp("gw-preview") / "x25519.key")
    config["preview_lifetime_s"] = LIFETIME_S
    with GatewayProcess(config) as running:
        yield running


def open_preview(gateway: GatewayProcess, cam: LabCamera, **changes: Any) -> tuple[int, Any]:
    assert gateway.public_key is not None
    body = {"url": cam.sub_url, "username": cam.rtsp_username,
            "sealed_password": seal(gateway.public_key, cam.rtsp_password),
            "transport": "tcp", **changes}
    return gateway.control("POST", "/preview", body)


def preview_token(key: Ed25519PrivateKey, preview_id: str) -> StreamToken:
    now = int(time.time()) - 1
    return StreamToken(session_id=preview_id, user_id=1, username="ioc.admin", camera_id=0,
                       stream=PREVIEW_STREAM, issued_at=now, expires_at=now + 60)


def preview_url(gateway: GatewayProcess, preview_id: str, token: str) -> str:
    return stream_tokens.preview_url("127.0.0.1", gateway.rtsp_port, preview_id, token)


def previews(gateway: GatewayProcess) -> int:
    return int(gateway.stats()["previews"])


def test_a_preview_plays_with_its_own_token_only_then_ends_when_watched(
        lab: Lab, keyed_gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    cam = lab.cameras[1]
    status, answer = open_preview(keyed_gateway, cam)
    assert status == 200, answer
    preview_id = answer["preview_id"]
    assert len(preview_id) >= 16 and answer["expires_in_s"] == LIFETIME_S
    token = encode(preview_token(signing_key, preview_id), signing_key.sign)
    # a camera's token does not open a preview, nor does another preview's token
    camera_token = encode(issue(signing_key, camera_id(cam), "sub"), signing_key.sign)
    assert refused(preview_url(keyed_gateway, preview_id, camera_token))
    other = encode(preview_token(signing_key, "pv-" + secrets.token_urlsafe(16)),
                   signing_key.sign)
    assert refused(preview_url(keyed_gateway, preview_id, other))
    # the preview's token opens no camera mount
    claims = issue(signing_key, camera_id(cam), "sub")
    assert refused(session_url(keyed_gateway, claims, signing_key, token=token))
    assert previews(keyed_gateway) == 1
    info = probe_video(preview_url(keyed_gateway, preview_id, token))
    assert info["codec_name"] == "h264"
    # watched and left: unmounted at once, not at its lifetime
    assert wait_until(lambda: previews(keyed_gateway) == 0, timeout=10)
    assert any("unmounted (watched)" in line for line in keyed_gateway.stderr_lines)
    assert refused(preview_url(keyed_gateway, preview_id, token))
    joined = "\n".join(keyed_gateway.stderr_lines)
    assert cam.rtsp_password not in joined and token not in joined


def test_an_unwatched_preview_expires(lab: Lab, keyed_gateway: GatewayProcess,
                                      signing_key: Ed25519PrivateKey) -> None:
    status, answer = open_preview(keyed_gateway, lab.cameras[2])
    assert status == 200, answer
    token = encode(preview_token(signing_key, answer["preview_id"]), signing_key.sign)
    started = time.monotonic()
    assert wait_until(lambda: previews(keyed_gateway) == 0, timeout=LIFETIME_S + 5)
    assert time.monotonic() - started >= LIFETIME_S - 1
    assert any("unmounted (expired)" in line for line in keyed_gateway.stderr_lines)
    assert refused(preview_url(keyed_gateway, answer["preview_id"], token))


def test_a_preview_of_a_camera_out_of_reach_ends_at_its_first_viewer(
        keyed_gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    status, answer = keyed_gateway.control("POST", "/preview", {
        "url": f"rtsp://127.0.0.1:{free_port()}/nothing", "username": "",
        "sealed_password": None, "transport": "tcp"})
    assert status == 200, answer
    token = encode(preview_token(signing_key, answer["preview_id"]), signing_key.sign)
    started = time.monotonic()
    result = ffprobe(preview_url(keyed_gateway, answer["preview_id"], token))
    assert result.returncode != 0
    # its slot is free at once, not at its lifetime
    assert wait_until(lambda: previews(keyed_gateway) == 0, timeout=LIFETIME_S / 2)
    assert time.monotonic() - started < LIFETIME_S - 1
    assert any("unmounted (unreachable)" in line for line in keyed_gateway.stderr_lines)


def test_bad_preview_requests_name_the_field_and_a_fifth_is_busy(
        lab: Lab, keyed_gateway: GatewayProcess) -> None:
    cam = lab.cameras[1]
    with_user = cam.sub_url.replace("rtsp://", "rtsp://someone:secret@")
    for changes, field in (({"url": with_user}, "url"), ({"url": "http://x/y"}, "url"),
                           ({"transport": "carrier-pigeon"}, "transport"),
                           ({"sealed_password": "bm90IGEgYm94"}, "sealed_password"),
                           ({"camera_id": 3}, "camera_id")):
        status, answer = open_preview(keyed_gateway, cam, **changes)
        assert status == 400 and answer["error"].startswith(f"{field}:"), answer
        assert "secret" not in answer["error"]
    assert wait_until(lambda: previews(keyed_gateway) == 0, timeout=LIFETIME_S + 5)
    for _ in range(MAX_PREVIEWS):
        assert open_preview(keyed_gateway, cam)[0] == 200
    status, answer = open_preview(keyed_gateway, cam)
    assert status == 503, answer
    assert wait_until(lambda: previews(keyed_gateway) == 0, timeout=LIFETIME_S + 5)
    assert open_preview(keyed_gateway, cam)[0] == 200


def test_no_preview_without_a_key_to_open_its_password(
        lab: Lab, gateway: GatewayProcess, keyed_gateway: GatewayProcess) -> None:
    cam = lab.cameras[1]
    status, answer = gateway.control("POST", "/preview", {
        "url": cam.sub_url, "username": cam.rtsp_username,
        "sealed_password": seal(str(keyed_gateway.public_key), cam.rtsp_password)})
    assert status == 400 and answer["error"].startswith("sealed_password:")
