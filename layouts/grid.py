"""Grid templates of the wall as plain data (no widgets).

A template is a list of cells on a rows×cols grid; a cell may span several grid squares (issue 3
adds the 1+5, 1+7, ... templates as spanning cells). The wall widget builds its tiles from this, the
wall controller only counts cells.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    row_span: int = 1
    column_span: int = 1


@dataclass(frozen=True)
class GridTemplate:
    key: str
    rows: int
    columns: int
    cells: tuple[Cell, ...]

    @property
    def size(self) -> int:
        return len(self.cells)


def uniform(rows: int, columns: int) -> GridTemplate:
    cells = tuple(Cell(r, c) for r in range(rows) for c in range(columns))
    return GridTemplate(f"{rows}x{columns}", rows, columns, cells)


TEMPLATES: dict[str, GridTemplate] = {t.key: t for t in (uniform(1, 1), uniform(2, 2),
                                                          uniform(3, 3))}
DEFAULT_TEMPLATE = "2x2"


def template(key: str) -> GridTemplate:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise KeyError(f"unknown grid template {key!r}; known: {', '.join(TEMPLATES)}") from None
