"""Grid templates of the wall as plain data (no widgets, no Qt).

A template is a tuple of cells on a rows×columns grid; a cell may span several grid squares. The
wall widget builds its tiles from this, the wall controller only counts cells.

Cell order matters: it is the order in which cameras fill a wall and in which they are carried over
when the operator switches templates. In the "N+M" templates the big cells come first (camera 1 goes
to the big picture), then the small ones in reading order.

The built-in templates, in the order of Ctrl+1…9 (the first nine) and of the template menu:

======  ==========  ================================================================
key     grid        cells
======  ==========  ================================================================
1x1     1×1         one picture
2x2     2×2         4
3x3     3×3         9
4x4     4×4         16
5x5     5×5         25
6x6     6×6         36
8x8     8×8         64
1+5     3×3         one 2×2 top left, five around it (right column, bottom row)
1+7     4×4         one 3×3 top left, seven around it (right column, bottom row)
1+12    4×4         one 2×2 in the centre, twelve around it
2+8     4×4         two 2×2 side by side on top, eight below
======  ==========  ================================================================

``custom(rows, columns, cells)`` builds any other grid; it is validated like the backend validates
a saved layout (every cell inside the grid, no two cells overlap; docs/contracts.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_GRID = 16   # rows or columns, as the backend accepts (docs/contracts.md)
MAX_CELLS = 64  # cells per layout, as the backend accepts


class TemplateError(ValueError):
    """A grid that cannot be a wall: a cell outside the grid, overlapping cells, bad sizes."""


@dataclass(frozen=True)
class Cell:
    """One tile's place on the grid, 0-based (the backend's ``cell`` object)."""

    row: int
    column: int
    row_span: int = 1
    column_span: int = 1

    def squares(self) -> Iterable[tuple[int, int]]:
        """The grid squares (row, column) this cell covers."""
        for r in range(self.row, self.row + self.row_span):
            for c in range(self.column, self.column + self.column_span):
                yield r, c

    @property
    def area(self) -> int:
        return self.row_span * self.column_span


@dataclass(frozen=True)
class GridTemplate:
    key: str
    rows: int
    columns: int
    cells: tuple[Cell, ...]

    @property
    def size(self) -> int:
        return len(self.cells)

    @property
    def is_builtin(self) -> bool:
        return TEMPLATES.get(self.key) == self


def validate(rows: int, columns: int, cells: Iterable[Cell]) -> tuple[Cell, ...]:
    """The cells as a tuple, or :class:`TemplateError` naming the first bad one."""
    if not (1 <= rows <= MAX_GRID and 1 <= columns <= MAX_GRID):
        raise TemplateError(f"a grid has 1–{MAX_GRID} rows and columns, not {rows}×{columns}")
    result = tuple(cells)
    if not result:
        raise TemplateError("a grid needs at least one cell")
    if len(result) > MAX_CELLS:
        raise TemplateError(f"at most {MAX_CELLS} cells, not {len(result)}")
    owner: dict[tuple[int, int], int] = {}
    for index, cell in enumerate(result):
        if cell.row_span < 1 or cell.column_span < 1:
            raise TemplateError(f"cell {index}: spans must be at least 1")
        if (cell.row < 0 or cell.column < 0 or cell.row + cell.row_span > rows
                or cell.column + cell.column_span > columns):
            raise TemplateError(
                f"cell {index} (row {cell.row}, column {cell.column}, span "
                f"{cell.row_span}×{cell.column_span}) is outside the {rows}×{columns} grid")
        for square in cell.squares():
            if square in owner:
                raise TemplateError(f"cell {index} overlaps cell {owner[square]} at row "
                                    f"{square[0]}, column {square[1]}")
            owner[square] = index
    return result


def uniform(rows: int, columns: int) -> GridTemplate:
    cells = tuple(Cell(r, c) for r in range(rows) for c in range(columns))
    return GridTemplate(f"{rows}x{columns}", rows, columns, validate(rows, columns, cells))


def custom(rows: int, columns: int, cells: Iterable[Cell], key: str = "custom") -> GridTemplate:
    """A validated grid of the operator's own (spanning cells allowed, gaps allowed)."""
    return GridTemplate(key, rows, columns, validate(rows, columns, cells))


def _big_and_small(key: str, size: int, big: list[Cell]) -> GridTemplate:
    """``big`` cells first, then every square they leave free, in reading order."""
    covered = {square for cell in big for square in cell.squares()}
    small = [Cell(r, c) for r in range(size) for c in range(size) if (r, c) not in covered]
    return GridTemplate(key, size, size, validate(size, size, big + small))


TEMPLATE_ORDER: tuple[GridTemplate, ...] = (
    uniform(1, 1), uniform(2, 2), uniform(3, 3), uniform(4, 4), uniform(5, 5), uniform(6, 6),
    uniform(8, 8),
    _big_and_small("1+5", 3, [Cell(0, 0, 2, 2)]),
    _big_and_small("1+7", 4, [Cell(0, 0, 3, 3)]),
    _big_and_small("1+12", 4, [Cell(1, 1, 2, 2)]),
    _big_and_small("2+8", 4, [Cell(0, 0, 2, 2), Cell(0, 2, 2, 2)]),
)
TEMPLATES: dict[str, GridTemplate] = {t.key: t for t in TEMPLATE_ORDER}
DEFAULT_TEMPLATE = "2x2"

_UNIFORM_KEY = re.compile(r"^(\d+)x(\d+)$")


def template(key: str) -> GridTemplate:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise KeyError(f"unknown grid template {key!r}; known: {', '.join(TEMPLATES)}") from None


def from_layout(key: str, rows: int, columns: int, cells: Iterable[Cell]) -> GridTemplate:
    """The template of a saved layout: the built-in one when it is exactly that, else custom.

    A uniform "RxC" grid beyond the built-ins (e.g. "2x3") keeps its key."""
    cell_tuple = tuple(cells)
    builtin = TEMPLATES.get(key)
    if builtin is not None and (builtin.rows, builtin.columns, builtin.cells) == (
            rows, columns, cell_tuple):
        return builtin
    match = _UNIFORM_KEY.match(key)
    if match and (int(match[1]), int(match[2])) == (rows, columns) \
            and cell_tuple == uniform(rows, columns).cells:
        return uniform(rows, columns)
    return custom(rows, columns, cell_tuple)
