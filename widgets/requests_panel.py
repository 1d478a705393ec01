"""The "Requests" panel: my clip requests and those awaiting my action, with the buttons the
server allows (endorse / approve / reject / download), a download progress bar with cancel, the
verification verdict, and "Verify file…" for any clip + manifest on disk.

The two lists (tabs), the detail and the buttons are a
:class:`widgets.list_detail.ListDetailPanel`. The server decides; the panel shows its messages as
they are. Dialogs never block the event loop (``open()``), so polling and downloads keep running.

Signals (RequestsPanel):
    badge_changed(int): how many requests need the user (forwarded from the service).
    play_requested(object, object): ``(clip path, manifest body)`` — "Play" on a downloaded clip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.bookmarks import Bookmark, vn_text
from app.clips import ClipRequest, ClipService, DownloadResult, check_letter, range_text
from app.domain import Camera
from app.i18n import arg
from common.evidence import Verdict, Verification
from widgets.bookmarks_panel import from_vn_qdatetime, to_vn_qdatetime, vn_editor
from widgets.forms import ERROR_STYLE, ReasonDialog, form_footer
from widgets.list_detail import Action, Column, ListDetailPanel, always

VERDICT_COLOURS = {Verdict.INTACT: "#4caf50", Verdict.ALTERED: "#e06c6c",
                   Verdict.SIGNATURE_INVALID: "#e06c6c"}


def _ready_colour(request: ClipRequest) -> Qt.GlobalColor | None:
    return Qt.GlobalColor.green if request.state == "ready" else None


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
        self.error_label, self.buttons = form_footer(self, form, self.tr("Send request"))

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


class RequestsPanel(ListDetailPanel[ClipRequest]):
    badge_changed = Signal(int)
    play_requested = Signal(object, object)  # Path, manifest body dict

    COLUMN_COUNT = 7
    # how a fetched letter is shown: the desktop's PDF viewer (tests put a recorder here)
    open_url: Callable[[QUrl], object] = staticmethod(QDesktopServices.openUrl)

    def __init__(self, service: ClipService, download_dir: Path,
                 parent: QWidget | None = None) -> None:
        cells: tuple[Callable[[ClipRequest], str], ...] = (
            lambda r: str(r.id), lambda r: r.camera_name, lambda r: r.ward,
            range_text, lambda r: self.state_text(r.state),
            lambda r: r.requester.label, lambda r: r.purpose)
        columns = [Column(title, text, colour=_ready_colour if index == 4 else None)
                   for index, (title, text) in enumerate(zip(self.column_titles(), cells,
                                                             strict=True))]
        super().__init__(columns, render=self._detail, detail_beside=False,
                         boxes=(QCoreApplication.translate("RequestsPanel", "Mine"),
                                QCoreApplication.translate("RequestsPanel",
                                                           "Awaiting my action"),
                                QCoreApplication.translate("RequestsPanel",
                                                           "Received with cases")),
                         parent=parent)
        self._service = service
        self.download_dir = Path(download_dir)
        self._cameras: list[Camera] = []
        self._downloaded: dict[int, DownloadResult] = {}
        self.request_dialog: ClipRequestDialog | None = None
        self._sending: ClipRequestDialog | None = None
        self.mine_table = self.lists[0].widget
        self.awaiting_table = self.lists[1].widget
        self.received_table = self.lists[2].widget
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.new_button = self.add_action(Action(
            "new", self.tr("New request…"), lambda: self.new_request(), always))
        self.endorse_button = self.add_action(Action(
            "endorse", self.tr("Endorse"), self.endorse_selected))
        self.approve_button = self.add_action(Action(
            "approve", self.tr("Approve"), self.approve_selected))
        self.reject_button = self.add_action(Action(
            "reject", self.tr("Reject…"), self._ask_reject))
        self.download_button = self.add_action(Action(
            "download", self.tr("Download"), self.download_selected,
            lambda r: r is not None and r.may("download")
            and r.id not in self._service.downloads))
        self.play_button = self.add_action(Action(
            "play", self.tr("Play"), self.play_selected,
            lambda r: bool(r and r.id in self._downloaded)))
        self.letter_button = self.add_action(Action(
            "letter", self.tr("Open letter"), self.open_letter_selected,
            lambda r: bool(r and r.letter and r.letter.filename)))
        self.letter_button.setToolTip(self.tr("The requesting agency's official letter (PDF)"))
        self.verify_button = self.add_action(Action(
            "verify", self.tr("Verify file…"), self.ask_verify, always))

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("Downloading… %p%"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.add_row(progress_row)
        self.progress.hide()
        self.cancel_button.hide()

        self.cancel_button.clicked.connect(self.cancel_download)
        service.mine_changed.connect(lambda items: self.set_items(items, 0))
        service.awaiting_changed.connect(self._on_awaiting)
        service.received_changed.connect(lambda items: self.set_items(items, 2))
        service.list.item_changed.connect(self.replace_item)
        service.badge_changed.connect(self.badge_changed)
        service.action_failed.connect(self._on_action_failed)
        service.request_changed.connect(self._on_request_changed)
        service.download_progress.connect(self._on_progress)
        service.download_finished.connect(self._on_downloaded)
        service.download_failed.connect(self._on_download_failed)
        service.verified.connect(self.show_verification)
        service.letter_saved.connect(self._on_letter_saved)
        self.update_selection()

    def column_titles(self) -> list[str]:
        return [QCoreApplication.translate("RequestsPanel", "#"),
                QCoreApplication.translate("RequestsPanel", "Camera"),
                QCoreApplication.translate("RequestsPanel", "Ward"),
                QCoreApplication.translate("RequestsPanel", "Range (UTC+7)"),
                QCoreApplication.translate("RequestsPanel", "State"),
                QCoreApplication.translate("RequestsPanel", "Requester"),
                QCoreApplication.translate("RequestsPanel", "Purpose")]

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

    def _on_awaiting(self, requests: list[ClipRequest]) -> None:
        self.set_items(requests, 1)
        title = self.tr("Awaiting my action")
        if self.tabs is not None:
            self.tabs.setTabText(1, f"{title} ({len(requests)})" if requests else title)

    def select(self, request_id: int, box: str = "mine") -> bool:
        """Select request ``request_id`` in ``mine``, ``awaiting`` or ``received`` (shows that
        tab)."""
        self.show_box({"mine": 0, "awaiting": 1, "received": 2}.get(box, 0))
        return super().select(request_id)

    def _detail(self, request: ClipRequest) -> str:
        lines = [arg(self.tr("Request #%1, %2"), request.id, request.camera_name)]
        for event in request.events:
            who = event.user.label if event.user else self.tr("system")
            lines.append(f"{vn_text(event.at)}  {self.action_text(event.action)} → "
                         f"{self.state_text(event.state)}  ({who})")
        if request.commitment:
            lines.append(arg(self.tr("Commitment: %1"), request.commitment))
        if request.letter and request.letter.filename:
            lines.append(arg(self.tr("Official letter: %1"), request.letter.filename))
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
        if request is None or not (request.letter and request.letter.filename):
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
        self.update_selection()

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
        self.update_selection()

    def _on_download_failed(self, request_id: int, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(self.tr("Download cancelled") if text == "cancelled"
                                  else arg(self.tr("Download failed: %1"), text))
        self.update_selection()

    def _on_action_failed(self, text: str) -> None:
        self.show_error(text)
        if self._sending is not None:
            self._sending.buttons.setEnabled(True)
            self._sending.show_error(text)
            self._sending = None

    def _on_request_changed(self, request: ClipRequest) -> None:
        if self._sending is not None:
            self._sending.accept()
            self._sending = None
        self.show_status(arg(self.tr("Request #%1: %2"), request.id,
                             self.state_text(request.state)))
