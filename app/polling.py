"""Keeping a server-side list fresh: the services behind the Requests, Cases and Incidents docks.

A :class:`Poller` refreshes now and then every ``interval_ms`` (through :mod:`app.ops`, off the
GUI thread), never has two fetches of the same list in flight — a slow server must not pile
requests up — and remembers a refresh asked for meanwhile (a filter changed) to run it once the
fetch in flight has settled, so the newest filter always gets its answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from app.ops import Op


class Poller:
    """``start_fetch`` runs one fetch through ops and returns its :class:`Op`; the service's
    success and failure callbacks end with :meth:`settled`."""

    def __init__(self, owner: QObject, interval_ms: int,
                 start_fetch: Callable[[], Op[Any]]) -> None:
        self._start_fetch = start_fetch
        self._in_flight: Op[Any] | None = None
        self._again = False
        self.timer = QTimer(owner)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.request)

    def start(self, now: bool = True) -> None:
        """Poll every interval; ``now``: the first fetch at once (else after one interval)."""
        if now:
            self.request()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    @property
    def busy(self) -> bool:
        return self._in_flight is not None and not self._in_flight.done

    def request(self) -> None:
        """Fetch now, or once more after the fetch in flight."""
        if self.busy:
            self._again = True
            return
        self._again = False
        self._in_flight = self._start_fetch()

    def settled(self) -> None:
        if self._again:
            self.request()
