"""The Cases panel's dialogs and the translated names of the server's case codes.

Open a case (from a bookmark or a clip request), record a step, add an evidence clip, publish a
case. Each dialog only collects what the user chose; the panel sends it and keeps the
dialog open on the server's refusal (``show_error``). Dialogs are opened with ``open()``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bookmarks import Bookmark, vn_text
from app.cases import Case, CaseEditInput, StepInput
from app.clips import ClipRequest, range_text
from app.i18n import arg
from common.vocabulary import (
    CaseAction,
    CaseKind,
    CaseState,
    CaseVersionStatus,
    DeadlineStatus,
    DecisionKind,
)
from widgets.bookmarks_panel import from_vn_qdatetime, to_vn_qdatetime, vn_editor
from widgets.export_purpose import export_purpose, purpose_edit
from widgets.forms import form_footer

STATUS_COLOURS = {
    DeadlineStatus.OVERDUE: "#e06c6c",
    DeadlineStatus.DUE_SOON: "#f0b400",
    DeadlineStatus.DUE: "#4caf50",
    DeadlineStatus.DONE: "#9e9e9e",
    DeadlineStatus.DONE_LATE: "#d08040",
}


def _t(source: object) -> str:
    return QCoreApplication.translate("CaseTexts", str(source))


# the history's label of each event code the server records (``<case>.events[].action``)
EVENT_LABELS: dict[str, object] = {
    "open": QT_TRANSLATE_NOOP("CaseTexts", "Case opened"),
    "add_clip": QT_TRANSLATE_NOOP("CaseTexts", "Evidence clip added"),
    "send": QT_TRANSLATE_NOOP("CaseTexts", "Sent to city police"),
    "conclude": QT_TRANSLATE_NOOP("CaseTexts", "Verification concluded"),
    "report_conclusion": QT_TRANSLATE_NOOP("CaseTexts", "Conclusion reported to the IOC"),
    "identify_violator": QT_TRANSLATE_NOOP("CaseTexts", "Violator identified"),
    "make_record": QT_TRANSLATE_NOOP("CaseTexts", "Record of violation made"),
    "hand_over": QT_TRANSLATE_NOOP("CaseTexts", "Record handed over"),
    "decide": QT_TRANSLATE_NOOP("CaseTexts", "Penalty decided"),
    "close": QT_TRANSLATE_NOOP("CaseTexts", "Case closed"),
    "publish": QT_TRANSLATE_NOOP("CaseTexts", "Made public"),
    "edit": QT_TRANSLATE_NOOP("CaseTexts", "Record edited"),
    "approve_version": QT_TRANSLATE_NOOP("CaseTexts", "Reclassification approved"),
    "unpublish": QT_TRANSLATE_NOOP("CaseTexts", "Withdrawn from the public"),
}


class CaseTexts:
    """The translated names of the server's codes (one place for the panel and dialogs), under
    the one context ``CaseTexts`` whichever widget shows them."""

    def __init__(self, owner: QWidget | None = None) -> None:
        tr = _t
        self.kinds = {
            CaseKind.RED_LIGHT: tr(QT_TRANSLATE_NOOP("CaseTexts", "Red light")),
            CaseKind.LANE: tr(QT_TRANSLATE_NOOP("CaseTexts", "Wrong lane")),
            CaseKind.STOPPING_PARKING: tr(QT_TRANSLATE_NOOP("CaseTexts", "Stopping / parking")),
            CaseKind.OTHER_TRAFFIC: tr(QT_TRANSLATE_NOOP("CaseTexts", "Other traffic violation")),
            CaseKind.PUBLIC_ORDER: tr(QT_TRANSLATE_NOOP("CaseTexts", "Public order")),
            CaseKind.OTHER: tr(QT_TRANSLATE_NOOP("CaseTexts", "Other")),
        }
        self.states = {
            CaseState.OPENED: tr(QT_TRANSLATE_NOOP("CaseTexts", "opened")),
            CaseState.SENT: tr(QT_TRANSLATE_NOOP("CaseTexts", "sent to police")),
            CaseState.CONCLUDED: tr(QT_TRANSLATE_NOOP("CaseTexts", "verified")),
            CaseState.CONCLUSION_REPORTED: tr(QT_TRANSLATE_NOOP("CaseTexts",
                                                                "conclusion reported")),
            CaseState.RECORD_MADE: tr(QT_TRANSLATE_NOOP("CaseTexts", "record made")),
            CaseState.DECIDED: tr(QT_TRANSLATE_NOOP("CaseTexts", "decided")),
            CaseState.CLOSED: tr(QT_TRANSLATE_NOOP("CaseTexts", "closed")),
        }
        self.deadline_states = {
            DeadlineStatus.DUE: tr(QT_TRANSLATE_NOOP("CaseTexts", "due")),
            DeadlineStatus.DUE_SOON: tr(QT_TRANSLATE_NOOP("CaseTexts", "due soon")),
            DeadlineStatus.OVERDUE: tr(QT_TRANSLATE_NOOP("CaseTexts", "overdue")),
            DeadlineStatus.DONE: tr(QT_TRANSLATE_NOOP("CaseTexts", "done")),
            DeadlineStatus.DONE_LATE: tr(QT_TRANSLATE_NOOP("CaseTexts", "done late")),
        }
        self.actions = {
            CaseAction.SEND: tr(QT_TRANSLATE_NOOP("CaseTexts", "Send to police")),
            CaseAction.CONCLUDE: tr(QT_TRANSLATE_NOOP("CaseTexts", "Verified")),
            CaseAction.REPORT_CONCLUSION: tr(QT_TRANSLATE_NOOP("CaseTexts", "Report conclusion")),
            CaseAction.IDENTIFY_VIOLATOR: tr(QT_TRANSLATE_NOOP("CaseTexts",
                                                               "Violator identified")),
            CaseAction.MAKE_RECORD: tr(QT_TRANSLATE_NOOP("CaseTexts", "Record made")),
            CaseAction.HAND_OVER: tr(QT_TRANSLATE_NOOP("CaseTexts", "Record handed over")),
            CaseAction.DECIDE: tr(QT_TRANSLATE_NOOP("CaseTexts", "Penalty decided")),
            CaseAction.CLOSE: tr(QT_TRANSLATE_NOOP("CaseTexts", "Close")),
        }
        self.steps = {
            "sent": tr(QT_TRANSLATE_NOOP("CaseTexts", "Sent to city police")),
            "concluded": tr(QT_TRANSLATE_NOOP("CaseTexts", "Verification concluded")),
            "conclusion_reported": tr(QT_TRANSLATE_NOOP("CaseTexts",
                                                        "Conclusion reported to the IOC")),
            "violator_identified": tr(QT_TRANSLATE_NOOP("CaseTexts", "Violator identified")),
            "record_made": tr(QT_TRANSLATE_NOOP("CaseTexts", "Record of violation made")),
            "record_handed": tr(QT_TRANSLATE_NOOP("CaseTexts", "Record handed over")),
            "decided": tr(QT_TRANSLATE_NOOP("CaseTexts", "Penalty decision")),
            "closed": tr(QT_TRANSLATE_NOOP("CaseTexts", "Closed")),
        }
        self.rules = {
            "send_to_police": tr(QT_TRANSLATE_NOOP("CaseTexts",
                                                   "Send to city police (5 working days)")),
            "verify": tr(QT_TRANSLATE_NOOP("CaseTexts", "Verify (1 month, 2 if complex)")),
            "report_conclusion": tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "Report the conclusion (5 working days)")),
            "record": tr(QT_TRANSLATE_NOOP("CaseTexts", "Record of violation (3 working days)")),
            "hand_over": tr(QT_TRANSLATE_NOOP("CaseTexts", "Hand the record over (24 hours)")),
            "decision_simple": tr(QT_TRANSLATE_NOOP("CaseTexts", "Decision (7 working days)")),
            "decision_transferred": tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "Decision, transferred (10 working days)")),
            "decision_explanation": tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "Decision, explanation requested (1 month)")),
            "decision_especially_complex": tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "Decision, especially complex (2 months)")),
        }
        self.decisions = {
            DecisionKind.SIMPLE: tr(QT_TRANSLATE_NOOP("CaseTexts", "Simple (7 working days)")),
            DecisionKind.TRANSFERRED: tr(QT_TRANSLATE_NOOP("CaseTexts",
                                                           "Transferred (10 working days)")),
            DecisionKind.EXPLANATION: tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "Explanation or verification (1 month)")),
            DecisionKind.ESPECIALLY_COMPLEX: tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "Especially complex (2 months)")),
        }
        self.events = {code: tr(source) for code, source in EVENT_LABELS.items()}
        self.version_states = {
            CaseVersionStatus.APPLIED: tr(QT_TRANSLATE_NOOP("CaseTexts", "applied")),
            CaseVersionStatus.PENDING: tr(QT_TRANSLATE_NOOP(
                "CaseTexts", "waiting for a leader's approval; deadlines unchanged")),
            CaseVersionStatus.APPROVED: tr(QT_TRANSLATE_NOOP("CaseTexts", "approved")),
            CaseVersionStatus.SUPERSEDED: tr(QT_TRANSLATE_NOOP("CaseTexts", "superseded")),
        }

    def event(self, code: str) -> str:
        """The history's label of an event code; an unknown code is shown as it is."""
        return self.events.get(code, code)

    def kind(self, value: str) -> str:
        return self.kinds.get(value, value)  # type: ignore[call-overload]

    def state(self, value: str) -> str:
        return self.states.get(value, value)  # type: ignore[call-overload]

    def deadline(self, value: str | None) -> str:
        return "" if value is None else self.deadline_states.get(value, value)  # type: ignore


class OpenCaseDialog(QDialog):
    """Kind, the evidence it starts from (one bookmark or one clip request), optionally another
    detection time, and a note. The server checks the rest."""

    def __init__(self, bookmarks: list[Bookmark], clips: list[ClipRequest],
                 parent: QWidget | None = None, *, bookmark: Bookmark | None = None,
                 clip: ClipRequest | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open a violation case"))
        texts = CaseTexts(self)
        form = QFormLayout(self)
        self.kind_combo = QComboBox()
        for kind in CaseKind:
            self.kind_combo.addItem(texts.kind(kind), kind.value)
        form.addRow(self.tr("Violation"), self.kind_combo)
        self.source_combo = QComboBox()
        if bookmark is not None and all(b.id != bookmark.id for b in bookmarks):
            bookmarks = [bookmark, *bookmarks]
        if clip is not None and all(c.id != clip.id for c in clips):
            clips = [clip, *clips]
        for item in bookmarks:
            label = arg(self.tr("Bookmark #%1: %2, %3 %4"), item.id, item.camera_name,
                        vn_text(item.at), item.note)
            self.source_combo.addItem(label.strip(), f"bookmark:{item.id}")
        for request in clips:
            label = arg(self.tr("Clip request #%1: %2, %3"), request.id, request.camera_name,
                        range_text(request))
            self.source_combo.addItem(label, f"clip:{request.id}")
        if bookmark is not None:
            self.source_combo.setCurrentIndex(
                self.source_combo.findData(f"bookmark:{bookmark.id}"))
        elif clip is not None:
            self.source_combo.setCurrentIndex(self.source_combo.findData(f"clip:{clip.id}"))
        form.addRow(self.tr("From"), self.source_combo)
        self.detected_check = QCheckBox(self.tr("Detected at another time (UTC+7)"))
        self.detected_edit = vn_editor()
        self.detected_edit.setDateTime(to_vn_qdatetime(datetime.now(UTC)))
        self.detected_edit.setEnabled(False)
        self.detected_check.toggled.connect(self.detected_edit.setEnabled)
        form.addRow(self.detected_check, self.detected_edit)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setMaximumHeight(80)
        form.addRow(self.tr("Note"), self.note_edit)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Open case"))

    def values(self) -> dict[str, object]:
        kind, _, number = str(self.source_combo.currentData() or "").partition(":")
        source = (kind, int(number)) if number.isdigit() else None
        return {
            "kind": self.kind_combo.currentData(),
            "bookmark_id": source[1] if source and source[0] == "bookmark" else None,
            "clip_request_id": source[1] if source and source[0] == "clip" else None,
            "detected_at": from_vn_qdatetime(self.detected_edit.dateTime())
            if self.detected_check.isChecked() else None,
            "note": self.note_edit.toPlainText().strip(),
        }

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


class StepDialog(QDialog):
    """A note (closing: the reason, required) and the step's own choices. The server records
    the step at its own clock; only the violator's identification may be declared earlier
    (within the bounds the server checks)."""

    def __init__(self, case: Case, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = CaseTexts(self)
        self.action = action
        self.setWindowTitle(arg(self.tr("Case #%1: %2"), case.id,
                                texts.actions.get(CaseAction(action), action)))
        form = QFormLayout(self)
        self.declared_check: QCheckBox | None = None
        self.at_edit = vn_editor()
        self.at_edit.setDateTime(to_vn_qdatetime(datetime.now(UTC)))
        if action == CaseAction.IDENTIFY_VIOLATOR:
            self.declared_check = QCheckBox(self.tr("Identified earlier (declared, UTC+7)"))
            self.at_edit.setEnabled(False)
            self.declared_check.toggled.connect(self.at_edit.setEnabled)
            form.addRow(self.declared_check, self.at_edit)
        else:
            self.at_edit.hide()
            form.addRow(QLabel(self.tr("Recorded at the server's time.")))
        self.complex_check: QCheckBox | None = None
        self.decision_combo: QComboBox | None = None
        self.handover_check: QCheckBox | None = None
        if action in (CaseAction.SEND, CaseAction.CONCLUDE):
            self.complex_check = QCheckBox(self.tr("Complex: verification takes 2 months"))
            self.complex_check.setChecked(case.complex)
            form.addRow(self.complex_check)
        if action in (CaseAction.MAKE_RECORD, CaseAction.DECIDE):
            self.decision_combo = QComboBox()
            for kind in DecisionKind:
                self.decision_combo.addItem(texts.decisions[kind], kind.value)
            self.decision_combo.setCurrentIndex(
                max(0, self.decision_combo.findData(case.decision_kind)))
            form.addRow(self.tr("Decision period"), self.decision_combo)
        if action == CaseAction.MAKE_RECORD:
            self.handover_check = QCheckBox(
                self.tr("The record must be handed to another authority (24 hours)"))
            form.addRow(self.handover_check)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setMaximumHeight(80)
        if action == CaseAction.CONCLUDE:
            self.note_edit.setPlaceholderText(self.tr("Conclusion of the verification"))
        form.addRow(self.tr("Reason") if action == CaseAction.CLOSE else self.tr("Note"),
                    self.note_edit)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def accept(self) -> None:
        if self.action == CaseAction.CLOSE and not self.note_edit.toPlainText().strip():
            self.error_label.setText(self.tr("Give the reason for closing the case."))
            self.error_label.show()
            return
        super().accept()

    def step(self) -> StepInput:
        declared = self.declared_check is not None and self.declared_check.isChecked()
        return StepInput(
            at=from_vn_qdatetime(self.at_edit.dateTime()) if declared else None,
            note=self.note_edit.toPlainText().strip(),
            complex=self.complex_check.isChecked() if self.complex_check else None,
            decision_kind=self.decision_combo.currentData() if self.decision_combo else None,
            handover_needed=self.handover_check.isChecked() if self.handover_check else None)


class AddClipDialog(QDialog):
    """Pick one of the user's clip requests as further evidence of a case."""

    def __init__(self, case: Case, clips: list[ClipRequest],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(arg(self.tr("Add evidence to case #%1"), case.id))
        form = QFormLayout(self)
        self.clip_combo = QComboBox()
        for request in clips:
            if request.id in case.clip_request_ids:
                continue
            self.clip_combo.addItem(
                arg(self.tr("Clip request #%1: %2, %3"), request.id, request.camera_name,
                    range_text(request)),
                request.id)
        form.addRow(self.tr("Clip request"), self.clip_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.clip_combo.count() > 0)
        form.addRow(self.buttons)

    def clip_id(self) -> int | None:
        value = self.clip_combo.currentData()
        return int(value) if value is not None else None


class PackageDialog(QDialog):
    """Art. 11.3, 12.2: a case's evidence as one file for its recipient — what it is for (kept
    in the audit log) and where to save it. OK is the caller's to connect (the dialog closes
    once the package is saved; an error shows in it)."""

    def __init__(self, case: Case, directory: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(arg(self.tr("Evidence package of case #%1"), case.id))
        self.setMinimumWidth(560)
        outer = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "One ZIP file with the evidence clips, their signed manifests, the case record, the "
            "letters and the site's public keys. The recipient checks it without iocwall "
            "(sha256sum -c SHA256SUMS, then openssl)."))
        hint.setWordWrap(True)
        outer.addWidget(hint)
        form = QFormLayout()
        outer.addLayout(form)
        self.purpose_edit = purpose_edit()
        form.addRow(self.tr("Purpose"), self.purpose_edit)
        self.path_edit = QLineEdit(str(Path(directory) / f"goi-chung-cu-vu-{case.id}.zip"))
        self.path_edit.setObjectName("packagePath")
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Save as"), row)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Export"))

    def _browse(self) -> None:
        chooser = QFileDialog(self, self.tr("Save the evidence package"), self.path_edit.text(),
                              self.tr("ZIP files (*.zip)"))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setDefaultSuffix("zip")
        chooser.fileSelected.connect(self.path_edit.setText)
        chooser.open()  # never a nested event loop: polling goes on

    def purpose(self) -> str | None:
        """The purpose typed, or None after saying in the dialog that one is needed."""
        found = export_purpose(self.purpose_edit, self.error_label)
        if found is None:
            self.error_label.show()
        return found

    def destination(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            self.show_error(self.tr("Choose where to save the package."))
            return None
        return Path(text)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


class EditCaseDialog(QDialog):
    """A new version of a case's record: the fields that change and why (required). After the
    case was sent, a change of its classification waits for a police leader's approval before
    the deadlines move (the server decides and says so in the version's status)."""

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = CaseTexts(self)
        self.case = case
        self.setWindowTitle(arg(self.tr("Edit case #%1"), case.id))
        form = QFormLayout(self)
        self.kind_combo = QComboBox()
        for kind in CaseKind:
            self.kind_combo.addItem(texts.kind(kind), kind.value)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(case.kind)))
        form.addRow(self.tr("Violation"), self.kind_combo)
        self.complex_check = QCheckBox(self.tr("Complex: verification takes 2 months"))
        self.complex_check.setChecked(case.complex)
        form.addRow(self.complex_check)
        self.decision_combo = QComboBox()
        for decision in DecisionKind:
            self.decision_combo.addItem(texts.decisions[decision], decision.value)
        self.decision_combo.setCurrentIndex(
            max(0, self.decision_combo.findData(case.decision_kind)))
        form.addRow(self.tr("Decision period"), self.decision_combo)
        self.handover_check = QCheckBox(
            self.tr("The record must be handed to another authority (24 hours)"))
        self.handover_check.setChecked(case.handover_needed)
        form.addRow(self.handover_check)
        self.note_edit = QPlainTextEdit(case.note)
        self.note_edit.setMaximumHeight(80)
        form.addRow(self.tr("Note"), self.note_edit)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(2000)
        form.addRow(self.tr("Reason"), self.reason_edit)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Save"))

    def edit(self) -> CaseEditInput | None:
        """What changed, or None when nothing did."""
        case = self.case
        changes: dict[str, object] = {
            "kind": self.kind_combo.currentData(), "complex": self.complex_check.isChecked(),
            "decision_kind": self.decision_combo.currentData(),
            "handover_needed": self.handover_check.isChecked(),
            "note": self.note_edit.toPlainText().strip()}
        changed = {k: v for k, v in changes.items() if v != getattr(case, k)}
        if not changed:
            return None
        return CaseEditInput(self.reason(), **changed)  # type: ignore[arg-type]

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


class ApproveVersionDialog(QDialog):
    """A police leader approves a pending reclassification, with the reason."""

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(arg(self.tr("Approve a reclassification of case #%1"), case.id))
        form = QFormLayout(self)
        self.version_combo = QComboBox()
        for version in case.pending_versions:
            self.version_combo.addItem(
                arg(self.tr("Version %1: %2 (by %3)"), version.number,
                    version_text(version.after), version.user.label), version.number)
        form.addRow(self.tr("Version"), self.version_combo)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(2000)
        form.addRow(self.tr("Reason"), self.reason_edit)
        self.error_label, self.buttons = form_footer(self, form, self.tr("Approve"))

    def number(self) -> int | None:
        value = self.version_combo.currentData()
        return int(value) if value is not None else None

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


def version_text(values: dict[str, object]) -> str:
    """A version's values, field by field, as the server sent them."""
    return ", ".join(f"{name} = {value}" for name, value in sorted(values.items()))
