"""The list/detail panel the Cases, Incidents, Access requests and clip Requests docks share.

A panel is a configuration: its columns (a title and how to read a cell, optionally a colour and
a sort key), its filters (widgets whose change asks the panel's service for another list), how to
show the selected item (HTML or plain text), and its actions (a button each: when it is shown
for the user's role, when it is enabled for the selected item — usually the item's
server-listed ``actions`` — and what it does). The base fills the table from the service's
lists, keeps the selection by id across refreshes, replaces a row at once when an action
answered, and keeps the buttons and the detail in step with the selection.

Everything shown is already translated by the panel (``self.tr`` under its own class, so the
strings keep their contexts); the base adds no text of its own.

Signals (ListDetailPanel):
    selection_changed(object): the selected item, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from widgets.forms import ERROR_STYLE
from widgets.tables import cell, find_row, read_only_table, row_objects, selected_object

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class Identified(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=Identified)
Colour = QColor | Qt.GlobalColor | str


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its (translated) title and how to read its cell from an item; ``colour``
    the text's colour (None: the theme's), ``sort`` a key when the user may sort by it."""

    title: str
    text: Callable[[T], str]
    colour: Callable[[T], Colour | None] | None = None
    sort: Callable[[T], Any] | None = None


@dataclass(frozen=True)
class Action(Generic[T]):
    """One button. ``enabled(item)`` for the selected item (None when nothing is selected);
    by default the server lists ``key`` in the item's ``actions`` (``item.may(key)``).
    ``shown``: False hides it for the user's role; a callable decides for the selected item.
    ``run`` is called without arguments: the panel reads its own selection."""

    key: str
    label: str
    run: Callable[[], object]
    enabled: Callable[[T | None], bool] | None = None
    shown: bool | Callable[[T | None], bool] = True
    object_name: str = ""


def server_allows(key: str) -> Callable[[Any], bool]:
    """Enabled when the server lists ``key`` among the selected item's actions."""
    return lambda item: item is not None and bool(item.may(key))


def with_item(item: object) -> bool:
    """Enabled when an item is selected."""
    return item is not None


def always(_item: object) -> bool:
    return True


class _SortItem(QTableWidgetItem):
    """A cell ordered by its column's sort key rather than by its text."""

    def __init__(self, text: str, key: Any) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _SortItem):
            return bool(self.key < other.key)
        return super().__lt__(other)


class ItemTable(Generic[T]):
    """A read-only table of items, one per row, the item stored in the row's first cell."""

    def __init__(self, columns: Sequence[Column[T]]) -> None:
        self.columns = list(columns)
        self.widget: QTableWidget = read_only_table([c.title for c in self.columns])
        if any(c.sort is not None for c in self.columns):
            self.widget.setSortingEnabled(True)

    def items(self) -> list[T]:
        return row_objects(self.widget, ITEM_ROLE)

    def selected(self) -> T | None:
        return selected_object(self.widget, ITEM_ROLE)  # type: ignore[no-any-return]

    def row_of(self, item_id: int) -> int | None:
        return find_row(self.widget, ITEM_ROLE, item_id)

    def select(self, item_id: int) -> bool:
        row = self.row_of(item_id)
        if row is not None:
            self.widget.selectRow(row)
        return row is not None

    def fill(self, items: Sequence[T]) -> None:
        """All rows anew; the selected item (by id) stays selected when it is still listed.
        No selection signal is emitted: the caller updates what follows the selection."""
        selected = self.selected()
        table = self.widget
        sorting = table.isSortingEnabled()
        table.setSortingEnabled(False)  # rows would move while they are filled
        table.blockSignals(True)
        table.setRowCount(0)
        for item in items:
            row = table.rowCount()
            table.insertRow(row)
            self._set_cells(row, item)
        if sorting:
            table.setSortingEnabled(True)
        kept = self.row_of(selected.id) if selected is not None else None
        if kept is not None:
            table.selectRow(kept)
        table.blockSignals(False)

    def replace(self, item: T) -> bool:
        """Show an item's new state in its row, if it is listed."""
        row = self.row_of(item.id)
        if row is None:
            return False
        self._set_cells(row, item)
        return True

    def _set_cells(self, row: int, item: T) -> None:
        for column, spec in enumerate(self.columns):
            text = spec.text(item)
            cell_item = QTableWidgetItem(text) if spec.sort is None else \
                _SortItem(text, spec.sort(item))
            if column == 0:
                cell_item.setData(ITEM_ROLE, item)
            if spec.colour is not None:
                colour = spec.colour(item)
                if colour is not None:
                    cell_item.setForeground(QBrush(QColor(colour)))
            self.widget.setItem(row, column, cell_item)

    def cell(self, item_id: int, column: int) -> QTableWidgetItem | None:
        row = self.row_of(item_id)
        return None if row is None else cell(self.widget, row, column)


class ListDetailPanel(QWidget, Generic[T]):
    """Filters on top, the list (or several, as tabs) with the detail, the action buttons, and a
    status line. See the module docstring."""

    selection_changed = Signal(object)

    def __init__(self, columns: Sequence[Column[T]], *,
                 render: Callable[[T], str],
                 detail_beside: bool = True,
                 boxes: Sequence[str] = (),
                 keep: Callable[[T], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        """``render(item)``: the detail of the selected item — HTML in a browser beside the
        list (``detail_beside``), else text in a label under it. ``boxes``: titles of several
        lists shown as tabs (one list when empty). ``keep``: which items of a list are shown
        (a filter the server does not apply)."""
        super().__init__(parent)
        self._render = render
        self._keep = keep
        self._actions: list[Action[T]] = []
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.main_layout = layout
        self.filter_row = QHBoxLayout()  # in the panel once a filter is added
        self.filter_row.addStretch(1)

        self.lists: list[ItemTable[T]] = [ItemTable(columns) for _ in (boxes or ("",))]
        self.table = self.lists[0].widget
        self.tabs: QTabWidget | None = None
        if boxes:
            self.tabs = QTabWidget()
            for box, title in zip(self.lists, boxes, strict=True):
                self.tabs.addTab(box.widget, title)
            self.tabs.currentChanged.connect(self.update_selection)
            list_widget: QWidget = self.tabs
        else:
            list_widget = self.table
        self.detail: QTextBrowser | None = None
        self.detail_label: QLabel | None = None
        self.detail_column = QVBoxLayout()
        self.detail_column.setContentsMargins(0, 0, 0, 0)
        if detail_beside:
            split = QSplitter(Qt.Orientation.Horizontal)
            self.detail = QTextBrowser()
            self.detail_column.addWidget(self.detail, 1)
            right = QWidget()
            right.setLayout(self.detail_column)
            split.addWidget(list_widget)
            split.addWidget(right)
            split.setStretchFactor(0, 3)
            split.setStretchFactor(1, 2)
            layout.addWidget(split, 1)
        else:
            layout.addWidget(list_widget, 1)
            self.detail_label = QLabel()
            self.detail_label.setWordWrap(True)
            self.detail_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_column.addWidget(self.detail_label)
            layout.addLayout(self.detail_column)

        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        layout.addLayout(self.button_row)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        for box in self.lists:
            box.widget.itemSelectionChanged.connect(self.update_selection)

    # -- configuration -----------------------------------------------------------------------------
    def add_filter(self, label: str | None, widget: QWidget,
                   on_change: Callable[[], object]) -> None:
        """A filter widget (a combo box or a check box) on the filter row; ``on_change`` asks
        the service for the matching list."""
        if self.filter_row.parent() is None:
            self.main_layout.insertLayout(0, self.filter_row)
        if label is not None:
            self.filter_row.insertWidget(self.filter_row.count() - 1, QLabel(label))
        self.filter_row.insertWidget(self.filter_row.count() - 1, widget)
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: on_change())
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _on: on_change())

    def add_action(self, action: Action[T]) -> QPushButton:
        """A button on the action row (before the stretch), in the order added."""
        button = QPushButton(action.label)
        if action.object_name:
            button.setObjectName(action.object_name)
        button.clicked.connect(lambda _checked=False, run=action.run: run())
        self.button_row.insertWidget(self.button_row.count() - 1, button)
        if action.shown is False:
            button.setVisible(False)
        self._actions.append(action)
        self.buttons[action.key] = button
        self._update_action(action, self.selected())
        return button

    def add_row(self, row: QHBoxLayout) -> None:
        """A row of the panel's own (a progress bar…) between the buttons and the status."""
        self.main_layout.insertLayout(self.main_layout.indexOf(self.status_label), row)

    # -- the lists ---------------------------------------------------------------------------------
    def set_items(self, items: Sequence[T], box: int = 0) -> None:
        """A list as the service read it (selection kept by id)."""
        shown = [i for i in items if self._keep(i)] if self._keep else list(items)
        self.lists[box].fill(shown)
        self.update_selection()

    def replace_item(self, item: T) -> None:
        """An action's answer: its row (in every list showing it) and, when it is the selected
        item, the detail and the buttons, at once."""
        replaced = [box.replace(item) for box in self.lists]
        if any(replaced):
            self.update_selection()

    def items(self, box: int = 0) -> list[T]:
        return self.lists[box].items()

    def current_list(self) -> ItemTable[T]:
        return self.lists[self.tabs.currentIndex()] if self.tabs is not None else self.lists[0]

    def selected(self) -> T | None:
        return self.current_list().selected()

    def select(self, item_id: int) -> bool:
        """Select an item in the list shown."""
        return self.current_list().select(item_id)

    def show_box(self, box: int) -> None:
        """Show list ``box`` (a tab) when there are several."""
        if self.tabs is not None:
            self.tabs.setCurrentIndex(box)

    def cell(self, item_id: int, column: int, box: int = 0) -> QTableWidgetItem | None:
        return self.lists[box].cell(item_id, column)

    # -- detail, buttons, status --------------------------------------------------------------------
    def update_selection(self, *_args: object) -> None:
        """The detail and the buttons for the selected item."""
        item = self.selected()
        for action in self._actions:
            self._update_action(action, item)
        text = self._render(item) if item is not None else ""
        if self.detail is not None:
            self.detail.setHtml(text)
        if self.detail_label is not None:
            self.detail_label.setText(text)
        self.selection_changed.emit(item)

    def _update_action(self, action: Action[T], item: T | None) -> None:
        button = self.buttons.get(action.key)
        if button is None:
            return
        enabled = action.enabled or server_allows(action.key)
        button.setEnabled(bool(enabled(item)))
        if callable(action.shown):
            button.setVisible(bool(action.shown(item)))

    def show_status(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def show_error(self, text: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(text)
