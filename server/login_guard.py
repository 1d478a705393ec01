"""Protection of the login against guessing, without a lock an outsider can use against a user.

- **Per user name**: every attempt first claims a try in one atomic ``UPDATE`` (row-locked on
  PostgreSQL, database-locked on SQLite), *before* the password is checked. After
  ``login_free_attempts`` failures in a row the name waits ``login_first_delay`` before its
  next try, then twice as long after each further failure, at most ``login_max_delay``: so N
  parallel wrong passwords get exactly the free attempts checked, and a guesser gets a few
  tries an hour, while the real user waits minutes at worst, never a fixed 15-minute lock.
  Unknown names are counted the same way, so no answer tells whether an account exists.
- **Per client address**: failed logins from one address in a sliding 15 minutes, refused past
  a configurable limit (off with 0; a command room behind one NAT shares an address). The
  address is the connection's peer, or the last hop of ``X-Forwarded-For`` that is not one of
  the configured reverse proxies — a client's own header is never believed.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.config import Settings
from server.models import LoginThrottle

ADDRESS_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Claim:
    """A try was granted: ``failures`` counts it already (a success resets it)."""

    failures: int


def delay_after(failures: int, settings: Settings) -> timedelta:
    """How long a name waits after ``failures`` failures in a row."""
    extra = failures - settings.login_free_attempts
    if extra < 0:
        return timedelta(0)
    first = settings.login_first_delay.total_seconds()
    seconds = first * (2 ** min(extra, 30))
    return min(timedelta(seconds=seconds), settings.login_max_delay)


def claim_try(session: Session, username: str, now: datetime,
              settings: Settings) -> Claim | datetime:
    """Count one more try for ``username`` unless it must wait; the claim is committed before
    the password is checked. Returns the claim, or when the name may try again."""
    key = username.strip().lower()[:150]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    session.execute(insert(LoginThrottle).values(username=key, failures=0, blocked_until=None)
                    .on_conflict_do_nothing(index_elements=["username"]))
    claimed = session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == key,
               or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= now))
        .values(failures=LoginThrottle.failures + 1)
        .returning(LoginThrottle.failures)
    ).scalar_one_or_none()
    if claimed is not None:
        wait = delay_after(claimed, settings)
        if wait:  # this try, if it fails too, makes the next one wait
            session.execute(update(LoginThrottle).where(LoginThrottle.username == key)
                            .values(blocked_until=now + wait))
        session.commit()
        return Claim(claimed)
    blocked = session.execute(select(LoginThrottle.blocked_until)
                              .where(LoginThrottle.username == key)).scalar_one()
    session.commit()
    return blocked or now


def succeeded(session: Session, username: str) -> None:
    """The right password: the name starts again with its free attempts."""
    session.execute(update(LoginThrottle)
                    .where(LoginThrottle.username == username.strip().lower()[:150])
                    .values(failures=0, blocked_until=None))


def retry_after(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


class AddressLimiter:
    """Failed logins per client address in a sliding window (this process's memory: one
    backend serves a site; a restart forgets, the per-name counts are in the database)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._failures.setdefault(address, deque())
        while times and times[0] <= now - ADDRESS_WINDOW:
            times.popleft()
        return times

    def blocked_until(self, address: str, now: datetime) -> datetime | None:
        if self.limit <= 0:
            return None
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.limit:
                return None
            return times[0] + ADDRESS_WINDOW

    def failed(self, address: str, now: datetime) -> None:
        if self.limit <= 0:
            return
        with self._lock:
            self._recent(address, now).append(now)
            if len(self._failures) > 100_000:  # forget addresses quiet for a window
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted_proxies: tuple[str, ...]) -> str:
    """The client's address: the peer, or — only when the peer is a trusted reverse proxy —
    the last address in ``X-Forwarded-For`` that is not one of the trusted proxies."""
    address = peer or "unknown"
    if address not in trusted_proxies or not forwarded_for:
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if hop not in trusted_proxies:
            return hop
    return address
