"""Revocation cuts a playing viewer at once and refuses its token afterwards; others play on."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.process import GatewayProcess
from lab import Lab
from tests.gateway.helpers import Reader, camera_id, issue, refused, session_url

pytestmark = pytest.mark.lab

CUT_WITHIN_S = 5.0


@pytest.mark.parametrize("by", ["session", "user", "camera", "user_on_camera"])
def test_revocation_cuts_the_viewer_within_5_s_and_refuses_a_reconnect(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey, by: str) -> None:
    # Each case its own user and camera: a user's or camera's revocation outlives the test.
    cam = lab.cameras[{"session": 1, "user": 1, "camera": 2, "user_on_camera": 0}[by]]
    user = {"session": 301, "user": 302, "camera": 303, "user_on_camera": 304}[by]
    claims = issue(signing_key, camera_id(cam), "sub", user_id=user)
    url = session_url(gateway, claims, signing_key)
    # Who must not be cut: another session of the same user / another user of the camera /
    # a viewer of another camera.
    bystander_claims = {
        "session": issue(signing_key, camera_id(cam), "sub", user_id=user),
        "user": issue(signing_key, camera_id(cam), "sub", user_id=399),
        "camera": issue(signing_key, camera_id(lab.cameras[1]), "sub", user_id=303),
        # the same user on another camera: only this camera left the user's scope
        "user_on_camera": issue(signing_key, camera_id(lab.cameras[1]), "sub", user_id=304),
    }[by]
    viewer = Reader(url).start()
    bystander = Reader(session_url(gateway, bystander_claims, signing_key)).start()
    try:
        viewer.wait_playing()
        bystander.wait_playing()
        started = time.monotonic()
        if by == "session":
            cut = gateway.revoke(session_ids=[claims.session_id])
        elif by == "user":
            cut = gateway.revoke(user_id=user)
        elif by == "user_on_camera":
            cut = gateway.revoke(user_id=user, camera_id=camera_id(cam))
        else:
            cut = gateway.revoke(camera_id=camera_id(cam))
        assert cut == 1
        assert viewer.ended.wait(CUT_WITHIN_S), "still playing after the revocation"
        assert viewer.ended_at is not None
        elapsed = viewer.ended_at - started
        assert elapsed < CUT_WITHIN_S
        end = gateway.wait_for(lambda e: e.get("event") == "session_end"
                               and e.get("session_id") == claims.session_id, 5)
        assert end is not None and end["reason"] == "revoked"
        assert refused(url)
        refusal = gateway.wait_for(lambda e: e.get("event") == "session_refused"
                                   and e.get("session_id") == claims.session_id, 5)
        assert refusal is not None and refusal["reason"] == "revoked"
        before = bystander.packets
        assert not bystander.ended.is_set()
        assert bystander.first_packet.wait(1)
        deadline = time.monotonic() + 5
        while bystander.packets <= before and time.monotonic() < deadline:
            bystander.ended.wait(0.05)
        assert bystander.packets > before, "the bystander was cut too"
        print(f"revoked by {by}: viewer cut after {elapsed * 1000:.0f} ms")
    finally:
        viewer.close()
        bystander.close()


def test_the_control_endpoint_wants_the_secret_and_a_well_formed_body(
        gateway: GatewayProcess) -> None:
    secret, gateway.secret = gateway.secret, "not-the-secret-at-all"
    try:
        assert gateway.control("GET", "/stats")[0] == 401
        assert gateway.control("POST", "/revoke", {"user_id": 1})[0] == 401
    finally:
        gateway.secret = secret
    assert gateway.health()
    assert gateway.control("POST", "/revoke", {"user_id": "1"})[0] == 400
    assert gateway.control("POST", "/revoke", {"user_id": 1, "camera_id": "2"})[0] == 400
    assert gateway.control("POST", "/revoke",
                           {"user_id": 1, "camera_id": 2, "session_ids": ["s-1"]})[0] == 400
    assert gateway.control("POST", "/revoke", {"session_ids": []})[0] == 400
    assert gateway.control("GET", "/nothing")[0] == 404
