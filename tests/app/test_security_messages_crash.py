"""Secrets stay out of what the client prints: mask_url, the message bridge, the crash log."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.crash import CrashHandler
from app.domain import Camera, CameraSystem, Scope, Session, Unit, User
from app.messages import Level, MessageBridge
from app.security import mask_url, scrub


def test_mask_url() -> None:
    assert mask_url("rtsp://cam01:s3cret@127.0.0.1:8554/cam01/sub") == \
        "rtsp://***@127.0.0.1:8554/cam01/sub"
    assert mask_url("rtsp://127.0.0.1:8554/cam01/sub") == "rtsp://127.0.0.1:8554/cam01/sub"
    assert mask_url("http://user@[::1]:80/x") == "http://***@[::1]:80/x"
    assert mask_url(None) == ""


def test_scrub_free_text() -> None:
    text = scrub("open rtsp://u:p4ss@10.0.0.1/a failed; password=hunter2 token: abc.def")
    assert "p4ss" not in text and "hunter2" not in text and "abc.def" not in text
    assert "rtsp://***@10.0.0.1/a" in text


def test_repr_of_domain_objects_hides_secrets() -> None:
    camera = Camera(1, "CAM-01", "Đồng Phú", 1, CameraSystem.PUBLIC,
                    main_stream_url="rtsp://u:SECRET@h/main", sub_stream_url="rtsp://u:SECRET@h/s")
    assert "SECRET" not in repr(camera)
    user = User(1, "a", "A", "operator", Unit(1, "IOC", "operating_unit"), Scope(True))
    assert "TOKEN" not in repr(Session("http://x", user, None, access_token="TOKEN"))


def test_bridge_delivers_scrubbed_messages(qtbot: QtBot, messages: MessageBridge) -> None:
    with qtbot.waitSignal(messages.posted, timeout=1000) as blocker:
        messages.error("cannot open rtsp://cam:pw123@127.0.0.1/x")
    assert blocker.args[0].level is Level.ERROR
    assert "pw123" not in blocker.args[0].text
    assert messages.history()[-1] == blocker.args[0]


def test_bridge_from_a_worker_thread_arrives_on_the_gui_thread(
        qtbot: QtBot, messages: MessageBridge) -> None:
    gui = threading.get_ident()
    threads: list[int] = []
    messages.posted.connect(lambda _m: threads.append(threading.get_ident()))
    worker = threading.Thread(target=messages.warning, args=("from a worker",))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: threads == [gui], timeout=1000)


def test_crash_handler_writes_a_scrubbed_log(tmp_path: Path) -> None:
    notes: list[str] = []
    handler = CrashHandler(tmp_path, notify=notes.append)
    handler.install()
    try:
        try:
            raise RuntimeError("cannot play rtsp://cam01:TopSecret@127.0.0.1/cam01/sub")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)

        def boom() -> None:
            raise ValueError("password=hunter2")

        worker = threading.Thread(target=boom, name="ingest-7")
        worker.start()
        worker.join()
    finally:
        handler.uninstall()
    logs = sorted((tmp_path / "crash").glob("crash-*.log"))
    assert len(logs) == 2
    texts = [p.read_text(encoding="utf-8") for p in logs]
    assert any("RuntimeError" in t and "main thread" in t for t in texts)
    assert any("ValueError" in t and "ingest-7" in t for t in texts)
    assert all("TopSecret" not in t and "hunter2" not in t for t in texts)
    assert len(notes) == 2
    assert sys.excepthook is not handler._sys_hook
