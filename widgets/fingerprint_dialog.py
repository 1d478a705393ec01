"""First contact with a server: its certificate authority's fingerprint, for the operator to
compare with the one the administrator reads out before anything (a password) is sent.

Signals: none; ``exec()``/``open()`` and ``accepted`` tell the answer (OK only when the operator
says the two match).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.errors import FirstContact
from app.i18n import arg
from common.urls import mask_url


def grouped(fingerprint: str) -> str:
    """``AB:CD:…`` in lines of eight bytes: easier to read out and compare aloud."""
    parts = fingerprint.split(":")
    return "\n".join(":".join(parts[i:i + 8]) for i in range(0, len(parts), 8))


class FingerprintDialog(QDialog):
    def __init__(self, contact: FirstContact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact = contact
        self.setObjectName("fingerprintDialog")
        self.setWindowTitle(self.tr("New server — check its certificate"))
        intro = QLabel(arg(self.tr(
            "This computer has not met the server at %1 before. Before your password is sent, "
            "compare the fingerprint below with the one your administrator reads out to you "
            "(python -m server tls-fingerprint on the server). Accept only if every group "
            "matches."), mask_url(contact.server_url)))
        intro.setWordWrap(True)
        self.fingerprint_label = QLabel(grouped(contact.fingerprint))
        self.fingerprint_label.setObjectName("fingerprintLabel")
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setStyleSheet("font-family: monospace; font-size: 13pt;")
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(self.tr("They match: trust this server"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("trustButton")
        self.reject_button = buttons.addButton(self.tr("They differ: do not connect"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        # after the button box made its accept button the default: Enter alone must not trust
        # a stranger
        self.accept_button.setDefault(False)
        self.reject_button.setDefault(True)
        self.reject_button.setFocus()
