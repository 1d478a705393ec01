"""Pieces the panels' dialogs share: the red error line, the dialog that asks for a required
reason (rejecting a clip or an access request, resolving an incident), and a one-line question
that does not block the event loop."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

ERROR_STYLE = "color: #e06c6c;"


def ask_text(parent: QWidget, title: str, label: str, on_text: Callable[[str], None],
             text: str = "") -> QInputDialog:
    """Ask for one line of text; ``on_text`` gets it when the user presses OK (not on Cancel).

    ``QInputDialog.getText`` would run a nested event loop until the answer, and the wall's
    asyncio tasks (polling, PTZ leases, video health) run on the Qt loop through qasync: a
    question left open would stall them. The dialog is window-modal and deletes itself."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.textValueSelected.connect(on_text)
    dialog.open()
    return dialog


def error_label() -> QLabel:
    """Hidden until a dialog has something wrong to say (wrapped, red)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def form_footer(dialog: QDialog, form: QFormLayout, ok_text: str
                ) -> tuple[QLabel, QDialogButtonBox]:
    """The last rows of a dialog's form: the (hidden) error line, then OK/Cancel with OK saying
    ``ok_text``. Cancel rejects; what OK does is the dialog's to connect (usually: send, and
    close when the server has agreed)."""
    label = error_label()
    form.addRow(label)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return label, buttons


class ReasonDialog(QDialog):
    """A required free text: OK stays disabled until it has ``min_chars`` characters (the server
    asks for 3–2000). With ``accept_on_ok`` OK closes the dialog; without, the caller connects
    ``buttons.accepted`` and closes it when the server has agreed (errors go to
    :meth:`show_error`)."""

    def __init__(self, title: str, label: str, placeholder: str, *, ok_text: str | None = None,
                 hint: str = "", min_chars: int = 3, accept_on_ok: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.min_chars = min_chars
        self._hint = hint
        form = QFormLayout(self)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(placeholder)
        form.addRow(label, self.reason_edit)
        self.error_label = error_label()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        self.ok_button = ok
        if ok_text:
            ok.setText(ok_text)
        if accept_on_ok:
            self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.reason_edit.textChanged.connect(self._changed)
        self._changed()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _changed(self) -> None:
        enough = len(self.reason()) >= self.min_chars
        self.ok_button.setEnabled(enough)
        self.ok_button.setToolTip("" if enough else self._hint)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
