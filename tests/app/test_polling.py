"""Poller: one fetch in flight, a refresh asked meanwhile runs once after it, the timer repeats."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.errors import BackendUnreachable
from app.ops import Op, Ops
from app.polling import Poller


class Fetcher:
    """Each fetch blocks until released, so the test decides when it settles."""

    def __init__(self, ops: Ops, fail: bool = False) -> None:
        self.ops = ops
        self.fail = fail
        self.started = 0
        self.settled = 0
        self.gate = threading.Event()
        self.poller: Poller | None = None

    def start(self) -> Op[Any]:
        self.started += 1

        def work() -> int:
            self.gate.wait(5)
            if self.fail:
                raise BackendUnreachable("server down")
            return self.started

        return self.ops.run(work).success(self._done).failure(self._done)

    def _done(self, _result: object) -> None:
        self.settled += 1
        assert self.poller is not None
        self.poller.settled()


def test_requests_while_busy_coalesce_into_one_more_fetch(qtbot: QtBot, ops: Ops) -> None:
    owner = QObject()
    fetcher = Fetcher(ops)
    poller = fetcher.poller = Poller(owner, 60_000, fetcher.start)
    poller.request()
    assert poller.busy and fetcher.started == 1
    for _ in range(5):  # the operator changes the filter five times while the server is slow
        poller.request()
    assert fetcher.started == 1
    fetcher.gate.set()
    qtbot.waitUntil(lambda: fetcher.settled == 2, timeout=5000)
    qtbot.wait(100)
    assert fetcher.started == 2 and not poller.busy  # exactly one more, for the newest filter


def test_a_failed_fetch_still_runs_the_pending_one(qtbot: QtBot, ops: Ops) -> None:
    owner = QObject()
    fetcher = Fetcher(ops, fail=True)
    poller = fetcher.poller = Poller(owner, 60_000, fetcher.start)
    poller.request()
    poller.request()
    fetcher.gate.set()
    qtbot.waitUntil(lambda: fetcher.settled == 2, timeout=5000)
    assert fetcher.started == 2


def test_the_timer_repeats_until_stopped(qtbot: QtBot, ops: Ops) -> None:
    owner = QObject()
    fetcher = Fetcher(ops)
    fetcher.gate.set()
    poller = fetcher.poller = Poller(owner, 50, fetcher.start)
    poller.start()
    assert poller.active
    qtbot.waitUntil(lambda: fetcher.started >= 3, timeout=5000)
    poller.stop()
    assert not poller.active
    qtbot.wait(150)
    count = fetcher.started
    qtbot.wait(200)
    assert fetcher.started == count
