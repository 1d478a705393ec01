"""Bookmarks: a moment on a camera with a window, a note and tags.

The service creates a bookmark at "now" (key B on a tile, or a button) with the default window of
30 s before and 30 s after, and lists them with the backend's filters. Every backend call goes off
the GUI thread through :mod:`app.ops`; results come back as signals.

Signals (BookmarkService):
    created(Bookmark): a bookmark was stored by the backend.
    listed(list, int): ``(bookmarks, total)`` of the last :meth:`BookmarkService.refresh`.
    failed(str): a readable error of the last create or refresh (also posted to the bridge).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.errors import BackendError
from app.messages import MessageBridge
from app.ops import Ops
from common.records import Bookmark, BookmarkFilter, MalformedRecord, aware, from_json
from common.records import parse_time as parse_time

# Bookmark, BookmarkFilter, parse_time: common.records' (the server answers with the same
# records); the widgets and the other services import them from here

log = logging.getLogger("iocwall.bookmarks")

VIETNAM = timezone(timedelta(hours=7), "UTC+07:00")
DEFAULT_BEFORE_S = 30
DEFAULT_AFTER_S = 30
MAX_WINDOW_S = 3600
MAX_TAGS = 16


@dataclass(frozen=True)
class BookmarkDraft:
    """A bookmark about to be created: the moment is taken when the user asks, not when the
    dialog closes."""

    camera_id: int
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    before_s: int = DEFAULT_BEFORE_S
    after_s: int = DEFAULT_AFTER_S
    note: str = ""
    tags: tuple[str, ...] = ()

    def body(self) -> dict[str, Any]:
        return {"camera_id": int(self.camera_id), "at": aware(self.at).isoformat(),
                "before_s": int(self.before_s), "after_s": int(self.after_s),
                "note": self.note, "tags": list(self.tags)}


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed as ``a, b; c`` → ``("a", "b", "c")`` (trimmed, no duplicates, order kept)."""
    seen: dict[str, None] = {}
    for part in text.replace(";", ",").split(","):
        tag = part.strip()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def vn_time(value: datetime) -> datetime:
    """A time in the city's zone (UTC+7), as every panel shows it."""
    return aware(value).astimezone(VIETNAM)


def vn_text(value: datetime | None, *, seconds: bool = True) -> str:
    if value is None:
        return ""
    return vn_time(value).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def parse_bookmark(data: Any) -> Bookmark:
    try:
        return from_json(Bookmark, data)
    except MalformedRecord as exc:
        raise BackendError("the server sent an unexpected bookmark record") from exc


class BookmarkBackend(Protocol):
    """What the service needs of :class:`app.backend.BackendClient` (kept as a protocol so that
    widgets importing this module do not pull the HTTP client in)."""

    def create_bookmark(self, draft: BookmarkDraft) -> Bookmark: ...
    def bookmarks(self, where: BookmarkFilter) -> tuple[int, list[Bookmark]]: ...


class BookmarkService(QObject):
    """Create and list bookmarks; see the module docstring for the signals."""

    created = Signal(object)  # Bookmark
    listed = Signal(list, int)
    failed = Signal(str)

    def __init__(self, backend: BookmarkBackend, ops: Ops, messages: MessageBridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self.default_before_s = DEFAULT_BEFORE_S
        self.default_after_s = DEFAULT_AFTER_S
        self.filter = BookmarkFilter()
        self.bookmarks: list[Bookmark] = []
        self.total = 0
        self._generation = 0

    def draft(self, camera_id: int, at: datetime | None = None) -> BookmarkDraft:
        """A draft at ``at`` (default now) with the current default window."""
        return BookmarkDraft(camera_id, at or datetime.now(UTC), self.default_before_s,
                             self.default_after_s)

    def create(self, camera_id: int, *, at: datetime | None = None, before_s: int | None = None,
               after_s: int | None = None, note: str = "", tags: tuple[str, ...] = ()) -> None:
        """Bookmark ``camera_id`` at ``at`` (default: now) — what key B on a tile calls."""
        draft = BookmarkDraft(
            camera_id, at or datetime.now(UTC),
            self.default_before_s if before_s is None else before_s,
            self.default_after_s if after_s is None else after_s, note, tuple(tags))
        self.create_draft(draft)

    def create_draft(self, draft: BookmarkDraft) -> None:
        (self._ops.run(functools.partial(self._backend.create_bookmark, draft),
                       label="bookmark")
         .success(self._on_created).failure(self._on_failed))

    def refresh(self, where: BookmarkFilter | None = None) -> None:
        if where is not None:
            self.filter = where
        # only the newest refresh is shown: an older answer arriving late is dropped
        self._generation += 1
        generation = self._generation
        (self._ops.run(functools.partial(self._backend.bookmarks, self.filter),
                       label="bookmarks")
         .success(lambda result: self._on_listed(result, generation))
         .failure(self._on_failed))

    def _on_created(self, bookmark: Bookmark) -> None:
        log.info("%s: bookmark %d at %s", bookmark.camera_name, bookmark.id,
                 vn_text(bookmark.at))
        self._messages.info(f"Bookmark saved: {bookmark.camera_name}, {vn_text(bookmark.at)}")
        self.created.emit(bookmark)
        self.refresh()

    def _on_listed(self, result: tuple[int, list[Bookmark]], generation: int) -> None:
        if generation != self._generation:
            return
        self.total, self.bookmarks = result
        self.listed.emit(list(self.bookmarks), self.total)

    def _on_failed(self, error: BaseException) -> None:
        text = str(error) if isinstance(error, BackendError) else \
            f"{type(error).__name__}: {error}"
        if not isinstance(error, BackendError):
            log.error("bookmarks failed", exc_info=error)
        self._messages.error(f"Bookmarks: {text}")
        self.failed.emit(text)
