"""Keeping secrets out of what the client prints.

The regulation (Art. 5) forbids leaking stream paths' credentials: every URL that is logged or shown
goes through :func:`mask_url`, and free text (crash reports) through :func:`scrub`.
"""

from __future__ import annotations

import re

from common.urls import mask_url, mask_urls_in

__all__ = ["mask_url", "scrub"]  # mask_url: common's, also importable from here

_SECRET_ASSIGNMENT = re.compile(
    r"(?P<key>password|passwd|pwd|token|access_token|secret|authorization)"
    r"(?P<sep>['\"]?\s*[:=]\s*['\"]?|\s+)(?P<value>(?:bearer\s+)?[^\s'\",)}]+)",
    re.IGNORECASE,
)


def scrub(text: str) -> str:
    """Mask credentials in URLs and ``password=...``/``token: ...`` pairs inside free text."""
    text = mask_urls_in(text)
    return _SECRET_ASSIGNMENT.sub(r"\g<key>\g<sep>***", text)
