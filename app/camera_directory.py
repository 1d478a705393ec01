"""The cameras this user may see, kept fresh while the wall runs.

An administrator adds a camera, moves it to another ward or deactivates it; a grant ends; every
running client must follow within seconds, without a restart. :class:`CameraDirectory` asks the
backend for the list every :data:`POLL_INTERVAL_MS` (off the GUI thread, never two asks in
flight) and says ``changed`` only when the list differs from the last one shown, so the tree and
the wall are not rebuilt for nothing. The wall itself stops a tile whose camera left the list
(``WallController.set_cameras``).

A failed poll is logged, not posted: the backend being away is shown by the connection state,
and a message every few seconds would flood the operator.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.domain import Camera
from app.ops import Op, Ops
from app.polled import readable
from app.polling import Poller

log = logging.getLogger("iocwall.cameras")

POLL_INTERVAL_MS = 5_000  # a change reaches every client within 10 s (two polls)


class CameraDirectory(QObject):
    """``changed(list[Camera])``: the list differs from the one last shown (:meth:`shown`)."""

    changed = Signal(list)

    def __init__(self, fetch: Callable[[], list[Camera]], ops: Ops,
                 parent: QObject | None = None, *,
                 interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._ops = ops
        self._last: list[Camera] | None = None
        self._poller = Poller(self, interval_ms, self._start_fetch)

    @property
    def cameras(self) -> list[Camera] | None:
        """The last list shown or fetched (None: none yet)."""
        return None if self._last is None else list(self._last)

    def start(self) -> None:
        """Poll from one interval on: the windows load the first list themselves."""
        self._poller.start(now=False)

    def stop(self) -> None:
        self._poller.stop()

    def refresh(self) -> None:
        """Ask now (or once more after the ask in flight)."""
        self._poller.request()

    def shown(self, cameras: list[Camera]) -> None:
        """The windows show ``cameras`` (loaded by them): a poll with the same list is quiet."""
        self._last = self._ordered(cameras)

    def _start_fetch(self) -> Op[list[Camera]]:
        return (self._ops.run(self._fetch, label=self.tr("Refreshing the camera list"),
                              owner=self)
                .success(self._on_cameras).failure(self._on_failure))

    def _on_cameras(self, cameras: list[Camera]) -> None:
        ordered = self._ordered(cameras)
        try:
            if ordered != self._last:
                before = {c.id for c in self._last or []}
                after = {c.id for c in ordered}
                log.info("camera list changed: %d camera(s), %d new, %d gone", len(ordered),
                         len(after - before), len(before - after))
                self._last = ordered
                self.changed.emit(list(ordered))
        finally:
            self._poller.settled()

    def _on_failure(self, error: BaseException) -> None:
        log.warning("camera list not refreshed: %s", readable(error))
        self._poller.settled()

    @staticmethod
    def _ordered(cameras: list[Camera]) -> list[Camera]:
        return sorted(cameras, key=lambda c: c.id)
