"""The gate and the configuration, without GStreamer: revocations, lifetimes, the camera table."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.stream_tokens import ExpiredToken, MalformedToken, StreamToken, WrongStream, encode
from gateway.access import Gate, NotThisSession, Revocation, Revoked
from gateway.config import CameraTable, ConfigError, GatewayConfig, public_key_bytes
from gateway.control import BadRequest, parse_revocation

KEY = Ed25519PrivateKey.generate()
RAW = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
T0 = 1_800_000_000


class Clock:
    def __init__(self) -> None:
        self.now = float(T0)

    def __call__(self) -> float:
        return self.now


def verify(message: bytes, signature: bytes) -> bool:
    try:
        KEY.public_key().verify(signature, message)
    except InvalidSignature:
        return False
    return True


def token(session: str = "s-00000001", user: int = 7, camera: int = 1, issued: int = T0 - 5,
          lifetime: int = 60) -> tuple[StreamToken, str]:
    claims = StreamToken(session, user, "an", camera, "sub", issued, issued + lifetime)
    return claims, encode(claims, KEY.sign)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gate(clock: Clock) -> Gate:
    return Gate(verify, max_token_lifetime_s=600, clock=clock)


def test_admit_checks_camera_stream_expiry_and_the_named_session(gate: Gate,
                                                                 clock: Clock) -> None:
    claims, text = token()
    assert gate.admit(text, 1, "sub") == claims
    assert gate.admit(text, 1, "sub", session_id="s-00000001") == claims
    with pytest.raises(NotThisSession):
        gate.admit(text, 1, "sub", session_id="s-00000002")
    with pytest.raises(WrongStream):
        gate.admit(text, 2, "sub")
    clock.now = claims.expires_at
    with pytest.raises(ExpiredToken):
        gate.admit(text, 1, "sub")


def preview_token(preview_id: str = "pv-abcdefghijklmnop",
                  issued: int = T0 - 5) -> tuple[StreamToken, str]:
    claims = StreamToken(preview_id, 7, "an", 0, "preview", issued, issued + 60)
    return claims, encode(claims, KEY.sign)


def test_a_preview_token_opens_its_preview_only_and_a_camera_token_no_preview(
        gate: Gate) -> None:
    claims, text = preview_token()
    assert gate.admit(text, 0, "preview", preview_id="pv-abcdefghijklmnop") == claims
    with pytest.raises(WrongStream):  # another preview
        gate.admit(text, 0, "preview", preview_id="pv-zzzzzzzzzzzzzzzz")
    for camera, stream in ((1, "sub"), (0, "main"), (1, "main")):  # no camera mount
        with pytest.raises(WrongStream):
            gate.admit(text, camera, stream)
    _claims, camera_text = token()
    with pytest.raises(WrongStream):  # a camera token on a preview mount
        gate.admit(camera_text, 0, "preview", preview_id="pv-abcdefghijklmnop")
    # a camera token that names camera 0 is still not for a preview
    zero = StreamToken("pv-abcdefghijklmnop", 7, "an", 0, "sub", T0 - 5, T0 + 55)
    with pytest.raises(WrongStream):
        gate.admit(encode(zero, KEY.sign), 0, "preview", preview_id="pv-abcdefghijklmnop")
    # a preview token for a camera is no token at all
    with pytest.raises(MalformedToken):
        encode(StreamToken("pv-abcdefghijklmnop", 7, "an", 3, "preview", T0, T0 + 60),
               KEY.sign)


def test_a_token_living_longer_than_allowed_is_refused(gate: Gate) -> None:
    _, text = token(lifetime=601)
    with pytest.raises(MalformedToken, match="lifetime"):
        gate.admit(text, 1, "sub")


def test_a_revoked_session_is_refused_until_its_token_expires(gate: Gate, clock: Clock) -> None:
    claims, text = token()
    gate.revoke(Revocation(session_ids=(claims.session_id,)), [claims])
    with pytest.raises(Revoked):
        gate.admit(text, 1, "sub")
    assert gate.revoked_count() == 1
    clock.now = claims.expires_at + 1
    assert gate.revoked_count() == 0  # pruned: nothing it matched can start any more


def test_a_user_revocation_matches_tokens_issued_until_then_only(gate: Gate,
                                                                clock: Clock) -> None:
    _, old = token(user=9)
    gate.revoke(Revocation(user_id=9), [])
    with pytest.raises(Revoked):
        gate.admit(old, 1, "sub")
    _, other_user = token(user=10)
    assert gate.admit(other_user, 1, "sub").user_id == 10
    clock.now += 2
    _, fresh = token(session="s-00000009", user=9, issued=int(clock.now))
    assert gate.admit(fresh, 1, "sub").user_id == 9  # its rights came back: a new token works
    clock.now += 601
    assert gate.revoked_count() == 0


def test_a_camera_revocation_refuses_every_older_token_of_that_camera(gate: Gate) -> None:
    _, text = token(camera=4)
    gate.revoke(Revocation(camera_id=4), [])
    with pytest.raises(Revoked, match="camera 4"):
        gate.admit(text, 4, "sub")


def test_a_user_revoked_on_one_camera_keeps_the_others(gate: Gate) -> None:
    _, on_four = token(camera=4, user=9)
    _, on_five = token(camera=5, user=9)
    _, other_user = token(camera=4, user=10)
    gate.revoke(Revocation(user_id=9, camera_id=4), [])
    with pytest.raises(Revoked, match="user 9 on camera 4"):
        gate.admit(on_four, 4, "sub")
    assert gate.admit(on_five, 5, "sub").camera_id == 5
    assert gate.admit(other_user, 4, "sub").user_id == 10
    assert Revocation(user_id=9, camera_id=4).matches(gate.admit(on_five, 5, "sub")) is False


def test_revocation_bodies() -> None:
    assert parse_revocation({"session_ids": ["a", "b"]}) == Revocation(session_ids=("a", "b"))
    assert parse_revocation({"user_id": 3}) == Revocation(user_id=3)
    assert parse_revocation({"camera_id": 5}) == Revocation(camera_id=5)
    assert parse_revocation({"user_id": 1, "camera_id": 2}) == Revocation(user_id=1, camera_id=2)
    bad_bodies: list[object] = [{}, {"user_id": True}, {"session_ids": "a"}, {"x": 1}, [],
                                {"user_id": 1, "camera_id": "2"},
                                {"user_id": 1, "camera_id": 2, "session_ids": ["a"]}]
    for bad in bad_bodies:
        with pytest.raises(BadRequest):
            parse_revocation(bad)


def test_credentials_in_a_camera_url_become_properties_and_stay_out_of_repr() -> None:
    table = CameraTable.from_config([
        {"camera_id": 1, "stream": "main", "url": "rtsp://admin:p%40ss@10.0.0.5:554/h264"},
        {"camera_id": 1, "stream": "sub", "url": "rtsp://10.0.0.5/sub", "username": "u",
         "password": "secret-pw", "transport": "udp"}])
    main, sub = table.get(1, "main"), table.get(1, "sub")
    assert main is not None and sub is not None
    assert (main.url, main.username, main.password) == ("rtsp://10.0.0.5:554/h264", "admin", "p@ss")
    assert sub.transport == "udp" and sub.path == "/cam/1/sub"
    assert "secret-pw" not in repr(sub) and "secret-pw" not in repr(table.get(1, "sub"))
    with pytest.raises(ConfigError, match="twice"):
        CameraTable.from_config([{"camera_id": 1, "stream": "sub", "url": "rtsp://a/b"}] * 2)
    with pytest.raises(ConfigError, match="transport"):
        CameraTable.from_config([{"camera_id": 1, "stream": "sub", "url": "rtsp://a/b",
                                  "transport": "http"}])


def test_the_signing_key_as_pem_or_raw_base64() -> None:
    pem = KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    assert public_key_bytes(pem) == RAW
    assert public_key_bytes(base64.b64encode(RAW).decode()) == RAW
    with pytest.raises(ConfigError):
        public_key_bytes(base64.b64encode(b"x" * 31).decode())


def test_the_configuration_needs_a_secret_and_keys_and_hides_the_secret() -> None:
    base = {"control": {"secret": "s" * 20}, "token_keys": [base64.b64encode(RAW).decode()],
            "cameras": []}
    config = GatewayConfig.from_json(base)
    assert "s" * 20 not in repr(config)
    with pytest.raises(ConfigError, match="secret"):
        GatewayConfig.from_json({**base, "control": {"secret": "short"}})
    with pytest.raises(ConfigError, match="token_keys"):
        GatewayConfig.from_json({**base, "token_keys": []})
    with pytest.raises(ConfigError, match="port"):
        GatewayConfig.from_json({**base, "rtsp": {"port": 70000}})


def test_a_retired_token_key_is_trusted_until_its_end_and_not_after() -> None:
    from gateway.main import make_verifier

    old = Ed25519PrivateKey.generate()
    old_raw = old.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    config = GatewayConfig.from_json({
        "control": {"secret": "s" * 20}, "cameras": [],
        "token_keys": [base64.b64encode(RAW).decode(),
                       {"key": base64.b64encode(old_raw).decode(), "until": 1000}]})
    assert config.token_keys == (RAW, old_raw) and config.token_keys_until == {old_raw: 1000.0}
    now = [999.0]
    verify = make_verifier(config.token_keys, config.token_keys_until, lambda: now[0])
    message = b"claims"
    assert verify(message, old.sign(message)) and verify(message, KEY.sign(message))
    now[0] = 1000.0
    assert not verify(message, old.sign(message)) and verify(message, KEY.sign(message))
    verify.replace(((old_raw, None),))  # PUT /token-keys: the set replaced live
    assert verify(message, old.sign(message)) and not verify(message, KEY.sign(message))
    with pytest.raises(ConfigError, match="token_keys"):
        GatewayConfig.from_json({**{"control": {"secret": "s" * 20}},
                                 "token_keys": [{"key": base64.b64encode(RAW).decode()}]})
