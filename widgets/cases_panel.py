"""The "Cases" panel (Art. 11.3, 13): violation cases of the IOC and the police.

A table filtered by state, kind, ward and deadline state; a detail pane with the case's steps
in order, each deadline in UTC+7 coloured by the state the server computed (due / due soon /
overdue / done / done late), and the events; one button per step, enabled when the server lists
it in the case's ``actions`` for this user. "Open case…" (operating unit) picks a bookmark or a
clip request of the user; "Add evidence clip…" adds a clip request to the selected case;
"Publish…" / "Unpublish" (operating unit, Art. 14) show the case on the public API with a title
and one extracted evidence clip, or take it back.

Dialogs never block the event loop (``open()``): polling goes on while one is open.

Signals (CasesPanel):
    badge_changed(int): how many cases are overdue (forwarded from the service).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.bookmarks import Bookmark, vn_text
from app.cases import STEP_OF_ACTION, Case, CaseFilter, CaseService, StepInput, due_text
from app.clips import ClipRequest
from app.i18n import arg
from common.vocabulary import CaseAction, CaseKind, CaseState, DeadlineStatus, DecisionKind
from widgets.bookmarks_panel import from_vn_qdatetime, to_vn_qdatetime, vn_editor
from widgets.forms import ERROR_STYLE, error_label
from widgets.tables import cell, find_row, read_only_table, row_objects, selected_object

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
_PLACEHOLDER = re.compile(r"%(\d)")


def _fill(template: str, *values: str) -> str:
    """``%1``… replaced in one pass (a value holding "%2" stays as it is)."""
    return _PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1]
                            if 0 < int(m.group(1)) <= len(values) else m.group(0), template)
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
                        request.range_text)
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
        self.error_label = error_label()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open case"))
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

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
    """When the step happened (UTC+7, default now), a note, and the step's own choices."""

    def __init__(self, case: Case, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = CaseTexts(self)
        self.action = action
        self.setWindowTitle(arg(self.tr("Case #%1: %2"), case.id,
                                texts.actions.get(CaseAction(action), action)))
        form = QFormLayout(self)
        self.at_edit = vn_editor()
        self.at_edit.setDateTime(to_vn_qdatetime(datetime.now(UTC)))
        form.addRow(self.tr("When (UTC+7)"), self.at_edit)
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
        form.addRow(self.tr("Note"), self.note_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def step(self) -> StepInput:
        return StepInput(
            at=from_vn_qdatetime(self.at_edit.dateTime()),
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
                    request.range_text),
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


class PublishDialog(QDialog):
    """Art. 14: what the public will see of a case — its type, ward and date, this title and
    optionally one extracted evidence clip; never a person, a note or who handled it."""

    def __init__(self, case: Case, clips: list[ClipRequest],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(arg(self.tr("Publish case #%1"), case.id))
        self.setMinimumWidth(560)
        outer = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "The public API will show the violation type, the ward, the date, this title and "
            "the chosen clip. Write no names, number plates or other personal details in the "
            "title."))
        hint.setWordWrap(True)
        outer.addWidget(hint)
        form = QFormLayout()
        outer.addLayout(form)
        self.title_edit = QLineEdit(case.public_title or "")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText(self.tr("e.g. Red-light violation at the junction"))
        form.addRow(self.tr("Public title"), self.title_edit)
        self.clip_combo = QComboBox()
        self.clip_combo.addItem(self.tr("No clip"), None)
        by_id = {c.id: c for c in clips}
        for clip_id in case.clip_request_ids:
            request = by_id.get(clip_id)
            if request is None or request.clip_sha256 is None:
                continue  # not extracted: the server would refuse it
            self.clip_combo.addItem(
                arg(self.tr("Clip request #%1: %2, %3"), request.id, request.camera_name,
                    request.range_text),
                request.id)
        if self.clip_combo.count() > 1:
            self.clip_combo.setCurrentIndex(max(1, self.clip_combo.findData(
                case.public_clip_id)))
        form.addRow(self.tr("Clip"), self.clip_combo)
        self.error_label = error_label()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Publish"))
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def title(self) -> str:
        return self.title_edit.text().strip()

    def clip_id(self) -> int | None:
        value = self.clip_combo.currentData()
        return int(value) if value is not None else None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.buttons.setEnabled(True)


class CasesPanel(QWidget):
    badge_changed = Signal(int)

    COLUMNS = (
        QT_TRANSLATE_NOOP("CasesPanel", "#"),
        QT_TRANSLATE_NOOP("CasesPanel", "Camera"),
        QT_TRANSLATE_NOOP("CasesPanel", "Ward"),
        QT_TRANSLATE_NOOP("CasesPanel", "Violation"),
        QT_TRANSLATE_NOOP("CasesPanel", "State"),
        QT_TRANSLATE_NOOP("CasesPanel", "Detected (UTC+7)"),
        QT_TRANSLATE_NOOP("CasesPanel", "Next deadline (UTC+7)"),
        QT_TRANSLATE_NOOP("CasesPanel", "Deadline"),
    )

    def __init__(self, service: CaseService, *, can_open: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.texts = CaseTexts(self)
        self.can_open = can_open
        self._bookmarks: list[Bookmark] = []
        self._clips: list[ClipRequest] = []
        self._wards: set[str] = set()
        self._pending_open: tuple[Bookmark | None, ClipRequest | None] | None = None
        self._pending_clip_case: Case | None = None
        self._pending_publish: Case | None = None
        self.open_dialog: OpenCaseDialog | None = None
        self.publish_dialog: PublishDialog | None = None
        self._shown: Case | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        filters = QHBoxLayout()
        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("All states"), None)
        for state in CaseState:
            self.state_combo.addItem(self.texts.state(state), state.value)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("All violations"), None)
        for kind in CaseKind:
            self.kind_combo.addItem(self.texts.kind(kind), kind.value)
        self.ward_combo = QComboBox()
        self.ward_combo.addItem(self.tr("All wards"), None)
        self.deadline_combo = QComboBox()
        self.deadline_combo.addItem(self.tr("Any deadline"), None)
        for status in (DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.DUE):
            self.deadline_combo.addItem(self.texts.deadline(status), status.value)
        for label, combo in ((self.tr("State"), self.state_combo),
                             (self.tr("Violation"), self.kind_combo),
                             (self.tr("Ward"), self.ward_combo),
                             (self.tr("Deadline"), self.deadline_combo)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self.apply_filter)
        filters.addStretch(1)
        layout.addLayout(filters)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = read_only_table([self.tr(str(c)) for c in self.COLUMNS])
        self.detail = QTextBrowser()
        self.detail.setObjectName("caseDetail")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open case…"))
        self.open_button.setVisible(can_open)
        self.add_clip_button = QPushButton(self.tr("Add evidence clip…"))
        self.publish_button = QPushButton(self.tr("Publish…"))
        self.unpublish_button = QPushButton(self.tr("Unpublish"))
        for button in (self.publish_button, self.unpublish_button):
            button.setVisible(can_open)  # the operating unit publishes (Art. 14)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.add_clip_button)
        buttons.addWidget(self.publish_button)
        buttons.addWidget(self.unpublish_button)
        self.action_buttons: dict[str, QPushButton] = {}
        for action in CaseAction:
            button = QPushButton(self.texts.actions[action] + "…")
            button.setObjectName(f"case_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action.value: self.ask_step(a))
            buttons.addWidget(button)
            self.action_buttons[action.value] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        self.open_button.clicked.connect(lambda: self.open_case())
        self.add_clip_button.clicked.connect(self.ask_add_clip)
        self.publish_button.clicked.connect(self.ask_publish)
        self.unpublish_button.clicked.connect(self.unpublish)
        self.table.itemSelectionChanged.connect(self._update)
        service.cases_changed.connect(self._fill)
        service.overdue_changed.connect(self.badge_changed)
        service.case_changed.connect(self._on_case)
        service.action_failed.connect(self._on_failed)
        service.sources_loaded.connect(self._on_sources)
        self._update()

    # -- list ------------------------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        return CaseFilter(state=self.state_combo.currentData(),
                          kind=self.kind_combo.currentData(),
                          deadline=self.deadline_combo.currentData(),
                          ward=self.ward_combo.currentData())

    def apply_filter(self) -> None:
        self._service.set_filter(self.current_filter())

    def set_wards(self, wards: list[str]) -> None:
        """The wards to filter on (from the camera list; the cases add theirs)."""
        self._add_wards(wards)

    def _add_wards(self, wards: list[str] | set[str]) -> None:
        new = {w for w in wards if w} - self._wards
        if not new:
            return
        self._wards |= new
        current = self.ward_combo.currentData()
        self.ward_combo.blockSignals(True)
        self.ward_combo.clear()
        self.ward_combo.addItem(self.tr("All wards"), None)
        for ward in sorted(self._wards):
            self.ward_combo.addItem(ward, ward)
        self.ward_combo.setCurrentIndex(max(0, self.ward_combo.findData(current)))
        self.ward_combo.blockSignals(False)

    def cases(self) -> list[Case]:
        return row_objects(self.table, CASE_ROLE)

    def selected(self) -> Case | None:
        return selected_object(self.table, CASE_ROLE)  # type: ignore[no-any-return]

    def select(self, case_id: int) -> bool:
        row = find_row(self.table, CASE_ROLE, case_id)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def deadline_cell(self, case_id: int) -> QTableWidgetItem | None:
        """The deadline-state cell of a case's row (tests read its text and colour)."""
        row = find_row(self.table, CASE_ROLE, case_id)
        return None if row is None else cell(self.table, row, len(self.COLUMNS) - 1)

    def _fill(self, cases: list[Case]) -> None:
        selected = self.selected()
        self._add_wards({c.ward for c in cases})
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for case in cases:
            row = self.table.rowCount()
            self.table.insertRow(row)
            due = case.next_due
            cells = (str(case.id), case.camera_name, case.ward, self.texts.kind(case.kind),
                     self.texts.state(case.state), vn_text(case.detected_at, seconds=False),
                     due_text(due.due_at) if due else "",
                     self.texts.deadline(case.deadline_state))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(CASE_ROLE, case)
                if column == len(cells) - 1 and case.deadline_state:
                    item.setForeground(QColor(STATUS_COLOURS.get(
                        DeadlineStatus(case.deadline_state), "#ffffff")))
                self.table.setItem(row, column, item)
            if selected is not None and selected.id == case.id:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._update()

    # -- detail and buttons ------------------------------------------------------------------------
    def _update(self) -> None:
        case = self.selected()
        self._shown = case
        for action, button in self.action_buttons.items():
            button.setEnabled(bool(case and case.may(action)))
            button.setVisible(bool(case and case.may(action)) or action in self._role_actions())
        self.add_clip_button.setEnabled(case is not None and case.state != CaseState.CLOSED)
        self.publish_button.setEnabled(case is not None and not case.public)
        self.unpublish_button.setEnabled(case is not None and case.public)
        self.detail.setHtml(self.detail_html(case) if case else "")

    def _role_actions(self) -> set[str]:
        """Steps this unit takes at some point (buttons kept visible, greyed when not now)."""
        if self.can_open:
            return {CaseAction.SEND.value, CaseAction.CLOSE.value}
        return {a.value for a in CaseAction} - {CaseAction.SEND.value}

    def detail_html(self, case: Case) -> str:
        e = html.escape
        parts = [f"<h3>{e(arg(self.tr('Case #%1'), case.id))} — "
                 f"{e(self.texts.kind(case.kind))}</h3>",
                 f"<p>{e(case.camera_name)}, {e(case.ward)}<br>"
                 f"{e(self.tr('Detected'))}: {e(vn_text(case.detected_at))} (UTC+7)<br>"
                 f"{e(self.tr('State'))}: <b>{e(self.texts.state(case.state))}</b></p>"]
        if case.note:
            parts.append(f"<p>{e(case.note)}</p>")
        if case.conclusion:
            parts.append(f"<p>{e(self.tr('Conclusion'))}: {e(case.conclusion)}</p>")
        parts.append(f"<h4>{e(self.tr('Steps'))}</h4><table cellspacing='4'>")
        parts.append(f"<tr><td>{e(self.tr('Opened'))}</td>"
                     f"<td>{e(vn_text(case.opened_at))}</td>"
                     f"<td>{e(case.opened_by.label)}</td></tr>")
        users = {e_.action: e_.user for e_ in case.events}
        for action, step in STEP_OF_ACTION.items():
            if step == "record_handed" and not case.handover_needed:
                continue
            at = case.steps.get(step)
            who = users.get(action.value)
            parts.append(f"<tr><td>{e(self.texts.steps[step])}</td>"
                         f"<td>{e(vn_text(at)) if at else '—'}</td>"
                         f"<td>{e(who.label) if at and who else ''}</td></tr>")
        parts.append("</table>")
        if case.deadlines:
            parts.append(f"<h4>{e(self.tr('Deadlines (UTC+7)'))}</h4><table cellspacing='4'>")
            for deadline in case.deadlines:
                colour = STATUS_COLOURS.get(DeadlineStatus(deadline.status), "#ffffff")
                done = (arg(self.tr("done %1"), vn_text(deadline.done_at, seconds=False))
                        if deadline.done_at else "")
                parts.append(
                    f"<tr><td>{e(self.texts.rules.get(deadline.rule, deadline.rule))} "
                    f"({e(deadline.article)})</td>"
                    f"<td>{e(due_text(deadline.due_at))}</td>"
                    f"<td style='color:{colour}'><b>{e(self.texts.deadline(deadline.status))}"
                    f"</b></td><td>{e(done)}</td></tr>")
            parts.append("</table>")
        if case.clip_request_ids:
            parts.append(f"<p>{e(self.tr('Evidence clips'))}: "
                         f"{', '.join('#' + str(i) for i in case.clip_request_ids)}</p>")
        if case.public:
            clip = (" — " + arg(self.tr("clip #%1"), case.public_clip_id)
                    if case.public_clip_id is not None else "")
            parts.append(f"<p>{e(self.tr('Published'))}: {e(case.public_title or '')}"
                         f"{e(clip)}</p>")
        if case.events:
            parts.append(f"<h4>{e(self.tr('History'))}</h4><ul>")
            parts.extend(f"<li>{e(line)}</li>" for line in self.history_lines(case))
            parts.append("</ul>")
        return "".join(parts)

    def history_lines(self, case: Case) -> list[str]:
        """One line per event, oldest first: when (UTC+7), what happened (a label, never the
        server's code unless it is one the client does not know), who, and the note."""
        lines = []
        for event in case.events:
            what = self.texts.event(event.action)
            clip = event.detail.get("clip_request_id")
            if event.action == "add_clip" and clip is not None:
                what = f"{what} (#{clip})"
            title = event.detail.get("title")
            if event.action == "publish" and title:
                what = f"{what}: {title}"
            if event.user is not None:
                line = _fill(self.tr("%1 (UTC+7): %2, by %3"), vn_text(event.at), what,
                             event.user.label)
            else:
                line = _fill(self.tr("%1 (UTC+7): %2"), vn_text(event.at), what)
            note = event.detail.get("note")
            lines.append(f"{line} — {note}" if note else line)
        return lines

    # -- actions ---------------------------------------------------------------------------------
    def open_case(self, bookmark: Bookmark | None = None,
                  clip: ClipRequest | None = None) -> None:
        """Open a case, from ``bookmark`` / ``clip`` when given (the hook for the evidence
        panels): the user's bookmarks and clip requests are loaded first for the picker."""
        self._pending_open = (bookmark, clip)
        self.status_label.setText(self.tr("Loading bookmarks and clip requests…"))
        self._service.load_sources()

    def ask_add_clip(self) -> None:
        case = self.selected()
        if case is None:
            return
        self._pending_clip_case = case
        self._service.load_sources()

    def ask_publish(self) -> None:
        """The publish dialog for the selected case, once the clips are loaded (only its
        extracted evidence clips are offered)."""
        case = self.selected()
        if case is None or case.public:
            return
        self._pending_publish = case
        self._service.load_sources()

    def unpublish(self) -> None:
        case = self.selected()
        if case is not None and case.public:
            self._service.unpublish(case.id)

    def _show_publish_dialog(self, case: Case, clips: list[ClipRequest]) -> None:
        if self.publish_dialog is not None:
            self.publish_dialog.close()
        dialog = PublishDialog(case, clips, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_publish(case, dialog))
        dialog.finished.connect(lambda _r: self._publish_closed(dialog))
        self.publish_dialog = dialog
        dialog.open()

    def _publish_closed(self, dialog: PublishDialog) -> None:
        if self.publish_dialog is dialog:
            self.publish_dialog = None

    def _send_publish(self, case: Case, dialog: PublishDialog) -> None:
        if len(dialog.title()) < 3:
            dialog.show_error(self.tr("Give the public a title (at least 3 characters)."))
            return
        dialog.buttons.setEnabled(False)  # the dialog stays open on an error
        self._service.publish(case.id, dialog.title(), dialog.clip_id())

    def _on_sources(self, bookmarks: list[Bookmark], clips: list[ClipRequest]) -> None:
        self._bookmarks, self._clips = bookmarks, clips
        self.status_label.setText("")
        if self._pending_open is not None:
            bookmark, clip = self._pending_open
            self._pending_open = None
            self._show_open_dialog(bookmark, clip)
        if self._pending_clip_case is not None:
            case, self._pending_clip_case = self._pending_clip_case, None
            dialog = AddClipDialog(case, clips, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self._add_clip(case, dialog.clip_id()))
            dialog.open()
        if self._pending_publish is not None:
            case, self._pending_publish = self._pending_publish, None
            self._show_publish_dialog(case, clips)

    def _add_clip(self, case: Case, clip_id: int | None) -> None:
        if clip_id is not None:
            self._service.add_clip(case.id, clip_id)

    def _show_open_dialog(self, bookmark: Bookmark | None, clip: ClipRequest | None) -> None:
        if self.open_dialog is not None:
            self.open_dialog.close()
        dialog = OpenCaseDialog(self._bookmarks, self._clips, self, bookmark=bookmark,
                                clip=clip)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_open(dialog))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.open_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: OpenCaseDialog) -> None:
        if self.open_dialog is dialog:
            self.open_dialog = None

    def _send_open(self, dialog: OpenCaseDialog) -> None:
        values = dialog.values()
        if values["bookmark_id"] is None and values["clip_request_id"] is None:
            dialog.show_error(self.tr("Choose a bookmark or a clip request."))
            return
        dialog.buttons.setEnabled(False)  # the dialog stays open on an error
        self._service.open_case(
            str(values["kind"]), bookmark_id=values["bookmark_id"],  # type: ignore[arg-type]
            clip_request_id=values["clip_request_id"],  # type: ignore[arg-type]
            detected_at=values["detected_at"], note=str(values["note"]))  # type: ignore[arg-type]

    def ask_step(self, action: str) -> StepDialog | None:
        case = self.selected()
        if case is None or not case.may(action):
            return None
        dialog = StepDialog(case, action, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._service.act(case.id, action, dialog.step()))
        dialog.open()
        return dialog

    def _on_case(self, case: Case) -> None:
        if self.open_dialog is not None:
            self.open_dialog.accept()
            self.open_dialog = None
        if self.publish_dialog is not None and case.public:
            self.publish_dialog.accept()
            self.publish_dialog = None
        self.status_label.setStyleSheet("")
        self.status_label.setText(arg(self.tr("Case #%1: %2"), case.id,
                                      self.texts.state(case.state)))
        # show the answer at once; the refresh that follows replaces the row
        row = find_row(self.table, CASE_ROLE, case.id)
        if row is not None:
            cell(self.table, row).setData(CASE_ROLE, case)
        self._update()

    def _on_failed(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
        # a refusal often means this view is stale (another desk acted): read the cases again,
        # so the buttons follow the server (e.g. Unpublish greys once the case is not public)
        self._service.refresh()
        if self.open_dialog is not None:
            self.open_dialog.show_error(text)
        if self.publish_dialog is not None:
            self.publish_dialog.show_error(text)
