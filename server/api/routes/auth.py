import logging

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import select

from server import audit
from server.deps import AuthDep, NowDep, RuntimeDep, SessionDep
from server.models import AuthToken, User
from server.schemas import LoginCreate, TokenPublic
from server.security import new_token, token_hash
from server.services import me_public

log = logging.getLogger("iocwall.api")
router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login")
def login(body: LoginCreate, session: SessionDep, runtime: RuntimeDep,
          now: NowDep) -> TokenPublic:
    """Password login. Five wrong passwords in a row lock the account for 15 minutes (423)."""
    settings = runtime.settings
    user = session.execute(
        select(User).where(User.username == body.username)
    ).scalar_one_or_none()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        runtime.passwords.verify(None, body.password)  # same cost as any other attempt
        audit.append(session, "login_locked", now=now, user_id=user.id, username=user.username)
        session.commit()
        raise _locked(user, now)
    if user is None or not user.is_active:
        runtime.passwords.verify(None, body.password)
        audit.append(session, "login_failed", now=now, username=body.username,
                     detail={"reason": "unknown or inactive user"})
        session.commit()
        log.info("Failed login for unknown or inactive user")
        raise _wrong_credentials()
    if not runtime.passwords.verify(user.password_hash, body.password):
        if user.locked_until is not None and user.locked_until <= now:
            user.failed_login_count = 0  # the previous lock has run out: start counting again
            user.locked_until = None
        user.failed_login_count += 1
        detail: dict[str, object] = {"reason": "wrong password",
                                     "failures": user.failed_login_count}
        locked = user.failed_login_count >= settings.lockout_threshold
        if locked:
            user.locked_until = now + settings.lockout_duration
            user.failed_login_count = 0
            detail["locked_until"] = user.locked_until.isoformat()
        audit.append(session, "login_failed", now=now, user_id=user.id, username=user.username,
                     detail=detail)
        session.commit()
        log.info("Failed login for %s (%s)", user.username, "locked" if locked else "wrong password")
        if locked:
            raise _locked(user, now)
        raise _wrong_credentials()
    token = new_token()
    expires_at = now + settings.token_ttl
    user.failed_login_count = 0
    user.locked_until = None
    session.add(AuthToken(user_id=user.id, token_hash=token_hash(token), created_at=now,
                          expires_at=expires_at))
    audit.append(session, "login", now=now, user_id=user.id, username=user.username,
                 detail={"expires_at": expires_at.isoformat()})
    session.commit()
    log.info("Login %s", user.username)
    return TokenPublic(access_token=token, expires_at=expires_at,
                       user=me_public(session, user, now))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(auth: AuthDep, session: SessionDep, now: NowDep) -> Response:
    """Revoke this token server-side: it stops working at once."""
    auth.token.revoked_at = now
    session.add(auth.token)
    audit.append(session, "logout", now=now, user_id=auth.user.id, username=auth.user.username)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _wrong_credentials() -> HTTPException:
    return HTTPException(status_code=status.HTTP_401_UNAUTHORIZED,
                         detail="Wrong username or password")


def _locked(user: User, now: object) -> HTTPException:
    until = user.locked_until.isoformat() if user.locked_until else ""
    return HTTPException(
        status_code=status.HTTP_423_LOCKED,
        detail=f"Account locked after repeated failed logins; try again after {until}",
    )
