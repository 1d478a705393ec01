"""Saved layouts: the backend's copy (``/api/v1/layouts``, per user, private or shared with the
unit) and a local cache in the data dir, so that the wall comes back when the backend is down.

Startup picks, in order: the backend's startup layout; else, from the cache, the startup layout
last seen or the wall as it was last left; else the default template, empty.

The cache holds layouts, never stream URLs or credentials: a cached layout names cameras by id, and
the wall plays only cameras of the live ``/cameras`` list (app/wall.py), so a stale cache cannot
show a camera the user may no longer view.

All backend calls run off the GUI thread through :mod:`app.ops`; results and failures come back
on the GUI thread as signals / messages.

Signals (LayoutLibrary):
    layouts_changed(list): the list of own and shared layouts (by name) changed.
    startup_ready(object, str): the layout to show at start (Layout or None) and where it came
        from: "backend", "cache" or "default".
    saved(object): a layout was created or updated (the backend's copy).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.domain import Layout
from app.domain.layouts import layout_to_json, parse_layout
from app.messages import MessageBridge
from app.ops import Ops
from common.files import write_atomically

log = logging.getLogger("iocwall.layouts")

CACHE_FORMAT = 1


class LayoutBackend(Protocol):
    """What the library needs of ``app.backend.BackendClient`` (blocking calls)."""

    def layouts(self) -> list[Layout]: ...

    def create_layout(self, layout: Layout) -> Layout: ...

    def update_layout(self, layout_id: int, version: int, layout: Layout | None = None,
                      **changes: Any) -> Layout: ...

    def delete_layout(self, layout_id: int) -> None: ...


@dataclass(frozen=True)
class CachedLayouts:
    layouts: tuple[Layout, ...] = ()
    current: Layout | None = None  # the wall as it was last left

    def startup(self) -> Layout | None:
        for layout in self.layouts:
            if layout.is_startup:
                return layout
        return None


class LayoutCache:
    """``<data dir>/layouts/<user>-<server hash>.json``, written atomically, mode 0600."""

    def __init__(self, directory: Path, server_url: str, username: str) -> None:
        digest = hashlib.sha256(server_url.encode("utf-8")).hexdigest()[:12]
        safe_user = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in username)
        self.path = directory / "layouts" / f"{safe_user}-{digest}.json"

    def load(self) -> CachedLayouts:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("format") != CACHE_FORMAT:
                return CachedLayouts()
            layouts = tuple(parse_layout(item) for item in raw.get("layouts", []))
            current = raw.get("current")
            return CachedLayouts(layouts, None if current is None else parse_layout(current))
        except FileNotFoundError:
            return CachedLayouts()
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("layout cache %s unreadable (%s); ignoring it", self.path, exc)
            return CachedLayouts()

    def save(self, cached: CachedLayouts) -> None:
        data = {"format": CACHE_FORMAT,
                "layouts": [layout_to_json(layout) for layout in cached.layouts],
                "current": None if cached.current is None else layout_to_json(cached.current)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                             mode=0o600)
        except OSError as exc:
            log.warning("layout cache %s not written: %s", self.path, exc)


class LayoutLibrary(QObject):
    layouts_changed = Signal(list)
    startup_ready = Signal(object, str)
    saved = Signal(object)

    def __init__(self, backend: LayoutBackend, ops: Ops, messages: MessageBridge,
                 cache: LayoutCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._ops = ops
        self._messages = messages
        self._cache = cache
        self._cached = cache.load()
        self._layouts: list[Layout] = list(self._cached.layouts)
        self.backend_reachable: bool | None = None  # None: not asked yet

    # -- reading --------------------------------------------------------------------------------
    @property
    def layouts(self) -> list[Layout]:
        """Own and shared layouts, by name (the last list the backend gave, or the cache's)."""
        return list(self._layouts)

    def own(self) -> list[Layout]:
        return [layout for layout in self._layouts if layout.editable]

    def shared(self) -> list[Layout]:
        """Unit mates' layouts shared with the unit (read-only)."""
        return [layout for layout in self._layouts if not layout.editable]

    def find(self, layout_id: int | None) -> Layout | None:
        return next((x for x in self._layouts if layout_id is not None and x.id == layout_id),
                    None)

    def refresh(self, then: Callable[[bool], None] | None = None) -> None:
        """Reload the list from the backend (on failure the cached list stays, with a warning).
        ``then(reachable)`` runs afterwards."""
        def done(layouts: list[Layout]) -> None:
            self.backend_reachable = True
            self._store(layouts)
            if then is not None:
                then(True)

        def failed(error: BaseException) -> None:
            self.backend_reachable = False
            self._messages.warning(f"Saved layouts: {error} (showing the local copy)")
            self.layouts_changed.emit(self.layouts)
            if then is not None:
                then(False)

        self._ops.run(self._backend.layouts, label="load layouts", owner=self) \
            .success(done).failure(failed)

    def load_startup(self) -> None:
        """Find the startup layout (backend, else cache, else none) → ``startup_ready``."""
        def decide(reachable: bool) -> None:
            startup = next((x for x in self._layouts if x.is_startup), None)
            if reachable and startup is not None:
                self.startup_ready.emit(startup, "backend")
                return
            cached = self._cached.startup() if not reachable else None
            cached = cached or self._cached.current
            if cached is not None:
                self.startup_ready.emit(cached, "cache")
            else:
                self.startup_ready.emit(None, "default")

        self.refresh(decide)

    # -- the wall as it is now ------------------------------------------------------------------
    def remember_current(self, layout: Layout) -> None:
        """Keep what the wall shows in the cache (it comes back next time without a backend)."""
        self._cached = replace(self._cached, current=layout)
        self._cache.save(self._cached)

    # -- writing (the backend first; the list is reloaded afterwards) ---------------------------
    def save_as(self, layout: Layout) -> None:
        """Create a new saved layout (a taken name → a readable error message)."""
        self._write(functools.partial(self._backend.create_layout, layout),
                    f"save layout {layout.name}")

    def save(self, layout: Layout) -> None:
        """Store ``layout``'s grid and cameras over the saved one it came from (same id)."""
        if layout.id is None or layout.version is None:
            self.save_as(layout)
            return
        self._write(functools.partial(self._backend.update_layout, layout.id, layout.version,
                                      layout), f"save layout {layout.name}")

    def rename(self, layout: Layout, name: str) -> None:
        self._change(layout, f"rename layout {layout.name}", name=name)

    def set_startup(self, layout: Layout, startup: bool = True) -> None:
        self._change(layout, f"startup layout {layout.name}", is_startup=startup)

    def set_shared(self, layout: Layout, shared: bool) -> None:
        self._change(layout, f"share layout {layout.name}", shared_with_unit=shared)

    def delete(self, layout: Layout) -> None:
        if layout.id is None:
            return
        layout_id = layout.id
        self._ops.run(functools.partial(self._backend.delete_layout, layout_id),
                      label=f"delete layout {layout.name}", owner=self) \
            .success(lambda _r: self._store([x for x in self._layouts if x.id != layout_id],
                                            refresh=True)) \
            .failure(self._write_failed(f"delete layout {layout.name}"))

    def _change(self, layout: Layout, label: str, **changes: Any) -> None:
        if layout.id is None or layout.version is None:
            return
        self._write(functools.partial(self._backend.update_layout, layout.id, layout.version,
                                      **changes), label)

    def _write(self, call: Callable[[], Layout], label: str) -> None:
        def done(layout: Layout) -> None:
            others = [x for x in self._layouts if x.id != layout.id]
            self._store(others + [layout], refresh=True)
            self.saved.emit(layout)

        self._ops.run(call, label=label, owner=self).success(done) \
            .failure(self._write_failed(label))

    def _write_failed(self, label: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            # e.g. 409 "version: the layout was changed since you loaded it ...": reload.
            self._messages.error(f"{label}: {error}")
            self.refresh()
        return failed

    def _store(self, layouts: list[Layout], *, refresh: bool = False) -> None:
        self._layouts = sorted(layouts, key=lambda x: (x.name.casefold(), x.id or 0))
        self._cached = replace(self._cached, layouts=tuple(self._layouts))
        self._cache.save(self._cached)
        self.layouts_changed.emit(self.layouts)
        if refresh:
            # Setting a startup layout clears it on the others (their version goes up): reload.
            self.refresh()
