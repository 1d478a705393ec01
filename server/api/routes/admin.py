"""``/admin``: the operating unit's administrators (Art. 10) — accounts and their sessions."""

from fastapi import APIRouter, HTTPException, Response, status

from server import audit, sessions
from server.api.params import Id
from server.deps import AdminUser, NowDep, RuntimeDep, SessionDep
from server.models import AuthToken, User
from server.schemas import SessionPublic

router = APIRouter(prefix="/admin", tags=["admin"])


def _user(session: SessionDep, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user


@router.get("/users/{user_id}/sessions")
def list_sessions(user_id: Id, session: SessionDep, admin: AdminUser,
                  now: NowDep) -> list[SessionPublic]:
    """The user's live sessions, newest first."""
    user = _user(session, user_id)
    return [SessionPublic(id=t.id, created_at=t.created_at, expires_at=t.expires_at)
            for t in sessions.live(session, user, now)]


@router.delete("/users/{user_id}/sessions", status_code=status.HTTP_204_NO_CONTENT)
def end_sessions(user_id: Id, session: SessionDep, admin: AdminUser, now: NowDep) -> Response:
    """End every session of the user (they must log in again)."""
    user = _user(session, user_id)
    ended = sessions.end(session, user, now)
    audit.append(session, "sessions_end", now=now, user_id=admin.id, username=admin.username,
                 detail={"user_id": user.id, "username": user.username, "ended": ended})
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/users/{user_id}/sessions/{session_id}",
               status_code=status.HTTP_204_NO_CONTENT)
def end_session(user_id: Id, session_id: Id, session: SessionDep, admin: AdminUser,
                now: NowDep) -> Response:
    user = _user(session, user_id)
    token = session.get(AuthToken, session_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None \
            or token.expires_at <= now:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Session not found")
    sessions.end(session, user, now, [token.id])
    audit.append(session, "sessions_end", now=now, user_id=admin.id, username=admin.username,
                 detail={"user_id": user.id, "username": user.username, "ended": 1,
                         "session_id": token.id})
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/users/{user_id}/deactivate", status_code=status.HTTP_204_NO_CONTENT)
def deactivate(user_id: Id, session: SessionDep, admin: AdminUser, now: NowDep,
               runtime: RuntimeDep) -> Response:
    """The account stops at once: its sessions end and stay ended if it is activated again,
    and so do its live camera streams at the media gateways."""
    user = _user(session, user_id)
    if user.id == admin.id:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT,
                            detail="An administrator cannot deactivate their own account")
    sessions.deactivate(session, user, now, admin)
    session.commit()
    if runtime.gateways is not None:
        runtime.gateways.revoke_user(user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/users/{user_id}/activate", status_code=status.HTTP_204_NO_CONTENT)
def activate(user_id: Id, session: SessionDep, admin: AdminUser, now: NowDep) -> Response:
    user = _user(session, user_id)
    sessions.activate(session, user, now, admin)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
