"""The login dialog: server URL, user, password, remember me.

It never talks to the network itself: it hands the fields to a :class:`app.ports.LoginService`
through ops and shows a readable reason when that fails — and stays open, so the operator can
correct a typo without retyping everything.

Signals:
    logged_in(Session): login succeeded (the dialog then closes itself).
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import Session
from app.errors import (
    AuthFailed,
    BackendError,
    BackendUnreachable,
    ClientTooOld,
    FirstContact,
    LoginThrottled,
    NotTheSiteCa,
    ServerNotTrusted,
    UntrustedCertificate,
    ValidationFailed,
)
from app.i18n import arg
from app.ops import Op, Ops
from app.ports import LoginService
from common.urls import mask_url
from widgets.fingerprint_dialog import FingerprintDialog

log = logging.getLogger("iocwall.ui")


class LoginDialog(QDialog):
    logged_in = Signal(object)

    def __init__(self, auth: LoginService, ops: Ops, *, server_url: str, username: str = "",
                 remember: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._ops = ops
        self._op: Op[Session] | None = None
        self._trust_op: Op[None] | None = None
        self.fingerprint_dialog: FingerprintDialog | None = None
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("iocwall — Log in"))
        self.setMinimumWidth(420)

        title = QLabel(self.tr("Smart City Monitoring and Operations Center — Đồng Hới"))
        title.setObjectName("loginTitle")
        title.setWordWrap(True)

        self.server_edit = QLineEdit(server_url)
        self.server_edit.setObjectName("serverEdit")
        self.user_edit = QLineEdit(username)
        self.user_edit.setObjectName("userEdit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(self.tr("Remember me on this computer"))
        self.remember_box.setChecked(remember)

        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server_edit)
        form.addRow(self.tr("User name"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.remember_box)

        self.error_label = QLabel()
        self.error_label.setObjectName("loginError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(self.tr("Log in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        (self.password_edit if username else self.user_edit).setFocus()

    def submit(self) -> None:
        server = self.server_edit.text().strip()
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not server or not user or not password:
            self.show_error(self.tr("Enter the server address, your user name and password."))
            return
        self._set_busy(True)
        self.error_label.hide()
        self._op = (
            self._ops.run(functools.partial(self._auth.login, server, user, password,
                                            self.remember_box.isChecked()),
                          label="login", owner=self)
            .success(self._on_success)
            .failure(self._on_failure)
        )

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.remember_box,
                       self.login_button):
            widget.setEnabled(not busy)
        self.login_button.setText(self.tr("Logging in…") if busy else self.tr("Log in"))

    def _on_success(self, session: Session) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.logged_in.emit(session)
        self.accept()

    def _on_failure(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ServerNotTrusted):
            self.ask_trust(error.contact)
            return
        self.show_error(self.describe(error))
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def ask_trust(self, contact: FirstContact) -> None:
        """First contact: the fingerprint to compare; on "they match" the CA is pinned and the
        login sent again, else nothing is sent."""
        dialog = FingerprintDialog(contact, self)
        self.fingerprint_dialog = dialog
        dialog.accepted.connect(lambda: self._trust(contact))
        dialog.rejected.connect(lambda: self.show_error(self.tr(
            "Not connected: the server's certificate was not accepted. Nothing was sent to it.")))
        dialog.open()

    def _trust(self, contact: FirstContact) -> None:
        self._set_busy(True)
        self._trust_op = (
            self._ops.run(functools.partial(self._auth.trust, contact), label="trust server",
                          owner=self)
            .success(lambda _none: self.submit())
            .failure(self._on_failure)
        )

    def describe(self, error: BaseException) -> str:
        """A readable, translated reason for a failed login (never the raw exception)."""
        if isinstance(error, UntrustedCertificate):
            return self.tr("The server's certificate is not from the certificate authority "
                           "this computer trusts for it. Someone may be intercepting the "
                           "connection: nothing was sent. Call the IOC's administrator.")
        if isinstance(error, NotTheSiteCa):
            return self.tr("The server did not prove its identity (its certificate authority "
                           "is invalid). Nothing was sent. Call the IOC's administrator.")
        if isinstance(error, LoginThrottled):
            wait = error.retry_after or 60
            return arg(self.tr("Too many failed logins. Try again in %1 s, or call the IOC "
                               "duty desk."), wait)
        if isinstance(error, AuthFailed):
            return self.tr("Wrong user name or password.")
        if isinstance(error, BackendUnreachable):
            return arg(self.tr("Cannot reach the server at %1. Check the address and the network."),
                       mask_url(self.server_edit.text().strip()))
        if isinstance(error, ClientTooOld):
            version = error.context.get("server_version", "?")
            return arg(self.tr("This iocwall is too old for the server (version %1): ask the "
                               "administrator for the update."), version)
        if isinstance(error, ValidationFailed):
            return arg(self.tr("The server rejected the request: %1"), error)
        if isinstance(error, BackendError):
            return arg(self.tr("Login failed: %1"), error)
        log.error("login failed unexpectedly", exc_info=error)
        return arg(self.tr("Login failed because of an internal error (%1)."), type(error).__name__)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
