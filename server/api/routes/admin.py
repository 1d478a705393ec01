"""``/admin``: the operating unit's administrators (Art. 10) — wards, units, accounts and their
sessions. The rules are :mod:`server.admin`'s; these routes read the request, call it, commit,
and tell the gateways what ended."""

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server import admin as services
from server import audit, sessions
from server.api.errors import ApiError, documented
from server.api.params import Id
from server.deps import AdminUser, NowDep, RuntimeDep, SessionDep
from server.models import AuthToken, Unit, User, Ward
from server.schemas import (
    PasswordReset,
    SessionPublic,
    UnitAdminPublic,
    UnitCreate,
    UnitPublic,
    UnitUpdate,
    UserAdminPublic,
    UserCreate,
    UserUpdate,
    WardAdminPublic,
    WardCreate,
    WardPublic,
    WardUpdate,
)

router = APIRouter(prefix="/admin", tags=["admin"], responses=documented(404, 409, 422))


@contextmanager
def refusals(session: Session) -> Iterator[None]:
    """A :class:`server.admin.Refused` becomes the API's error naming the field, and nothing
    of the request stays written."""
    try:
        yield
    except services.Refused as err:
        session.rollback()
        raise ApiError(err.status, f"{err.field}: {err.message}" if err.field else err.message,
                       code=err.code, field=err.field) from err
    except IntegrityError as err:  # two administrators took the same name at once
        session.rollback()
        raise ApiError(status.HTTP_409_CONFLICT, "a record with the same name or id was "
                       "written meanwhile; nothing was saved", code="changed_meanwhile") from err


def _ward(ward: Ward) -> WardAdminPublic:
    return WardAdminPublic(id=ward.id, name=ward.name, is_active=ward.is_active)


def _unit_public(unit: Unit) -> UnitPublic:
    return UnitPublic(id=unit.id, name=unit.name, kind=unit.kind,
                      ward=WardPublic(id=unit.ward.id, name=unit.ward.name) if unit.ward
                      else None)


def _unit(unit: Unit, users: int) -> UnitAdminPublic:
    public = _unit_public(unit)
    return UnitAdminPublic(id=unit.id, name=unit.name, kind=unit.kind, ward=public.ward,
                           is_active=unit.is_active, users=users)


def _user(user: User, live_sessions: int) -> UserAdminPublic:
    return UserAdminPublic(id=user.id, username=user.username, full_name=user.full_name,
                           role=user.role, unit=_unit_public(user.unit),
                           is_active=user.is_active,
                           must_change_password=user.must_change_password,
                           sessions=live_sessions)


def _cut_streams(runtime: RuntimeDep, user_ids: list[int]) -> None:
    """What these users may see changed: their streams end, the client opens them again under
    the new rights (a camera now out of scope does not come back)."""
    if runtime.gateways is not None:
        for user_id in user_ids:
            runtime.gateways.revoke_user(user_id)


# -- wards --------------------------------------------------------------------------------------

@router.get("/wards")
def list_wards(session: SessionDep, admin: AdminUser) -> list[WardAdminPublic]:
    return [_ward(w) for w in services.list_wards(session)]


@router.post("/wards", status_code=status.HTTP_201_CREATED)
def create_ward(body: WardCreate, session: SessionDep, admin: AdminUser,
                now: NowDep) -> WardAdminPublic:
    with refusals(session):
        ward = services.create_ward(session, services.Actor.of(admin), now, body.name)
    session.commit()
    return _ward(ward)


@router.patch("/wards/{ward_id}")
def update_ward(ward_id: Id, body: WardUpdate, session: SessionDep, admin: AdminUser,
                now: NowDep) -> WardAdminPublic:
    """Rename, deactivate (once it has no active unit or camera) or reactivate a ward."""
    with refusals(session):
        ward = services.update_ward(session, services.Actor.of(admin), now, ward_id,
                                    name=body.name, is_active=body.is_active)
    session.commit()
    return _ward(ward)


# -- units --------------------------------------------------------------------------------------

@router.get("/units")
def list_units(session: SessionDep, admin: AdminUser) -> list[UnitAdminPublic]:
    return [_unit(unit, users) for unit, users in services.list_units(session)]


@router.post("/units", status_code=status.HTTP_201_CREATED)
def create_unit(body: UnitCreate, session: SessionDep, admin: AdminUser,
                now: NowDep) -> UnitAdminPublic:
    """A unit of one of the regulation's kinds; its users see what the kind and ward give."""
    with refusals(session):
        unit = services.create_unit(session, services.Actor.of(admin), now, name=body.name,
                                    kind=body.kind, ward_id=body.ward_id)
    session.commit()
    return _unit(unit, 0)


@router.patch("/units/{unit_id}")
def update_unit(unit_id: Id, body: UnitUpdate, session: SessionDep, admin: AdminUser,
                now: NowDep, runtime: RuntimeDep) -> UnitAdminPublic:
    """Rename, re-classify, move to another ward, deactivate (once it has no active account)
    or reactivate; its users' rights follow at once."""
    kwargs = {"ward_id": body.ward_id} if "ward_id" in body.model_fields_set else {}
    with refusals(session):
        before = session.get(Unit, unit_id)
        was = (before.kind, before.ward_id) if before is not None else None
        unit = services.update_unit(session, services.Actor.of(admin), now, unit_id,
                                    name=body.name, kind=body.kind, is_active=body.is_active,
                                    **kwargs)
    users = services.list_units(session)
    count = next((n for u, n in users if u.id == unit.id), 0)
    moved = [] if was == (unit.kind, unit.ward_id) else [
        *session.execute(select(User.id).where(User.unit_id == unit.id)).scalars()]
    session.commit()
    _cut_streams(runtime, moved)
    return _unit(unit, count)


# -- users --------------------------------------------------------------------------------------

@router.get("/users")
def list_users(session: SessionDep, admin: AdminUser, now: NowDep) -> list[UserAdminPublic]:
    """Every account, by user name, with its unit, role, state and live sessions."""
    return [_user(user, n) for user, n in services.list_users(session, now)]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser, now: NowDep,
                runtime: RuntimeDep) -> UserAdminPublic:
    """A new account with a first password its owner must change at the first login."""
    with refusals(session):
        user = services.create_user(session, runtime.passwords, services.Actor.of(admin), now,
                                    username=body.username, full_name=body.full_name,
                                    unit_id=body.unit_id, role=body.role,
                                    password=body.password)
    session.commit()
    return _user(user, 0)


@router.patch("/users/{user_id}")
def update_user(user_id: Id, body: UserUpdate, session: SessionDep, admin: AdminUser,
                now: NowDep, runtime: RuntimeDep) -> UserAdminPublic:
    """Change an account's full name, unit or role (never its rights one by one: they follow
    from the unit and role)."""
    with refusals(session):
        user, rights_changed = services.update_user(
            session, services.Actor.of(admin), now, user_id, full_name=body.full_name,
            unit_id=body.unit_id, role=body.role)
    live = len(sessions.live(session, user, now))
    session.commit()
    _cut_streams(runtime, [user.id] if rights_changed else [])
    return _user(user, live)


@router.post("/users/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT)
def reset_password(user_id: Id, body: PasswordReset, session: SessionDep, admin: AdminUser,
                   now: NowDep, runtime: RuntimeDep) -> Response:
    """Set a new password for a forgotten one: every session of the account ends and its
    owner must choose their own at the next login."""
    with refusals(session):
        services.reset_password(session, runtime.passwords, services.Actor.of(admin), now,
                                user_id, body.password)
    session.commit()
    _cut_streams(runtime, [user_id])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _target(session: SessionDep, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user


@router.get("/users/{user_id}/sessions")
def list_sessions(user_id: Id, session: SessionDep, admin: AdminUser,
                  now: NowDep) -> list[SessionPublic]:
    """The user's live sessions, newest first."""
    user = _target(session, user_id)
    return [SessionPublic(id=t.id, created_at=t.created_at, expires_at=t.expires_at)
            for t in sessions.live(session, user, now)]


@router.delete("/users/{user_id}/sessions", status_code=status.HTTP_204_NO_CONTENT)
def end_sessions(user_id: Id, session: SessionDep, admin: AdminUser, now: NowDep) -> Response:
    """End every session of the user (they must log in again)."""
    user = _target(session, user_id)
    ended = sessions.end(session, user, now)
    audit.append(session, "sessions_end", now=now, user_id=admin.id, username=admin.username,
                 detail={"user_id": user.id, "username": user.username, "ended": ended})
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/users/{user_id}/sessions/{session_id}",
               status_code=status.HTTP_204_NO_CONTENT)
def end_session(user_id: Id, session_id: Id, session: SessionDep, admin: AdminUser,
                now: NowDep) -> Response:
    user = _target(session, user_id)
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
    with refusals(session):
        services.deactivate_user(session, services.Actor.of(admin), now, user_id)
    session.commit()
    _cut_streams(runtime, [user_id])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/users/{user_id}/activate", status_code=status.HTTP_204_NO_CONTENT)
def activate(user_id: Id, session: SessionDep, admin: AdminUser, now: NowDep) -> Response:
    with refusals(session):
        services.activate_user(session, services.Actor.of(admin), now, user_id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
