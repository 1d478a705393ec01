"""Login, "remember me" and logout: the glue between the backend client, the token store in the
keyring and the settings file. Blocking — call through :mod:`app.ops`.

The password goes to the server and nowhere else; "remember me" keeps only the session token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from app.backend import BackendClient, normalize_server_url
from app.credentials import TokenStore
from app.domain import Camera, Session
from app.errors import AuthFailed, BackendError, FirstContact, ServerNotTrusted
from app.settings import SettingsStore
from app.trust import TrustStore, first_contact

log = logging.getLogger("iocwall.auth")


class AuthService:
    def __init__(self, settings: SettingsStore, tokens: TokenStore,
                 client_factory: Callable[[str], BackendClient] = BackendClient,
                 trust: TrustStore | None = None) -> None:
        self._settings = settings
        self._tokens = tokens
        self._client_factory = client_factory
        self.trust_store = trust or TrustStore(settings.path.parent)
        self.client: BackendClient | None = None

    def _client_for(self, server_url: str) -> BackendClient:
        url = normalize_server_url(server_url)
        if self.client is None or self.client.server_url != url:
            if self.client is not None:
                self.client.close()
            self.client = self._client_factory(url)
        self.client.trust(self.trust_store.ca_file(url))
        return self.client

    def site_ca_file(self) -> Path | None:
        """The CA pinned for the server of the current session: its gateways' too."""
        return self.client.ca_file if self.client is not None else None

    def trust(self, contact: FirstContact) -> None:
        """The operator compared the fingerprint and accepted: pin the CA for that server."""
        self.trust_store.pin(normalize_server_url(contact.server_url), contact.pem)

    def login(self, server_url: str, username: str, password: str, remember: bool) -> Session:
        """Raises :class:`~app.errors.ServerNotTrusted` (with what the server offers) for an
        ``https://`` server met for the first time: nothing else is sent to it until the
        operator accepts its CA (:meth:`trust`)."""
        client = self._client_for(server_url)
        if client.server_url.startswith("https://") and client.ca_file is None:
            raise ServerNotTrusted(first_contact(client.server_url))
        session = client.login(username.strip(), password)
        settings = self._settings.load()
        settings.server_url = client.server_url
        settings.last_user = session.user.username
        settings.remember_me = remember
        self._settings.save(settings)
        if remember:
            self._tokens.save(client.server_url, session.user.username, session.access_token)
        else:
            self._tokens.forget(client.server_url, session.user.username)
        return session

    def resume(self, server_url: str, username: str) -> Session | None:
        """Log in again with the remembered token, or None when there is none or it expired."""
        client = self._client_for(server_url)
        token = self._tokens.load(client.server_url, username)
        if not token:
            return None
        try:
            return client.resume(token)
        except AuthFailed:
            self._tokens.forget(client.server_url, username)
            return None

    def change_password(self, server_url: str, current_password: str, new_password: str,
                        remember: bool) -> Session:
        """Change the logged-in user's own password (the way out of ``must_change_password``).
        The server ends every session of the account, this one too: log in again with the new
        password and answer that session."""
        client = self._client_for(server_url)
        if client.session is None:
            raise BackendError("not logged in")
        username = client.session.user.username
        client.change_password(current_password, new_password)
        return self.login(server_url, username, new_password, remember)

    def cameras(self) -> list[Camera]:
        if self.client is None:
            raise BackendError("not logged in")
        return self.client.cameras()

    def audit_event(self, event: str, camera_id: int, detail: str | None = None) -> None:
        if self.client is None:
            raise BackendError("not logged in")
        self.client.audit_event(event, camera_id, detail)

    def logout(self) -> None:
        client = self.client
        if client is None or client.session is None:
            return
        username = client.session.user.username
        self._tokens.forget(client.server_url, username)
        try:
            client.logout()
        except BackendError as exc:
            # The token is dropped locally either way; the server's copy expires with the shift.
            log.warning("logout of %s not confirmed by the server: %s", username, exc)
