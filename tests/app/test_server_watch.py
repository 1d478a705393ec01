"""The server watch turns what the backend client saw into the operator's warnings: once on
the message bridge, and a state the window shows until it is gone."""
from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from app.errors import ClientTooOld
from app.messages import Level, MessageBridge
from app.ops import Ops
from app.server_watch import ServerState, ServerWatch


class FakeServer:
    def __init__(self) -> None:
        self.too_old: ClientTooOld | None = None
        self.clock_offset_s: float | None = 0.1
        self.asked = 0
        self.healthy = True

    def version(self) -> dict[str, Any]:
        self.asked += 1
        return {"version": "0.1.0"}

    def health(self) -> bool:
        return self.healthy


def test_a_clock_off_and_a_client_too_old_are_said_once_and_shown_until_gone(
        qtbot: QtBot, ops: Ops, messages: MessageBridge) -> None:
    server = FakeServer()
    posted: list[Any] = []
    messages.posted.connect(posted.append)
    watch = ServerWatch(server, ops, messages, interval_ms=3_600_000)
    states: list[ServerState] = []
    watch.changed.connect(states.append)

    watch.note()
    assert states == [] and posted == [], "nothing to say of a clock 0.1 s off"
    server.clock_offset_s = -3.6
    watch.note()
    watch.note()  # still off by the same: said once
    assert [s.clock_off for s in states] == [True]
    assert len(posted) == 1 and posted[0].level is Level.WARNING and "-3.6" in posted[0].text

    server.too_old = ClientTooOld("too old", code="client_too_old", status=426)
    watch.note()
    assert states[-1].too_old and states[-1].clock_off
    assert posted[-1].level is Level.ERROR and len(posted) == 2

    server.too_old, server.clock_offset_s = None, 0.2
    watch.note()
    assert states[-1] == ServerState(clock_offset_s=0.2) and not states[-1].clock_off
    assert len(posted) == 2


def test_the_watch_asks_the_server_off_the_gui_thread_and_reads_the_offset(
        qtbot: QtBot, ops: Ops, messages: MessageBridge) -> None:
    server = FakeServer()
    server.clock_offset_s = 5.0
    watch = ServerWatch(server, ops, messages, interval_ms=3_600_000)
    with qtbot.waitSignal(watch.changed, timeout=5000) as changed:
        watch.start()
    assert server.asked == 1 and changed.args[0].clock_offset_s == 5.0
    watch.stop()


def test_a_server_without_its_database_is_said_once_and_shown_until_back(
        qtbot: QtBot, ops: Ops, messages: MessageBridge) -> None:
    server = FakeServer()
    posted: list[Any] = []
    messages.posted.connect(posted.append)
    watch = ServerWatch(server, ops, messages, interval_ms=3_600_000)
    server.healthy = False
    with qtbot.waitSignal(watch.changed, timeout=5000) as changed:
        watch.start()
    assert changed.args[0].database_unreachable
    assert len(posted) == 1 and posted[0].level is Level.ERROR
    assert "database" in posted[0].text
    watch.note()  # the next answers that say nothing of it: still shown, not said again
    assert watch.state.database_unreachable and len(posted) == 1
    server.healthy = True
    with qtbot.waitSignal(watch.changed, timeout=5000) as changed:
        watch.check()
    assert changed.args[0] == ServerState(clock_offset_s=0.1)
    watch.stop()
