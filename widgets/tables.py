"""Reading back QTableWidget cells the panels filled themselves.

``QTableWidget.item`` answers ``None`` for a cell never filled; every panel fills each cell of
each row it adds, so a missing one is a programming error, said once here with the cell's
coordinates instead of an ``AttributeError`` on ``None`` somewhere in a slot.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


def cell(table: QTableWidget, row: int, column: int = 0) -> QTableWidgetItem:
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"{table.objectName() or type(table).__name__}: no item at "
                          f"row {row}, column {column}")
    return item


def cell_data(table: QTableWidget, row: int, role: int, column: int = 0) -> Any:
    """The object a panel stored in a row (``item.setData(role, obj)``), by convention in the
    first column."""
    return cell(table, row, column).data(role)


def texts(table: QTableWidget) -> list[list[str]]:
    """The table's texts row by row ("" for an unfilled cell) — what the user reads."""
    return [[item.text() if (item := table.item(r, c)) is not None else ""
             for c in range(table.columnCount())] for r in range(table.rowCount())]


def is_checked(item: QTableWidgetItem) -> bool:
    return item.checkState() == Qt.CheckState.Checked


def row_objects(table: QTableWidget, role: int) -> list[Any]:
    """The objects stored in the rows (first column, ``role``), top to bottom."""
    return [cell_data(table, row, role) for row in range(table.rowCount())]


def selected_object(table: QTableWidget, role: int) -> Any:
    """The object of the first selected row, or None."""
    rows = table.selectionModel().selectedRows()
    return cell_data(table, rows[0].row(), role) if rows else None


def find_row(table: QTableWidget, role: int, object_id: int) -> int | None:
    """The row whose stored object has ``id == object_id``, or None."""
    for row in range(table.rowCount()):
        if cell_data(table, row, role).id == object_id:
            return row
    return None


def read_only_table(headers: list[str], *, selection: QAbstractItemView.SelectionMode =
                    QAbstractItemView.SelectionMode.SingleSelection) -> QTableWidget:
    """The panels' list: whole rows selected, nothing edited in place, no row numbers, columns
    sized to their contents and the last one stretched."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table
