"""main.py's Client in-process against a real backend: login dialog → main window → logout →
login dialog again; a remembered session resumes without the dialog (token, not password)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.context import Runtime
from app.credentials import TokenStore
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from main import parse_args
from shell.client import Client
from tests.app.test_settings import MemoryKeyring


@pytest.fixture
def video(qapp: QApplication) -> Iterator[VideoService]:
    service = VideoService()
    yield service
    service.shutdown()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def make_client(qapp: QApplication, tmp_path: Path, url: str, ops: Ops,
                messages: MessageBridge, video: VideoService,
                extra_args: tuple[str, ...] = ()) -> Client:
    args: argparse.Namespace = parse_args(["--server", url, *extra_args])
    settings = SettingsStore(tmp_path)
    return Client(qapp, args, Runtime(settings, messages, ops, video,
                                      AuthService(settings, TokenStore()), client_data_dir()),
                  url)


def test_login_logout_cycle(qtbot: QtBot, qapp: QApplication, tmp_path: Path, backend_url: str,
                            ops: Ops, messages: MessageBridge, video: VideoService,
                            memory_keyring: MemoryKeyring) -> None:
    client = make_client(qapp, tmp_path, backend_url, ops, messages, video)
    client.start()
    dialog = client.login_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("police.commander")
    dialog.password_edit.setText("demo")
    dialog.remember_box.setChecked(True)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: client.window is not None, timeout=10000)
    window = client.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.tree.model.rowCount() > 0, timeout=10000)
    # Remember me: the keyring holds the token, never the password.
    assert list(memory_keyring.store.values()) and "demo" not in memory_keyring.store.values()

    window.logout_action.trigger()
    qtbot.waitUntil(lambda: client.login_dialog is not None and client.login_dialog.isVisible(),
                    timeout=10000)
    assert client.window is None
    assert memory_keyring.store == {}  # logout forgets the token
    qtbot.addWidget(client.login_dialog)
    assert client.login_dialog.user_edit.text() == "police.commander"
    client.login_dialog.close()


def test_remembered_session_resumes(qtbot: QtBot, qapp: QApplication, tmp_path: Path,
                                    backend_url: str, ops: Ops, messages: MessageBridge,
                                    video: VideoService, memory_keyring: MemoryKeyring) -> None:
    AuthService(SettingsStore(tmp_path), TokenStore()).login(backend_url, "order.officer",
                                                             "demo", True)
    client = make_client(qapp, tmp_path, backend_url, ops, messages, video)
    client.start()
    qtbot.waitUntil(lambda: client.window is not None, timeout=10000)
    assert client.login_dialog is None
    window = client.window
    assert window is not None
    qtbot.addWidget(window)
    assert "order.officer" in window.user_label.text()
    client.shutdown()  # remembered: the session stays valid for the next start
    assert memory_keyring.store


def test_user_option_prefills_the_login_dialog_instead_of_resuming_another_user(
        qtbot: QtBot, qapp: QApplication, tmp_path: Path, backend_url: str, ops: Ops,
        messages: MessageBridge, video: VideoService, memory_keyring: MemoryKeyring) -> None:
    AuthService(SettingsStore(tmp_path), TokenStore()).login(backend_url, "order.officer",
                                                             "demo", True)
    client = make_client(qapp, tmp_path, backend_url, ops, messages, video,
                         ("--user", "ward.dongphu.police"))
    client.start()
    dialog = client.login_dialog
    assert dialog is not None and dialog.isVisible() and client.window is None
    qtbot.addWidget(dialog)
    assert dialog.user_edit.text() == "ward.dongphu.police"
    assert dialog.password_edit.text() == ""  # never a password from the command line
    dialog.close()


def test_demo_user_option_logs_in_as_that_demo_user(
        qtbot: QtBot, qapp: QApplication, tmp_path: Path, backend_url: str, ops: Ops,
        messages: MessageBridge, video: VideoService, memory_keyring: MemoryKeyring) -> None:
    client = make_client(qapp, tmp_path, backend_url, ops, messages, video,
                         ("--demo", "--user", "ward.dongphu.police"))
    client.start()
    qtbot.waitUntil(lambda: client.window is not None, timeout=10000)
    window = client.window
    assert window is not None and client.login_dialog is None
    qtbot.addWidget(window)
    assert "ward.dongphu.police" in window.user_label.text()
    client.logout()
    qtbot.waitUntil(lambda: client.login_dialog is not None, timeout=10000)
    qtbot.addWidget(client.login_dialog)
    client.login_dialog.close()


def test_password_is_not_an_option() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--demo", "--password", "demo"])
