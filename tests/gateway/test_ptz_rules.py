"""The PTZ broker's rules without a process: its configuration, the holder bodies, who may send
what, the WS-Security check of a presented token."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET  # noqa: N817
from datetime import UTC, datetime

import pytest

from gateway.config import ConfigError, GatewayConfig, onvif_targets
from gateway.control import BadRequest, parse_holder
from gateway.ptz import Fault, Holder, Holders, envelope, presented_token, username_token

ENTRY = {"camera_id": 1, "host": "10.0.0.5", "port": 80, "username": "admin",
         "password": "s3cret!", "name": "CAM-01"}


def test_ptz_cameras_are_read_and_their_password_stays_out_of_repr() -> None:
    (target,) = onvif_targets([ENTRY]).values()
    assert (target.camera_id, target.host, target.port, target.username) == (
        1, "10.0.0.5", 80, "admin")
    assert target.password == "s3cret!" and "s3cret" not in repr(target)
    config = GatewayConfig.from_json({"control": {"secret": "x" * 16}, "token_keys": [
        base64.b64encode(bytes(32)).decode()], "cameras": [], "ptz": {"port": 0},
        "ptz_cameras": [ENTRY]})
    assert set(config.ptz_cameras) == {1} and config.ptz_port == 0


@pytest.mark.parametrize(("change", "complaint"), [
    ({"host": "evil.example/path"}, "host"), ({"host": "user@10.0.0.5"}, "host"),
    ({"port": 0}, "port"), ({"port": "80"}, "port"), ({"camera_id": -1}, "camera_id"),
    ({"sealed_password": "AAAA"}, "key_file"),
])
def test_a_bad_ptz_camera_is_refused_naming_the_field(change: dict[str, object],
                                                       complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        onvif_targets([{**ENTRY, **change}])
    with pytest.raises(ConfigError, match="twice"):
        onvif_targets([ENTRY, ENTRY])


def test_holder_bodies() -> None:
    assert parse_holder({"camera_id": 3}) == (3, None)
    assert parse_holder({"camera_id": 3, "user_id": 7, "username": "a", "full_name": "A B",
                         "until": 12.5}) == (3, Holder(7, "a", "A B", 12.5))
    for body in ({}, {"camera_id": 3, "user_id": 7}, {"camera_id": True},
                 {"camera_id": 3, "user_id": 7, "username": 1, "full_name": "", "until": 1}):
        with pytest.raises(BadRequest):
            parse_holder(body)


def test_only_the_holder_commands_and_its_last_holder_may_still_stop() -> None:
    now = [100.0]
    holders = Holders(clock=lambda: now[0])
    holders.set(1, Holder(7, "a", "Anh Ba", until=110.0))
    holders.check(1, 7, "ContinuousMove")
    with pytest.raises(Fault, match="PTZ held by Anh Ba"):
        holders.check(1, 8, "Stop")
    with pytest.raises(Fault, match="not held"):
        holders.check(2, 7, "Stop")  # another camera: nobody's
    now[0] = 110.0  # the lease ran out
    with pytest.raises(Fault, match="not held"):
        holders.check(1, 7, "ContinuousMove")
    holders.check(1, 7, "Stop")
    with pytest.raises(Fault):
        holders.check(1, 8, "Stop")


def test_a_presented_token_needs_its_digest_and_a_created_near_the_gateway_clock() -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def request(password: str, created: datetime) -> ET.Element:
        header = username_token("tok.en", password, created)
        return ET.fromstring(envelope("<tptz:Stop/>", header))

    assert presented_token(request("tok.en", now), now.timestamp()) == "tok.en"
    with pytest.raises(Fault, match="not Authorized"):
        presented_token(request("other", now), now.timestamp())
    with pytest.raises(Fault, match="too far"):
        presented_token(request("tok.en", now), now.timestamp() + 600)
    with pytest.raises(Fault):
        presented_token(ET.fromstring(envelope("<tptz:Stop/>")), now.timestamp())
