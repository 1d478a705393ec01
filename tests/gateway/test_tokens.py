"""Only a valid token of the backend opens a session, and only on its own camera stream; the
gateway says why it refused, never printing the token."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.stream_tokens import encode
from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import camera_id, issue, probe_video, refused, session_url

pytestmark = pytest.mark.lab


def alter_one_byte(token: str) -> str:
    i = len(token) // 3  # inside the payload
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]


CASES = ["no_token", "empty", "altered", "expired", "other_key", "other_camera", "other_stream"]
REASONS = {"altered": ("malformed", "bad_signature"), "expired": ("expired",),
           "other_key": ("bad_signature",), "other_camera": ("wrong_stream",),
           "other_stream": ("wrong_stream",)}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_token_is_refused_and_the_reason_logged(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey, case: str) -> None:
    cam, other = lab.cameras[1], lab.cameras[2]
    claims = issue(signing_key, camera_id(cam), "sub")
    good = encode(claims, signing_key.sign)
    url = session_url(gateway, claims, signing_key)
    if case == "no_token":
        url = url.split("?")[0]
    elif case == "empty":
        url = url.split("?")[0] + "?token="
    elif case == "altered":
        url = session_url(gateway, claims, signing_key, token=alter_one_byte(good))
    elif case == "expired":
        stale = replace(claims, issued_at=int(time.time()) - 120,
                        expires_at=int(time.time()) - 60)
        url = session_url(gateway, stale, signing_key)
    elif case == "other_key":
        url = session_url(gateway, claims, Ed25519PrivateKey.generate())
    elif case == "other_camera":
        url = session_url(gateway, claims, signing_key, camera=camera_id(other))
    elif case == "other_stream":
        url = session_url(gateway, claims, signing_key, stream="main")
    since = time.time() - 0.5
    assert refused(url)
    signed = case in ("expired", "other_camera", "other_stream")  # the claims are told
    if case in REASONS:
        # this refusal's event (a signed one by its session: the case before refused within
        # the same half second), then its log line (stderr arrives on its own pipe)
        event = gateway.wait_for(lambda e: e.get("event") == "session_refused"
                                 and e["at"] >= since and e["reason"] in REASONS[case]
                                 and (not signed or e.get("session_id") == claims.session_id),
                                 5)
        assert event is not None, gateway.events[-3:]
        deadline = time.monotonic() + 5
        while not any(reason in line for line in gateway.stderr_lines
                      for reason in REASONS[case]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(reason in line for line in gateway.stderr_lines
                   for reason in REASONS[case]), gateway.stderr_lines[-3:]
        if signed:
            assert event["session_id"] == claims.session_id and event["user_id"] == claims.user_id
    # the same URL with its good token still plays: the refusals were about the token
    assert probe_video(session_url(gateway, claims, signing_key))["codec_name"] == "h264"
    for text in [*gateway.stderr_lines, *map(str, gateway.events)]:
        assert good.split(".")[1] not in text and good.split(".")[0][-40:] not in text


def test_basic_credentials_carrying_the_token_work_for_clients_that_pass_them_whole(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    """FFmpeg cuts user info at 127 bytes; a plain RTSP client sends it whole."""
    from tests.gateway.rtsp_probe import describe_with_basic

    cam = lab.cameras[1]
    claims = issue(signing_key, camera_id(cam), "sub")
    token = encode(claims, signing_key.sign)
    path = f"/cam/{camera_id(cam)}/sub"
    assert describe_with_basic(gateway.rtsp_port, path, claims.session_id, token) == 200
    assert describe_with_basic(gateway.rtsp_port, path, "s-someoneelse1", token) == 401
    assert describe_with_basic(gateway.rtsp_port, f"/cam/{camera_id(lab.cameras[2])}/sub",
                               claims.session_id, token) == 401
