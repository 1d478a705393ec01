"""A user's login sessions (bearer tokens): how many may live at once, and ending them all when
the account is deactivated or its password changes, so that an old token never comes back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server import audit
from server.models import AuthToken, User


def live(session: Session, user: User, now: datetime) -> list[AuthToken]:
    """The user's sessions that still work, newest first."""
    return list(session.execute(
        select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None),
                                AuthToken.expires_at > now)
        .order_by(AuthToken.created_at.desc(), AuthToken.id.desc())).scalars())


def end(session: Session, user: User, now: datetime, token_ids: list[int] | None = None) -> int:
    """End the user's live sessions (only ``token_ids`` if given); returns how many ended."""
    query = (update(AuthToken)
             .where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None),
                    AuthToken.expires_at > now)
             .values(revoked_at=now))
    if token_ids is not None:
        query = query.where(AuthToken.id.in_(token_ids))
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def keep_newest(session: Session, user: User, now: datetime, limit: int) -> int:
    """After a login: end the oldest sessions beyond ``limit``."""
    surplus = [token.id for token in live(session, user, now)[limit:]]
    return end(session, user, now, surplus) if surplus else 0


def deactivate(session: Session, user: User, now: datetime, by: User) -> int:
    """The account stops at once: every session ends (re-activating brings none back)."""
    user.is_active = False
    ended = end(session, user, now)
    audit.append(session, "user_deactivate", now=now, user_id=by.id, username=by.username,
                 detail={"user_id": user.id, "username": user.username, "sessions_ended": ended})
    return ended


def activate(session: Session, user: User, now: datetime, by: User) -> None:
    user.is_active = True
    audit.append(session, "user_activate", now=now, user_id=by.id, username=by.username,
                 detail={"user_id": user.id, "username": user.username})


def set_password_hash(session: Session, user: User, password_hash: str, now: datetime,
                      by: User) -> int:
    """A new password ends every session of the account, the changing one's too."""
    user.password_hash = password_hash
    ended = end(session, user, now)
    audit.append(session, "password_change", now=now, user_id=by.id, username=by.username,
                 detail={"user_id": user.id, "username": user.username, "sessions_ended": ended})
    return ended
