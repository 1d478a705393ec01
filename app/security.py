"""Keeping secrets out of what the client prints.

The regulation (Art. 5) forbids leaking stream paths' credentials: every URL that is logged or shown
goes through :func:`mask_url`, and free text (crash reports) through :func:`scrub`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/@\s]+)@")
_SECRET_ASSIGNMENT = re.compile(
    r"(?P<key>password|passwd|pwd|token|access_token|secret|authorization)"
    r"(?P<sep>['\"]?\s*[:=]\s*['\"]?|\s+)(?P<value>(?:bearer\s+)?[^\s'\",)}]+)",
    re.IGNORECASE,
)


def mask_url(url: str | None) -> str:
    """Return ``url`` with any user/password replaced by ``***`` (scheme, host, path kept)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _URL_CREDENTIALS.sub(r"\g<scheme>***@", url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def scrub(text: str) -> str:
    """Mask credentials in URLs and ``password=...``/``token: ...`` pairs inside free text."""
    text = _URL_CREDENTIALS.sub(r"\g<scheme>***@", text)
    return _SECRET_ASSIGNMENT.sub(r"\g<key>\g<sep>***", text)
