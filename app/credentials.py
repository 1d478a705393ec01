"""The remembered session token, kept only in the OS keyring ("remember me").

The password is never stored anywhere; the token expires with the shift (12 h) and is deleted on
logout. With no usable keyring (the null backend in tests, a headless box) nothing is remembered.
"""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("iocwall.credentials")

SERVICE = "iocwall"


def _key(server_url: str, username: str) -> str:
    return f"{server_url.rstrip('/')}|{username}"


class TokenStore:
    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def save(self, server_url: str, username: str, token: str) -> bool:
        try:
            keyring.set_password(self.service, _key(server_url, username), token)
        except KeyringError as exc:
            log.warning("cannot remember the session for %s: %s", username, type(exc).__name__)
            return False
        return True

    def load(self, server_url: str, username: str) -> str | None:
        try:
            return keyring.get_password(self.service, _key(server_url, username))
        except KeyringError as exc:
            log.warning("cannot read the keyring for %s: %s", username, type(exc).__name__)
            return None

    def forget(self, server_url: str, username: str) -> None:
        try:
            keyring.delete_password(self.service, _key(server_url, username))
        except KeyringError:
            # PasswordDeleteError (nothing stored) is a KeyringError: forgetting is idempotent.
            log.debug("no remembered session for %s", username)
