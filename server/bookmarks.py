"""Bookmarks: a moment on a camera with a window, a note and tags.

Creating one needs ``bookmark`` on the camera. Reading follows the unit: a unit sees its own
unit's bookmarks; the operating unit and city police see every bookmark in their scope. Either
way only bookmarks on cameras the reader may view now. A bookmark's window is an evidence lock on
the recording (``server.recorder.apply_retention``). Creation is audited.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import records
from common.evidence import canonical_json
from common.records import BookmarkFilter, UserRef
from server import audit
from server import permissions as perm
from server.models import Bookmark, Camera, User
from server.schemas import BookmarkCreate
from server.services import VisibleCamera, visible_cameras

SEE_ALL_IN_SCOPE = frozenset({perm.UnitKind.OPERATING_UNIT, perm.UnitKind.CITY_POLICE})


def user_ref(user: User) -> UserRef:
    return UserRef(id=user.id, username=user.username, full_name=user.full_name,
                         unit=user.unit.name)


def bookmark_public(bookmark: Bookmark) -> records.Bookmark:
    camera = bookmark.camera
    return records.Bookmark(
        id=bookmark.id, camera_id=camera.id, camera_name=camera.name, ward_id=camera.ward_id,
        ward=camera.ward.name, at=bookmark.at,
        before_s=round((bookmark.at - bookmark.window_start).total_seconds()),
        after_s=round((bookmark.window_end - bookmark.at).total_seconds()),
        window_start=bookmark.window_start, window_end=bookmark.window_end, note=bookmark.note,
        tags=tuple(json.loads(bookmark.tags)), author=user_ref(bookmark.author),
        created_at=bookmark.created_at)


def create_bookmark(session: Session, user: User, item: VisibleCamera, body: BookmarkCreate,
                    now: datetime) -> Bookmark:
    at = body.at or now
    tags = sorted({tag for tag in body.tags})
    bookmark = Bookmark(camera_id=item.camera.id, author_id=user.id, unit_id=user.unit_id,
                        at=at, window_start=at - timedelta(seconds=body.before_s),
                        window_end=at + timedelta(seconds=body.after_s), note=body.note,
                        tags=canonical_json(tags), created_at=now)
    session.add(bookmark)
    session.flush()
    audit.append(session, "bookmark_create", now=now, user_id=user.id, username=user.username,
                 camera_id=item.camera.id,
                 detail={"bookmark_id": bookmark.id, "at": at.isoformat(),
                         "before_s": body.before_s, "after_s": body.after_s, "tags": tags})
    return bookmark


def list_bookmarks(session: Session, user: User, now: datetime,
                   where: BookmarkFilter) -> tuple[int, list[Bookmark]]:
    """(total, page) of the bookmarks the user may read, newest first."""
    viewable = [v.camera.id for v in visible_cameras(session, user, now)
                if perm.Action.VIEW in v.actions]
    query = select(Bookmark).join(Camera, Bookmark.camera_id == Camera.id).where(
        Bookmark.camera_id.in_(viewable))
    if perm.UnitKind(user.unit.kind) not in SEE_ALL_IN_SCOPE:
        query = query.where(Bookmark.unit_id == user.unit_id)
    if where.camera_id is not None:
        query = query.where(Bookmark.camera_id == where.camera_id)
    if where.ward_id is not None:
        query = query.where(Camera.ward_id == where.ward_id)
    if where.since is not None:
        query = query.where(Bookmark.at >= where.since)
    if where.until is not None:
        query = query.where(Bookmark.at < where.until)
    if where.tag:
        # tags are a canonical JSON list: the quoted element, exactly. replace() is a plain,
        # case-sensitive substring test on every database (LIKE has wildcards, and ignores
        # ASCII case on SQLite).
        quoted = json.dumps(where.tag, ensure_ascii=False)
        query = query.where(func.replace(Bookmark.tags, quoted, "") != Bookmark.tags)
    if where.author:
        query = query.where(Bookmark.author.has(User.username == where.author))
    if where.text:
        # "%" and "_" in the text are plain characters (autoescape); lower() folds Vietnamese
        # letters on SQLite too (server.db)
        needle = where.text.lower()
        query = query.where(func.lower(Bookmark.note).contains(needle, autoescape=True)
                            | func.lower(Bookmark.tags).contains(needle, autoescape=True))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(Bookmark.at.desc(), Bookmark.id.desc())
                           .limit(where.limit).offset(where.offset)).unique().scalars().all()
    return total, list(rows)
