"""Saved wall layouts: the user's own and those shared with the user's unit."""

import logging

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from server import layouts as service
from server.api.params import Id
from server.deps import CurrentUser, NowDep, SessionDep
from server.models import Layout, User
from server.schemas import LayoutCreate, LayoutPublic, LayoutUpdate

log = logging.getLogger("iocwall.api")
router = APIRouter(prefix="/layouts", tags=["layouts"])


def _not_found() -> HTTPException:
    return HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Layout not found")


def _invalid(exc: service.LayoutInvalid) -> RequestValidationError:
    return RequestValidationError([
        {"type": "value_error", "loc": ("body", *loc), "msg": message, "input": None}
        for loc, message in exc.errors
    ])


def _conflict(message: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=message)


def _owned(session: Session, user: User, layout_id: Id) -> Layout:
    try:
        layout = service.owned_layout(session, user, layout_id)
    except service.LayoutReadOnly as exc:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc)) from None
    if layout is None:
        raise _not_found()
    return layout


@router.get("")
def list_layouts(session: SessionDep, user: CurrentUser, now: NowDep) -> list[LayoutPublic]:
    """Own layouts and those shared with the user's unit, by name."""
    return service.layouts_public(session, user, service.readable_layouts(session, user), now)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_layout(body: LayoutCreate, session: SessionDep, user: CurrentUser,
                  now: NowDep) -> LayoutPublic:
    try:
        layout = service.create_layout(session, user, body, now)
        session.commit()
    except service.LayoutInvalid as exc:
        raise _invalid(exc) from None
    except service.LayoutConflict as exc:
        raise _conflict(str(exc)) from None
    except IntegrityError:
        session.rollback()
        raise _conflict(f"name: you already have a layout named {body.name!r}") from None
    log.info("Layout %d %r created by %s", layout.id, layout.name, user.username)
    return service.layouts_public(session, user, [layout], now)[0]


@router.get("/{layout_id}")
def read_layout(layout_id: Id, session: SessionDep, user: CurrentUser,
                now: NowDep) -> LayoutPublic:
    layout = service.readable_layout(session, user, layout_id)
    if layout is None:
        raise _not_found()
    return service.layouts_public(session, user, [layout], now)[0]


@router.put("/{layout_id}")
def update_layout(layout_id: Id, body: LayoutUpdate, session: SessionDep, user: CurrentUser,
                  now: NowDep) -> LayoutPublic:
    """Change a layout the user owns; a stale ``version`` answers 409 (reload and retry)."""
    layout = _owned(session, user, layout_id)
    try:
        service.update_layout(session, user, layout, body, now)
        session.commit()
    except service.LayoutInvalid as exc:
        raise _invalid(exc) from None
    except service.LayoutConflict as exc:
        session.rollback()
        raise _conflict(str(exc)) from None
    except StaleDataError:
        session.rollback()
        raise _conflict("version: the layout was changed by another request meanwhile; "
                        "reload it and try again") from None
    except IntegrityError:
        session.rollback()
        raise _conflict(f"name: you already have a layout named {body.name!r}") from None
    return service.layouts_public(session, user, [layout], now)[0]


@router.delete("/{layout_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_layout(layout_id: Id, session: SessionDep, user: CurrentUser,
                  now: NowDep) -> Response:
    layout = _owned(session, user, layout_id)
    service.delete_layout(session, user, layout, now)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
