"""The "Requests" panel: my clip requests and those awaiting my action, with the buttons the
server allows (endorse / approve / reject / download), a download progress bar with cancel, the
verification verdict, and "Verify file…" for any clip + manifest on disk.

The server decides; the panel shows its messages as they are. Dialogs never block the event
loop (``open()``), so polling and downloads keep running.

Signals (RequestsPanel):
    badge_changed(int): how many requests need the user (forwarded from the service).
    play_requested(object, object): ``(clip path, manifest body)`` — "Play" on a downloaded clip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bookmarks import Bookmark, vn_text
from app.clips import ClipRequest, ClipService, DownloadResult, check_letter
from app.domain import Camera
from app.i18n import arg
from common.evidence import Verdict, Verification
from widgets.bookmarks_panel import from_vn_qdatetime, to_vn_qdatetime, vn_editor
from widgets.forms import ERROR_STYLE, ReasonDialog, error_label
from widgets.tables import find_row, read_only_table, selected_object

REQUEST_ROLE = Qt.ItemDataRole.UserRole + 1
VERDICT_COLOURS = {Verdict.INTACT: "#4caf50", Verdict.ALTERED: "#e06c6c",
                   Verdict.SIGNATURE_INVALID: "#e06c6c"}


class ClipRequestDialog(QDialog):
    """A new clip request: camera, range (UTC+7), purpose; other agencies (``agency``) add the
    commitment and the official letter (PDF), both required, the letter checked to be a PDF
    when chosen and when sent. ``agency`` None (the user is not known yet): both fields are
    shown and optional, and the server says what is missing for the user's unit; False: hidden.
    """

    def __init__(self, cameras: list[Camera], parent: QWidget | None = None, *,
                 bookmark: Bookmark | None = None, camera_id: int | None = None,
                 start: datetime | None = None, end: datetime | None = None,
                 agency: bool | None = None) -> None:
        super().__init__(parent)
        self.agency = agency
        self.setWindowTitle(self.tr("Request a clip"))
        form = QFormLayout(self)
        self.camera_combo = QComboBox()
        for camera in sorted(cameras, key=lambda c: c.name):
            self.camera_combo.addItem(camera.name, camera.id)
        if bookmark is not None:
            camera_id = bookmark.camera_id
            start, end = bookmark.window_start, bookmark.window_end
            if self.camera_combo.findData(camera_id) < 0:
                self.camera_combo.addItem(bookmark.camera_name, camera_id)
        if camera_id is not None:
            self.camera_combo.setCurrentIndex(max(0, self.camera_combo.findData(camera_id)))
        form.addRow(self.tr("Camera"), self.camera_combo)
        now = datetime.now(UTC)
        self.start_edit = vn_editor()
        self.start_edit.setDateTime(to_vn_qdatetime(start or now - timedelta(minutes=1)))
        self.end_edit = vn_editor()
        self.end_edit.setDateTime(to_vn_qdatetime(end or now))
        form.addRow(self.tr("From (UTC+7)"), self.start_edit)
        form.addRow(self.tr("To (UTC+7)"), self.end_edit)
        self.purpose_edit = QPlainTextEdit()
        self.purpose_edit.setPlaceholderText(self.tr("Content and purpose of the request"))
        self.purpose_edit.setMaximumHeight(80)
        if bookmark is not None and bookmark.note:
            self.purpose_edit.setPlainText(bookmark.note)
        form.addRow(self.tr("Purpose"), self.purpose_edit)
        self.commitment_edit = QLineEdit()
        letter_row = QHBoxLayout()
        self.letter_edit = QLineEdit()
        self.browse_button = QPushButton(self.tr("Choose…"))
        self.browse_button.clicked.connect(self._choose_letter)
        letter_row.addWidget(self.letter_edit, 1)
        letter_row.addWidget(self.browse_button)
        self.letter_dialog: QFileDialog | None = None
        if agency:
            self.commitment_edit.setPlaceholderText(
                self.tr("I commit to use the clip only for the stated purpose"))
            self.letter_edit.setPlaceholderText(self.tr("The official request letter (PDF)"))
            form.addRow(self.tr("Commitment *"), self.commitment_edit)
            form.addRow(self.tr("Official letter (PDF) *"), letter_row)
            note = QLabel(self.tr("Requests of other agencies are decided by the operating unit "
                                  "on the official letter."))
            note.setWordWrap(True)
            form.addRow(note)
        else:
            self.commitment_edit.setPlaceholderText(
                self.tr("Other agencies: commitment to use it for this purpose only"))
            self.letter_edit.setPlaceholderText(self.tr("Other agencies: official letter (PDF)"))
            form.addRow(self.tr("Commitment"), self.commitment_edit)
            form.addRow(self.tr("Letter"), letter_row)
            if agency is False:  # the user's requests take another chain: nothing to attach
                form.setRowVisible(self.commitment_edit, False)
                form.setRowVisible(letter_row, False)
        self.error_label = error_label()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send request"))
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _choose_letter(self) -> None:
        dialog = QFileDialog(self, self.tr("Official letter"), "", self.tr("PDF (*.pdf)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self._letter_chosen)
        self.letter_dialog = dialog
        dialog.open()

    def _letter_chosen(self, path: str) -> None:
        self.letter_edit.setText(path)
        problem = check_letter(Path(path))
        if problem:
            self.show_error(problem)
        else:
            self.error_label.hide()

    def problem(self) -> str | None:
        """What must be corrected before sending (None: send; the server checks the rest)."""
        values = self.values()
        if values["camera_id"] is None:
            return self.tr("Choose a camera.")
        if self.agency and not values["purpose"]:
            return self.tr("State the content and purpose of the request.")
        if self.agency and not values["commitment"]:
            return self.tr("Other agencies must commit to use the clip only for the stated "
                           "purpose.")
        if self.agency or values["letter"] is not None:
            return check_letter(values["letter"])
        return None

    def values(self) -> dict[str, Any]:
        letter = self.letter_edit.text().strip()
        commitment = self.commitment_edit.text().strip()
        return {"camera_id": self.camera_combo.currentData(),
                "start": from_vn_qdatetime(self.start_edit.dateTime()),
                "end": from_vn_qdatetime(self.end_edit.dateTime()),
                "purpose": self.purpose_edit.toPlainText().strip(),
                "commitment": commitment or None,
                "letter": Path(letter) if letter else None}

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class RejectDialog(ReasonDialog):
    """The reason of a rejection (required by the server: 3–2000 characters)."""

    def __init__(self, request: ClipRequest, parent: QWidget | None = None) -> None:
        super().__init__(
            arg(self.tr("Reject clip request #%1"), request.id),
            self.tr("Reason"), self.tr("Reason (shown to the requester)"),
            hint=self.tr("A rejection needs a reason"), parent=parent)


class RequestsPanel(QWidget):
    badge_changed = Signal(int)
    play_requested = Signal(object, object)  # Path, manifest body dict

    COLUMN_COUNT = 7
    # how a fetched letter is shown: the desktop's PDF viewer (tests put a recorder here)
    open_url: Callable[[QUrl], object] = staticmethod(QDesktopServices.openUrl)

    def __init__(self, service: ClipService, download_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.download_dir = Path(download_dir)
        self._cameras: list[Camera] = []
        self._downloaded: dict[int, DownloadResult] = {}
        self.request_dialog: ClipRequestDialog | None = None
        self._sending: ClipRequestDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.tabs = QTabWidget()
        self.mine_table = self._table()
        self.awaiting_table = self._table()
        self.tabs.addTab(self.mine_table, self.tr("Mine"))
        self.tabs.addTab(self.awaiting_table, self.tr("Awaiting my action"))
        layout.addWidget(self.tabs, 1)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail_label)

        actions = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New request…"))
        self.endorse_button = QPushButton(self.tr("Endorse"))
        self.approve_button = QPushButton(self.tr("Approve"))
        self.reject_button = QPushButton(self.tr("Reject…"))
        self.download_button = QPushButton(self.tr("Download"))
        self.play_button = QPushButton(self.tr("Play"))
        self.verify_button = QPushButton(self.tr("Verify file…"))
        self.letter_button = QPushButton(self.tr("Open letter"))
        self.letter_button.setToolTip(self.tr("The requesting agency's official letter (PDF)"))
        for button in (self.new_button, self.endorse_button, self.approve_button,
                       self.reject_button, self.download_button, self.play_button,
                       self.letter_button, self.verify_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("Downloading… %p%"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self.progress.hide()
        self.cancel_button.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        self.new_button.clicked.connect(lambda: self.new_request())
        self.endorse_button.clicked.connect(self.endorse_selected)
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button.clicked.connect(self._ask_reject)
        self.download_button.clicked.connect(self.download_selected)
        self.play_button.clicked.connect(self.play_selected)
        self.verify_button.clicked.connect(self.ask_verify)
        self.letter_button.clicked.connect(self.open_letter_selected)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.tabs.currentChanged.connect(self._update_buttons)
        for table in (self.mine_table, self.awaiting_table):
            table.itemSelectionChanged.connect(self._update_buttons)
        service.mine_changed.connect(lambda items: self._fill(self.mine_table, items))
        service.awaiting_changed.connect(self._on_awaiting)
        service.badge_changed.connect(self.badge_changed)
        service.action_failed.connect(self._on_action_failed)
        service.request_changed.connect(self._on_request_changed)
        service.download_progress.connect(self._on_progress)
        service.download_finished.connect(self._on_downloaded)
        service.download_failed.connect(self._on_download_failed)
        service.verified.connect(self.show_verification)
        service.letter_saved.connect(self._on_letter_saved)
        self._update_buttons()

    def _table(self) -> QTableWidget:
        return read_only_table(self.column_titles())

    def column_titles(self) -> list[str]:
        return [self.tr("#"), self.tr("Camera"), self.tr("Ward"), self.tr("Range (UTC+7)"),
                self.tr("State"), self.tr("Requester"), self.tr("Purpose")]

    def set_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = list(cameras)

    # -- lists -----------------------------------------------------------------------------------
    def state_text(self, state: str) -> str:
        return {"requested": self.tr("requested"), "endorsed": self.tr("endorsed"),
                "approved": self.tr("approved"), "rejected": self.tr("rejected"),
                "extracting": self.tr("extracting"), "ready": self.tr("ready"),
                "delivered": self.tr("delivered"), "failed": self.tr("failed")}.get(state, state)

    def action_text(self, action: str) -> str:
        """A step of the request's history, as the server names it (``request``, ``endorse``…)."""
        return {"request": self.tr("request"), "endorse": self.tr("endorse"),
                "approve": self.tr("approve"), "reject": self.tr("reject"),
                "extracting": self.tr("extraction started"), "ready": self.tr("extracted"),
                "download": self.tr("download"),
                "failed": self.tr("extraction failed")}.get(action, action)

    def _fill(self, table: QTableWidget, requests: list[ClipRequest]) -> None:
        selected = self._selected_in(table)
        table.setRowCount(0)
        for request in requests:
            row = table.rowCount()
            table.insertRow(row)
            cells = (str(request.id), request.camera_name, request.ward, request.range_text,
                     self.state_text(request.state), request.requester.label, request.purpose)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(REQUEST_ROLE, request)
                if column == 4 and request.state == "ready":
                    item.setForeground(Qt.GlobalColor.green)
                table.setItem(row, column, item)
            if selected is not None and selected.id == request.id:
                table.selectRow(row)
        self._update_buttons()

    def _on_awaiting(self, requests: list[ClipRequest]) -> None:
        self._fill(self.awaiting_table, requests)
        title = self.tr("Awaiting my action")
        self.tabs.setTabText(1, f"{title} ({len(requests)})" if requests else title)

    def _selected_in(self, table: QTableWidget) -> ClipRequest | None:
        return selected_object(table, REQUEST_ROLE)  # type: ignore[no-any-return]

    def selected(self) -> ClipRequest | None:
        table = self.mine_table if self.tabs.currentIndex() == 0 else self.awaiting_table
        return self._selected_in(table)

    def select(self, request_id: int, box: str = "mine") -> bool:
        """Select request ``request_id`` in ``mine`` or ``awaiting`` (shows that tab)."""
        table = self.mine_table if box == "mine" else self.awaiting_table
        self.tabs.setCurrentIndex(0 if box == "mine" else 1)
        row = find_row(table, REQUEST_ROLE, request_id)
        if row is not None:
            table.selectRow(row)
        return row is not None

    def _update_buttons(self) -> None:
        request = self.selected()
        self.endorse_button.setEnabled(bool(request and request.may("endorse")))
        self.approve_button.setEnabled(bool(request and request.may("approve")))
        self.reject_button.setEnabled(bool(request and request.may("reject")))
        busy = bool(request and request.id in self._service.downloads)
        self.download_button.setEnabled(bool(request and request.may("download")) and not busy)
        self.play_button.setEnabled(bool(request and request.id in self._downloaded))
        self.letter_button.setEnabled(bool(request and request.letter_filename))
        self.detail_label.setText(self._detail(request) if request else "")

    def _detail(self, request: ClipRequest) -> str:
        lines = [arg(self.tr("Request #%1, %2"), request.id, request.camera_name)]
        for event in request.events:
            who = event.user.label if event.user else self.tr("system")
            lines.append(f"{vn_text(event.at)}  {self.action_text(event.action)} → "
                         f"{self.state_text(event.state)}  ({who})")
        if request.commitment:
            lines.append(arg(self.tr("Commitment: %1"), request.commitment))
        if request.letter_filename:
            lines.append(arg(self.tr("Official letter: %1"), request.letter_filename))
        if request.reject_reason:
            lines.append(arg(self.tr("Reason: %1"), request.reject_reason))
        if request.error:
            lines.append(arg(self.tr("Error: %1"), request.error))
        return "\n".join(lines)

    # -- actions ---------------------------------------------------------------------------------
    def new_request(self, bookmark: Bookmark | None = None) -> ClipRequestDialog:
        """Open the request dialog (from a bookmark: its camera and window)."""
        if self.request_dialog is not None:
            self.request_dialog.close()
        dialog = ClipRequestDialog(self._cameras, self, bookmark=bookmark,
                                   agency=self._service.needs_letter)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_request(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.request_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: ClipRequestDialog) -> None:
        if self.request_dialog is dialog:
            self.request_dialog = None
        if self._sending is dialog:
            self._sending = None

    def _send_request(self, dialog: ClipRequestDialog) -> None:
        values = dialog.values()
        problem = dialog.problem()
        if problem:
            dialog.show_error(problem)
            return
        dialog.buttons.setEnabled(False)
        # the dialog stays open on an error so the user can correct the range or purpose
        self._sending = dialog
        self._service.create_request(
            values["camera_id"], values["start"], values["end"], values["purpose"],
            commitment=values["commitment"], letter=values["letter"])

    def endorse_selected(self) -> None:
        request = self.selected()
        if request is not None:
            self._service.endorse(request.id)

    def approve_selected(self) -> None:
        request = self.selected()
        if request is not None:
            self._service.approve(request.id)

    def _ask_reject(self) -> None:
        request = self.selected()
        if request is None:
            return
        dialog = RejectDialog(request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._service.reject(request.id, dialog.reason()))
        dialog.open()

    def open_letter_selected(self) -> None:
        """Fetch the selected request's letter into the download folder, then open it with the
        desktop's PDF viewer."""
        request = self.selected()
        if request is None or not request.letter_filename:
            return
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Fetching the letter of request #%1…"), request.id))
        self._service.open_letter(request, self.download_dir / "letters")

    def _on_letter_saved(self, request_id: int, path: Path) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Letter of request #%1: %2"), request_id, path))
        self.open_url(QUrl.fromLocalFile(str(path)))

    def download_selected(self) -> None:
        request = self.selected()
        if request is None or not request.may("download"):
            return
        self.status_label.setText("")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self._service.download(request.id, self.download_dir)
        self._update_buttons()

    def cancel_download(self) -> None:
        for job in list(self._service.downloads.values()):
            job.cancel()

    def play_selected(self) -> None:
        request = self.selected()
        result = self._downloaded.get(request.id) if request else None
        if result is not None:
            self.play_requested.emit(result.clip_path, result.verification.manifest or {})

    def ask_verify(self) -> None:
        dialog = QFileDialog(self, self.tr("Clip to verify"), str(self.download_dir),
                             self.tr("Clips (*.mp4)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(path: str) -> None:
            clip = Path(path)
            manifest = clip.with_name(clip.stem + ".manifest.json")
            if manifest.exists():
                self.verify_files(clip, manifest)
                return
            second = QFileDialog(self, self.tr("Its manifest"), str(clip.parent),
                                 self.tr("Manifests (*.json)"))
            second.setOption(QFileDialog.Option.DontUseNativeDialog)
            second.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            second.fileSelected.connect(lambda m: self.verify_files(clip, Path(m)))
            second.open()

        dialog.fileSelected.connect(chosen)
        dialog.open()

    def verify_files(self, clip: Path, manifest: Path) -> None:
        self.status_label.setText(arg(self.tr("Verifying %1…"), clip.name))
        self._service.verify_files(clip, manifest)

    # -- results ---------------------------------------------------------------------------------
    def verdict_text(self, verification: Verification) -> str:
        return {Verdict.INTACT: self.tr("Intact"), Verdict.ALTERED: self.tr("ALTERED"),
                Verdict.SIGNATURE_INVALID: self.tr("SIGNATURE INVALID")}[verification.verdict]

    def show_verification(self, verification: Verification) -> None:
        colour = VERDICT_COLOURS[verification.verdict]
        self.status_label.setStyleSheet(f"color: {colour};")
        self.status_label.setText(f"{self.verdict_text(verification)} — {verification.message}")

    def _on_progress(self, request_id: int, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(done * 1000 / total))
        else:
            self.progress.setRange(0, 0)

    def _on_downloaded(self, request_id: int, result: DownloadResult) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self._downloaded[request_id] = result
        self.show_verification(result.verification)
        self.status_label.setText(self.status_label.text() + "\n" + str(result.clip_path))
        self._update_buttons()

    def _on_download_failed(self, request_id: int, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(self.tr("Download cancelled") if text == "cancelled"
                                  else arg(self.tr("Download failed: %1"), text))
        self._update_buttons()

    def _on_action_failed(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
        if self._sending is not None:
            self._sending.buttons.setEnabled(True)
            self._sending.show_error(text)
            self._sending = None

    def _on_request_changed(self, request: ClipRequest) -> None:
        if self._sending is not None:
            self._sending.accept()
            self._sending = None
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Request #%1: %2"), request.id,
                                      self.state_text(request.state)))
