"""The bookmarks panel: list, filter and search bookmarks; a quick dialog for a new one.

Times are shown and entered in the city's zone (UTC+7), whatever the machine's zone. The panel
only renders what :class:`app.bookmarks.BookmarkService` lists and calls it back.

Signals (BookmarksPanel):
    clip_requested(object): "Request clip…" on a selected ``Bookmark``.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bookmarks import (
    MAX_TAGS,
    MAX_WINDOW_S,
    VIETNAM,
    Bookmark,
    BookmarkDraft,
    BookmarkFilter,
    BookmarkService,
    parse_tags,
    vn_text,
    vn_time,
)
from app.domain import Camera
from widgets.forms import error_label
from widgets.tables import read_only_table, row_objects, selected_object

BOOKMARK_ROLE = Qt.ItemDataRole.UserRole + 1


def to_vn_qdatetime(value: datetime) -> QDateTime:
    """A naive QDateTime holding the UTC+7 wall-clock time of ``value`` (for an editor)."""
    local = vn_time(value)
    return QDateTime.fromString(local.strftime("%Y-%m-%d %H:%M:%S"), "yyyy-MM-dd HH:mm:ss")


def from_vn_qdatetime(value: QDateTime) -> datetime:
    """The editor's wall-clock time read as UTC+7."""
    date, time = value.date(), value.time()
    return datetime(date.year(), date.month(), date.day(), time.hour(), time.minute(),
                    time.second(), tzinfo=VIETNAM)


def vn_editor(parent: QWidget | None = None) -> QDateTimeEdit:
    editor = QDateTimeEdit(parent)
    editor.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
    editor.setCalendarPopup(True)
    return editor


class BookmarkDialog(QDialog):
    """Note, tags and window of a bookmark whose moment was taken when the user asked."""

    def __init__(self, draft: BookmarkDraft, camera_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self.setWindowTitle(self.tr("Bookmark"))
        form = QFormLayout(self)
        form.addRow(self.tr("Camera"), QLabel(camera_name))
        form.addRow(self.tr("Moment (UTC+7)"), QLabel(vn_text(draft.at)))
        self.before_spin = QSpinBox()
        self.before_spin.setRange(0, MAX_WINDOW_S)
        self.before_spin.setSuffix(self.tr(" s"))
        self.before_spin.setValue(draft.before_s)
        self.after_spin = QSpinBox()
        self.after_spin.setRange(0, MAX_WINDOW_S)
        self.after_spin.setSuffix(self.tr(" s"))
        self.after_spin.setValue(draft.after_s)
        form.addRow(self.tr("Before"), self.before_spin)
        form.addRow(self.tr("After"), self.after_spin)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("What happened"))
        self.note_edit.setMaximumHeight(90)
        form.addRow(self.tr("Note"), self.note_edit)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText(self.tr("tags, separated by commas"))
        form.addRow(self.tr("Tags"), self.tags_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.note_edit.setFocus()

    def draft(self) -> BookmarkDraft:
        return BookmarkDraft(self._draft.camera_id, self._draft.at, self.before_spin.value(),
                             self.after_spin.value(), self.note_edit.toPlainText().strip()[:2000],
                             parse_tags(self.tags_edit.text())[:MAX_TAGS])


def ask_bookmark(parent: QWidget | None, service: BookmarkService, camera_id: int,
                 camera_name: str) -> BookmarkDialog:
    """Key B / the bookmark button: take "now", then ask for note and tags (non-blocking);
    Save creates the bookmark at the moment taken."""
    dialog = BookmarkDialog(service.draft(camera_id), camera_name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: service.create_draft(dialog.draft()))
    dialog.open()
    return dialog


class BookmarksPanel(QWidget):
    clip_requested = Signal(object)  # Bookmark

    COLUMN_COUNT = 7

    def column_titles(self) -> list[str]:
        return [self.tr("Time (UTC+7)"), self.tr("Camera"), self.tr("Ward"), self.tr("Window"),
                self.tr("Note"), self.tr("Tags"), self.tr("Author")]

    def __init__(self, service: BookmarkService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._cameras: list[Camera] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        filters = QGridLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search notes and tags"))
        self.search_edit.setClearButtonEnabled(True)
        filters.addWidget(self.search_edit, 0, 0, 1, 4)
        self.camera_combo = QComboBox()
        self.ward_combo = QComboBox()
        filters.addWidget(QLabel(self.tr("Camera")), 1, 0)
        filters.addWidget(self.camera_combo, 1, 1)
        filters.addWidget(QLabel(self.tr("Ward")), 1, 2)
        filters.addWidget(self.ward_combo, 1, 3)
        self.tag_edit = QLineEdit()
        self.tag_edit.setPlaceholderText(self.tr("exact tag"))
        self.author_edit = QLineEdit()
        self.author_edit.setPlaceholderText(self.tr("user name"))
        filters.addWidget(QLabel(self.tr("Tag")), 2, 0)
        filters.addWidget(self.tag_edit, 2, 1)
        filters.addWidget(QLabel(self.tr("Author")), 2, 2)
        filters.addWidget(self.author_edit, 2, 3)
        self.since_check = QCheckBox(self.tr("From"))
        self.since_edit = vn_editor()
        self.until_check = QCheckBox(self.tr("To"))
        self.until_edit = vn_editor()
        now = datetime.now(VIETNAM)
        self.since_edit.setDateTime(to_vn_qdatetime(now.replace(hour=0, minute=0, second=0)))
        self.until_edit.setDateTime(to_vn_qdatetime(now.replace(hour=23, minute=59, second=59)))
        filters.addWidget(self.since_check, 3, 0)
        filters.addWidget(self.since_edit, 3, 1)
        filters.addWidget(self.until_check, 3, 2)
        filters.addWidget(self.until_edit, 3, 3)
        layout.addLayout(filters)
        self._fill_combos()

        self.table = read_only_table(self.column_titles())
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.count_label = QLabel()
        row.addWidget(self.count_label, 1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.request_button = QPushButton(self.tr("Request clip…"))
        self.request_button.setEnabled(False)
        row.addWidget(self.refresh_button)
        row.addWidget(self.request_button)
        layout.addLayout(row)
        self.error_label = error_label()
        layout.addWidget(self.error_label)

        # typing filters: apply after a short pause, off the GUI thread through the service
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.apply_filter)
        for edit in (self.search_edit, self.tag_edit, self.author_edit):
            edit.textChanged.connect(self._debounce.start)
        for combo in (self.camera_combo, self.ward_combo):
            combo.currentIndexChanged.connect(self._debounce.start)
        for check in (self.since_check, self.until_check):
            check.toggled.connect(self._debounce.start)
        for editor in (self.since_edit, self.until_edit):
            editor.dateTimeChanged.connect(self._debounce.start)
        self.refresh_button.clicked.connect(self.apply_filter)
        self.request_button.clicked.connect(self._request_clip)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        service.listed.connect(self._on_listed)
        service.failed.connect(self._on_failed)

    # -- cameras and filters ----------------------------------------------------------------------
    def set_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = sorted(cameras, key=lambda c: c.name)
        self._fill_combos()

    def _fill_combos(self) -> None:
        camera_id, ward_id = self.camera_combo.currentData(), self.ward_combo.currentData()
        for combo in (self.camera_combo, self.ward_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("All"), None)
        for camera in self._cameras:
            self.camera_combo.addItem(camera.name, camera.id)
        for ward_id_, name in sorted({(c.ward_id, c.ward) for c in self._cameras},
                                     key=lambda w: w[1]):
            self.ward_combo.addItem(name, ward_id_)
        for combo, value in ((self.camera_combo, camera_id), (self.ward_combo, ward_id)):
            index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def current_filter(self) -> BookmarkFilter:
        return BookmarkFilter(
            camera_id=self.camera_combo.currentData(), ward_id=self.ward_combo.currentData(),
            since=from_vn_qdatetime(self.since_edit.dateTime())
            if self.since_check.isChecked() else None,
            until=from_vn_qdatetime(self.until_edit.dateTime())
            if self.until_check.isChecked() else None,
            tag=self.tag_edit.text().strip() or None,
            author=self.author_edit.text().strip() or None,
            text=self.search_edit.text().strip() or None)

    def apply_filter(self) -> None:
        self._debounce.stop()
        self._service.refresh(self.current_filter())

    # -- list ------------------------------------------------------------------------------------
    def bookmarks(self) -> list[Bookmark]:
        return row_objects(self.table, BOOKMARK_ROLE)

    def selected(self) -> Bookmark | None:
        return selected_object(self.table, BOOKMARK_ROLE)  # type: ignore[no-any-return]

    def _on_listed(self, bookmarks: list[Bookmark], total: int) -> None:
        self.error_label.hide()
        self.table.setRowCount(0)
        for bookmark in bookmarks:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (vn_text(bookmark.at), bookmark.camera_name, bookmark.ward,
                     f"−{bookmark.before_s} s / +{bookmark.after_s} s", bookmark.note,
                     ", ".join(bookmark.tags), bookmark.author.full_name or bookmark.author.username)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(BOOKMARK_ROLE, bookmark)
                if column == 4:
                    item.setToolTip(bookmark.note)
                self.table.setItem(row, column, item)
        self.count_label.setText(self.tr("%n bookmark(s)", "", total))
        self._selection_changed()

    def _on_failed(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _selection_changed(self) -> None:
        self.request_button.setEnabled(self.selected() is not None)

    def _request_clip(self) -> None:
        bookmark = self.selected()
        if bookmark is not None:
            self.clip_requested.emit(bookmark)
