"""What an export of personal data is for (Decree 13/2023/NĐ-CP): asked beside every export
button, sent with the export, kept in its audit row. The panels share this one field."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit

from widgets.forms import ERROR_STYLE

MIN_CHARS = 3  # the server's minimum
MAX_CHARS = 300


def purpose_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName("exportPurpose")
    edit.setMaxLength(MAX_CHARS)
    edit.setPlaceholderText(QCoreApplication.translate(
        "ExportPurpose", "Purpose of the export (required, kept in the audit log)"))
    return edit


def export_purpose(edit: QLineEdit, status: QLabel) -> str | None:
    """The purpose typed, or None after saying on ``status`` that one is needed."""
    purpose = " ".join(edit.text().split())
    if len(purpose) >= MIN_CHARS:
        return purpose
    status.setStyleSheet(ERROR_STYLE)
    status.setText(QCoreApplication.translate(
        "ExportPurpose", "Say what the export is for first: the audit log keeps it."))
    edit.setFocus()
    return None
