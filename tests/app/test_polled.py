"""PolledList: items kept by id, one fetch in flight, a stale answer not applied, an action's
answer shown at once, and a failure said readably (logged for polls, on the bridge for actions)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from app.errors import BackendUnreachable
from app.messages import Level, MessageBridge
from app.ops import Ops
from app.polled import PolledList, readable, report_action_failure


@dataclass(frozen=True)
class Item:
    id: int
    state: str


@dataclass
class Server:
    """A list on a slow server: each fetch waits for ``gate`` (the test decides when it
    answers) and answers the rows of the filter it was given."""

    rows: dict[str, list[Item]]
    fail: bool = False
    started: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    gate: threading.Event = field(default_factory=threading.Event)

    def fetch(self, where: str) -> list[Item]:
        self.started.append(where)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self.gate.wait(5)
            if self.fail:
                raise BackendUnreachable("the server cannot be reached")
            return list(self.rows[where])
        finally:
            self.in_flight -= 1


def polled(ops: Ops, server: Server, where: str = "open") -> PolledList[Item, str, list[Item]]:
    return PolledList(ops, server.fetch, where, interval_ms=60_000, label="items")


def test_the_list_is_kept_by_id_and_each_refresh_replaces_it(qtbot: QtBot, ops: Ops) -> None:
    server = Server({"open": [Item(1, "open"), Item(2, "open")]})
    server.gate.set()
    items = polled(ops, server)
    with qtbot.waitSignal(items.items_changed, timeout=5000) as shown:
        items.refresh()
    assert shown.args == [[Item(1, "open"), Item(2, "open")]]
    assert items.get(2) == Item(2, "open") and items.get(3) is None
    server.rows["open"] = [Item(2, "done")]
    with qtbot.waitSignal(items.items_changed, timeout=5000):
        items.refresh()
    assert items.items == [Item(2, "done")] and items.get(1) is None


def test_never_two_fetches_in_flight_and_the_newest_filter_wins(qtbot: QtBot, ops: Ops) -> None:
    server = Server({"open": [Item(1, "open")], "done": [Item(9, "done")]})
    items = polled(ops, server)
    shown: list[list[Item]] = []
    items.items_changed.connect(shown.append)
    items.refresh()
    qtbot.waitUntil(lambda: server.in_flight == 1, timeout=5000)
    assert items.busy
    items.refresh()
    items.set_filter("done")  # the user changes the filter while the server is slow
    items.refresh()
    server.gate.set()
    qtbot.waitUntil(lambda: len(server.started) == 2 and not items.busy, timeout=5000)
    qtbot.wait(100)
    assert server.most_in_flight == 1
    assert server.started == ["open", "done"]  # exactly one more fetch, with the new filter
    assert shown == [[Item(9, "done")]]  # the old filter's answer was never shown
    assert items.where == "done"


def test_an_actions_answer_shows_at_once_and_an_older_answer_is_dropped(
        qtbot: QtBot, ops: Ops) -> None:
    server = Server({"open": [Item(1, "open"), Item(2, "open")]})
    server.gate.set()
    items = polled(ops, server)
    with qtbot.waitSignal(items.items_changed, timeout=5000):
        items.refresh()
    server.gate.clear()
    items.refresh()  # a poll in flight, started before the action
    qtbot.waitUntil(lambda: server.in_flight == 1, timeout=5000)
    changed: list[Item] = []
    items.item_changed.connect(changed.append)
    items.replace(Item(1, "acknowledged"))  # the server's answer to the user's step
    assert changed == [Item(1, "acknowledged")]
    assert items.get(1) == Item(1, "acknowledged")  # at once, before any refresh
    shown: list[list[Item]] = []
    items.items_changed.connect(shown.append)
    server.rows["open"] = [Item(1, "acknowledged"), Item(2, "open")]
    server.gate.set()
    qtbot.waitUntil(lambda: len(server.started) == 3 and not items.busy, timeout=5000)
    qtbot.wait(100)
    # the poll that predates the step was not applied (it would flip the row back); the
    # refresh the step asked for was
    assert shown == [[Item(1, "acknowledged"), Item(2, "open")]]


def test_an_item_not_listed_yet_goes_first(qtbot: QtBot, ops: Ops) -> None:
    items = polled(ops, Server({"open": []}))
    items.replace(Item(5, "open"), refresh=False)
    assert items.items == [Item(5, "open")] and not items.busy


def test_a_failed_poll_is_logged_and_said_readably(qtbot: QtBot, ops: Ops,
                                                    messages: MessageBridge,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    server = Server({"open": []}, fail=True)
    server.gate.set()
    items = polled(ops, server)
    with caplog.at_level(logging.WARNING, "iocwall.polled"), \
            qtbot.waitSignal(items.failed, timeout=5000) as failed:
        items.refresh()
    assert failed.args == ["the server cannot be reached"]
    assert "refresh failed" in caplog.text
    qtbot.wait(50)
    assert messages.history() == []  # a poll failing every few seconds does not flood it
    server.fail = False
    server.rows["open"] = [Item(1, "open")]
    with qtbot.waitSignal(items.items_changed, timeout=5000):
        items.refresh()  # the next poll runs: the failure settled the poller
    assert items.items == [Item(1, "open")]


def test_a_failed_action_goes_to_the_bridge(qtbot: QtBot, messages: MessageBridge) -> None:
    log = logging.getLogger("iocwall.test")
    with qtbot.waitSignal(messages.posted, timeout=5000) as posted:
        text = report_action_failure(messages, log, "Incident: %1",
                                     BackendUnreachable("the server cannot be reached"))
    assert text == "the server cannot be reached"
    assert posted.args[0].level is Level.ERROR
    assert posted.args[0].text == "Incident: the server cannot be reached"
    assert readable(ValueError("bad")) == "ValueError: bad"


def test_polling_starts_and_stops(qtbot: QtBot, ops: Ops) -> None:
    server = Server({"open": [Item(1, "open")]})
    server.gate.set()
    items = polled(ops, server)
    with qtbot.waitSignal(items.items_changed, timeout=5000):
        items.start()
    assert items.active and items.loaded
    items.stop()
    assert not items.active
