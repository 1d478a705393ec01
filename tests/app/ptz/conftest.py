"""PTZ tests: one lab for the package (cameras 0 and 3 are PTZ), helpers to run coroutines."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot

from lab import Lab
from lab.testing import start_test_lab

T = TypeVar("T")


@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_test_lab(tmp_path_factory.mktemp("ptz-lab"), cameras=4) as running:
        yield running


def run_async(coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
    """Run a coroutine on a fresh plain asyncio loop (tests without Qt)."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def run_on(qtbot: QtBot, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T],
           timeout_ms: int = 30000) -> T:
    """Run a coroutine on the (already running) qasync loop while qtbot spins Qt."""
    task = loop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()
