"""The server's evidence signature: its Ed25519 key (``<data dir>/clip-signing.key``, mode 0600;
the public key at ``GET /api/v1/keys``), signing a manifest as canonical JSON, and checking a clip
against its signed manifest: the signature first (a changed manifest fails as "signature
invalid"), then the MP4's SHA-256 (a changed MP4 fails as "altered")."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import stat
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from common import evidence
from common.evidence import Finding, TrustedKey, Verdict, Verification, canonical_json

log = logging.getLogger("iocwall.clips")

VIETNAM = timezone(timedelta(hours=7), "UTC+07:00")


def vn_iso(value: datetime) -> str:
    """A time as ISO-8601 in UTC+7 (the city's time), as the manifest shows it."""
    return value.astimezone(VIETNAM).isoformat(timespec="milliseconds")


# -- signing key ------------------------------------------------------------------------------

def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """The server's Ed25519 key (PEM, PKCS#8), created owner-only (0600) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fd = -1
    if fd < 0:
        mode = stat.S_IMODE(path.stat().st_mode)
        if os.name == "posix" and mode & 0o077:
            log.warning("Clip signing key %s is readable by others (mode %o)", path, mode)
        existing = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(existing, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return existing
    key = Ed25519PrivateKey.generate()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    log.info("Created clip signing key %s", path)
    return key


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM (or the private key file, whose public half is taken)."""
    if b"PRIVATE KEY" in data:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return private.public_key()
    public = serialization.load_pem_public_key(data)
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return public


def sign_manifest(body: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    signature = key.sign(canonical_json(body).encode("utf-8"))
    return {"manifest": body,
            "signature": {"algorithm": "Ed25519", "key_id": key_id(key.public_key()),
                          "value": base64.b64encode(signature).decode("ascii")}}


# -- verification -----------------------------------------------------------------------------

def _ed25519_valid(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def verify_clip(clip: Path, manifest_file: Path,
                public_keys: Sequence[Ed25519PublicKey]) -> Verification:
    """The shared check (``common.evidence``) against this server's keys (the current one and
    the retired ones: the manifest's key id picks which, one without tries them all), worded
    for ``python -m server clip verify``."""
    trusted = [TrustedKey(key_id(k), k.public_bytes(serialization.Encoding.Raw,
                                                    serialization.PublicFormat.Raw))
               for k in public_keys]
    found = evidence.verify_clip(clip, manifest_file, trusted, _ed25519_valid)
    if found.finding in (Finding.MANIFEST_UNREADABLE, Finding.MANIFEST_MALFORMED):
        return Verification(Verdict.SIGNATURE_INVALID, "signature invalid: unreadable manifest "
                            f"({type(found.error).__name__})")
    if found.finding is Finding.SIGNATURE_MISMATCH:
        return Verification(Verdict.SIGNATURE_INVALID,
                            "signature invalid: the manifest was changed or not signed by any "
                            "of this server's keys")
    if found.finding is Finding.CLIP_UNREADABLE:
        return Verification(Verdict.ALTERED, "altered: cannot read the clip "
                            f"({getattr(found.error, 'strerror', None)})")
    if found.finding is Finding.HASH_MISMATCH:
        return Verification(Verdict.ALTERED,
                            f"altered: SHA-256 of the clip is {found.sha256}, the signed manifest "
                            f"says {found.expected_sha256}")
    return Verification(Verdict.INTACT,
                        f"intact: SHA-256 {found.sha256} matches the manifest signed by key "
                        f"{found.claimed_key_id}")


# -- extraction -------------------------------------------------------------------------------

