"""The "Handover" dock (Art. 8.1, 15.1; the operating unit): each shift's handover note with what
was pending when it was written, and its acknowledgement by the next shift.

"Write handover note…" asks for the note; the server lists the open incidents, the cases near or
past a deadline and the requests waiting, as they are at that moment. "Acknowledge handover" is
offered when the server lists it among the selected note's actions (someone on the next shift,
or a leader). "Duty roster…" opens the roster (:mod:`widgets.roster_panel`). The dock is a
:class:`widgets.list_detail.ListDetailPanel`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from app.bookmarks import vn_text
from app.duty import DutyService, Handover
from common.records import HandoverItem
from widgets.forms import ReasonDialog
from widgets.list_detail import Action, Column, ListDetailPanel, always, server_allows

LATE_COLOUR = "#e06c6c"



# the states a handover lists (incidents, deadlines, clip and access requests), by their code
STATE_LABELS: dict[str, object] = {
    "open": QT_TRANSLATE_NOOP("HandoverPanel", "open"),
    "acknowledged": QT_TRANSLATE_NOOP("HandoverPanel", "acknowledged"),
    "due_soon": QT_TRANSLATE_NOOP("HandoverPanel", "due soon"),
    "overdue": QT_TRANSLATE_NOOP("HandoverPanel", "overdue"),
    "requested": QT_TRANSLATE_NOOP("HandoverPanel", "requested"),
    "endorsed": QT_TRANSLATE_NOOP("HandoverPanel", "endorsed"),
    "approved": QT_TRANSLATE_NOOP("HandoverPanel", "approved"),
    "extracting": QT_TRANSLATE_NOOP("HandoverPanel", "extracting"),
}


def state_text(code: str) -> str:
    """A state's name in the user's language; a code this client does not know as it is."""
    source = STATE_LABELS.get(code)
    return QCoreApplication.translate("HandoverPanel", str(source)) if source else code

class HandoverPanel(ListDetailPanel[Handover]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("HandoverPanel", "Shift"),
        QT_TRANSLATE_NOOP("HandoverPanel", "Day"),
        QT_TRANSLATE_NOOP("HandoverPanel", "Written by"),
        QT_TRANSLATE_NOOP("HandoverPanel", "Written (UTC+7)"),
        QT_TRANSLATE_NOOP("HandoverPanel", "Acknowledged by"),
        QT_TRANSLATE_NOOP("HandoverPanel", "Acknowledged (UTC+7)"),
    )

    def __init__(self, service: DutyService, parent: QWidget | None = None, *,
                 open_roster: Callable[[], object] | None = None) -> None:
        cells = (lambda h: h.shift_name, lambda h: f"{h.day:%d/%m/%Y}",
                 lambda h: h.written_by.label, lambda h: vn_text(h.written_at),
                 lambda h: h.acknowledged_by.label if h.acknowledged_by else "",
                 lambda h: vn_text(h.acknowledged_at) if h.acknowledged_at else "")
        columns = [Column(QCoreApplication.translate("HandoverPanel", str(title)), text,
                          colour=(lambda h: LATE_COLOUR if h.late else None)
                          if index == 5 else None)
                   for index, (title, text) in enumerate(zip(self.COLUMNS, cells, strict=True))]
        super().__init__(columns, render=self.detail_html, parent=parent)
        self._service = service
        self.dialog: ReasonDialog | None = None
        self.write_button = self.add_action(Action(
            "write", self.tr("Write handover note…"), self.ask_write, always,
            object_name="writeHandover"))
        self.acknowledge_button = self.add_action(Action(
            "acknowledge", self.tr("Acknowledge handover"), self.acknowledge_selected,
            server_allows("acknowledge"), object_name="acknowledgeHandover"))
        if open_roster is not None:
            self.add_action(Action("roster", self.tr("Duty roster…"), open_roster, always,
                                   object_name="openDutyRoster"))
        self.add_action(Action("refresh", self.tr("Refresh"), service.refresh, always))
        service.listed.connect(self.set_items)
        service.handover_changed.connect(self.replace_item)
        service.action_failed.connect(self.show_error)

    def ask_write(self) -> ReasonDialog:
        dialog = ReasonDialog(self.tr("Handover note"), self.tr("Note"),
                              self.tr("What the next shift must know"),
                              ok_text=self.tr("Write"),
                              hint=self.tr("Open incidents, cases near their deadlines and "
                                           "pending requests are listed by the server."),
                              parent=self)
        dialog.accepted.connect(lambda: self._service.write(dialog.reason_edit.toPlainText()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def acknowledge_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self._service.acknowledge(item.id)

    def detail_html(self, handover: Handover) -> str:
        def section(title: str, items: tuple[HandoverItem, ...]) -> str:
            rows = "".join(f"<li>#{i.id} {html.escape(i.summary)} "
                           f"({html.escape(state_text(i.state))})</li>"
                           for i in items) or f"<li>{html.escape(self.tr('None'))}</li>"
            return f"<p><b>{html.escape(title)}</b></p><ul>{rows}</ul>"

        note = html.escape(handover.note).replace("\n", "<br>")
        late = f" <b>{html.escape(self.tr('(late)'))}</b>" if handover.late else ""
        return (f"<h3>{html.escape(handover.shift_name)} {handover.day:%d/%m/%Y}</h3>"
                f"<p>{note}</p>"
                + section(self.tr("Open incidents"), handover.open_incidents)
                + section(self.tr("Cases near or past their deadline"), handover.cases_due)
                + section(self.tr("Clip requests waiting"), handover.pending_clips)
                + section(self.tr("Access requests waiting"), handover.pending_access)
                + f"<p>{html.escape(self.tr('Acknowledged'))}: "
                  f"{html.escape(vn_text(handover.acknowledged_at)) if handover.acknowledged_at else '—'}"
                  f"{late}</p>")
