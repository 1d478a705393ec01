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
