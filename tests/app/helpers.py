"""Fixtures shared by the client's tests (imported by tests/app, tests/widgets, tests/e2e conftests).

The client runs its async work on a qasync loop. In a pytest-qt test the Qt event loop is driven by
qtbot (waitUntil / waitSignal), so the qasync loop is created "already running" on top of it.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from app.messages import MessageBridge
from app.ops import Ops


@pytest.fixture(scope="session")
def _session_qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """One qasync loop for the whole run, as the application has one for its whole life.

    A loop per test left Qt socket notifiers and timers of finished tests (keep-alive
    connections, pending callbacks) to be destroyed while a later test spun Qt: PySide crashed
    with a segmentation fault inside the event loop.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    # Between the tests that use it the loop is not "running" for asyncio, so that plain
    # asyncio.run() works in tests without Qt; qloop marks it running for its test.
    asyncio.events._set_running_loop(None)
    yield loop
    asyncio.events._set_running_loop(loop)
    for task in asyncio.all_tasks(loop):
        task.cancel()
    qapp.processEvents()
    # qasync has no public way to end a loop it did not start itself.
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def qloop(_session_qloop: asyncio.AbstractEventLoop,
          qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """The run's qasync loop; tasks a test leaves behind are cancelled when it ends."""
    asyncio.set_event_loop(_session_qloop)
    asyncio.events._set_running_loop(_session_qloop)
    before = asyncio.all_tasks(_session_qloop)
    try:
        yield _session_qloop
    finally:
        for task in asyncio.all_tasks(_session_qloop) - before:
            task.cancel()
        qapp.processEvents()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


@pytest.fixture
def messages(qapp: QApplication) -> MessageBridge:
    return MessageBridge()


@pytest.fixture
def ops(qloop: asyncio.AbstractEventLoop, messages: MessageBridge) -> Ops:
    return Ops(messages)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fake_manifest(path: Path, cameras: int = 8) -> Path:
    """A lab manifest whose streams do not exist: enough for backend tests that play no video."""
    entries = []
    for index in range(cameras):
        ptz = index % 3 == 0
        entries.append({
            "index": index,
            "name": f"CAM-{index + 1:02d} Test {index + 1}",
            "location": f"Test street {index + 1}, Đồng Hới",
            "main_url": f"rtsp://127.0.0.1:9/cam{index + 1:02d}/main",
            "sub_url": f"rtsp://127.0.0.1:9/cam{index + 1:02d}/sub",
            "rtsp_username": f"cam{index + 1:02d}",
            "rtsp_password": f"secret-{index + 1:02d}",
            "ptz": ptz,
            "onvif_host": "127.0.0.1" if ptz else None,
            "onvif_port": 9 if ptz else None,
            "onvif_username": "admin" if ptz else None,
            "onvif_password": "onvif-secret" if ptz else None,
            "main_width": 1920 if index % 4 == 0 else 1280,
            "main_height": 1080 if index % 4 == 0 else 720,
        })
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cameras": entries}, ensure_ascii=False), encoding="utf-8")
    return path


# the data dir (SQLite database) of each running test backend, by its URL: a seed that needs a
# step in the past writes it through the server's own service, as the demo seed may, never the
# API (which records every step at the server's clock)
BACKEND_DATA_DIRS: dict[str, Path] = {}


def send_case_in_the_past(url: str, case_id: int, at: datetime) -> None:
    """Send a case at ``at``: the server's service, with that moment as its clock."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from common.vocabulary import CaseAction
    from server import cases as service
    from server.db import make_engine
    from server.models import User, ViolationCase
    from server.schemas import CaseActionBody

    engine = make_engine(f"sqlite:///{BACKEND_DATA_DIRS[url.rstrip('/')] / 'iocwall.db'}")
    try:
        with Session(engine) as session:
            user = session.execute(select(User).where(User.username == "ioc.operator")
                                   ).scalar_one()
            case = session.get(ViolationCase, case_id)
            assert case is not None
            service.act(session, user, case, CaseAction.SEND, CaseActionBody(), at,
                        timedelta(hours=72))
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real backend child process (demo organisation, temp DB, fake camera manifest)."""
    from server.testing import start_test_server, stop_test_server

    root = tmp_path_factory.mktemp("backend")
    url, process = start_test_server(root / "data", fake_manifest(root / "lab.json"))
    BACKEND_DATA_DIRS[url.rstrip("/")] = root / "data"
    try:
        yield url
    finally:
        stop_test_server(process)


@dataclass(frozen=True)
class TlsBackend:
    """A backend serving HTTPS with its own site CA, and that CA's file."""

    url: str
    ca_file: Path


@pytest.fixture(scope="session")
def tls_backend_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsBackend]:
    """A real backend child over HTTPS (the demo makes its certificates as ``init`` does)."""
    from server.testing import start_test_server, stop_test_server

    root = tmp_path_factory.mktemp("tls-backend")
    url, process = start_test_server(root / "data", fake_manifest(root / "lab.json"), tls=True,
                                     env_overrides={"IOCWALL_GATEWAY": "off"})
    try:
        yield TlsBackend(url, root / "data" / "tls" / "ca.crt")
    finally:
        stop_test_server(process)

