"""The form the administration dialogs share: each field with its own red line under it, where a
problem found before sending, or the server's refusal naming that field, is said in the user's
language — next to the field, not in a message box, and the dialog stays open.

::

    form = FieldForm(self)
    form.add("name", self.tr("Name"), QLineEdit())
    ...
    if form.show_problems(check_...(...)): return      # nothing sent
    op.failure(form.show_refusal)                      # the server's word, next to its field
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.admin import (
    MIN_CONTROL_SECRET_LENGTH,
    MIN_PASSWORD_LENGTH,
    FieldProblem,
    Problem,
)
from app.errors import BackendError, BackendUnreachable, Forbidden
from app.i18n import arg
from widgets.forms import error_label

translate = QCoreApplication.translate  # lupdate reads translate("AdminForms", "text")

SLOW_MS = 1000  # a wait longer than this shows progress


def problem_text(problem: Problem) -> str:
    """One readable sentence per problem found before sending."""
    texts = {
        Problem.REQUIRED: translate("AdminForms", "Required."),
        Problem.LATITUDE: translate("AdminForms", "Latitude is between -90 and 90."),
        Problem.LONGITUDE: translate("AdminForms", "Longitude is between -180 and 180."),
        Problem.DIRECTION: translate("AdminForms", "Direction is between 0 and 359 degrees."),
        Problem.PORT: translate("AdminForms", "A port is between 1 and 65535."),
        Problem.URL_SHAPE: translate("AdminForms",
                                     "Enter an address of the form rtsp://host:port/path."),
        Problem.URL_CREDENTIALS: translate(
            "AdminForms", "No user name or password in the address (user:pass@): enter them "
            "in their own fields."),
        Problem.PASSWORD_SHORT: arg(translate(
            "AdminForms", "The password needs at least %1 characters."), MIN_PASSWORD_LENGTH),
        Problem.PASSWORDS_DIFFER: translate("AdminForms", "The two passwords differ."),
        Problem.HOST: translate("AdminForms", "Enter a host name or an IP address."),
        Problem.CONTROL_URL: translate("AdminForms",
                                       "Enter an address of the form http://host:port."),
        Problem.SECRET_SHORT: arg(translate(
            "AdminForms", "The secret needs at least %1 characters."), MIN_CONTROL_SECRET_LENGTH),
    }
    return texts[problem]


def _reasons() -> list[tuple[str, str]]:
    """The server's refusals (English, after ``field: ``) as the user reads them; matched on
    their start, since some end with a name or a number."""
    return [
        ("that name is taken", translate("AdminForms", "This name is already used.")),
        ("an account of that name exists",
         translate("AdminForms", "An account with this user name already exists.")),
        ("must be at least", arg(translate(
            "AdminForms", "The password needs at least %1 characters."), MIN_PASSWORD_LENGTH)),
        ("is a commonly used password",
         translate("AdminForms", "This password is too common: choose another.")),
        ("must not contain the user name",
         translate("AdminForms", "The password must not contain the user name.")),
        ("must not be blank", translate("AdminForms", "Required.")),
        ("wrong password", translate("AdminForms", "The current password is wrong.")),
        ("must differ from the current one",
         translate("AdminForms", "The new password must differ from the current one.")),
        ("required for a unit of kind",
         translate("AdminForms", "A unit of this kind belongs to one ward: choose it.")),
        ("must be empty for a unit of kind",
         translate("AdminForms", "A unit of this kind belongs to no ward.")),
        ("no such ward", translate("AdminForms", "This ward does not exist.")),
        ("the ward is deactivated", translate("AdminForms", "This ward is deactivated.")),
        ("no such unit", translate("AdminForms", "This unit does not exist.")),
        ("the unit is deactivated", translate("AdminForms", "This unit is deactivated.")),
        ("required for a camera of the public system",
         translate("AdminForms", "A camera of the public system needs its owner category.")),
        ("only cameras of the public system",
         translate("AdminForms", "Only cameras of the public system have an owner category.")),
        ("another camera has this external id",
         translate("AdminForms", "Another camera has this external id.")),
        ("required with onvif_port",
         translate("AdminForms", "Enter the ONVIF host with the ONVIF port.")),
        ("must not contain a user name or password", problem_text(Problem.URL_CREDENTIALS)),
        ("must start with rtsp://", problem_text(Problem.URL_SHAPE)),
        ("is not a valid URL", problem_text(Problem.URL_SHAPE)),
        ("must name the camera's host", problem_text(Problem.URL_SHAPE)),
        ("a camera with a password needs the gateway",
         translate("AdminForms", "A camera with a password needs the gateway that serves it.")),
        ("a gateway of that name exists",
         translate("AdminForms", "A gateway with this name already exists.")),
        ("the gateway still serves",
         translate("AdminForms", "The gateway still serves cameras: move them to another "
                   "gateway first.")),
        ("no such gateway", translate("AdminForms", "This gateway does not exist.")),
        ("no active gateway", translate("AdminForms", "This gateway does not exist.")),
        ("the gateway is switched off", translate("AdminForms", "This gateway is switched off.")),
        ("not a URL on the host entered",
         translate("AdminForms", "The RTSP address must be on the host entered.")),
    ]


def refusal(error: BaseException) -> tuple[str | None, str]:
    """(the field the server named or None, a sentence in the user's language) of a failure."""
    if isinstance(error, BackendUnreachable):
        return None, translate("AdminForms", "The server cannot be reached: try again.")
    if isinstance(error, Forbidden):
        return None, translate("AdminForms", "Only administrators may do this.")
    if not isinstance(error, BackendError):
        return None, arg(translate("AdminForms", "Unexpected error: %1"), error)
    field = getattr(error, "field", None) or error.context.get("field")
    message = str(error)
    reason = message
    if ": " in message:
        head, rest = message.split(": ", 1)
        if field is None and head.replace("_", "").isalnum() and head.islower():
            field = head
        if head == field:
            reason = rest
    for start, text in _reasons():
        if reason.startswith(start) or start in reason:
            return field, text
    return field, arg(translate("AdminForms", "The server refused: %1"), reason)


class FieldForm(QFormLayout):
    """A form whose fields are known by the server's names, each with its error line; the last
    line (:attr:`general`) takes what names no shown field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.general = error_label()
        self.general.setObjectName("general_error")

    def add(self, name: str, label: str, widget: QWidget,
            aliases: Iterable[str] = ()) -> QWidget:
        """A row; ``aliases``: other server names that mean this field."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = error_label()
        error.setObjectName(f"{name}_error")
        column.addWidget(error)
        self.addRow(label, box)
        widget.setObjectName(widget.objectName() or name)
        for key in (name, *aliases):
            self.fields[key] = widget
            self.errors[key] = error
        return widget

    def finish(self) -> None:
        """The general error line, after the fields."""
        self.addRow(self.general)

    def clear_errors(self) -> None:
        for label in {*self.errors.values(), self.general}:
            label.clear()
            label.hide()

    def show_error(self, field: str | None, text: str) -> None:
        label = self.errors.get(field or "", self.general)
        label.setText(text)
        label.show()
        widget = self.fields.get(field or "")
        if widget is not None:
            widget.setFocus()

    def show_problems(self, problems: Iterable[FieldProblem | None]) -> bool:
        """Show each problem beside its field; True when there was one (send nothing)."""
        self.clear_errors()
        found = [p for p in problems if p is not None]
        for problem in reversed(found):  # focus lands on the first
            self.show_error(problem.field, problem_text(problem.problem))
        return bool(found)

    def show_refusal(self, error: BaseException) -> None:
        field, text = refusal(error)
        self.show_error(field, text)


class FormDialog(QDialog):
    """A dialog around a :class:`FieldForm` with OK/Cancel: OK runs :meth:`submit`, which sends
    and closes the dialog only when the server agreed (:meth:`done_ok`)."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = FieldForm(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        ok.setText(ok_text)
        self.ok_button = ok
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("AdminForms", "Cancel"))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.result_value: object = None
        # shown when the server takes longer than a second to answer
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setObjectName("sending")
        self.progress.hide()
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_MS)
        self._slow.timeout.connect(self.progress.show)

    def finish(self) -> None:
        self.form.finish()
        self.form.addRow(self.progress)
        self.form.addRow(self.buttons)

    def _ok(self) -> None:
        self.form.clear_errors()
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def sending(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        if busy:
            self._slow.start()
        else:
            self._slow.stop()
            self.progress.hide()

    def done_ok(self, value: object = None) -> None:
        self.sending(False)
        self.result_value = value
        self.accept()

    def refused(self, error: BaseException) -> None:
        self.sending(False)
        self.form.show_refusal(error)


def password_pair(placeholder: str) -> tuple[QLineEdit, QLineEdit]:
    """A new password typed twice (hidden)."""
    first, second = QLineEdit(), QLineEdit()
    for edit in (first, second):
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    first.setPlaceholderText(placeholder)
    return first, second


def select_data(combo: QComboBox, value: object) -> None:
    """Select the entry whose data is ``value`` (left as it is when none is)."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
