"""Stream session tokens: encode, decode, expiry, tampering, the camera they open."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from common import stream_tokens
from common.evidence import canonical_json
from common.stream_tokens import (
    BadSignature,
    ExpiredToken,
    MalformedToken,
    StreamToken,
    TokenError,
    WrongStream,
    decode_and_verify,
    encode,
)

NOW = 1_765_000_000
KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
CLAIMS = StreamToken(session_id="s-3f9a0c1d2e", user_id=7, username="trucban.nguyen",
                     camera_id=12, stream="main", issued_at=NOW - 10, expires_at=NOW + 60)


def verifier(public: Ed25519PublicKey):
    def verify(message: bytes, signature: bytes) -> bool:
        try:
            public.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    return verify


VERIFY = verifier(KEY.public_key())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload: dict, key: Ed25519PrivateKey = KEY) -> str:
    message = canonical_json(payload).encode()
    return f"{b64(message)}.{b64(key.sign(message))}"


def test_a_token_round_trips_and_is_url_safe() -> None:
    token = encode(CLAIMS, KEY.sign)
    assert decode_and_verify(token, VERIFY, NOW, camera_id=12, stream="main") == CLAIMS
    assert decode_and_verify(token, VERIFY, NOW) == CLAIMS
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert payload == {"format": "iocwall-stream-token/1", "session_id": "s-3f9a0c1d2e",
                       "user_id": 7, "username": "trucban.nguyen", "camera_id": 12,
                       "stream": "main", "issued_at": NOW - 10, "expires_at": NOW + 60}


def test_a_vietnamese_username_survives() -> None:
    claims = replace(CLAIMS, username="Nguyễn Văn Trực")
    assert decode_and_verify(encode(claims, KEY.sign), VERIFY, NOW).username == "Nguyễn Văn Trực"


def test_expiry_is_checked_against_now() -> None:
    token = encode(CLAIMS, KEY.sign)
    assert decode_and_verify(token, VERIFY, CLAIMS.expires_at - 0.001) == CLAIMS
    with pytest.raises(ExpiredToken) as caught:
        decode_and_verify(token, VERIFY, CLAIMS.expires_at)
    assert caught.value.token == CLAIMS and caught.value.reason == "expired"


def test_another_camera_or_stream_is_refused() -> None:
    token = encode(CLAIMS, KEY.sign)
    with pytest.raises(WrongStream, match="camera 12, not 13"):
        decode_and_verify(token, VERIFY, NOW, camera_id=13, stream="main")
    with pytest.raises(WrongStream, match="main stream, not sub"):
        decode_and_verify(token, VERIFY, NOW, camera_id=12, stream="sub")


def test_another_key_is_a_bad_signature() -> None:
    token = encode(CLAIMS, OTHER_KEY.sign)
    with pytest.raises(BadSignature):
        decode_and_verify(token, VERIFY, NOW)


def test_every_single_character_change_is_refused() -> None:
    token = encode(CLAIMS, KEY.sign)
    for i, char in enumerate(token):
        for other in ("A", "b", "-"):
            if other == char:
                continue
            altered = token[:i] + other + token[i + 1:]
            with pytest.raises(TokenError):
                decode_and_verify(altered, VERIFY, NOW)


def test_a_changed_claim_with_the_old_signature_is_refused() -> None:
    token = encode(CLAIMS, KEY.sign)
    forged = canonical_json({**CLAIMS.payload(), "camera_id": 13}).encode()
    with pytest.raises(BadSignature):
        decode_and_verify(f"{b64(forged)}.{token.split('.')[1]}", VERIFY, NOW)


@pytest.mark.parametrize("text", [
    "", ".", "abc", "a.b.c", "abc.", ".abc", "ab$c.def", "a" * 5000,
    b64(b"not json") + "." + b64(b"x" * 64),
    b64(b"[1, 2]") + "." + b64(b"x" * 64),
])
def test_malformed_shapes(text: str) -> None:
    with pytest.raises(MalformedToken):
        decode_and_verify(text, VERIFY, NOW)


def test_a_non_canonical_payload_is_malformed_even_when_signed() -> None:
    message = json.dumps(CLAIMS.payload(), indent=1).encode()
    with pytest.raises(MalformedToken, match="canonical"):
        decode_and_verify(f"{b64(message)}.{b64(KEY.sign(message))}", VERIFY, NOW)


def test_padding_is_not_a_second_spelling() -> None:
    token = encode(CLAIMS, KEY.sign)
    with pytest.raises(MalformedToken):
        decode_and_verify(token + "=", VERIFY, NOW)


@pytest.mark.parametrize("change", [
    {"format": "iocwall-clip-manifest/1"},
    {"user_id": "7"},
    {"camera_id": True},
    {"stream": "third"},
    {"session_id": "has:colon1"},
    {"session_id": "short"},
    {"expires_at": NOW - 10},
    {"extra": 1},
])
def test_signed_but_wrong_fields_are_malformed(change: dict) -> None:
    with pytest.raises(MalformedToken):
        decode_and_verify(signed({**CLAIMS.payload(), **change}), VERIFY, NOW)


def test_a_missing_field_is_malformed() -> None:
    payload = CLAIMS.payload()
    del payload["username"]
    with pytest.raises(MalformedToken, match="missing"):
        decode_and_verify(signed(payload), VERIFY, NOW)


def test_encode_refuses_claims_decode_would_refuse() -> None:
    with pytest.raises(MalformedToken):
        encode(replace(CLAIMS, stream="both"), KEY.sign)


def test_signature_is_checked_before_expiry_and_camera() -> None:
    stale = encode(replace(CLAIMS, expires_at=NOW - 1, issued_at=NOW - 100), OTHER_KEY.sign)
    with pytest.raises(BadSignature):
        decode_and_verify(stale, VERIFY, NOW, camera_id=99)


def test_no_message_carries_the_token() -> None:
    token = encode(replace(CLAIMS, expires_at=NOW - 1, issued_at=NOW - 100), KEY.sign)
    for text, kwargs in ((token, {}), (token, {"camera_id": 1}), (token[:-2], {}),
                         (token.replace(".", ""), {})):
        with pytest.raises(TokenError) as caught:
            decode_and_verify(text, VERIFY, NOW, **kwargs)
        assert token.split(".")[0][:20] not in str(caught.value)
        assert token.split(".")[1][:20] not in str(caught.value)



def test_a_session_url_carries_the_token_in_its_query_and_masks() -> None:
    token = encode(CLAIMS, KEY.sign)
    url = stream_tokens.session_url("127.0.0.1", 8555, 12, "main", token)
    assert url == f"rtsp://127.0.0.1:8555/cam/12/main?token={token}"
    assert stream_tokens.mask_token(url) == "rtsp://127.0.0.1:8555/cam/12/main?token=***"
    message = f"Server returned 401 Unauthorized: '{url}'"
    assert token not in stream_tokens.mask_token(message)
    assert stream_tokens.mask_token("rtsp://h/p?a=1&token=x.y&b=2") == "rtsp://h/p?a=1&token=***&b=2"
