"""The one helper for background work (Anki's CollectionOp, on the qasync loop).

Usage::

    ops.run(functools.partial(backend.cameras)).success(tree.set_cameras).failure(show_error)
    ops.run(some_coroutine())                      # a coroutine runs on the loop itself

A plain callable is *blocking* and goes to a worker thread through ``asyncio.to_thread``; a
coroutine runs on the (qasync) event loop. Callbacks always run on the loop's thread — the GUI thread
— so they may touch widgets. When no failure callback is given the error goes to the message bridge,
so nothing fails silently. An op is cancelled with :meth:`Op.cancel` or when its ``owner`` QObject is
destroyed (a closed dialog never receives a late callback).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject

from app.errors import BackendError
from app.messages import MessageBridge

log = logging.getLogger("iocwall.ops")

T = TypeVar("T")

Work = Callable[[], T] | Coroutine[Any, Any, T]


class Op(Generic[T]):
    """One background job. Chain ``.success(cb)`` / ``.failure(cb)`` right after ``Ops.run``."""

    def __init__(self, work: Work[T], messages: MessageBridge, label: str,
                 owner: QObject | None) -> None:
        self._messages = messages
        self._label = label
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None
        self._cancelled = False
        self._owner_alive = True
        if owner is not None:
            owner.destroyed.connect(self._owner_destroyed)
        if inspect.iscoroutine(work):
            coroutine: Coroutine[Any, Any, T] = work
        elif callable(work):
            coroutine = asyncio.to_thread(work)
        else:
            raise TypeError(f"ops.run needs a callable or a coroutine, not {type(work).__name__}")
        # The task starts on the next loop iteration: callbacks chained right after run() are in
        # place before it can finish.
        self._task: asyncio.Task[T] = asyncio.get_event_loop().create_task(coroutine)
        self._task.add_done_callback(self._done)

    def success(self, callback: Callable[[T], Any]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Op[T]:
        self._on_failure = callback
        return self

    def cancel(self) -> None:
        """Drop the result. A coroutine is cancelled; a blocking call finishes in its thread (a
        thread cannot be interrupted) but its result is thrown away."""
        self._cancelled = True
        self._task.cancel()

    @property
    def done(self) -> bool:
        return self._task.done()

    @property
    def task(self) -> asyncio.Task[T]:
        return self._task

    def _owner_destroyed(self) -> None:
        self._owner_alive = False
        self.cancel()

    def _done(self, task: asyncio.Task[T]) -> None:
        if self._cancelled or task.cancelled() or not self._owner_alive:
            log.debug("%s: cancelled", self._label)
            return
        error = task.exception()
        if error is None:
            if self._on_success is not None:
                self._on_success(task.result())
            return
        if self._on_failure is not None:
            self._on_failure(error)
            return
        if isinstance(error, BackendError):
            # Expected failures: the message is already readable and secret-free.
            self._messages.error(f"{self._label}: {error}")
        else:
            log.error("%s failed", self._label, exc_info=error)
            self._messages.error(f"{self._label}: {type(error).__name__}: {error}")


class Ops:
    """Factory of :class:`Op` bound to the message bridge (pass it in; no globals)."""

    def __init__(self, messages: MessageBridge) -> None:
        self.messages = messages
        self._running: set[Op[Any]] = set()

    def run(self, work: Work[T], *, label: str = "", owner: QObject | None = None) -> Op[T]:
        op: Op[T] = Op(work, self.messages, label or _describe(work), owner)
        self._running.add(op)
        op.task.add_done_callback(lambda _task: self._running.discard(op))
        return op

    def cancel_all(self) -> None:
        for op in list(self._running):
            op.cancel()

    def pending(self) -> int:
        return len(self._running)


def _describe(work: object) -> str:
    func = getattr(work, "func", work)  # functools.partial
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or "task"
