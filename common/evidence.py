"""Evidence checks both sides run: the canonical JSON that the audit chain hashes and clip
manifests are signed over, a file's SHA-256, and the check of a clip against its signed manifest.

The check is written once and run by the server (``python -m server clip verify``) and by the
client after every download, each with the signature primitive of its own crypto library
(Ed25519 needs ``cryptography``, which this package may not import): ``verify_clip`` takes a
``verify_signature(public_key, message, signature) -> bool`` and the trusted keys as bytes in the
form that function reads. It returns what it found (:class:`ClipCheck`); each side words it —
the client translates, the server prints English.

Order of the check: the manifest's Ed25519 signature over the canonical JSON of its ``manifest``
object first (a changed manifest is "signature invalid"), then the clip's SHA-256 against the
signed one (a changed clip is "altered"). The ``signature.algorithm`` and ``key_id`` fields are
not signed: ``key_id`` only picks which trusted key to try first.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

MANIFEST_FORMAT = "iocwall-clip-manifest/1"


def canonical_json(value: Any) -> str:
    """The text that is hashed and signed: sorted keys, no spaces, UTF-8 (not ASCII-escaped)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class Verdict(IntEnum):
    """The three outcomes of a clip check; also ``python -m server clip verify``'s exit codes."""

    INTACT = 0
    ALTERED = 1
    SIGNATURE_INVALID = 2


class Finding(StrEnum):
    """What exactly a clip check found; :attr:`verdict` is the outcome it amounts to."""

    INTACT = "intact"
    MANIFEST_UNREADABLE = "manifest_unreadable"  # the manifest file could not be read (OSError)
    MANIFEST_MALFORMED = "manifest_malformed"  # not JSON, a field missing, signature not base64
    SIGNATURE_MISMATCH = "signature_mismatch"  # no trusted key verifies it over the body
    CLIP_UNREADABLE = "clip_unreadable"  # the clip could not be read (OSError)
    HASH_MISMATCH = "hash_mismatch"  # the clip's SHA-256 is not the signed one

    @property
    def verdict(self) -> Verdict:
        if self is Finding.INTACT:
            return Verdict.INTACT
        if self in (Finding.CLIP_UNREADABLE, Finding.HASH_MISMATCH):
            return Verdict.ALTERED
        return Verdict.SIGNATURE_INVALID


@dataclass(frozen=True)
class TrustedKey:
    """A public key the reader trusts, as bytes its ``verify_signature`` reads (PEM, raw…)."""

    key_id: str
    public_key: bytes


VerifySignature = Callable[[bytes, bytes, bytes], bool]
"""``(public_key, message, signature) -> True`` when the signature is valid; ValueError when
the key itself is unusable (the check goes on with the next key)."""


@dataclass(frozen=True)
class ClipCheck:
    """What :func:`verify_clip` found, with what each side needs to word it.

    ``error``: the exception behind an unreadable or malformed file. ``manifest``: the signed
    body (once the signature holds; only trust it when intact). ``sha256``: the clip's hash (once
    it was read whole), ``expected_sha256`` the signed one. ``claimed_key_id``: the manifest's
    (unsigned) key id; ``signed_by``: the trusted key that verified it. ``unusable_keys``: keys
    ``verify_signature`` refused to load, with its ValueError.
    """

    finding: Finding
    error: Exception | None = None
    manifest: dict[str, Any] | None = None
    sha256: str | None = None
    expected_sha256: Any = None
    claimed_key_id: Any = None
    signed_by: str | None = None
    unusable_keys: tuple[tuple[str, ValueError], ...] = ()

    @property
    def verdict(self) -> Verdict:
        return self.finding.verdict


@dataclass(frozen=True)
class Verification:
    """A clip check as a side reports it: the verdict and its sentence, in its own words."""

    verdict: Verdict
    message: str
    sha256: str | None = None
    manifest: dict[str, Any] | None = None  # the manifest body (only trust it when INTACT)

    @property
    def intact(self) -> bool:
        return self.verdict is Verdict.INTACT


def verify_clip(clip: Path, manifest_file: Path, keys: Sequence[TrustedKey],
                verify_signature: VerifySignature) -> ClipCheck:
    """Check ``manifest_file``'s signature against ``keys`` (the one its ``key_id`` names first,
    else every key), then ``clip``'s SHA-256 against the signed one. Blocking (hashes the file)."""
    try:
        document = json.loads(Path(manifest_file).read_text(encoding="utf-8"))
        body = document["manifest"]
        signature_block = document["signature"]
        signature = base64.b64decode(signature_block["value"], validate=True)
        claimed = signature_block.get("key_id")
    except OSError as exc:
        return ClipCheck(Finding.MANIFEST_UNREADABLE, error=exc)
    except (ValueError, KeyError, TypeError) as exc:
        return ClipCheck(Finding.MANIFEST_MALFORMED, error=exc)
    payload = canonical_json(body).encode("utf-8")
    signed_by = None
    unusable: list[tuple[str, ValueError]] = []
    for key in [k for k in keys if k.key_id == claimed] or list(keys):
        try:
            valid = verify_signature(key.public_key, payload, signature)
        except ValueError as exc:
            unusable.append((key.key_id, exc))
            continue
        if valid:
            signed_by = key.key_id
            break
    if signed_by is None:
        return ClipCheck(Finding.SIGNATURE_MISMATCH, claimed_key_id=claimed,
                         unusable_keys=tuple(unusable))
    manifest = body if isinstance(body, dict) else None
    expected = manifest.get("sha256") if manifest is not None else None
    signed = ClipCheck(Finding.INTACT, manifest=manifest, expected_sha256=expected,
                       claimed_key_id=claimed, signed_by=signed_by, unusable_keys=tuple(unusable))
    try:
        actual = sha256_file(Path(clip))
    except OSError as exc:
        return replace(signed, finding=Finding.CLIP_UNREADABLE, error=exc)
    if actual != expected:
        return replace(signed, finding=Finding.HASH_MISMATCH, sha256=actual)
    return replace(signed, sha256=actual)
