"""Choosing one's own password after an administrator set one (a new account, a reset): the
client asks for it right after login, before the main window opens (the server refuses every
other call until it is done). The current password first, then the new one twice.

Signals:
    changed(Session): the password is changed and the user logged in again with it (the server
        ended every session of the account, the one of the login too).
"""

from __future__ import annotations

import functools
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.domain import Session
from app.domain.admin import check_password
from app.ops import Ops
from widgets.admin_dialogs import password_hint
from widgets.admin_forms import FormDialog, password_pair


class PasswordChanger(Protocol):
    def change_password(self, server_url: str, current_password: str, new_password: str,
                        remember: bool) -> Session: ...


class PasswordChangeDialog(FormDialog):
    """See the module docstring."""

    changed = Signal(object)

    def __init__(self, auth: PasswordChanger, ops: Ops, session: Session, *,
                 remember: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Choose your password"), self.tr("Change password"), parent)
        self.setObjectName("password_change")
        self.auth, self.ops, self.session, self.remember = auth, ops, session, remember
        intro = QLabel(self.tr("An administrator set your password. Choose your own before "
                               "you continue.") + " " + password_hint())
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.current_edit = QLineEdit()
        self.current_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add("current_password", self.tr("Current password"), self.current_edit)
        self.new_edit, self.repeat_edit = password_pair(password_hint())
        self.form.add("new_password", self.tr("New password"), self.new_edit)
        self.form.add("new_password_repeat", self.tr("Repeat it"), self.repeat_edit)
        self.finish()

    def submit(self) -> None:
        from app.domain.admin import FieldProblem, Problem

        current = self.current_edit.text()
        if self.form.show_problems([
                None if current else FieldProblem("current_password", Problem.REQUIRED),
                check_password("new_password", self.new_edit.text(), self.repeat_edit.text())]):
            return
        self.sending(True)
        self.ops.run(functools.partial(self.auth.change_password, self.session.server_url,
                                       current, self.new_edit.text(), self.remember),
                     label=self.tr("Password change"), owner=self) \
            .success(self._changed).failure(self.refused)

    def _changed(self, session: Session) -> None:
        self.changed.emit(session)
        self.done_ok(session)
