"""Bookmarks: create at a moment on a camera; list what the user's unit may read."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from common.records import BOOKMARK_PAGE, MAX_BOOKMARK_PAGE, Bookmark, BookmarkFilter
from server import bookmarks as service
from server import permissions as perm
from server.api.params import IdQuery, Offset, OptionalMoment
from server.deps import CurrentUser, NowDep, SessionDep, camera_not_found
from server.schemas import BookmarkCreate
from server.services import visible_camera

router = APIRouter(prefix="/bookmarks", tags=["bookmarks"])


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_bookmark(body: BookmarkCreate, session: SessionDep, user: CurrentUser,
                    now: NowDep) -> Bookmark:
    """Needs ``bookmark`` on the camera; without it the camera is "not found" (404)."""
    item = visible_camera(session, user, body.camera_id, now)
    if item is None or perm.Action.BOOKMARK not in item.actions:
        raise camera_not_found()
    if body.at is not None and body.at.tzinfo is None:
        body = body.model_copy(update={"at": body.at.replace(tzinfo=UTC)})
    bookmark = service.create_bookmark(session, user, item, body, now)
    session.commit()
    return service.bookmark_public(bookmark)


@router.get("")
def list_bookmarks(
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    response: Response,
    camera_id: IdQuery = None,
    ward_id: IdQuery = None,
    since: Annotated[OptionalMoment, Query(description="bookmarks at or after")] = None,
    until: Annotated[OptionalMoment, Query(description="bookmarks before")] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    author: Annotated[str | None, Query(max_length=150, description="username")] = None,
    q: Annotated[str | None, Query(max_length=200, description="text in note or tags")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_BOOKMARK_PAGE)] = BOOKMARK_PAGE,
    offset: Offset = 0,
) -> list[Bookmark]:
    """Newest first; the total matching count is in ``X-Total-Count``."""
    where = BookmarkFilter(camera_id=camera_id, ward_id=ward_id, since=_aware(since),
                           until=_aware(until), tag=tag, author=author, text=q, limit=limit,
                           offset=offset)
    total, rows = service.list_bookmarks(session, user, now, where)
    response.headers["X-Total-Count"] = str(total)
    return [service.bookmark_public(b) for b in rows]


