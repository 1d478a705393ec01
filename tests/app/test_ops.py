"""ops: blocking calls run off the GUI thread, coroutines on the loop, results and errors routed."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from app.errors import NotFound
from app.messages import Level, Message, MessageBridge
from app.ops import Ops


def test_blocking_call_runs_off_the_gui_thread_and_succeeds(qtbot: QtBot, ops: Ops) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["thread"] = threading.get_ident()
        time.sleep(0.05)
        return 42

    def on_success(value: int) -> None:
        seen["value"] = value
        seen["callback_thread"] = threading.get_ident()

    ops.run(work).success(on_success)
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen["value"] == 42
    assert seen["thread"] != gui_thread
    assert seen["callback_thread"] == gui_thread


def test_coroutine_runs_on_the_loop(qtbot: QtBot, ops: Ops) -> None:
    results: list[str] = []

    async def work() -> str:
        await asyncio.sleep(0.01)
        return "done"

    ops.run(work()).success(results.append)
    qtbot.waitUntil(lambda: results == ["done"], timeout=3000)


def test_failure_callback_gets_the_error(qtbot: QtBot, ops: Ops,
                                         messages: MessageBridge) -> None:
    errors: list[BaseException] = []
    posted: list[Message] = []
    messages.posted.connect(posted.append)

    def work() -> None:
        raise NotFound("camera 7 not found")

    ops.run(work).success(lambda _v: pytest.fail("success after an error")).failure(errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=3000)
    assert isinstance(errors[0], NotFound)
    qtbot.wait(50)
    assert posted == []  # handled by the caller: not also shown to the user


def test_unhandled_failure_goes_to_the_message_bridge(qtbot: QtBot, ops: Ops,
                                                      messages: MessageBridge) -> None:
    def work() -> None:
        raise NotFound("camera 7 not found")

    with qtbot.waitSignal(messages.posted, timeout=3000) as blocker:
        ops.run(work, label="Loading camera")
    message = blocker.args[0]
    assert message.level is Level.ERROR
    assert message.text == "Loading camera: camera 7 not found"


def test_cancel_drops_the_result(qtbot: QtBot, ops: Ops) -> None:
    results: list[int] = []
    op = ops.run(lambda: (time.sleep(0.2), 1)[1]).success(results.append)
    op.cancel()
    qtbot.wait(400)
    assert results == []
    assert ops.pending() == 0


def test_owner_destroyed_cancels(qtbot: QtBot, ops: Ops) -> None:
    from PySide6.QtCore import QObject

    owner = QObject()
    results: list[int] = []
    ops.run(lambda: (time.sleep(0.2), 1)[1], owner=owner).success(results.append)
    owner.deleteLater()
    qtbot.wait(400)
    assert results == []


def test_run_refuses_a_non_callable(ops: Ops) -> None:
    with pytest.raises(TypeError):
        ops.run(42)  # type: ignore[arg-type]
