"""Reading back QTableWidget cells the panels filled themselves.

``QTableWidget.item`` answers ``None`` for a cell never filled; every panel fills each cell of
each row it adds, so a missing one is a programming error, said once here with the cell's
coordinates instead of an ``AttributeError`` on ``None`` somewhere in a slot.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


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
