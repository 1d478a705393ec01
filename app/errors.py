"""Errors of the backend client, in a module of their own.

Widgets map these to readable, translated text; they must not import ``app.backend`` (which pulls in
``requests``), so the exception types live here with no dependency at all.

Every answer the server refuses carries one envelope (``server/api/errors.py``):
``{code, message, field, errors, context}``. :func:`error_for` turns a status and that envelope
into the one type a caller can catch; the fields stay on the exception (``code``, ``status``,
``context``) for callers that need more than the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class BackendError(Exception):
    """Base of every failure talking to the backend. Messages never carry secrets.

    ``code`` is the server's machine-readable reason (``not_found``, ``conflict``, ``ptz_taken``…)
    when it answered, ``status`` its HTTP status, ``context`` the extra facts of a refusal."""

    def __init__(self, message: str = "", *, code: str | None = None, status: int | None = None,
                 context: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.context: dict[str, Any] = dict(context or {})


class BackendUnreachable(BackendError):
    """No answer: connection refused, DNS, timeout."""


class Unavailable(BackendUnreachable):
    """The server, or a proxy in front of it, answered 502, 503 or 504: it is there but cannot
    serve now. A kind of :class:`BackendUnreachable`: try again later."""


class AuthFailed(BackendError):
    """Wrong user name or password (401 at login), or the session token is no longer valid."""


class SessionExpired(AuthFailed):
    """An authenticated call got 401: the token expired or was revoked."""


class LoginThrottled(BackendError):
    """429 at login: too many failed logins for this user name or from this address; the
    server says how many seconds to wait."""

    def __init__(self, message: str, retry_after: int | None = None, **facts: Any) -> None:
        super().__init__(message, **facts)
        self.retry_after = retry_after


class ClientTooOld(BackendError):
    """426: this client's API level is below what the server serves; it must be updated. Live
    video already playing keeps playing (the gateway's sessions do not ask)."""


class Forbidden(BackendError):
    """403: the user may not do this. ``reason`` is the server's sentence saying why (None when it
    gave none); ``code`` its machine-readable reason."""

    def __init__(self, message: str, reason: str | None = None, **facts: Any) -> None:
        super().__init__(message, **facts)
        self.reason = reason


class NotFound(BackendError):
    """404: missing, or out of the user's scope (the backend does not tell them apart)."""


class Conflict(BackendError):
    """409: the request clashes with the server's state: a taken name, a stale version (reload
    and retry), a step already done or not yet possible."""


class ValidationFailed(BackendError):
    """422: the backend rejected a field of the request. ``field`` names the first field at fault
    (``start``, ``camera_ids.2``), ``errors`` every ``(field, message)`` the server listed."""

    def __init__(self, message: str, field: str | None = None,
                 errors: tuple[tuple[str, str], ...] = (), **facts: Any) -> None:
        super().__init__(message, **facts)
        self.field = field
        self.errors = errors


UNAVAILABLE_STATUSES = frozenset({502, 503, 504})


def error_for(status: int, envelope: Mapping[str, Any], *, authenticated: bool,
              retry_after: int | None = None) -> BackendError:
    """The typed error of an answer ``status`` ≥ 400 with the server's error ``envelope`` (an
    empty mapping when the body was not one). ``authenticated``: the request carried a session
    token (a 401 then means the session ended, not a wrong password)."""
    text = envelope.get("message")
    text = text if isinstance(text, str) and text else None
    code = envelope.get("code")
    context = envelope.get("context")
    facts: dict[str, Any] = {"code": code if isinstance(code, str) else None, "status": status,
                             "context": context if isinstance(context, dict) else None}
    if status == 401:
        if authenticated:
            return SessionExpired(text or "the session has expired; log in again", **facts)
        return AuthFailed(text or "wrong user name or password", **facts)
    if status == 429 and not authenticated:
        return LoginThrottled(text or "too many failed logins", retry_after, **facts)
    if status == 426 and code == "client_too_old":
        return ClientTooOld(text or "this client is too old for the server", **facts)
    if status == 403:
        return Forbidden(text or "not allowed", text, **facts)
    if status == 404:
        return NotFound(text or "not found", **facts)
    if status == 409:
        return Conflict(text or "the request conflicts with the server's state", **facts)
    if status == 422:
        field = envelope.get("field")
        listed = envelope.get("errors")
        errors = tuple((str(e.get("field", "")), str(e.get("message", "")))
                       for e in (listed if isinstance(listed, list) else ())
                       if isinstance(e, dict))
        return ValidationFailed(text or "invalid request",
                                field if isinstance(field, str) and field else None, errors,
                                **facts)
    if status in UNAVAILABLE_STATUSES:
        return Unavailable(f"the server is unavailable ({status})" + (f": {text}" if text else ""),
                           **facts)
    if status >= 500:
        # the backend's 500s for clips carry a readable message (e.g. a stored clip off its hash)
        return BackendError(f"server error {status}" + (f": {text}" if text else ""), **facts)
    return BackendError(text or f"unexpected answer {status}", **facts)


# -- TLS (app/trust.py) ------------------------------------------------------------------------

class UntrustedCertificate(BackendUnreachable):
    """The server (or its gateway) presented a certificate that is not from the CA pinned for
    it: possibly someone in the middle. Nothing was sent."""


class NotTheSiteCa(BackendError):
    """At first contact the server offered a CA that did not issue its own certificate, or
    something that is not a CA certificate."""


@dataclass(frozen=True)
class FirstContact:
    """What a server offers the first time: its CA (PEM) and that CA's fingerprint."""

    server_url: str
    pem: bytes
    fingerprint: str


class ServerNotTrusted(BackendError):
    """An ``https://`` server with no CA pinned for it yet: ``contact`` is what it offers, for
    the operator to compare before :meth:`TrustStore.pin`."""

    def __init__(self, contact: FirstContact) -> None:
        super().__init__(f"the certificate authority of {contact.server_url} is not trusted yet")
        self.contact = contact
