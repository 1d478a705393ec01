"""The Ed25519 keys the backend signs with, and the public halves of the ones it signed with.

Two keys rotate this way (``python -m server rotate-keys``, :mod:`server.key_rotation`): the
evidence key (``clip-signing.key``: a signed clip must verify for as long as the evidence is
kept, so every public key that ever signed stays published) and the stream-token key
(``stream-token.key``: the old public key stays trusted by the gateways until every token it
signed has expired). Beside each key file, a ring (``<key>.ring.json``, public keys only)
lists the retired keys with their key id (the fingerprint ``server.signing.key_id``) and the
time each was in use; the current key is the file itself, in use since the rotation that made
it (``valid_from`` of the ring's last entry's successor).

:class:`KeyOnFile` lets a running backend sign with the key the file holds now: a rotation made
by the command, in another process, takes effect at the next signature without a restart
(which would cut the embedded gateway's viewers).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from common.files import write_atomically
from server.signing import key_id, load_or_create_signing_key, load_public_key, public_key_pem

log = logging.getLogger("iocwall.server.keys")


def ring_file(key_file: Path) -> Path:
    return key_file.with_name(key_file.name.removesuffix(".key") + ".ring.json")


@dataclass(frozen=True)
class RingKey:
    """One public key of a ring: ``valid_until`` None for the current key; for a retired
    evidence key, when it stopped signing; for a retired token key, when the last token it
    signed expires (it is trusted until then)."""

    key_id: str
    public_key_pem: str
    valid_from: datetime | None
    valid_until: datetime | None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return load_public_key(self.public_key_pem.encode("ascii"))

    def to_json(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "public_key_pem": self.public_key_pem,
                "valid_from": _iso(self.valid_from), "valid_until": _iso(self.valid_until)}

    @classmethod
    def from_json(cls, data: Any) -> RingKey:
        if not isinstance(data, dict):
            raise ValueError("a ring entry is not an object")
        public = load_public_key(str(data["public_key_pem"]).encode("ascii"))
        if key_id(public) != data["key_id"]:
            raise ValueError(f"ring entry {data['key_id']}: key id is not its fingerprint")
        return cls(str(data["key_id"]), str(data["public_key_pem"]),
                   _time(data.get("valid_from")), _time(data.get("valid_until")))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def retired_keys(key_file: Path) -> list[RingKey]:
    """The ring's retired keys, oldest first (none before the first rotation)."""
    path = ring_file(key_file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return [RingKey.from_json(entry) for entry in data.get("retired", [])]


def current_since(key_file: Path) -> datetime | None:
    """When the current key was made by a rotation (None: the site's first key)."""
    retired = retired_keys(key_file)
    return retired[-1].valid_until if retired else None


def all_keys(key_file: Path) -> list[RingKey]:
    """Every key: the current one (the file's) first, then the retired ones, newest first.
    OSError when the key file is missing (never made here: a reader is no signer)."""
    current = load_public_key(key_file.read_bytes())
    return [RingKey(key_id(current), public_key_pem(current), current_since(key_file), None),
            *reversed(retired_keys(key_file))]


def rotate(key_file: Path, now: datetime, trusted_until: datetime | None = None,
           new_key: Ed25519PrivateKey | None = None) -> tuple[RingKey, RingKey]:
    """A new key in ``key_file``; the old public key joins the ring, valid until
    ``trusted_until`` (default ``now``). The ring is written first: a crash between the two
    writes leaves the old key current and listed twice, never a key that signed unlisted.
    The old private key is gone once the new file replaces it. (retired, new)."""
    old = load_or_create_signing_key(key_file).public_key()
    retired = RingKey(key_id(old), public_key_pem(old), current_since(key_file),
                      trusted_until or now)
    new_key = new_key or Ed25519PrivateKey.generate()
    ring = [k for k in retired_keys(key_file) if k.key_id != retired.key_id] + [retired]
    write_atomically(ring_file(key_file),
                     json.dumps({"retired": [k.to_json() for k in ring]}, indent=1,
                                ensure_ascii=False).encode("utf-8"), mode=0o600)
    write_atomically(key_file, new_key.private_bytes(serialization.Encoding.PEM,
                                                     serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()), mode=0o600)
    public = new_key.public_key()
    return retired, RingKey(key_id(public), public_key_pem(public), now, None)


class KeyOnFile(Ed25519PrivateKey):
    """The private key ``path`` holds now, read again when the file is replaced (a
    rotation by ``python -m server rotate-keys`` while the backend runs)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._key = load_or_create_signing_key(path)
        self._stamp = self._stat()

    def _stat(self) -> tuple[int, int, int]:
        st = os.stat(self._path)
        return st.st_ino, st.st_mtime_ns, st.st_size

    def current(self) -> Ed25519PrivateKey:
        with self._lock:
            try:
                stamp = self._stat()
            except FileNotFoundError:
                return self._key  # mid-replacement, or removed: sign on with what was read
            if stamp != self._stamp:
                self._key = load_or_create_signing_key(self._path)
                self._stamp = stamp
                log.info("signing with the new key in %s (key %s)", self._path,
                         key_id(self._key.public_key()))
            return self._key

    def public_key(self) -> Ed25519PublicKey:
        return self.current().public_key()

    def sign(self, data: bytes | bytearray | memoryview) -> bytes:
        return self.current().sign(data)

    def private_bytes(self, encoding: serialization.Encoding,
                      format: serialization.PrivateFormat,  # noqa: A002 - the base's name
                      encryption_algorithm: serialization.KeySerializationEncryption) -> bytes:
        return self.current().private_bytes(encoding, format, encryption_algorithm)

    def private_bytes_raw(self) -> bytes:
        return self.current().private_bytes_raw()

    def __copy__(self) -> Ed25519PrivateKey:
        return self.current()

    def __deepcopy__(self, memo: dict[int, object]) -> Ed25519PrivateKey:
        return self.current()
