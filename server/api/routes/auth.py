import logging
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy import select

from server import audit, login_guard, sessions
from server.admin import Refused, check_password
from server.api.errors import ApiError, documented
from server.deps import AuthDep, NowDep, RuntimeDep, SessionDep
from server.models import AuthToken, User
from server.schemas import LoginCreate, PasswordChange, TokenPublic
from server.security import new_token, token_hash
from server.services import me_public

log = logging.getLogger("iocwall.api")
router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", responses=documented(401, 422, 429))
def login(body: LoginCreate, request: Request, session: SessionDep, runtime: RuntimeDep,
          now: NowDep) -> TokenPublic:
    """Password login. Known and unknown user names get the same answers: 401 for a wrong
    name or password, 429 with ``Retry-After`` while the name (after 5 failures in a row, for
    a growing time) or the client address (too many failures) must wait."""
    settings = runtime.settings
    address = login_guard.client_address(request.client.host if request.client else None,
                                         request.headers.get("x-forwarded-for"),
                                         settings.trusted_proxies)
    limiter = runtime.login_addresses
    if limiter is None:
        limiter = runtime.login_addresses = login_guard.AddressLimiter(
            settings.login_address_limit)
    address_wait = limiter.blocked_until(address, now)
    if address_wait is not None:
        audit.append(session, "login_refused", now=now, username=body.username,
                     detail={"reason": "address", "address": address})
        session.commit()
        raise _wait(address_wait, now, "Too many failed logins from this address")
    claim = login_guard.claim_try(session, body.username, now, settings)
    if not isinstance(claim, login_guard.Claim):
        audit.append(session, "login_refused", now=now, username=body.username,
                     detail={"reason": "user name waits", "address": address})
        session.commit()
        raise _wait(claim, now, "Too many failed logins for this user name")
    found = session.execute(
        select(User).where(User.username == body.username)
    ).scalar_one_or_none()
    user = found if found is not None and found.is_active else None
    # an unknown or inactive name costs the same check as a known one
    right = runtime.passwords.verify(user.password_hash if user else None, body.password)
    if user is None or not right:
        limiter.failed(address, now)
        user_id = user.id if user else None
        audit.append(session, "login_failed", now=now, username=body.username, user_id=user_id,
                     detail={"reason": "wrong password" if user else "unknown or inactive user",
                             "failures": claim.failures, "address": address})
        if claim.failures == settings.login_free_attempts:
            # the administrators read it in the audit log (and the warning in the server log)
            audit.append(session, "login_throttled", now=now, username=body.username,
                         user_id=user_id,
                         detail={"failures": claim.failures, "address": address})
            log.warning("Login for %r throttled after %d failures (last from %s)",
                        body.username, claim.failures, address)
        session.commit()
        raise _wrong_credentials()
    login_guard.succeeded(session, body.username)
    token = new_token()
    expires_at = now + settings.token_ttl
    session.add(AuthToken(user_id=user.id, token_hash=token_hash(token), created_at=now,
                          expires_at=expires_at))
    session.flush()
    ended = sessions.keep_newest(session, user, now, settings.max_sessions_per_user)
    audit.append(session, "login", now=now, user_id=user.id, username=user.username,
                 detail={"expires_at": expires_at.isoformat(), "address": address,
                         **({"ended_oldest_sessions": ended} if ended else {})})
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


def _wait(until: datetime, now: datetime, why: str) -> ApiError:
    seconds = login_guard.retry_after(until, now)
    return ApiError(status.HTTP_429_TOO_MANY_REQUESTS, f"{why}; try again in {seconds} s",
                    context={"retry_after": seconds}, headers={"Retry-After": str(seconds)})


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, auth: AuthDep, session: SessionDep, runtime: RuntimeDep,
                    now: NowDep) -> Response:
    """Change one's own password (the current one first; the site's policy: at least 10
    characters, not a common password); every session ends, this one too. The one way out of
    ``must_change_password``."""
    user = auth.user
    if not runtime.passwords.verify(user.password_hash, body.current_password):
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT, "current_password: wrong password",
                       code="validation_error", field="current_password")
    if body.new_password == body.current_password:
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT,
                       "new_password: must differ from the current one",
                       code="validation_error", field="new_password")
    try:
        check_password(session, body.new_password, user.username, field="new_password")
    except Refused as err:
        raise ApiError(err.status, f"new_password: {err.message}", code="validation_error",
                       field="new_password") from err
    user.must_change_password = False
    sessions.set_password_hash(session, user, runtime.passwords.hash(body.new_password), now,
                               user)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
