"""Errors of the backend client, in a module of their own.

Widgets map these to readable, translated text; they must not import ``app.backend`` (which pulls in
``requests``), so the exception types live here with no dependency at all.
"""

from __future__ import annotations


class BackendError(Exception):
    """Base of every failure talking to the backend. Messages never carry secrets."""


class BackendUnreachable(BackendError):
    """No answer: connection refused, DNS, timeout."""


class AuthFailed(BackendError):
    """Wrong user name or password (401 at login), or the session token is no longer valid."""


class SessionExpired(AuthFailed):
    """An authenticated call got 401: the token expired or was revoked."""


class LoginThrottled(BackendError):
    """429 at login: too many failed logins for this user name or from this address; the
    server says how many seconds to wait."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(BackendError):
    """403: the user may not do this."""


class NotFound(BackendError):
    """404: missing, or out of the user's scope (the backend does not tell them apart)."""


class ValidationFailed(BackendError):
    """422: the backend rejected a field of the request."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
