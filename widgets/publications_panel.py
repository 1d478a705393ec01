"""The "Publications" panel (Art. 14): the operating unit's proposals to publish violation media.

Each proposal: the case, the public title, its state (being blurred, waiting for review, for a
leader, published, rejected, withdrawn), who proposed, reviewed, approved or withdrew it and
when (UTC+7). Buttons follow the server's ``actions``: "Review…" (a note on what was checked in
the blurred clip), "Approve" (an IOC leader who did not propose it), "Reject…" and
"Withdraw…" (with a reason; withdrawing takes it off the public at once). The list, detail and
buttons are a :class:`widgets.list_detail.ListDetailPanel`.
"""

from __future__ import annotations

import functools
import html
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from app.bookmarks import vn_text
from app.i18n import arg
from app.publications import PublicationService
from common.records import Publication, UserRef
from common.vocabulary import PublicationState
from widgets.forms import ReasonDialog
from widgets.list_detail import Action, Column, ListDetailPanel, server_allows

STATE_LABELS: dict[PublicationState, object] = {
    PublicationState.REDACTING: QT_TRANSLATE_NOOP("PublicationsPanel", "being blurred"),
    PublicationState.REDACTION_FAILED: QT_TRANSLATE_NOOP("PublicationsPanel", "blurring failed"),
    PublicationState.REDACTED: QT_TRANSLATE_NOOP("PublicationsPanel", "waiting for review"),
    PublicationState.REVIEWED: QT_TRANSLATE_NOOP("PublicationsPanel", "waiting for a leader"),
    PublicationState.PUBLISHED: QT_TRANSLATE_NOOP("PublicationsPanel", "published"),
    PublicationState.REJECTED: QT_TRANSLATE_NOOP("PublicationsPanel", "rejected"),
    PublicationState.WITHDRAWN: QT_TRANSLATE_NOOP("PublicationsPanel", "withdrawn"),
}


def state_text(state: str) -> str:
    source = STATE_LABELS.get(PublicationState(state)) if state in set(PublicationState) \
        else None
    return QCoreApplication.translate("PublicationsPanel", str(source)) if source else state


class PublicationsPanel(ListDetailPanel[Publication]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("PublicationsPanel", "#"),
        QT_TRANSLATE_NOOP("PublicationsPanel", "Case"),
        QT_TRANSLATE_NOOP("PublicationsPanel", "Camera"),
        QT_TRANSLATE_NOOP("PublicationsPanel", "Public title"),
        QT_TRANSLATE_NOOP("PublicationsPanel", "State"),
        QT_TRANSLATE_NOOP("PublicationsPanel", "Proposed (UTC+7)"),
    )

    def __init__(self, service: PublicationService, parent: QWidget | None = None) -> None:
        cells = (lambda p: str(p.id), lambda p: f"#{p.case_id}", lambda p: p.camera_name,
                 lambda p: p.title, lambda p: state_text(p.state),
                 lambda p: vn_text(p.proposed_at, seconds=False))
        columns = [Column[Publication](QCoreApplication.translate("PublicationsPanel",
                                                                  str(title)), text)
                   for title, text in zip(self.COLUMNS, cells, strict=True)]
        super().__init__(columns, render=self.detail_html, parent=parent)
        self._service = service
        self.dialog: ReasonDialog | None = None
        assert self.detail is not None
        self.detail.setObjectName("publicationDetail")
        self.buttons_by_step = {
            "review": self.add_action(Action(
                "review", self.tr("Review the blurred clip…"),
                functools.partial(self.ask_text, "review"), server_allows("review"))),
            "approve": self.add_action(Action(
                "approve", self.tr("Approve"), self.approve, server_allows("approve"))),
            "reject": self.add_action(Action(
                "reject", self.tr("Reject…"), functools.partial(self.ask_text, "reject"),
                server_allows("reject"))),
            "withdraw": self.add_action(Action(
                "withdraw", self.tr("Withdraw…"), functools.partial(self.ask_text, "withdraw"),
                server_allows("withdraw"))),
        }
        service.publications_changed.connect(self.set_items)
        service.list.item_changed.connect(self.replace_item)
        service.publication_changed.connect(self._on_changed)
        service.action_failed.connect(self._on_failed)
        self.update_selection()

    def detail_html(self, item: Publication) -> str:
        e = html.escape
        rows: list[tuple[str, datetime, UserRef | None]] = [
            (self.tr("Proposed"), item.proposed_at, item.proposed_by)]
        if item.reviewed_at is not None:
            rows.append((self.tr("Blurred clip reviewed"), item.reviewed_at, item.reviewed_by))
        if item.approved_at is not None:
            rows.append((self.tr("Approved"), item.approved_at, item.approved_by))
        if item.closed_at is not None:
            rows.append((state_text(item.state).capitalize(), item.closed_at, item.closed_by))
        parts = [f"<h3>{e(arg(self.tr('Publication #%1 of case #%2'), item.id, item.case_id))}"
                 f"</h3><p><b>{e(item.title)}</b><br>{e(item.camera_name)}<br>"
                 f"{e(self.tr('State'))}: <b>{e(state_text(item.state))}</b></p>"
                 "<table cellspacing='4'>"]
        for label, at, who in rows:
            parts.append(f"<tr><td>{e(label)}</td><td>{e(vn_text(at))} (UTC+7)</td>"
                         f"<td>{e(who.label) if who else ''}</td></tr>")
        parts.append("</table>")
        boxes = sum(len(t) for t in item.tracks)
        clip = (arg(self.tr("Clip request #%1; %2 object(s) blurred, %3 box(es) drawn."),
                    item.clip_request_id, len(item.tracks), boxes)
                if item.clip_request_id is not None else self.tr("No clip: the title only."))
        parts.append(f"<p>{e(clip)}</p>")
        if item.review_note:
            parts.append(f"<p>{e(self.tr('Review'))}: {e(item.review_note)}</p>")
        if item.close_reason:
            parts.append(f"<p>{e(self.tr('Reason'))}: {e(item.close_reason)}</p>")
        if item.redaction_error:
            parts.append(f"<p>{e(self.tr('Blurring failed'))}: {e(item.redaction_error)}</p>")
        return "".join(parts)

    def ask_text(self, step: str) -> ReasonDialog | None:
        item = self.selected()
        if item is None or not item.may(step):
            return None
        titles = {
            "review": (self.tr("Review the blurred clip"),
                       self.tr("What you checked"),
                       self.tr("e.g. No face or number plate of a bystander can be recognised")),
            "reject": (self.tr("Reject the proposal"), self.tr("Reason"),
                       self.tr("e.g. A number plate is still readable at 0:12")),
            "withdraw": (self.tr("Withdraw from the public"), self.tr("Reason"),
                         self.tr("e.g. A person in the clip asked to be removed")),
        }
        title, label, placeholder = titles[step]
        dialog = ReasonDialog(title, label, placeholder, accept_on_ok=False, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.buttons.accepted.connect(
            lambda: self._send(dialog, item.id, step, dialog.reason()))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _send(self, dialog: ReasonDialog, publication_id: int, step: str, text: str) -> None:
        dialog.buttons.setEnabled(False)
        self._service.step(publication_id, step, text)

    def _closed(self, dialog: ReasonDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def approve(self) -> None:
        item = self.selected()
        if item is not None and item.may("approve"):
            self._service.step(item.id, "approve")

    def _on_changed(self, item: Publication) -> None:
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.show_status(arg(self.tr("Publication #%1: %2"), item.id, state_text(item.state)))

    def _on_failed(self, text: str) -> None:
        self.show_error(text)
        self._service.refresh()
        if self.dialog is not None:
            self.dialog.show_error(text)
            self.dialog.buttons.setEnabled(True)
