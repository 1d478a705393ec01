"""PTZ tokens: signed and checked like stream tokens, never confused with one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common import ptz_tokens, stream_tokens
from common.ptz_tokens import ExpiredPtzToken, PtzToken, WrongCamera, decode_and_verify, encode
from common.stream_tokens import BadSignature, MalformedToken, StreamToken
from tests.common.test_stream_tokens import verifier

NOW = 1_765_000_000
KEY = Ed25519PrivateKey.generate()
CLAIMS = PtzToken(user_id=7, username="ioc.operator", camera_id=12, issued_at=NOW - 1,
                  expires_at=NOW + 15)
VERIFY = verifier(KEY.public_key())


def test_a_token_round_trips_for_its_camera() -> None:
    text = encode(CLAIMS, KEY.sign)
    assert decode_and_verify(text, VERIFY, NOW, camera_id=12) == CLAIMS


def test_expired_wrong_camera_and_foreign_key_are_refused_in_that_order() -> None:
    text = encode(CLAIMS, KEY.sign)
    with pytest.raises(ExpiredPtzToken) as expired:
        decode_and_verify(text, VERIFY, NOW + 15, camera_id=13)
    assert expired.value.token == CLAIMS  # its claims ride along (a late Stop is judged on them)
    with pytest.raises(WrongCamera):
        decode_and_verify(text, VERIFY, NOW, camera_id=13)
    other = Ed25519PrivateKey.generate()
    with pytest.raises(BadSignature):
        decode_and_verify(encode(CLAIMS, other.sign), VERIFY, NOW)


def test_a_stream_token_is_no_ptz_token_and_the_other_way_round() -> None:
    stream = StreamToken(session_id="s-3f9a0c1d2e", user_id=7, username="ioc.operator",
                         camera_id=12, stream="main", issued_at=NOW - 1, expires_at=NOW + 60)
    with pytest.raises(MalformedToken):
        decode_and_verify(stream_tokens.encode(stream, KEY.sign), VERIFY, NOW)
    with pytest.raises(MalformedToken):
        stream_tokens.decode_and_verify(encode(CLAIMS, KEY.sign), VERIFY, NOW)


def test_a_token_decode_would_refuse_is_never_signed() -> None:
    with pytest.raises(MalformedToken):
        encode(replace(CLAIMS, expires_at=CLAIMS.issued_at), KEY.sign)
    with pytest.raises(MalformedToken):
        ptz_tokens.PtzToken.from_payload({**CLAIMS.payload(), "user_id": True})
