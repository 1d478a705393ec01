"""Secrets handling for the backend: password hashes, bearer tokens, credentials at rest.

Art. 5 of the regulation forbids leaking account credentials or stream configuration, so what
the backend keeps of a camera's access (address, user name) is encrypted (Fernet, key outside
the database), its passwords only sealed to its gateway (``server.gateways``), tokens are stored
only as hashes (a copied database cannot be replayed), and every URL that is logged goes
through ``common.urls.mask_url``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import stat
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken

from server.config import Settings

log = logging.getLogger("iocwall.server.security")


class Passwords:
    """argon2id hashing; the cost comes from settings so tests can make it cheap."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost,
            parallelism=settings.argon2_parallelism,
        )
        # Verified against when the user does not exist, so a wrong username costs as much time
        # as a wrong password and does not reveal which accounts exist.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            matched = self._hasher.verify(password_hash or self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return matched and password_hash is not None


def new_token() -> str:
    """A bearer token for the client; only its hash is stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SecretBox:
    """Encrypts camera addresses and user names (not passwords: those are sealed to the
    gateway) and gateway control secrets at rest, with a key that is not in the database."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        if settings.secret_key is not None:
            return cls(settings.secret_key.get_secret_value().encode("ascii"))
        return cls(load_or_create_key_file(settings.secret_key_file))

    def encrypt(self, plaintext: str | None) -> str | None:
        if plaintext is None:
            return None
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str | None) -> str | None:
        if ciphertext is None:
            return None
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            # The key file was replaced or the column tampered with: a hard configuration error.
            raise SecretKeyMismatch(
                "a stored camera credential cannot be decrypted with the configured key"
            ) from exc


class SecretKeyMismatch(RuntimeError):
    """The configured key does not decrypt what the database holds."""


def load_or_create_key_file(path: Path) -> bytes:
    """Read the Fernet key file, creating it owner-only (0600) on first use."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if os.name == "posix" and mode & 0o077:
            log.warning("Secret key file %s is readable by others (mode %o)", path, mode)
        return path.read_bytes().strip()
    key = Fernet.generate_key()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    log.info("Created secret key file %s", path)
    return key
