"""Credentials kept out of every URL that is logged or shown (regulation Art. 5).

Stream URLs carry the camera's RTSP user and password in their authority (user, a colon, the
password, an at sign, then the host); whatever prints one — a log line, a dialog, a crash
report — prints :func:`mask_url` of it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/@\s]+)@")


def mask_url(url: str | None) -> str:
    """The URL with any user info replaced by ``***`` (scheme, host and port as written, path,
    query kept) — safe to log or show. A URL too broken to parse is masked as text."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return mask_urls_in(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def mask_urls_in(text: str) -> str:
    """Every ``scheme://userinfo@`` inside free text becomes ``scheme://***@``."""
    return _URL_CREDENTIALS.sub(r"\g<scheme>***@", text)


_RTSP_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$")


def rtsp_url_problem(url: str) -> str | None:
    """Why ``url`` is not a camera stream address an administrator may enter, or None.

    ``rtsp://host[:port]/path`` (or ``rtsps://``) and never credentials: the user name goes in
    its own field and the password is sealed to the gateway, so none may sit in the URL where
    every log line and answer would carry it. The client checks the same before sending."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL (rtsp://host:port/path)"
    if parts.scheme.lower() not in ("rtsp", "rtsps"):
        return "must start with rtsp:// (or rtsps://)"
    if "@" in parts.netloc:
        return ("must not contain a user name or password (user:pass@): enter them in the "
                "username and password fields")
    host = parts.hostname or ""
    if not host or not _RTSP_HOST.match(parts.netloc.rsplit(":", 1)[0] if port is not None
                                        and not parts.netloc.endswith("]") else parts.netloc):
        return "must name the camera's host (rtsp://host:port/path)"
    if port is not None and not 1 <= port <= 65535:
        return "port must be between 1 and 65535"
    return None
