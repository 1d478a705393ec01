"""The "Access requests" panel (Art. 12.2.d).

An agency files a request (content, purpose, commitment, cameras and time wanted, the official
letter as a PDF) and follows its state and the grant's end; the operating unit reads the
letter and grants named cameras for a limited time, rejects with a reason, or revokes a running
grant. Which buttons exist follows the user's unit; the server decides every step and its
messages are shown as they are. Dialogs never block the event loop (``open()``). The list,
the detail and the buttons are a :class:`widgets.list_detail.ListDetailPanel`.

Signals (AccessPanel):
    letter_opened(object): the :class:`Path` of a letter saved and handed to the desktop viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.access_requests import (
    REASON_MIN,
    AccessRequest,
    AccessRequestService,
    RequestableCamera,
)
from app.bookmarks import vn_text
from app.domain import Camera
from app.i18n import arg
from widgets.bookmarks_panel import from_vn_qdatetime, to_vn_qdatetime, vn_editor
from widgets.forms import ReasonDialog, form_footer
from widgets.list_detail import Action, Column, ListDetailPanel, always, with_item
from widgets.tables import texts

CAMERA_ROLE = Qt.ItemDataRole.UserRole + 2


class AccessRequestDialog(QDialog):
    """A new access request of an agency. The cameras are ticked in the catalogue of those an
    agency may ask for (``set_catalogue``, read from the server when the dialog opens)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Request access to cameras"))
        self._loaded = False
        form = QFormLayout(self)
        self.content_edit = QPlainTextEdit()
        self.content_edit.setPlaceholderText(self.tr("What you need to see (at least 10 "
                                                     "characters)"))
        self.purpose_edit = QPlainTextEdit()
        self.purpose_edit.setPlaceholderText(self.tr("Why (the case or task)"))
        self.commitment_edit = QPlainTextEdit()
        self.commitment_edit.setPlaceholderText(
            self.tr("We commit to use the pictures for this purpose only"))
        for editor in (self.content_edit, self.purpose_edit, self.commitment_edit):
            editor.setMaximumHeight(70)
        form.addRow(self.tr("Content"), self.content_edit)
        form.addRow(self.tr("Purpose"), self.purpose_edit)
        form.addRow(self.tr("Commitment"), self.commitment_edit)
        cameras_box = QVBoxLayout()
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by name, ward or location"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.cameras_list = QListWidget()
        self.cameras_list.setMinimumHeight(160)
        self.cameras_list.itemChanged.connect(self._count_checked)
        self.cameras_status = QLabel(self.tr("Loading the cameras you may ask for…"))
        self.cameras_status.setWordWrap(True)
        cameras_box.addWidget(self.filter_edit)
        cameras_box.addWidget(self.cameras_list)
        cameras_box.addWidget(self.cameras_status)
        form.addRow(self.tr("Cameras"), cameras_box)
        now = datetime.now(UTC)
        self.from_edit = vn_editor()
        self.from_edit.setDateTime(to_vn_qdatetime(now))
        self.until_edit = vn_editor()
        self.until_edit.setDateTime(to_vn_qdatetime(now + timedelta(days=7)))
        form.addRow(self.tr("From (UTC+7)"), self.from_edit)
        form.addRow(self.tr("Until (UTC+7)"), self.until_edit)
        letter_row = QHBoxLayout()
        self.letter_edit = QLineEdit()
        self.letter_edit.setPlaceholderText(self.tr("Official letter (PDF)"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_letter)
        letter_row.addWidget(self.letter_edit, 1)
        letter_row.addWidget(browse)
        form.addRow(self.tr("Letter"), letter_row)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Send request"))
        self.file_dialog: QFileDialog | None = None

    def set_catalogue(self, cameras: list[RequestableCamera]) -> None:
        """The cameras to choose from (the server's order); ticks already made are kept."""
        checked = set(self.camera_ids())
        self.cameras_list.blockSignals(True)
        self.cameras_list.clear()
        for camera in cameras:
            item = QListWidgetItem(arg(self.tr("#%1 %2 — %3, %4"), camera.id, camera.name,
                                       camera.ward, camera.location))
            item.setData(CAMERA_ROLE, camera.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if camera.id in checked
                               else Qt.CheckState.Unchecked)
            self.cameras_list.addItem(item)
        self.cameras_list.blockSignals(False)
        self._loaded = True
        self._filter(self.filter_edit.text())
        self._count_checked()

    def item_of(self, camera_id: int) -> QListWidgetItem | None:
        for row in range(self.cameras_list.count()):
            item = self.cameras_list.item(row)
            if item.data(CAMERA_ROLE) == camera_id:
                return item
        return None

    def camera_ids(self) -> list[int]:
        """The ticked cameras, in the list's order."""
        return [int(self.cameras_list.item(i).data(CAMERA_ROLE))
                for i in range(self.cameras_list.count())
                if self.cameras_list.item(i).checkState() == Qt.CheckState.Checked]

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.cameras_list.count()):
            item = self.cameras_list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _count_checked(self, _item: QListWidgetItem | None = None) -> None:
        if not self._loaded:
            return
        if self.cameras_list.count() == 0:
            self.cameras_status.setText(self.tr("No camera can be requested at the moment."))
            return
        self.cameras_status.setText(arg(self.tr("%1 of %2 cameras chosen"), len(self.camera_ids()),
                                        self.cameras_list.count()))

    def _choose_letter(self) -> None:
        dialog = QFileDialog(self, self.tr("Official letter"), "", self.tr("PDF (*.pdf)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.letter_edit.setText)
        self.file_dialog = dialog
        dialog.open()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class GrantDialog(QDialog):
    """Which of the asked cameras, and until when (UTC+7)."""

    def __init__(self, request: AccessRequest, names: dict[int, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(arg(self.tr("Grant access request #%1"), request.id))
        form = QFormLayout(self)
        form.addRow(QLabel(arg(self.tr("%1 asks for these cameras; uncheck those not granted."),
                               request.unit)))
        self.cameras_list = QListWidget()
        for camera_id in request.camera_ids:
            item = QListWidgetItem(names.get(camera_id) or arg(self.tr("Camera #%1"), camera_id))
            item.setData(CAMERA_ROLE, camera_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.cameras_list.addItem(item)
        form.addRow(self.tr("Cameras"), self.cameras_list)
        now = datetime.now(UTC)
        start = max(now, request.wanted_from)
        end = request.wanted_until if request.wanted_until > start else start + timedelta(days=1)
        self.from_edit = vn_editor()
        self.from_edit.setDateTime(to_vn_qdatetime(start))
        self.until_edit = vn_editor()
        self.until_edit.setDateTime(to_vn_qdatetime(end))
        form.addRow(self.tr("From (UTC+7)"), self.from_edit)
        form.addRow(self.tr("Until (UTC+7)"), self.until_edit)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Grant"))

    def camera_ids(self) -> list[int]:
        return [int(self.cameras_list.item(i).data(CAMERA_ROLE))
                for i in range(self.cameras_list.count())
                if self.cameras_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_until(self, value: datetime) -> None:
        self.until_edit.setDateTime(to_vn_qdatetime(value))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class AccessRejectDialog(ReasonDialog):
    """The reason of a rejection: required (OK waits for 3 characters); the panel closes it when
    the server has agreed."""

    def __init__(self, request: AccessRequest, parent: QWidget | None = None) -> None:
        super().__init__(
            arg(self.tr("Reject access request #%1"), request.id),
            self.tr("Reason"), self.tr("Reason (shown to the agency; required)"),
            ok_text=self.tr("Reject"), hint=self.tr("A rejection needs a reason"),
            min_chars=REASON_MIN, accept_on_ok=False, parent=parent)


class AccessPanel(ListDetailPanel[AccessRequest]):
    """Requests list with the steps this user's unit may take."""

    letter_opened = Signal(object)

    COLUMNS = (QT_TRANSLATE_NOOP("AccessPanel", "#"), QT_TRANSLATE_NOOP("AccessPanel", "Agency"),
               QT_TRANSLATE_NOOP("AccessPanel", "Requester"),
               QT_TRANSLATE_NOOP("AccessPanel", "State"),
               QT_TRANSLATE_NOOP("AccessPanel", "Cameras"),
               QT_TRANSLATE_NOOP("AccessPanel", "Wanted (UTC+7)"),
               QT_TRANSLATE_NOOP("AccessPanel", "Grant ends (UTC+7)"))

    def __init__(self, service: AccessRequestService, *, can_file: bool, can_decide: bool,
                 letter_dir: Path, open_letters: bool = True,
                 parent: QWidget | None = None) -> None:
        cells: tuple[Callable[[AccessRequest], str], ...] = (
            lambda r: str(r.id), lambda r: r.unit, lambda r: r.requester.label,
            lambda r: self.state_text(r.state), self._camera_text,
            lambda r: f"{vn_text(r.wanted_from, seconds=False)} – "
                      f"{vn_text(r.wanted_until, seconds=False)}",
            self._grant_text)
        colours: dict[int, Callable[[AccessRequest], Qt.GlobalColor | None]] = {
            3: lambda r: Qt.GlobalColor.yellow if r.state == "requested" else None,
            6: lambda r: Qt.GlobalColor.green if r.running else None}
        columns = [Column(QCoreApplication.translate("AccessPanel", str(title)), text,
                          colour=colours.get(index))
                   for index, (title, text) in enumerate(zip(self.COLUMNS, cells, strict=True))]
        super().__init__(columns, render=self._detail, detail_beside=False, parent=parent)
        self._service = service
        self.can_file = can_file
        self.can_decide = can_decide
        self.letter_dir = Path(letter_dir)
        self.open_letters = open_letters
        self._names: dict[int, str] = {}
        self._catalogue: list[RequestableCamera] | None = None
        self._catalogue_asked = False
        self.dialog: QDialog | None = None  # the open dialog waiting for the server
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        def pending(request: AccessRequest | None) -> bool:
            return bool(request and request.state == "requested")

        self.new_button = self.add_action(Action(
            "new", self.tr("New request…"), lambda: self.new_request(), always, shown=can_file))
        self.letter_button = self.add_action(Action(
            "letter", self.tr("Open letter"), self.open_letter, with_item))
        self.grant_button = self.add_action(Action(
            "grant", self.tr("Grant…"), lambda: self.ask_grant(), pending, shown=can_decide))
        self.reject_button = self.add_action(Action(
            "reject", self.tr("Reject…"), lambda: self.ask_reject(), pending, shown=can_decide))
        self.revoke_button = self.add_action(Action(
            "revoke", self.tr("Revoke"), lambda: self.ask_revoke(),
            lambda r: bool(r and r.state == "granted" and r.running), shown=can_decide))
        self.refresh_button = self.add_action(Action(
            "refresh", self.tr("Refresh"), service.refresh_now, always))

        service.listed.connect(self.set_requests)
        service.list.item_changed.connect(self.replace_item)
        service.request_changed.connect(self._on_request_changed)
        service.action_failed.connect(self._on_failed)
        service.letter_saved.connect(self._on_letter_saved)
        service.catalogue_loaded.connect(self._on_catalogue)
        self.update_selection()

    def set_cameras(self, cameras: list[Camera]) -> None:
        """The user's camera list: names for the table (an agency's is only what it was
        granted; it chooses from the catalogue instead)."""
        self._names.update({c.id: c.name for c in cameras})

    # -- list --------------------------------------------------------------------------------------
    def state_text(self, state: str) -> str:
        return {"requested": self.tr("awaiting decision"), "granted": self.tr("granted"),
                "rejected": self.tr("rejected")}.get(state, state)

    def _camera_text(self, request: AccessRequest) -> str:
        names = {g.camera_id: g.camera_name for g in request.grants}
        return ", ".join(names.get(c) or self._names.get(c) or f"#{c}"
                         for c in request.camera_ids)

    def _grant_text(self, request: AccessRequest) -> str:
        end = request.grant_end
        if end is None:
            return ""
        if request.running or end > datetime.now(UTC):
            return vn_text(end, seconds=False)
        return arg(self.tr("ended %1"), vn_text(end, seconds=False))

    def set_requests(self, requests: list[AccessRequest]) -> None:
        if self.can_file and self._catalogue is None and not self._catalogue_asked \
                and any(not self._names.get(c) for r in requests for c in r.camera_ids):
            # an agency's own requests name cameras it cannot see yet: their names are in the
            # catalogue (read once here; again each time the request dialog opens)
            self._catalogue_asked = True
            self._service.load_catalogue(quiet=True)
        self.set_items(requests)

    def requests(self) -> list[AccessRequest]:
        return self.items()

    def row_texts(self, request_id: int) -> list[str]:
        row = self.lists[0].row_of(request_id)
        return [] if row is None else texts(self.table)[row]

    def _detail(self, request: AccessRequest) -> str:
        lines = [arg(self.tr("Request #%1 of %2, filed %3"), request.id, request.unit,
                     vn_text(request.created_at)),
                 arg(self.tr("Content: %1"), request.content),
                 arg(self.tr("Purpose: %1"), request.purpose),
                 arg(self.tr("Commitment: %1"), request.commitment),
                 arg(self.tr("Letter: %1 (SHA-256 %2)"), request.letter.filename,
                     request.letter.sha256[:16] + "…")]
        if request.decided_by is not None:
            lines.append(arg(self.tr("Decided by %1 at %2"), request.decided_by.label,
                             vn_text(request.decided_at)))
        if request.reject_reason:
            lines.append(arg(self.tr("Reason: %1"), request.reject_reason))
        for grant in request.grants:
            lines.append(arg(self.tr("%1: %2 – %3 (%4)"), grant.camera_name,
                             vn_text(grant.valid_from, seconds=False),
                             vn_text(grant.valid_until, seconds=False),
                             self.tr("running") if grant.active else self.tr("not running")))
        return "\n".join(lines)

    # -- agency: file ------------------------------------------------------------------------------
    def new_request(self) -> AccessRequestDialog:
        """The request dialog; the cameras to choose from are read from the server each time
        (shown at once from the last reading meanwhile)."""
        dialog = AccessRequestDialog(self)
        if self._catalogue is not None:
            dialog.set_catalogue(self._catalogue)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send(dialog))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        self._service.load_catalogue()
        return dialog

    def _on_catalogue(self, cameras: list[RequestableCamera]) -> None:
        self._catalogue = list(cameras)
        self._names.update({c.id: c.name for c in cameras})
        if isinstance(self.dialog, AccessRequestDialog):
            self.dialog.set_catalogue(self._catalogue)
        if self.table.rowCount():
            self.set_requests(self.requests())  # the names of the cameras asked for

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _send(self, dialog: AccessRequestDialog) -> None:
        ids = dialog.camera_ids()
        if not ids:
            dialog.show_error(self.tr("Cameras: tick at least one camera in the list."))
            return
        letter = dialog.letter_edit.text().strip()
        if not letter:
            dialog.show_error(self.tr("Letter: choose the official letter (a PDF file)."))
            return
        dialog.buttons.setEnabled(False)
        self.dialog = dialog
        self._service.file_request(
            dialog.content_edit.toPlainText(), dialog.purpose_edit.toPlainText(),
            dialog.commitment_edit.toPlainText(), ids,
            from_vn_qdatetime(dialog.from_edit.dateTime()),
            from_vn_qdatetime(dialog.until_edit.dateTime()), Path(letter))

    # -- operating unit: decide --------------------------------------------------------------------
    def ask_grant(self) -> GrantDialog | None:
        request = self.selected()
        if request is None:
            return None
        dialog = GrantDialog(request, self._names, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def send() -> None:
            ids = dialog.camera_ids()
            if not ids:
                dialog.show_error(self.tr("Check at least one camera."))
                return
            until = _exact(dialog.until_edit.dateTime())
            dialog.buttons.setEnabled(False)
            self.dialog = dialog
            self._service.grant(request.id, ids, until, _exact(dialog.from_edit.dateTime()))

        dialog.buttons.accepted.connect(send)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_reject(self) -> AccessRejectDialog | None:
        request = self.selected()
        if request is None:
            return None
        dialog = AccessRejectDialog(request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def send() -> None:
            dialog.buttons.setEnabled(False)
            self.dialog = dialog
            self._service.reject(request.id, dialog.reason())

        dialog.buttons.accepted.connect(send)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_revoke(self) -> QMessageBox | None:
        """Revoking ends the agency's access at once: ask first."""
        request = self.selected()
        if request is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Revoke access"),
                          arg(self.tr("End the access granted to %1 (request #%2) now? Its "
                                      "cameras disappear from the agency's list at once."),
                              request.unit, request.id),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(
            lambda button: self._service.revoke(request.id) if button is yes else None)
        box.open()
        return box

    def open_letter(self) -> None:
        request = self.selected()
        if request is not None:
            self.show_status(self.tr("Fetching the letter…"))
            self._service.save_letter(request.id, self.letter_dir)

    # -- results -----------------------------------------------------------------------------------
    def _on_letter_saved(self, _request_id: int, path: Path) -> None:
        self.status_label.setText(arg(self.tr("Letter saved to %1"), path))
        if self.open_letters:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.letter_opened.emit(path)

    def _on_request_changed(self, request: AccessRequest) -> None:
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.show_status(arg(self.tr("Request #%1: %2"), request.id,
                             self.state_text(request.state)))

    def _on_failed(self, text: str) -> None:
        self.show_error(text)
        dialog = self.dialog
        if isinstance(dialog, AccessRequestDialog | GrantDialog | AccessRejectDialog):
            dialog.buttons.setEnabled(True)  # stays open: the user corrects and sends again
            dialog.show_error(text)


def _exact(value: QDateTime) -> datetime:
    """An editor's UTC+7 time, with its milliseconds (short test grants need them)."""
    return from_vn_qdatetime(value) + timedelta(milliseconds=value.time().msec())
