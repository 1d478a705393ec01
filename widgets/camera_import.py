"""Importing cameras from a CSV file: choose the file and the gateway that will serve them, let
the server check it (a dry run writes nothing), read the preview — each row's action and name,
each error with its line, column and reason — and import only a file without errors (the
server imports all or nothing)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.admin import AdminService
from app.domain.admin import GatewayInfo, ImportResult
from app.i18n import arg
from widgets import admin_words as words
from widgets.admin_dialogs import gateway_combo
from widgets.admin_forms import refusal
from widgets.forms import ERROR_STYLE, error_label
from widgets.tables import read_only_table

translate = QCoreApplication.translate  # lupdate reads translate("CameraImport", "text")

ERROR_COLOUR = "#e06c6c"  # widgets.forms.ERROR_STYLE's red
CSV_LIMIT = 2 * 1024 * 1024  # the server's cap on the body

# the server's columns in its reasons, as the user reads them
COLUMN_NAMES = ("external_id", "name", "ward", "system", "category", "lat", "lon", "onvif",
                "rtsp_url", "username", "password")


def names_by_line(data: bytes) -> dict[int, str]:
    """The ``name`` of each line of the file (1 is the header), for the preview."""
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        return {line: str(row.get("name") or "") for line, row in enumerate(reader, start=2)}
    except (UnicodeDecodeError, csv.Error):
        return {}


def reason_text(reason: str) -> str:
    """A row's reason in the user's language (the server's English where it is not a known
    one, after a translated lead-in)."""
    known = [
        ("required", translate("CameraImport", "required")),
        ("no ward of that name", translate("CameraImport", "no ward of this name")),
        ("not a number", translate("CameraImport", "not a number")),
        ("must be host:port", translate("CameraImport", "must be host:port")),
        ("repeats line", translate("CameraImport", "the same external_id is on another line")),
        ("less than or equal", translate("CameraImport", "out of range")),
        ("greater than or equal", translate("CameraImport", "out of range")),
        ("must not contain a user name or password",
         translate("CameraImport", "no user name or password in the address (user:pass@)")),
        ("must start with rtsp://", translate("CameraImport", "must start with rtsp://")),
        ("input should be", translate("CameraImport", "not an accepted value")),
    ]
    lowered = reason.lower()
    for start, text in known:
        if lowered.startswith(start) or start in lowered:
            return text
    return arg(translate("CameraImport", "refused: %1"), reason)


class CameraImportDialog(QDialog):
    """See the module docstring."""

    def __init__(self, admin: AdminService, gateways: Sequence[GatewayInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_import")
        self.setWindowTitle(self.tr("Import cameras from CSV"))
        self.resize(900, 600)
        self.admin = admin
        self.data: bytes | None = None
        self.outcome: ImportResult | None = None
        layout = QVBoxLayout(self)
        hint = QLabel(arg(self.tr("Columns: %1. Cameras are matched by external_id: a known "
                                  "one is updated, a new one created."),
                          ", ".join(COLUMN_NAMES)))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("No file chosen"))
        choose = QPushButton(self.tr("Choose file…"))
        choose.clicked.connect(self.choose_file)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        gateway_row = QHBoxLayout()
        gateway_row.addWidget(QLabel(self.tr("Gateway")))
        self.gateway_combo: QComboBox = gateway_combo(gateways, self.tr("(the only one)"))
        if self.gateway_combo.count() == 2:
            self.gateway_combo.setCurrentIndex(1)
        gateway_row.addWidget(self.gateway_combo, 1)
        self.check_button = QPushButton(self.tr("Check (dry run)"))
        self.check_button.setObjectName("dry_run")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.dry_run)
        gateway_row.addWidget(self.check_button)
        layout.addLayout(gateway_row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.table = read_only_table([self.tr("Line"), self.tr("Action"), self.tr("Name"),
                                      self.tr("External id"), self.tr("Column"),
                                      self.tr("Error")])
        layout.addWidget(self.table, 1)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a CSV file"))
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.fileSelected.connect(lambda name: self.load(Path(name)))
        dialog.open()

    def load(self, path: Path) -> None:
        """Read the file (the next step is the dry run)."""
        self.outcome = None
        self.import_button.setEnabled(False)
        self.table.setRowCount(0)
        self.summary_label.clear()
        self.error_label.hide()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._error(arg(self.tr("The file cannot be read: %1"), exc.strerror or exc))
            return
        if len(data) > CSV_LIMIT:
            self._error(self.tr("The file is larger than 2 MB: split it."))
            return
        self.data = data
        self.path_edit.setText(str(path))
        self.check_button.setEnabled(True)

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.check_button.setEnabled(not busy and self.data is not None)
        if busy:
            self.import_button.setEnabled(False)

    def dry_run(self) -> None:
        if self.data is None:
            return
        self.error_label.hide()
        self._busy(True)
        self.admin.import_csv(self.data, self.gateway_combo.currentData(), True, owner=self) \
            .success(self._checked).failure(self._failed)

    def _checked(self, result: ImportResult) -> None:
        self._busy(False)
        self.outcome = result
        self.show_result(result)
        self.import_button.setEnabled(not result.errors and bool(result.rows))

    def run_import(self) -> None:
        if self.data is None or self.outcome is None or self.outcome.errors:
            return
        self._busy(True)
        self.admin.import_csv(self.data, self.gateway_combo.currentData(), False, owner=self) \
            .success(self._imported).failure(self._failed)

    def _imported(self, result: ImportResult) -> None:
        self._busy(False)
        self.outcome = result
        self.show_result(result)
        self.import_button.setEnabled(False)
        self.summary_label.setText(arg(self.tr(
            "Imported: %1 created, %2 updated, %3 unchanged."), result.created, result.updated,
            result.unchanged))

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        field, text = refusal(error)
        self._error(f"{field}: {text}" if field else text)

    def show_result(self, result: ImportResult) -> None:
        names = names_by_line(self.data or b"")
        rows: list[tuple[str, ...]] = []
        for row in result.rows:
            rows.append((str(row.row), words.import_action(row.action), names.get(row.row, ""),
                         row.external_id, "", ""))
        for error in result.errors:
            rows.append((str(error.row), "", names.get(error.row, ""), "", error.column,
                         reason_text(error.reason)))
        rows.sort(key=lambda r: int(r[0]))
        self.table.setRowCount(0)
        for values in rows:
            index = self.table.rowCount()
            self.table.insertRow(index)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if values[5]:
                    item.setForeground(QColor(ERROR_COLOUR))
                self.table.setItem(index, column, item)
        if result.errors:
            self.summary_label.setStyleSheet(ERROR_STYLE)
            self.summary_label.setText(arg(self.tr(
                "%1 error(s): correct the file and check it again; nothing is imported while "
                "a row has an error."), len(result.errors)))
        else:
            self.summary_label.setStyleSheet("")
            self.summary_label.setText(arg(self.tr(
                "Ready to import: %1 to create, %2 to update, %3 unchanged."), result.created,
                result.updated, result.unchanged))

    def error_rows(self) -> list[tuple[str, str, str]]:
        """(line, column, error) of each error row shown (tests read them)."""
        out = []
        for index in range(self.table.rowCount()):
            error = self.table.item(index, 5)
            line, column = self.table.item(index, 0), self.table.item(index, 4)
            if error is not None and error.text() and line is not None and column is not None:
                out.append((line.text(), column.text(), error.text()))
        return out
