"""The "Audit log" panel: the operating unit browses the tamper-evident audit log in pages with
filters (time range in UTC+7, user, event, camera), sees the hash chain's check in a green or red
banner (intact / broken at row N and why), and exports the filtered rows to the server's
Vietnamese CSV.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit_log import (
    KNOWN_EVENTS,
    AuditExport,
    AuditFilter,
    AuditLogService,
    AuditPage,
    ChainVerdict,
)
from app.bookmarks import vn_text
from app.domain import Camera
from app.i18n import arg
from widgets.bookmarks_panel import from_vn_qdatetime, to_vn_qdatetime, vn_editor
from widgets.export_purpose import export_purpose, purpose_edit
from widgets.forms import ERROR_STYLE
from widgets.tables import read_only_table, texts

OK_STYLE = ("background: #1e5631; color: white; font-weight: bold; padding: 6px; "
            "border-radius: 3px;")
BROKEN_STYLE = ("background: #8b1e1e; color: white; font-weight: bold; padding: 6px; "
                "border-radius: 3px;")
PENDING_STYLE = "padding: 6px;"


class AuditPanel(QWidget):
    """Filters, pages, chain banner and export of the audit log."""

    COLUMNS = (QT_TRANSLATE_NOOP("AuditPanel", "#"),
               QT_TRANSLATE_NOOP("AuditPanel", "Time (UTC+7)"),
               QT_TRANSLATE_NOOP("AuditPanel", "Event"), QT_TRANSLATE_NOOP("AuditPanel", "User"),
               QT_TRANSLATE_NOOP("AuditPanel", "Camera"),
               QT_TRANSLATE_NOOP("AuditPanel", "Detail"), QT_TRANSLATE_NOOP("AuditPanel", "Hash"))

    def __init__(self, service: AuditLogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.service = service
        self._cameras: dict[int, str] = {}
        self.page: AuditPage | None = None
        self.export_result: AuditExport | None = None
        self.file_dialog: QFileDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.chain_label = QLabel(self.tr("Hash chain not checked yet"))
        self.chain_label.setWordWrap(True)
        self.chain_label.setStyleSheet(PENDING_STYLE)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.chain_label, 1)
        self.verify_button = QPushButton(self.tr("Check chain"))
        chain_row.addWidget(self.verify_button)
        layout.addLayout(chain_row)

        filters = QGridLayout()
        now = datetime.now(UTC)
        self.since_check = QCheckBox(self.tr("From (UTC+7)"))
        self.since_edit = vn_editor()
        self.since_edit.setDateTime(to_vn_qdatetime(now - timedelta(days=1)))
        self.until_check = QCheckBox(self.tr("Until (UTC+7)"))
        self.until_edit = vn_editor()
        self.until_edit.setDateTime(to_vn_qdatetime(now + timedelta(hours=1)))
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(self.tr("user name"))
        self.event_combo = QComboBox()
        self.event_combo.setEditable(True)
        self.event_combo.addItem(self.tr("(any event)"), "")
        for event in KNOWN_EVENTS:
            self.event_combo.addItem(event, event)
        self.camera_combo = QComboBox()
        self.camera_combo.addItem(self.tr("(any camera)"), None)
        filters.addWidget(self.since_check, 0, 0)
        filters.addWidget(self.since_edit, 0, 1)
        filters.addWidget(self.until_check, 0, 2)
        filters.addWidget(self.until_edit, 0, 3)
        filters.addWidget(QLabel(self.tr("User")), 1, 0)
        filters.addWidget(self.user_edit, 1, 1)
        filters.addWidget(QLabel(self.tr("Event")), 1, 2)
        filters.addWidget(self.event_combo, 1, 3)
        filters.addWidget(QLabel(self.tr("Camera")), 2, 0)
        filters.addWidget(self.camera_combo, 2, 1)
        self.apply_button = QPushButton(self.tr("Apply filters"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        filters.addWidget(self.apply_button, 2, 2)
        filters.addWidget(self.export_button, 2, 3)
        self.purpose_edit = purpose_edit()
        filters.addWidget(self.purpose_edit, 3, 0, 1, 4)
        layout.addLayout(filters)

        self.table = read_only_table([self.tr(str(c)) for c in self.COLUMNS],
                                     selection=QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.table, 1)

        pages = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("◀ Newer"))
        self.next_button = QPushButton(self.tr("Older ▶"))
        self.page_label = QLabel()
        pages.addWidget(self.previous_button)
        pages.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pages.addWidget(self.next_button)
        layout.addLayout(pages)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        self.verify_button.clicked.connect(self.verify)
        self.apply_button.clicked.connect(self.apply_filters)
        self.user_edit.returnPressed.connect(self.apply_filters)
        self.export_button.clicked.connect(lambda: self.ask_export())
        self.previous_button.clicked.connect(service.previous_page)
        self.next_button.clicked.connect(service.next_page)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.until_check.toggled.connect(self.until_edit.setEnabled)
        self.since_edit.setEnabled(False)
        self.until_edit.setEnabled(False)
        service.page_loaded.connect(self.set_page)
        service.events_loaded.connect(self.set_events)
        service.verified.connect(self.show_verdict)
        service.exported.connect(self._on_exported)
        service.failed.connect(self._on_failed)
        self._update_paging()

    def set_events(self, events: list[str]) -> None:
        """The server's event names replace the built-in list; a typed filter is kept."""
        typed = self.event_combo.currentText()
        index = self.event_combo.currentIndex()
        self.event_combo.blockSignals(True)
        while self.event_combo.count() > 1:
            self.event_combo.removeItem(1)
        for event in events:
            self.event_combo.addItem(event, event)
        if index > 0 or typed != self.event_combo.itemText(0):
            self.event_combo.setEditText(typed)
        self.event_combo.blockSignals(False)

    def set_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = {c.id: c.name for c in cameras}
        current = self.camera_combo.currentData()
        self.camera_combo.blockSignals(True)
        self.camera_combo.clear()
        self.camera_combo.addItem(self.tr("(any camera)"), None)
        for camera in sorted(cameras, key=lambda c: c.name):
            self.camera_combo.addItem(camera.name, camera.id)
        self.camera_combo.setCurrentIndex(max(0, self.camera_combo.findData(current)))
        self.camera_combo.blockSignals(False)

    # -- filters and pages -------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        event = self.event_combo.currentText().strip()
        if self.event_combo.currentIndex() == 0 and event == self.event_combo.itemText(0):
            event = ""
        return AuditFilter(
            since=from_vn_qdatetime(self.since_edit.dateTime())
            if self.since_check.isChecked() else None,
            until=from_vn_qdatetime(self.until_edit.dateTime())
            if self.until_check.isChecked() else None,
            username=self.user_edit.text().strip() or None, event=event or None,
            camera_id=self.camera_combo.currentData())

    def set_event(self, event: str) -> None:
        index = self.event_combo.findData(event)
        if index >= 0:
            self.event_combo.setCurrentIndex(index)
        else:
            self.event_combo.setEditText(event)

    def apply_filters(self) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading…"))
        self._service.load(self.current_filter())

    def refresh(self) -> None:
        """Load the first page with the current filters and check the chain."""
        self.apply_filters()
        self.verify()
        self._service.load_events()

    def set_page(self, page: AuditPage) -> None:
        self.page = page
        self.status_label.setText("")
        self.table.setRowCount(0)
        for entry in page.rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            camera = "" if entry.camera_id is None else \
                self._cameras.get(entry.camera_id, f"#{entry.camera_id}")
            texts = (str(entry.id), vn_text(entry.ts), entry.event, entry.username or "",
                     camera, json.dumps(entry.detail, ensure_ascii=False) if entry.detail
                     else "", entry.hash[:12] + "…")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 6:
                    item.setToolTip(f"{entry.prev_hash}\n→ {entry.hash}")
                self.table.setItem(row, column, item)
        self._update_paging()

    def _update_paging(self) -> None:
        page = self.page
        self.previous_button.setEnabled(bool(page and page.offset > 0))
        self.next_button.setEnabled(bool(page and page.has_more))
        if page is None:
            self.page_label.setText("")
        elif not page.rows:
            self.page_label.setText(self.tr("No rows match"))
        else:
            self.page_label.setText(arg(self.tr("Rows %1–%2"), page.first, page.last))

    def rows(self) -> list[list[str]]:
        return texts(self.table)

    # -- the chain ---------------------------------------------------------------------------------
    def verify(self) -> None:
        self.chain_label.setStyleSheet(PENDING_STYLE)
        self.chain_label.setText(self.tr("Checking the hash chain…"))
        self._service.verify()

    def show_verdict(self, verdict: ChainVerdict) -> None:
        if verdict.ok:
            self.chain_label.setStyleSheet(OK_STYLE)
            self.chain_label.setText(arg(self.tr("Hash chain intact: %1 rows checked"),
                                         verdict.rows))
        else:
            self.chain_label.setStyleSheet(BROKEN_STYLE)
            self.chain_label.setText(arg(self.tr("Hash chain BROKEN at row %1: %2"),
                                         verdict.broken_id, verdict.reason or ""))

    # -- export ------------------------------------------------------------------------------------
    def ask_export(self) -> QFileDialog | None:
        if export_purpose(self.purpose_edit, self.status_label) is None:
            return None
        where = self.current_filter()
        name = f"nhat-ky-{datetime.now(UTC):%Y%m%d-%H%M}.csv"
        dialog = QFileDialog(self, self.tr("Export the audit log"), str(Path.home() / name),
                             self.tr("CSV (*.csv)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path), where))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path, where: AuditFilter | None = None) -> None:
        purpose = export_purpose(self.purpose_edit, self.status_label)
        if purpose is None:
            return
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Exporting…"))
        self._service.export(where or self.current_filter(), path, purpose)

    def _on_exported(self, result: AuditExport) -> None:
        self.export_result = result
        self.status_label.setStyleSheet("color: #4caf50;" if result.chain_ok
                                        else ERROR_STYLE)
        text = arg(self.tr("%1 rows saved to %2"), result.rows, result.path)
        if not result.chain_ok:
            text += " — " + self.tr("the file records that the hash chain is broken")
        self.status_label.setText(text)

    def _on_failed(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
