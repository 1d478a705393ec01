"""common.evidence: the canonical JSON, file hashes and the signed-manifest check both sides run.

The check is exercised with a stand-in signature (SHA-256 of key + message) so that it is tested
without ``cryptography``; the last tests run the real Ed25519 wrappers of the server
(``server.signing.verify_clip``) and the client (``app.clips.verify_clip``) on the same files: they
must reach the same verdict.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from common.evidence import (
    Finding,
    TrustedKey,
    Verdict,
    Verification,
    canonical_json,
    sha256_file,
    verify_clip,
)

KEY = TrustedKey("k1", b"key-one")
OTHER = TrustedKey("k2", b"key-two")


def stand_in_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    if public_key == b"unusable":
        raise ValueError("not a key")
    return hmac.compare_digest(signature, hashlib.sha256(public_key + message).digest())


def write_pair(tmp_path: Path, content: bytes = b"\x00mp4 bytes" * 1000, *,
               key: TrustedKey = KEY, body: Any = None, key_id: str | None = None
               ) -> tuple[Path, Path]:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(content)
    if body is None:
        body = {"camera": "CAM-01 Quảng trường", "sha256": hashlib.sha256(content).hexdigest()}
    signature = hashlib.sha256(key.public_key + canonical_json(body).encode("utf-8")).digest()
    manifest = tmp_path / "clip.manifest.json"
    manifest.write_text(json.dumps({"manifest": body, "signature": {
        "algorithm": "Ed25519", "key_id": key.key_id if key_id is None else key_id,
        "value": base64.b64encode(signature).decode("ascii")}}, ensure_ascii=False),
        encoding="utf-8")
    return clip, manifest


def check(clip: Path, manifest: Path, keys: list[TrustedKey] | None = None) -> Any:
    return verify_clip(clip, manifest, [KEY] if keys is None else keys, stand_in_verify)


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": [1, {"d": None, "c": "Đồng Hới"}]}) == \
        '{"a":[1,{"c":"Đồng Hới","d":null}],"b":1}'


def test_sha256_file_reads_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10_000 + b"y")
    assert sha256_file(path, chunk=4096) == hashlib.sha256(b"x" * 10_000 + b"y").hexdigest()


def test_intact(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path)
    found = check(clip, manifest)
    assert (found.finding, found.verdict) == (Finding.INTACT, Verdict.INTACT)
    assert found.sha256 == sha256_file(clip) == found.expected_sha256
    assert found.signed_by == found.claimed_key_id == "k1"
    assert found.manifest is not None and found.manifest["camera"] == "CAM-01 Quảng trường"


def test_a_changed_clip_is_altered(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path)
    clip.write_bytes(clip.read_bytes()[:-1] + b"!")
    found = check(clip, manifest)
    assert (found.finding, found.verdict) == (Finding.HASH_MISMATCH, Verdict.ALTERED)
    assert found.sha256 == sha256_file(clip) != found.expected_sha256
    clip.unlink()
    found = check(clip, manifest)
    assert (found.finding, found.verdict) == (Finding.CLIP_UNREADABLE, Verdict.ALTERED)
    assert isinstance(found.error, FileNotFoundError) and found.sha256 is None


def test_a_changed_manifest_is_signature_invalid(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path)
    document = json.loads(manifest.read_text(encoding="utf-8"))
    document["manifest"]["camera"] = "another"
    manifest.write_text(json.dumps(document), encoding="utf-8")
    found = check(clip, manifest)
    assert (found.finding, found.verdict) == (Finding.SIGNATURE_MISMATCH, Verdict.SIGNATURE_INVALID)
    assert found.manifest is None  # nothing of an unsigned body is handed on


def test_only_trusted_keys_sign(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path, key=TrustedKey("k1", b"someone else's key"))
    assert check(clip, manifest).finding is Finding.SIGNATURE_MISMATCH
    assert check(clip, manifest, []).finding is Finding.SIGNATURE_MISMATCH


def test_key_id_picks_the_key_but_every_key_is_tried(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path, key=OTHER, key_id="unknown")
    found = check(clip, manifest, [KEY, OTHER])
    assert (found.finding, found.signed_by, found.claimed_key_id) == (Finding.INTACT, "k2",
                                                                       "unknown")
    clip, manifest = write_pair(tmp_path, key=OTHER, key_id="k1")  # names the wrong key
    assert check(clip, manifest, [KEY, OTHER]).finding is Finding.SIGNATURE_MISMATCH


def test_an_unusable_key_is_reported_and_skipped(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path, key_id="")
    found = check(clip, manifest, [TrustedKey("broken", b"unusable"), KEY])
    assert found.finding is Finding.INTACT and found.signed_by == "k1"
    assert [(key_id, str(exc)) for key_id, exc in found.unusable_keys] == [("broken", "not a key")]


@pytest.mark.parametrize("text", ["not json", "[]", '{"manifest": {}}',
                                  '{"manifest": {}, "signature": {}}',
                                  '{"manifest": {}, "signature": {"value": "@@not base64"}}',
                                  '{"manifest": {}, "signature": "x"}'])
def test_a_malformed_manifest_is_signature_invalid(tmp_path: Path, text: str) -> None:
    clip, manifest = write_pair(tmp_path)
    manifest.write_text(text, encoding="utf-8")
    found = check(clip, manifest)
    assert (found.finding, found.verdict) == (Finding.MANIFEST_MALFORMED, Verdict.SIGNATURE_INVALID)
    assert isinstance(found.error, ValueError | KeyError | TypeError)


def test_an_unreadable_manifest_is_signature_invalid(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path)
    manifest.unlink()
    found = check(clip, manifest)
    assert (found.finding, found.verdict) == (Finding.MANIFEST_UNREADABLE,
                                              Verdict.SIGNATURE_INVALID)
    assert isinstance(found.error, FileNotFoundError)


def test_the_unsigned_algorithm_label_is_not_trusted_either_way(tmp_path: Path) -> None:
    """Only the signature counts (the server's rule, now the client's too): a manifest whose
    unsigned ``algorithm`` label was edited is still intact when the signature holds."""
    clip, manifest = write_pair(tmp_path)
    document = json.loads(manifest.read_text(encoding="utf-8"))
    document["signature"]["algorithm"] = "RSA"
    manifest.write_text(json.dumps(document), encoding="utf-8")
    assert check(clip, manifest).finding is Finding.INTACT


def test_a_signed_body_that_is_not_an_object_is_altered(tmp_path: Path) -> None:
    clip, manifest = write_pair(tmp_path, body=["not", "an", "object"])
    found = check(clip, manifest)
    assert (found.finding, found.manifest, found.expected_sha256) == (Finding.HASH_MISMATCH,
                                                                      None, None)


def test_verification_says_intact_only_for_intact() -> None:
    assert Verification(Verdict.INTACT, "ok").intact
    assert not Verification(Verdict.ALTERED, "altered: …").intact
    assert [int(v) for v in Verdict] == [0, 1, 2]  # python -m server clip verify's exit codes


# -- the two sides' wrappers, with real Ed25519 --------------------------------------------------

def test_server_and_client_reach_the_same_verdicts(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.clips import SigningKey
    from app.clips import verify_clip as client_verify
    from server.signing import key_id, public_key_pem, sign_manifest
    from server.signing import verify_clip as server_verify

    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    published = [SigningKey(key_id(public), "Ed25519", public_key_pem(public))]
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom" * 500)
    body = {"format": "iocwall-clip-manifest/1", "sha256": sha256_file(clip), "purpose": "Sự cố"}
    manifest = tmp_path / "clip.manifest.json"

    def both(document: dict[str, Any], clip_path: Path = clip) -> tuple[Verification, ...]:
        manifest.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return server_verify(clip_path, manifest, [public]), client_verify(clip_path, manifest,
                                                                         published)

    signed = sign_manifest(body, private)
    server, client = both(signed)
    assert server.verdict is client.verdict is Verdict.INTACT, (server.message, client.message)
    assert client.sha256 == body["sha256"] and client.manifest == body
    assert server.message.startswith("intact:") and client.message.startswith("intact:")

    forged = json.loads(json.dumps(signed))
    forged["manifest"]["purpose"] = "Khác"
    assert {v.verdict for v in both(forged)} == {Verdict.SIGNATURE_INVALID}

    altered = tmp_path / "altered.mp4"
    altered.write_bytes(clip.read_bytes() + b"!")
    assert {v.verdict for v in both(signed, altered)} == {Verdict.ALTERED}
    assert {v.verdict for v in both(signed, tmp_path / "missing.mp4")} == {Verdict.ALTERED}

    relabelled = json.loads(json.dumps(signed))
    relabelled["signature"]["algorithm"] = "RSA"
    assert {v.verdict for v in both(relabelled)} == {Verdict.INTACT}
