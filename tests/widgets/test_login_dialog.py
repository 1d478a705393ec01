"""The login dialog against a real backend: a wrong password, a locked account and an unreachable
server each give readable text and leave the dialog open; a good login emits the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.credentials import TokenStore
from app.ops import Ops
from app.settings import SettingsStore
from app.trust import TrustStore, fingerprint
from server import tls
from tests.app.helpers import TlsBackend, free_port
from widgets.login_dialog import LoginDialog


@pytest.fixture
def auth(tmp_path: Path) -> AuthService:
    return AuthService(SettingsStore(tmp_path), TokenStore())


def make_dialog(qtbot: QtBot, auth: AuthService, ops: Ops, url: str) -> LoginDialog:
    dialog = LoginDialog(auth, ops, server_url=url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def submit(qtbot: QtBot, dialog: LoginDialog, user: str, password: str) -> None:
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10000)


def test_wrong_password_keeps_the_dialog_open(qtbot: QtBot, auth: AuthService, ops: Ops,
                                              backend_url: str) -> None:
    dialog = make_dialog(qtbot, auth, ops, backend_url)
    submit(qtbot, dialog, "police.officer", "wrong")
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Wrong user name or password."
    assert dialog.user_edit.text() == "police.officer"  # nothing to retype but the password


def test_a_throttled_login_says_how_long_to_wait(qtbot: QtBot, auth: AuthService, ops: Ops,
                                                 backend_url: str) -> None:
    dialog = make_dialog(qtbot, auth, ops, backend_url)
    for _ in range(5):  # a name no other test uses: the shared backend keeps counting
        submit(qtbot, dialog, "throttled.name", "wrong")
    submit(qtbot, dialog, "throttled.name", "demo")
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "Too many failed logins. Try again in 30 s, or call the IOC duty desk.")


def test_unreachable_server_is_explained(qtbot: QtBot, auth: AuthService, ops: Ops) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    dialog = make_dialog(qtbot, auth, ops, url)
    submit(qtbot, dialog, "ioc.operator", "demo")
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        f"Cannot reach the server at {url}. Check the address and the network.")


def test_empty_fields_are_refused_without_a_request(qtbot: QtBot, auth: AuthService,
                                                    ops: Ops) -> None:
    dialog = make_dialog(qtbot, auth, ops, "http://127.0.0.1:9")
    dialog.login_button.click()
    assert dialog.isVisible() and ops.pending() == 0
    assert dialog.error_label.text().startswith("Enter the server address")


def test_good_login_emits_the_session(qtbot: QtBot, auth: AuthService, ops: Ops,
                                      backend_url: str, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, auth, ops, backend_url)
    dialog.user_edit.setText("ward.dongphu.police")
    dialog.password_edit.setText("demo")
    dialog.remember_box.setChecked(True)
    with qtbot.waitSignal(dialog.logged_in, timeout=10000) as blocker:
        dialog.login_button.click()
    assert blocker.args[0].user.username == "ward.dongphu.police"
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=1000)
    saved = SettingsStore(tmp_path).load()
    assert saved.last_user == "ward.dongphu.police" and saved.remember_me
    assert "demo" not in (tmp_path / "settings.json").read_text(encoding="utf-8").replace(
        "ward.dongphu", "")


# -- first contact with a server over HTTPS: the fingerprint, then the pin ----------------------

def _tls_auth(tmp_path: Path) -> tuple[AuthService, TrustStore]:
    store = TrustStore(tmp_path / "client")
    return AuthService(SettingsStore(tmp_path), TokenStore(), trust=store), store


def test_first_contact_shows_the_ca_fingerprint_and_pins_it_once_accepted(
        qtbot: QtBot, ops: Ops, tls_backend_url: TlsBackend, tmp_path: Path) -> None:
    auth, store = _tls_auth(tmp_path)
    dialog = make_dialog(qtbot, auth, ops, tls_backend_url.url)
    dialog.user_edit.setText("ward.dongphu.police")
    dialog.password_edit.setText("demo")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.fingerprint_dialog is not None
                    and dialog.fingerprint_dialog.isVisible(), timeout=10000)
    asked = dialog.fingerprint_dialog
    assert asked is not None
    shown = asked.fingerprint_label.text().replace("\n", ":")
    assert shown == fingerprint(tls_backend_url.ca_file.read_bytes())  # what the admin reads
    assert store.ca_file(tls_backend_url.url) is None  # nothing pinned, nothing sent yet
    assert asked.reject_button.isDefault()
    with qtbot.waitSignal(dialog.logged_in, timeout=15000) as logged:
        asked.accept_button.click()
    assert logged.args[0].user.username == "ward.dongphu.police"
    pinned = store.ca_file(tls_backend_url.url)
    assert pinned is not None and pinned.read_bytes().strip() == \
        tls_backend_url.ca_file.read_bytes().strip()
    auth.logout()


def test_a_refused_fingerprint_sends_nothing_and_pins_nothing(
        qtbot: QtBot, ops: Ops, tls_backend_url: TlsBackend, tmp_path: Path) -> None:
    auth, store = _tls_auth(tmp_path)
    dialog = make_dialog(qtbot, auth, ops, tls_backend_url.url)
    dialog.user_edit.setText("ioc.operator")
    dialog.password_edit.setText("demo")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.fingerprint_dialog is not None
                    and dialog.fingerprint_dialog.isVisible(), timeout=10000)
    assert dialog.fingerprint_dialog is not None
    dialog.fingerprint_dialog.reject_button.click()
    assert dialog.isVisible() and dialog.error_label.text().startswith("Not connected")
    assert store.ca_file(tls_backend_url.url) is None
    assert auth.client is not None and auth.client.session is None


def test_a_certificate_not_from_the_pinned_ca_is_a_clear_refusal(
        qtbot: QtBot, ops: Ops, tls_backend_url: TlsBackend, tmp_path: Path) -> None:
    auth, store = _tls_auth(tmp_path)
    store.pin(tls_backend_url.url, tls.create_site(tmp_path / "other", "other").ca_cert
              .read_bytes())
    dialog = make_dialog(qtbot, auth, ops, tls_backend_url.url)
    submit(qtbot, dialog, "ioc.operator", "demo")
    assert dialog.isVisible() and dialog.fingerprint_dialog is None
    assert dialog.error_label.text().startswith(
        "The server's certificate is not from the certificate authority")
    assert "Traceback" not in dialog.error_label.text()
