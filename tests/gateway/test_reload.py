"""The camera table changes while the gateway runs (a camera moved between gateways, a new
address or password): streams gone or changed lose their viewers, the others play on; and a
password moves to another gateway's key without the carrier ever reading it."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nacl.public import PrivateKey, PublicKey, SealedBox

from gateway.process import GatewayError, GatewayProcess
from lab import Lab
from tests.gateway.helpers import (
    Reader,
    camera_id,
    gateway_config,
    issue,
    probe_video,
    refused,
    session_url,
    wait_until,
)

pytestmark = pytest.mark.lab


def test_a_replaced_table_cuts_only_what_moved_and_mounts_what_came(
        lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    config = gateway_config(lab, signing_key)
    everything = config["cameras"]
    moving, staying, coming = (camera_id(lab.cameras[n]) for n in (0, 1, 2))
    config["cameras"] = [e for e in everything if e["camera_id"] in (moving, staying)]
    config["cameras_version"] = "v1"
    with GatewayProcess(config) as gateway:
        assert gateway.control("GET", "/health")[1]["cameras_version"] == "v1"
        gone = issue(signing_key, moving, "sub", user_id=501)
        kept = issue(signing_key, staying, "sub", user_id=502)
        leaving = Reader(session_url(gateway, gone, signing_key)).start()
        playing = Reader(session_url(gateway, kept, signing_key)).start()
        try:
            leaving.wait_playing()
            playing.wait_playing()
            new_table = [e for e in everything if e["camera_id"] in (staying, coming)]
            result = gateway.replace_cameras(new_table, "v2")
            assert result == {"streams": 4, "mounted": 2, "unmounted": 2, "cut": 1,
                              "ptz_cameras": 0, "ptz_removed": 0}
            assert leaving.ended.wait(5), "a viewer of a camera that left still plays"
            end = gateway.wait_for(lambda e: e.get("event") == "session_end"
                                   and e.get("session_id") == gone.session_id, 5)
            assert end is not None and end["reason"] == "moved"
            before = playing.packets
            assert wait_until(lambda: playing.packets > before + 10, 5)  # it plays on
            assert not playing.ended.is_set()
            assert refused(session_url(gateway, issue(signing_key, moving, "sub"), signing_key))
            assert probe_video(session_url(gateway, issue(signing_key, coming, "sub"),
                                           signing_key))["codec_name"] == "h264"
            assert gateway.control("GET", "/health")[1]["cameras_version"] == "v2"
        finally:
            playing.close()
            leaving.close()


def test_a_table_with_a_mistake_is_refused_naming_it_and_changes_nothing(
        lab: Lab, gateway: GatewayProcess, signing_key: Ed25519PrivateKey) -> None:
    version = gateway.control("GET", "/health")[1]["cameras_version"]
    bad = [{"camera_id": 1, "stream": "main", "url": "http://not-rtsp/"}]
    status, answer = gateway.control("PUT", "/cameras", {"cameras": bad, "version": "x"})
    assert status == 400 and "cameras[0].url" in answer["error"]
    assert gateway.control("GET", "/health")[1]["cameras_version"] == version
    cam = lab.cameras[3]
    url = session_url(gateway, issue(signing_key, camera_id(cam), "sub"), signing_key)
    assert probe_video(url)["codec_name"] == "h264"


def test_a_password_is_resealed_to_another_gateway_only_by_the_one_that_holds_it(
        lab: Lab, signing_key: Ed25519PrivateKey, tmp_path: Path) -> None:
    config = gateway_config(lab, signing_key)
    config["key_file"] = str(tmp_path / "x25519.key")
    config["cameras"] = []
    other = PrivateKey.generate()
    other_public = base64.b64encode(bytes(other.public_key)).decode()
    with GatewayProcess(config) as gateway:
        assert gateway.public_key is not None
        mine = SealedBox(PublicKey(base64.b64decode(gateway.public_key)))
        sealed = base64.b64encode(mine.encrypt("mật-khẩu".encode())).decode()
        resealed = gateway.reseal(sealed, other_public)
        assert resealed != sealed
        assert SealedBox(other).decrypt(base64.b64decode(resealed)).decode() == "mật-khẩu"
        # a box sealed to someone else's key is not this gateway's to reseal
        foreign = base64.b64encode(SealedBox(other.public_key).encrypt(b"x")).decode()
        with pytest.raises(GatewayError, match="400"):
            gateway.reseal(foreign, other_public)
        with pytest.raises(GatewayError, match="400"):
            gateway.reseal(sealed, "bm90IGEga2V5")


def test_ptz_cameras_follow_the_table_and_a_camera_that_left_loses_its_holder(
        lab: Lab, signing_key: Ed25519PrivateKey) -> None:
    from tests.gateway.test_ptz_broker import (
        CAM,
        DRIVER,
        OTHER,
        continuous_move,
        hold,
        ptz_entries,
        soap,
        token,
    )

    leaving, coming = camera_id(lab.cameras[CAM]), camera_id(lab.cameras[OTHER])
    everything = ptz_entries(lab)
    config = gateway_config(lab, signing_key)
    config["ptz_cameras"] = [e for e in everything if e["camera_id"] == leaving]
    seen: list[str] = []
    lab.on_onvif_request(CAM, seen.append)
    try:
        with GatewayProcess(config) as gateway:
            hold(gateway, leaving, DRIVER)
            assert soap(gateway, continuous_move(0.2), token(signing_key, DRIVER, leaving)
                        )[0] == 200
            status, body = soap(gateway, continuous_move(0.2), token(signing_key, DRIVER,
                                                                     coming))
            assert status == 500 and "NoPtzCamera" in body
            # a mistake in the PTZ part changes neither part
            bad = [{**everything[0], "host": "cam/../x"}]
            status, answer = gateway.control("PUT", "/cameras", {
                "cameras": [], "ptz_cameras": bad, "version": "bad"})
            assert status == 400 and "ptz_cameras[0].host" in answer["error"]
            assert gateway.stats()["streams"]  # the video table was not emptied either
            result = gateway.replace_cameras(
                config["cameras"], "v2", [e for e in everything if e["camera_id"] == coming])
            assert (result["ptz_cameras"], result["ptz_removed"]) == (1, 1)
            # it was left moving: stopped before it was let go
            assert seen[-1] == "Stop"
            status, body = soap(gateway, continuous_move(0.2), token(signing_key, DRIVER,
                                                                     leaving))
            assert status == 500 and "NoPtzCamera" in body
            assert gateway.stats()["ptz_holders"] == 0
            hold(gateway, coming, DRIVER)
            assert soap(gateway, continuous_move(0.0), token(signing_key, DRIVER, coming)
                        )[0] == 200
            # back again: its holder here was forgotten, the backend tells it anew
            gateway.replace_cameras(config["cameras"], "v3", everything)
            status, body = soap(gateway, continuous_move(0.2), token(signing_key, DRIVER,
                                                                     leaving))
            assert status == 400 and "PtzNotHolder" in body
            assert gateway.control("GET", "/health")[1]["cameras_version"] == "v3"
    finally:
        lab.on_onvif_request(CAM, None)
