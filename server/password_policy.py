"""The one password policy of the site's accounts: at least ``MIN_LENGTH`` characters and not a
commonly used password (``server/data/common-passwords.txt``).

The demo keeps its documented password ``demo`` through ``demo_site``: the caller passes the
site row's flag, which only the demo seed sets (``server.site``) — no API can switch it on.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

MIN_LENGTH = 10
DEMO_PASSWORD = "demo"


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("server").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, username: str | None = None,
                     demo_site: bool = False) -> str | None:
    """Why ``password`` may not be used, as a sentence for the field's error; None when it may."""
    if demo_site and password == DEMO_PASSWORD:
        return None
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters long"
    if not password.strip():
        return "must not be blank"
    folded = password.lower()
    if folded in common_passwords():
        return "is a commonly used password; choose another"
    if username and username.lower() in folded:
        return "must not contain the user name"
    return None
