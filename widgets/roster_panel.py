"""The duty roster (Art. 8.1, 15.1): who is on each shift of a week, and — for its keepers, the
operating unit's administrators and leaders — who to put on a shift.

A week is a grid: a row per day (Monday first), a column per shift of the day, as the server
names them ("Ca 1 (06:00–14:00)"), each cell the people on it. The shift on duty now (the
server's) is highlighted; shifts that have ended are greyed: who was on duty is a record. "Assign
duty…" (on the cell, by double-click or its context menu too) is offered to the keepers and
enabled where the server lists ``assign`` among the shift's actions; it opens
:class:`AssignDialog`, a checkable list of the operating unit's active people, ticked with who is
on the shift. Everyone else reads the roster.

The window (:class:`RosterDialog`, non-modal) is opened from the Operations menu and from the
Handover dock; the panel asks the service for each week shown and never talks to the network.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bookmarks import VIETNAM
from app.duty import ASSIGN, DutyPerson, DutyService, DutyShift, Roster
from app.i18n import arg
from widgets.admin_words import role as role_text
from widgets.forms import ERROR_STYLE, error_label

SHIFT_ROLE = Qt.ItemDataRole.UserRole + 1
PERSON_ROLE = Qt.ItemDataRole.UserRole + 2
NOW_FILL = "#1e5631"       # the shift on duty now (green: distinct from the selection's blue)
ENDED_TEXT = "#7d8590"     # a shift that has ended: a record, read only
MAX_PEOPLE = 20            # the server's limit for one shift

WEEKDAYS = (
    QT_TRANSLATE_NOOP("RosterPanel", "Monday"),
    QT_TRANSLATE_NOOP("RosterPanel", "Tuesday"),
    QT_TRANSLATE_NOOP("RosterPanel", "Wednesday"),
    QT_TRANSLATE_NOOP("RosterPanel", "Thursday"),
    QT_TRANSLATE_NOOP("RosterPanel", "Friday"),
    QT_TRANSLATE_NOOP("RosterPanel", "Saturday"),
    QT_TRANSLATE_NOOP("RosterPanel", "Sunday"),
)


def weekday(day: date) -> str:
    return QCoreApplication.translate("RosterPanel", str(WEEKDAYS[day.weekday()]))


def day_text(day: date) -> str:
    """"Thứ Hai, 07/12/2026": how the roster names a day."""
    return f"{weekday(day)}, {day:%d/%m/%Y}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def vn_today() -> date:
    return datetime.now(VIETNAM).date()


class RosterPanel(QWidget):
    """A week of the roster; see the module docstring."""

    def __init__(self, service: DutyService, *, can_assign: bool,
                 today: Callable[[], date] = vn_today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._today = today
        self.can_assign = can_assign
        self.week = monday_of(self._current_day())
        self.shifts: dict[tuple[date, int], DutyShift] = {}
        self.dialog: AssignDialog | None = None
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("◀ Previous week"))
        self.this_week_button = QPushButton(self.tr("This week"))
        self.next_button = QPushButton(self.tr("Next week ▶"))
        self.week_label = QLabel()
        self.week_label.setObjectName("rosterWeek")
        font = self.week_label.font()
        font.setBold(True)
        self.week_label.setFont(font)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        for button in (self.previous_button, self.this_week_button, self.next_button):
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.week_label, 1)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        self.table = QTableWidget(7, 0)
        self.table.setObjectName("rosterGrid")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(40)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout.addWidget(self.table, 1)

        footer = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        footer.addWidget(self.status_label, 1)
        self.assign_button = QPushButton(self.tr("Assign duty…"))
        self.assign_button.setObjectName("assignDuty")
        self.assign_button.setVisible(can_assign)
        footer.addWidget(self.assign_button)
        layout.addLayout(footer)

        self.previous_button.clicked.connect(lambda: self.show_week(self.week - timedelta(7)))
        self.next_button.clicked.connect(lambda: self.show_week(self.week + timedelta(7)))
        self.this_week_button.clicked.connect(
            lambda: self.show_week(monday_of(self._current_day())))
        self.refresh_button.clicked.connect(self.refresh)
        self.assign_button.clicked.connect(self.ask_assign)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.itemDoubleClicked.connect(lambda _item: self.ask_assign())
        self.table.customContextMenuRequested.connect(self._context_menu)
        service.roster_loaded.connect(self._on_roster)
        service.shift_assigned.connect(self._on_assigned)
        service.on_duty.connect(self._on_duty)
        service.roster_failed.connect(self._on_failed)
        self._show_week_label()
        self._update_button()

    # -- what is shown ---------------------------------------------------------------------------
    def _current_day(self) -> date:
        """The day of the shift on duty now as the server says it (the client's clock until it
        has answered)."""
        return self._service.shift.day if self._service.shift is not None else self._today()

    @property
    def days(self) -> list[date]:
        return [self.week + timedelta(days=i) for i in range(7)]

    def show_week(self, monday: date) -> None:
        self.week = monday_of(monday)
        self.shifts = {}
        self.table.clearContents()
        self._show_week_label()
        self.refresh()

    def refresh(self) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading the roster…"))
        self._service.roster(self.week, self.week + timedelta(days=6))

    def _show_week_label(self) -> None:
        last = self.week + timedelta(days=6)
        self.week_label.setText(arg(self.tr("Week of %1 – %2"), f"{self.week:%d/%m/%Y}",
                                    f"{last:%d/%m/%Y}"))
        self.table.setVerticalHeaderLabels([day_text(d) for d in self.days])

    def _on_roster(self, roster: Roster) -> None:
        if roster.first != self.week:
            return  # a week the user has already left
        self.shifts = {(s.day, s.shift): s for s in roster.shifts}
        names: dict[int, str] = {}
        for shift in roster.shifts:
            names.setdefault(shift.shift, shift.name)
        if self.table.columnCount() != len(names):
            self.table.setColumnCount(len(names))
        self.table.setHorizontalHeaderLabels([names[i] for i in sorted(names)])
        for shift in roster.shifts:
            self._fill(shift)
        self._update_button()
        self._show_legend()

    def _fill(self, shift: DutyShift) -> None:
        row = (shift.day - self.week).days
        if not 0 <= row < 7 or shift.shift >= self.table.columnCount():
            return
        item = QTableWidgetItem("\n".join(p.full_name or p.username for p in shift.people)
                                or "—")
        item.setData(SHIFT_ROLE, shift)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        tips = [f"{shift.name} — {day_text(shift.day)}"]
        tips += [p.label for p in shift.people] or [self.tr("Nobody on this shift")]
        if self.is_now(shift):
            item.setBackground(QBrush(QColor(NOW_FILL)))
            item.setForeground(QBrush(QColor("white")))
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
            tips.append(self.tr("On duty now"))
        elif self.ended(shift):
            item.setForeground(QBrush(QColor(ENDED_TEXT)))
            tips.append(self.tr("Ended: kept as a record"))
        item.setToolTip("\n".join(tips))
        self.table.setItem(row, shift.shift, item)

    def is_now(self, shift: DutyShift) -> bool:
        now = self._service.shift
        return now is not None and (now.day, now.shift) == (shift.day, shift.shift)

    def ended(self, shift: DutyShift) -> bool:
        """Before the shift on duty now (the server's clock; the client's until it answered)."""
        now = self._service.shift
        if now is not None:
            return shift.end <= now.start
        return shift.end <= datetime.now(VIETNAM)

    def _show_legend(self) -> None:
        self.status_label.setStyleSheet("")
        text = self.tr("Green: the shift on duty now. Grey: ended shifts, kept as a record.")
        if self.can_assign:
            text += " " + self.tr("Double-click a shift to assign its people.")
        self.status_label.setText(text)

    def _on_assigned(self, shift: DutyShift) -> None:
        if (shift.day, shift.shift) in self.shifts:
            self.shifts[(shift.day, shift.shift)] = shift
            self._fill(shift)
            self._update_button()

    def _on_duty(self, _shift: DutyShift) -> None:
        # the shift turned: another one is highlighted, the one before is a record now
        for shift in self.shifts.values():
            self._fill(shift)
        self._update_button()

    def _on_failed(self, text: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # the dialog shows it
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)

    # -- reading the grid (also for tests) -------------------------------------------------------
    def shift_at(self, day: date, index: int) -> DutyShift | None:
        return self.shifts.get((day, index))

    def cell_text(self, day: date, index: int) -> str:
        item = self.table.item((day - self.week).days, index)
        return item.text() if item is not None else ""

    def select(self, day: date, index: int) -> None:
        self.table.setCurrentCell((day - self.week).days, index)

    def selected(self) -> DutyShift | None:
        items = self.table.selectedItems()
        return items[0].data(SHIFT_ROLE) if items else None

    def may_assign(self, shift: DutyShift | None) -> bool:
        return self.can_assign and shift is not None and shift.may(ASSIGN)

    def _update_button(self) -> None:
        shift = self.selected()
        allowed = self.may_assign(shift)
        self.assign_button.setEnabled(allowed)
        if shift is not None and not allowed and self.ended(shift):
            self.assign_button.setToolTip(self.tr("This shift has ended: who was on duty is "
                                                  "kept as a record."))
        else:
            self.assign_button.setToolTip("")

    # -- assigning -------------------------------------------------------------------------------
    def _context_menu(self, position: QPoint) -> None:
        item = self.table.itemAt(position)
        if item is None or not self.can_assign:
            return
        self.table.setCurrentItem(item)
        menu = QMenu(self)
        action = menu.addAction(self.tr("Assign duty…"))
        action.setEnabled(self.may_assign(item.data(SHIFT_ROLE)))
        action.triggered.connect(self.ask_assign)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def ask_assign(self) -> AssignDialog | None:
        """The dialog for the selected shift, when the user may change it."""
        shift = self.selected()
        if shift is None or not self.may_assign(shift):
            return None
        if self.dialog is not None:
            self.dialog.close()
        dialog = AssignDialog(self._service, shift, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog


class AssignDialog(QDialog):
    """Who is on one shift: the operating unit's active people, ticked with who is on it now.
    Save sends the ticked list (it replaces the one before); the dialog closes when the server
    has agreed and shows its refusal otherwise."""

    def __init__(self, service: DutyService, shift: DutyShift,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.shift = shift
        self.setWindowTitle(self.tr("Assign duty"))
        self.resize(420, 480)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{shift.name}</b> — {day_text(shift.day)}")
        layout.addWidget(title)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Find a person…"))
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.people_list = QListWidget()
        self.people_list.setObjectName("dutyPeople")
        layout.addWidget(self.people_list, 1)
        self.count_label = QLabel(self.tr("Loading the operating unit's people…"))
        layout.addWidget(self.count_label)
        self.error_label = error_label()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button = ok
        ok.setText(self.tr("Save"))
        ok.setEnabled(False)  # until the people are listed
        # Qt has no Vietnamese catalogue of its own: the standard buttons are named here
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout.addWidget(self.buttons)
        self._saving = False
        self._closed = False

        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.filter_edit.textChanged.connect(self._filter)
        self.people_list.itemChanged.connect(lambda _item: self._count())
        service.people_loaded.connect(self._fill)
        service.shift_assigned.connect(self._on_assigned)
        service.roster_failed.connect(self.show_error)
        service.people()

    def _fill(self, people: list[DutyPerson]) -> None:
        on_shift = {p.id for p in self.shift.people}
        self.people_list.blockSignals(True)
        self.people_list.clear()
        listed = set()
        for person in people:
            listed.add(person.id)
            item = QListWidgetItem(f"{person.label} — {role_text(person.role)}")
            item.setData(PERSON_ROLE, person.id)
            item.setToolTip(person.username)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in on_shift
                               else Qt.CheckState.Unchecked)
            self.people_list.addItem(item)
        for gone in (p for p in self.shift.people if p.id not in listed):
            # on the shift but no longer an active person of the unit: saving takes them off
            item = QListWidgetItem(arg(self.tr("%1 (no longer active: taken off when saved)"),
                                       gone.full_name or gone.username))
            item.setData(PERSON_ROLE, None)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.people_list.addItem(item)
        self.people_list.blockSignals(False)
        self._filter(self.filter_edit.text())
        self._count()

    def _filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        for row in range(self.people_list.count()):
            item = self.people_list.item(row)
            item.setHidden(bool(wanted) and wanted not in
                           f"{item.text()} {item.toolTip()}".casefold())

    def person_item(self, user_id: int) -> QListWidgetItem | None:
        for row in range(self.people_list.count()):
            item = self.people_list.item(row)
            if item.data(PERSON_ROLE) == user_id:
                return item
        return None

    def checked_ids(self) -> list[int]:
        return [int(item.data(PERSON_ROLE)) for item in
                (self.people_list.item(r) for r in range(self.people_list.count()))
                if item.data(PERSON_ROLE) is not None
                and item.checkState() == Qt.CheckState.Checked]

    def _count(self) -> None:
        chosen = len(self.checked_ids())
        self.count_label.setText(arg(self.tr("%1 chosen (at most %2)"), chosen, MAX_PEOPLE))
        self.ok_button.setEnabled(not self._saving and chosen <= MAX_PEOPLE)

    def save(self) -> None:
        self._saving = True
        self.ok_button.setEnabled(False)
        self.error_label.hide()
        self._service.assign(self.shift.day, self.shift.shift, self.checked_ids())

    def _on_assigned(self, shift: DutyShift) -> None:
        if self._saving and (shift.day, shift.shift) == (self.shift.day, self.shift.shift):
            self._saving = False
            self.accept()

    def show_error(self, text: str) -> None:
        self._saving = False
        self.error_label.setText(text)
        self.error_label.show()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self._count()

    def done(self, result: int) -> None:
        # replies for a closed dialog must not reach it: the service outlives it
        if self._closed:
            return
        self._closed = True
        for signal, slot in ((self._service.people_loaded, self._fill),
                             (self._service.shift_assigned, self._on_assigned),
                             (self._service.roster_failed, self.show_error)):
            signal.disconnect(slot)
        super().done(result)


class RosterDialog(QDialog):
    """The roster in a window of its own (non-modal: the wall and polling go on)."""

    def __init__(self, service: DutyService, *, can_assign: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Duty roster"))
        self.resize(1000, 560)
        layout = QVBoxLayout(self)
        self.panel = RosterPanel(service, can_assign=can_assign)
        layout.addWidget(self.panel, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def open_roster(service: DutyService, *, can_assign: bool,
                parent: QWidget | None = None) -> RosterDialog:
    """The roster window on this week (non-modal; deleted when closed)."""
    dialog = RosterDialog(service, can_assign=can_assign, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(False)
    dialog.show()
    dialog.panel.refresh()
    return dialog
