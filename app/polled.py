"""One polled list of server records, kept by id: what the Cases, Incidents, Access requests and
clip Requests services share.

A :class:`PolledList` runs a blocking ``fetch(filter)`` through :mod:`app.ops` (off the GUI
thread), now and then every ``interval_ms`` and whenever asked, with the rules of
:class:`app.polling.Poller`: never two fetches in flight, and a refresh asked meanwhile runs once
after the one in flight. An answer is applied only when nothing changed since its fetch started
(the filter, or one item replaced by an action's answer): a stale answer would show the old
filter's rows, or flip a row the user just acted on back to its state before the action; the
refresh asked by that change brings the fresh list right after.

A service keeps what is its own (notifications, badges, a second list) in ``on_answer``, called
with every answer (stale or not) before the items are replaced, so it can still compare with
:attr:`PolledList.items`.

Signals:
    items_changed(list): the items of the current filter, in the server's order.
    item_changed(object): one item replaced by an action's answer (:meth:`PolledList.replace`).
    failed(str): a fetch failed; the readable text (logged, not posted: a poll failing every few
        seconds must not flood the message bridge).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from app.errors import BackendError
from app.i18n import arg
from app.messages import MessageBridge
from app.ops import Op, Ops
from app.polling import Poller

log = logging.getLogger("iocwall.polled")


class Identified(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=Identified)
F = TypeVar("F")
R = TypeVar("R")


def readable(error: BaseException) -> str:
    """The text a user reads for a failure: a :class:`BackendError` is readable and
    secret-free as it is; anything else is named by its type."""
    return str(error) if isinstance(error, BackendError) else f"{type(error).__name__}: {error}"


def report_action_failure(messages: MessageBridge, logger: logging.Logger, template: str,
                          error: BaseException) -> str:
    """An action the user asked for failed: post ``template`` (translated, ``%1`` the text) on
    the bridge and return the text for the service's ``action_failed``. An unexpected error
    (not a :class:`BackendError`) is logged with its traceback."""
    text = readable(error)
    if not isinstance(error, BackendError):
        logger.error("action failed", exc_info=error)
    messages.error(arg(template, text))
    return text


class PolledList(QObject, Generic[T, F, R]):
    """The current items of one server list; see the module docstring for the signals.

    ``fetch(filter)`` runs on a worker thread and answers ``R``; ``items_of(answer)`` are the
    items (``R`` is the list itself unless the service fetches more in the same round trip)."""

    items_changed = Signal(list)
    item_changed = Signal(object)
    failed = Signal(str)

    def __init__(self, ops: Ops, fetch: Callable[[F], R], where: F, *,
                 items_of: Callable[[R], Sequence[T]] | None = None,
                 on_answer: Callable[[R, bool], None] | None = None,
                 interval_ms: int, label: str, logger: logging.Logger = log,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._fetch = fetch
        self._items_of: Callable[[R], Sequence[T]] = items_of or _as_items
        self._on_answer = on_answer
        self._label = label
        self._log = logger
        self._where = where
        self._items: list[T] = []
        self._generation = 0  # bumped by every change a fetch in flight does not know of
        self.loaded = False
        self._poller = Poller(self, interval_ms, self._start_fetch)

    # -- what is shown -----------------------------------------------------------------------------
    @property
    def items(self) -> list[T]:
        return list(self._items)

    def get(self, item_id: int) -> T | None:
        return next((i for i in self._items if i.id == item_id), None)

    @property
    def where(self) -> F:
        """The filter the next fetch uses."""
        return self._where

    def set_filter(self, where: F) -> None:
        self._where = where
        self._generation += 1
        self.refresh()

    def replace(self, item: T, *, refresh: bool = True) -> None:
        """An action's answer: shown at once (an item not listed yet goes first), then the list
        is read again (other rows may follow from the action; a fetch in flight, older than the
        action, is not applied). ``refresh=False``: a fresh read of one item, nothing more."""
        self._items = _replaced(self._items, item)
        self.item_changed.emit(item)
        if refresh:
            self._generation += 1
            self.refresh()

    # -- polling -----------------------------------------------------------------------------------
    def start(self) -> None:
        self._poller.start()

    def stop(self) -> None:
        self._poller.stop()

    @property
    def active(self) -> bool:
        return self._poller.active

    @property
    def busy(self) -> bool:
        return self._poller.busy

    def refresh(self) -> None:
        """Fetch now, or once more after the fetch in flight."""
        self._poller.request()

    def _start_fetch(self) -> Op[R]:
        generation = self._generation
        return (self._ops.run(functools.partial(self._fetch, self._where), label=self._label,
                              owner=self)
                .success(functools.partial(self._answered, generation))
                .failure(self._fetch_failed))

    def _answered(self, generation: int, answer: R) -> None:
        current = generation == self._generation
        try:
            if self._on_answer is not None:
                self._on_answer(answer, current)
            if current:
                self._items = list(self._items_of(answer))
                self.loaded = True
                self.items_changed.emit(list(self._items))
        finally:
            self._poller.settled()

    def _fetch_failed(self, error: BaseException) -> None:
        self._log.warning("%s: refresh failed: %s", self._label, error)
        if not isinstance(error, BackendError):
            self._log.error("%s: refresh failed", self._label, exc_info=error)
        try:
            self.failed.emit(readable(error))
        finally:
            self._poller.settled()


def _as_items(answer: Any) -> Sequence[Any]:
    return list(answer)


def _replaced(items: list[T], item: T) -> list[T]:
    if any(i.id == item.id for i in items):
        return [item if i.id == item.id else i for i in items]
    return [item, *items]
