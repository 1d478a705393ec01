"""The "Cases" panel (Art. 11.3, 13): violation cases of the IOC and the police.

A table filtered by state, kind, ward and deadline state; a detail pane with the case's steps
in order, each deadline in UTC+7 coloured by the state the server computed (due / due soon /
overdue / done / done late), and the events; one button per step, enabled when the server lists
it in the case's ``actions`` for this user. "Open case…" (operating unit) picks a bookmark or a
clip request of the user; "Add evidence clip…" adds a clip request to the selected case;
"Propose for publication…" (operating unit, Art. 14) proposes the case's title and one
extracted evidence clip, with the boxes to blur (:mod:`widgets.publication_dialogs`); the
Publications panel takes it on from there. The list, the detail and the buttons are a
:class:`widgets.list_detail.ListDetailPanel`; the dialogs are in :mod:`widgets.case_dialogs`.

Dialogs never block the event loop (``open()``): polling goes on while one is open.

Signals (CasesPanel):
    badge_changed(int): how many cases are overdue (forwarded from the service).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QPushButton, QTableWidgetItem, QWidget

from app.bookmarks import Bookmark, vn_text
from app.cases import STEP_OF_ACTION, Case, CaseFilter, CaseService, due_text
from app.clips import ClipRequest
from app.i18n import arg
from app.publications import PublicationService
from common.records import Publication, UserRef
from common.vocabulary import CaseAction, CaseKind, CaseState, CaseVersionStatus, DeadlineStatus
from widgets.case_dialogs import (
    STATUS_COLOURS,
    AddClipDialog,
    ApproveVersionDialog,
    CaseTexts,
    EditCaseDialog,
    OpenCaseDialog,
    PackageDialog,
    StepDialog,
    version_text,
)
from widgets.list_detail import Action, Column, ListDetailPanel, always
from widgets.publication_dialogs import ProposeDialog

__all__ = ["STATUS_COLOURS", "AddClipDialog", "ApproveVersionDialog", "CaseTexts", "CasesPanel",
           "EditCaseDialog", "OpenCaseDialog", "PackageDialog", "ProposeDialog", "StepDialog"]

_PLACEHOLDER = re.compile(r"%(\d)")


def _fill(template: str, *values: str) -> str:
    """``%1``… replaced in one pass (a value holding "%2" stays as it is)."""
    return _PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1]
                            if 0 < int(m.group(1)) <= len(values) else m.group(0), template)


def _deadline_colour(case: Case) -> str | None:
    if not case.deadline_state:
        return None
    return STATUS_COLOURS.get(DeadlineStatus(case.deadline_state), "#ffffff")


class CasesPanel(ListDetailPanel[Case]):
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
                 publications: PublicationService | None = None,
                 parent: QWidget | None = None) -> None:
        texts = CaseTexts()
        cells = (lambda c: str(c.id), lambda c: c.camera_name, lambda c: c.ward,
                 lambda c: texts.kind(c.kind), lambda c: texts.state(c.state),
                 lambda c: vn_text(c.detected_at, seconds=False),
                 lambda c: due_text(c.next_due.due_at) if c.next_due else "",
                 lambda c: texts.deadline(c.deadline_state))
        last = len(cells) - 1  # the deadline state, coloured
        columns = [Column[Case](QCoreApplication.translate("CasesPanel", str(title)), text,
                                colour=_deadline_colour if index == last else None)
                   for index, (title, text) in enumerate(zip(self.COLUMNS, cells, strict=True))]
        super().__init__(columns, render=self.detail_html, parent=parent)
        self.texts = texts
        self._service = service
        self.can_open = can_open
        self._bookmarks: list[Bookmark] = []
        self._clips: list[ClipRequest] = []
        self._wards: set[str] = set()
        self._pending_open: tuple[Bookmark | None, ClipRequest | None] | None = None
        self._pending_clip_case: Case | None = None
        self._pending_publish: Case | None = None
        self.open_dialog: OpenCaseDialog | None = None
        self._publications = publications
        self.publish_dialog: ProposeDialog | None = None
        self.package_dialog: PackageDialog | None = None
        # where packages are saved unless the user picks another folder
        self.package_directory = Path.home()
        self.record_dialog: EditCaseDialog | ApproveVersionDialog | None = None
        assert self.detail is not None
        self.detail.setObjectName("caseDetail")

        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("All states"), None)
        for state in CaseState:
            self.state_combo.addItem(texts.state(state), state.value)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("All violations"), None)
        for kind in CaseKind:
            self.kind_combo.addItem(texts.kind(kind), kind.value)
        self.ward_combo = QComboBox()
        self.ward_combo.addItem(self.tr("All wards"), None)
        self.deadline_combo = QComboBox()
        self.deadline_combo.addItem(self.tr("Any deadline"), None)
        for status in (DeadlineStatus.OVERDUE, DeadlineStatus.DUE_SOON, DeadlineStatus.DUE):
            self.deadline_combo.addItem(texts.deadline(status), status.value)
        for label, combo in ((self.tr("State"), self.state_combo),
                             (self.tr("Violation"), self.kind_combo),
                             (self.tr("Ward"), self.ward_combo),
                             (self.tr("Deadline"), self.deadline_combo)):
            self.add_filter(label, combo, self.apply_filter)

        self.open_button = self.add_action(Action(
            "open", self.tr("Open case…"), lambda: self.open_case(), always, shown=can_open))
        self.add_clip_button = self.add_action(Action(
            "add_clip", self.tr("Add evidence clip…"), self.ask_add_clip,
            lambda c: c is not None and c.state != CaseState.CLOSED))
        # the operating unit proposes; a leader approves in the Publications panel (Art. 14)
        self.publish_button = self.add_action(Action(
            "publish", self.tr("Propose for publication…"), self.ask_publish,
            lambda c: c is not None and not c.public, shown=publications is not None))
        # Art. 11.3, 12.2: the evidence as one file its recipient checks without iocwall
        self.package_button = self.add_action(Action(
            "package", self.tr("Export evidence package…"), self.ask_package,
            lambda c: c is not None))
        # a new version of the record; a police leader approves a late reclassification
        self.edit_button = self.add_action(Action(
            "edit", self.tr("Edit / reclassify…"), self.ask_edit,
            shown=lambda c: bool(c and c.may("edit"))))
        self.approve_button = self.add_action(Action(
            "approve_version", self.tr("Approve reclassification…"), self.ask_approve,
            shown=lambda c: bool(c and c.may("approve_version"))))
        self.action_buttons: dict[str, QPushButton] = {}
        for action in CaseAction:
            key = action.value
            self.action_buttons[key] = self.add_action(Action(
                key, texts.actions[action] + "…", functools.partial(self.ask_step, key),
                shown=functools.partial(self._step_shown, key), object_name=f"case_{key}"))

        service.cases_changed.connect(self.set_items)
        service.list.item_changed.connect(self.replace_item)
        service.overdue_changed.connect(self.badge_changed)
        service.case_changed.connect(self._on_case)
        service.action_failed.connect(self._on_failed)
        service.sources_loaded.connect(self._on_sources)
        if publications is not None:
            publications.publication_changed.connect(self._on_publication)
            publications.action_failed.connect(self._on_publication_failed)
        service.package_saved.connect(self._on_package_saved)
        self.update_selection()

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

    def set_items(self, items: Sequence[Case], box: int = 0) -> None:
        self._add_wards({c.ward for c in items})
        super().set_items(items, box)

    def cases(self) -> list[Case]:
        return self.items()

    def deadline_cell(self, case_id: int) -> QTableWidgetItem | None:
        """The deadline-state cell of a case's row (tests read its text and colour)."""
        return self.cell(case_id, len(self.COLUMNS) - 1)

    def _step_shown(self, action: str, case: Case | None) -> bool:
        """A step button is shown when the server offers the step now, or when this unit takes
        it at some point (greyed until then)."""
        return bool(case and case.may(action)) or action in self._role_actions()

    def _role_actions(self) -> set[str]:
        """Steps this unit takes at some point (buttons kept visible, greyed when not now)."""
        if self.can_open:
            return {CaseAction.SEND.value, CaseAction.CLOSE.value}
        return {a.value for a in CaseAction} - {CaseAction.SEND.value}

    # -- detail ----------------------------------------------------------------------------------
    def detail_html(self, case: Case) -> str:
        e = html.escape
        parts = [f"<h3>{e(arg(self.tr('Case #%1'), case.id))} — "
                 f"{e(self.texts.kind(case.kind))}</h3>",
                 f"<p>{e(case.camera_name)}, {e(case.ward)}<br>"
                 f"{e(self.tr('Detected'))}: {e(vn_text(case.detected_at))} (UTC+7)"
                 f"{e(self._declared(case.detected_declared_by))}<br>"
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
        if case.versions:
            parts.append(f"<h4>{e(self.tr('Versions of the record'))}</h4><ul>")
            parts.extend(f"<li>{e(line)}</li>" for line in self.version_lines(case))
            parts.append("</ul>")
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
            if event.declared_at is not None:
                line += _fill(self.tr(" (recorded %1 UTC+7)"), vn_text(event.recorded_at))
                line += self._declared(event.declared_by)
            note = event.detail.get("note") or event.detail.get("reason")
            lines.append(f"{line} — {note}" if note else line)
        return lines

    def _declared(self, who: UserRef | None) -> str:
        """", declared by …" after a time a user declared; nothing for the server's."""
        return "" if who is None else ", " + arg(self.tr("declared by %1"), who.label)

    def version_lines(self, case: Case) -> list[str]:
        """One line per version of the record: its number, when, who, what changed, why, and
        its state (a pending reclassification leaves the deadlines where they were)."""
        lines = []
        for version in case.versions:
            line = _fill(self.tr("Version %1, %2 (UTC+7), %3: %4 → %5 — %6 [%7]"),
                         str(version.number), vn_text(version.at), version.user.label,
                         version_text(version.before), version_text(version.after),
                         version.reason,
                         self.texts.version_states.get(CaseVersionStatus(version.status),
                                                       version.status))
            if version.approved_by is not None and version.approved_at is not None:
                line += " " + _fill(self.tr("approved by %1 at %2: %3"),
                                    version.approved_by.label, vn_text(version.approved_at),
                                    version.approval_reason or "")
            lines.append(line)
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

    def _show_publish_dialog(self, case: Case, clips: list[ClipRequest]) -> None:
        if self.publish_dialog is not None:
            self.publish_dialog.close()
        if self._publications is None:
            return
        dialog = ProposeDialog(case, clips, self._publications, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_publish(case, dialog))
        dialog.finished.connect(lambda _r: self._publish_closed(dialog))
        self.publish_dialog = dialog
        dialog.open()

    def _publish_closed(self, dialog: ProposeDialog) -> None:
        if self.publish_dialog is dialog:
            self.publish_dialog = None

    def _send_publish(self, case: Case, dialog: ProposeDialog) -> None:
        if len(dialog.title()) < 3:
            dialog.show_error(self.tr("Give the public a title (at least 3 characters)."))
            return
        if self._publications is None:
            return
        dialog.buttons.setEnabled(False)  # the dialog stays open on an error
        self._publications.propose(case.id, dialog.title(), dialog.clip_id(), dialog.keyframes)

    def _on_publication(self, item: Publication) -> None:
        dialog = self.publish_dialog
        if dialog is None or dialog.case.id != item.case_id:
            return
        self.publish_dialog = None
        dialog.accept()
        self.show_status(self.tr("Proposed for publication: it is blurred, then reviewed and "
                                 "approved in the Publications panel."))

    def _on_publication_failed(self, text: str) -> None:
        if self.publish_dialog is not None:
            self.publish_dialog.show_error(text)

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

    def ask_edit(self) -> EditCaseDialog | None:
        case = self.selected()
        if case is None or not case.may("edit"):
            return None
        dialog = EditCaseDialog(case, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_edit(case, dialog))
        dialog.finished.connect(lambda _r: self._record_dialog_closed(dialog))
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def _send_edit(self, case: Case, dialog: EditCaseDialog) -> None:
        edit = dialog.edit()
        if edit is None:
            dialog.show_error(self.tr("Nothing has changed."))
            return
        if len(edit.reason) < 3:
            dialog.show_error(self.tr("Give the reason for the change (at least 3 characters)."))
            return
        dialog.buttons.setEnabled(False)  # the dialog stays open on an error
        self._service.edit(case.id, edit)

    def ask_approve(self) -> ApproveVersionDialog | None:
        case = self.selected()
        if case is None or not case.may("approve_version"):
            return None
        dialog = ApproveVersionDialog(case, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_approve(case, dialog))
        dialog.finished.connect(lambda _r: self._record_dialog_closed(dialog))
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def _send_approve(self, case: Case, dialog: ApproveVersionDialog) -> None:
        number = dialog.number()
        if number is None:
            return
        if len(dialog.reason()) < 3:
            dialog.show_error(self.tr("Give the reason for the approval (at least 3 "
                                      "characters)."))
            return
        dialog.buttons.setEnabled(False)
        self._service.approve_version(case.id, number, dialog.reason())

    def _record_dialog_closed(self, dialog: QDialog) -> None:
        if self.record_dialog is dialog:
            self.record_dialog = None

    def _on_case(self, case: Case) -> None:
        if self.record_dialog is not None:
            self.record_dialog.accept()
            self.record_dialog = None
        if self.open_dialog is not None:
            self.open_dialog.accept()
            self.open_dialog = None
        self.show_status(arg(self.tr("Case #%1: %2"), case.id, self.texts.state(case.state)))

    # -- the evidence package --------------------------------------------------------------------
    def ask_package(self) -> None:
        case = self.selected()
        if case is None:
            return
        if self.package_dialog is not None:
            self.package_dialog.close()
        dialog = PackageDialog(case, self.package_directory, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(lambda: self._send_package(case, dialog))
        dialog.finished.connect(lambda _r: self._package_closed(dialog))
        self.package_dialog = dialog
        dialog.open()

    def _package_closed(self, dialog: PackageDialog) -> None:
        if self.package_dialog is dialog:
            self.package_dialog = None

    def _send_package(self, case: Case, dialog: PackageDialog) -> None:
        purpose = dialog.purpose()
        destination = dialog.destination() if purpose is not None else None
        if purpose is None or destination is None:
            return
        dialog.buttons.setEnabled(False)  # the dialog stays open on an error
        self.package_directory = destination.parent
        self._service.download_package(case.id, destination, purpose)

    def _on_package_saved(self, _case_id: int, path: str, _sha256: str) -> None:
        self.status_label.setText(arg(self.tr("Evidence package saved: %1"), path))
        if self.package_dialog is not None:
            self.package_dialog.accept()

    def _on_failed(self, text: str) -> None:
        self.show_error(text)
        # a refusal often means this view is stale (another desk acted): read the cases again,
        # so the buttons follow the server (e.g. Unpublish greys once the case is not public)
        self._service.refresh()
        if self.open_dialog is not None:
            self.open_dialog.show_error(text)
        if self.package_dialog is not None:
            self.package_dialog.show_error(text)
        if isinstance(self.record_dialog, (EditCaseDialog, ApproveVersionDialog)):
            self.record_dialog.show_error(text)
