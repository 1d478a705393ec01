"""The "Access requests" panel (Art. 12.2.d).

An agency files a request (content, purpose, commitment, cameras and time wanted, the official
letter as a PDF) and follows its state and the grant's end; the operating unit reads the
letter and grants named cameras for a limited time, rejects with a reason, or revokes a running
grant. Which buttons exist follows the user's unit; the server decides every step and its
messages are shown as they are. Dialogs never block the event loop (``open()``).

Signals (AccessPanel):
    letter_opened(object): the :class:`Path` of a letter saved and handed to the desktop viewer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
    QTableWidgetItem,
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
from widgets.forms import ERROR_STYLE, ReasonDialog, error_label
from widgets.tables import find_row, read_only_table, row_objects, selected_object, texts

REQUEST_ROLE = Qt.ItemDataRole.UserRole + 1
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
        self.error_label = error_label()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send request"))
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
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
        self.error_label = error_label()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Grant"))
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

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


class AccessPanel(QWidget):
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
        super().__init__(parent)
        self._service = service
        self.can_file = can_file
        self.can_decide = can_decide
        self.letter_dir = Path(letter_dir)
        self.open_letters = open_letters
        self._names: dict[int, str] = {}
        self._catalogue: list[RequestableCamera] | None = None
        self._catalogue_asked = False
        self.dialog: QDialog | None = None  # the open dialog waiting for the server
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.table = read_only_table([self.tr(str(c)) for c in self.COLUMNS])
        layout.addWidget(self.table, 1)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail_label)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New request…"))
        self.letter_button = QPushButton(self.tr("Open letter"))
        self.grant_button = QPushButton(self.tr("Grant…"))
        self.reject_button = QPushButton(self.tr("Reject…"))
        self.revoke_button = QPushButton(self.tr("Revoke"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        for button in (self.new_button, self.letter_button, self.grant_button,
                       self.reject_button, self.revoke_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.new_button.setVisible(can_file)
        for button in (self.grant_button, self.reject_button, self.revoke_button):
            button.setVisible(can_decide)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        self.new_button.clicked.connect(lambda: self.new_request())
        self.letter_button.clicked.connect(self.open_letter)
        self.grant_button.clicked.connect(lambda: self.ask_grant())
        self.reject_button.clicked.connect(lambda: self.ask_reject())
        self.revoke_button.clicked.connect(lambda: self.ask_revoke())
        self.refresh_button.clicked.connect(service.refresh_now)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        service.listed.connect(self.set_requests)
        service.request_changed.connect(self._on_request_changed)
        service.action_failed.connect(self._on_failed)
        service.letter_saved.connect(self._on_letter_saved)
        service.catalogue_loaded.connect(self._on_catalogue)
        self._update_buttons()

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

    def set_requests(self, requests: list[AccessRequest]) -> None:
        if self.can_file and self._catalogue is None and not self._catalogue_asked \
                and any(not self._names.get(c) for r in requests for c in r.camera_ids):
            # an agency's own requests name cameras it cannot see yet: their names are in the
            # catalogue (read once here; again each time the request dialog opens)
            self._catalogue_asked = True
            self._service.load_catalogue(quiet=True)
        selected = self.selected()
        self.table.setRowCount(0)
        now = datetime.now(UTC)
        for request in requests:
            row = self.table.rowCount()
            self.table.insertRow(row)
            end = request.grant_end
            if end is None:
                grant = ""
            elif request.running:
                grant = vn_text(end, seconds=False)
            else:
                grant = arg(self.tr("ended %1"), vn_text(end, seconds=False)) \
                    if end <= now else vn_text(end, seconds=False)
            texts = (str(request.id), request.unit, request.requester.label,
                     self.state_text(request.state), self._camera_text(request),
                     f"{vn_text(request.wanted_from, seconds=False)} – "
                     f"{vn_text(request.wanted_until, seconds=False)}", grant)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(REQUEST_ROLE, request)
                if column == 3 and request.state == "requested":
                    item.setForeground(Qt.GlobalColor.yellow)
                if column == 6 and request.running:
                    item.setForeground(Qt.GlobalColor.green)
                self.table.setItem(row, column, item)
            if selected is not None and selected.id == request.id:
                self.table.selectRow(row)
        self._update_buttons()

    def requests(self) -> list[AccessRequest]:
        return row_objects(self.table, REQUEST_ROLE)

    def row_texts(self, request_id: int) -> list[str]:
        row = find_row(self.table, REQUEST_ROLE, request_id)
        return [] if row is None else texts(self.table)[row]

    def selected(self) -> AccessRequest | None:
        return selected_object(self.table, REQUEST_ROLE)  # type: ignore[no-any-return]

    def select(self, request_id: int) -> bool:
        row = find_row(self.table, REQUEST_ROLE, request_id)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def _update_buttons(self) -> None:
        request = self.selected()
        self.letter_button.setEnabled(request is not None)
        pending = bool(request and request.state == "requested")
        self.grant_button.setEnabled(pending)
        self.reject_button.setEnabled(pending)
        self.revoke_button.setEnabled(bool(request and request.state == "granted"
                                           and request.running))
        self.detail_label.setText(self._detail(request) if request else "")

    def _detail(self, request: AccessRequest) -> str:
        lines = [arg(self.tr("Request #%1 of %2, filed %3"), request.id, request.unit,
                     vn_text(request.created_at)),
                 arg(self.tr("Content: %1"), request.content),
                 arg(self.tr("Purpose: %1"), request.purpose),
                 arg(self.tr("Commitment: %1"), request.commitment),
                 arg(self.tr("Letter: %1 (SHA-256 %2)"), request.letter_filename,
                     request.letter_sha256[:16] + "…")]
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
            self.status_label.setStyleSheet("")
            self.status_label.setText(self.tr("Fetching the letter…"))
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
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Request #%1: %2"), request.id,
                                      self.state_text(request.state)))

    def _on_failed(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
        dialog = self.dialog
        if isinstance(dialog, AccessRequestDialog | GrantDialog | AccessRejectDialog):
            dialog.buttons.setEnabled(True)  # stays open: the user corrects and sends again
            dialog.show_error(text)


def _exact(value: QDateTime) -> datetime:
    """An editor's UTC+7 time, with its milliseconds (short test grants need them)."""
    return from_vn_qdatetime(value) + timedelta(milliseconds=value.time().msec())
