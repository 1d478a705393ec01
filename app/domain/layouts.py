"""Saved wall layouts as plain data (no Qt, no network).

A :class:`Layout` is what the backend stores (docs/contracts.md, "Saved layouts") and what the local
cache keeps: a grid and its items. Items refer to cameras by id, never by URL — stream URLs come
only from ``/cameras``, so a layout read from disk can never make the wall play something the
user may no longer view. The tiles on screen are another matter (``app.wall``/``widgets``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from layouts.grid import Cell, GridTemplate, from_layout

FlagValue = bool | int | float | str | None


@dataclass(frozen=True)
class LayoutItem:
    """One cell of a layout. ``id`` is the item's position in the layout (the backend keeps items
    in order and gives them no id of their own). ``permitted`` is False when the reader may not
    view the camera (then ``camera_name`` is None: show "no permission", never the picture)."""

    id: int
    camera_id: int | None
    cell: Cell
    flags: Mapping[str, FlagValue] = field(default_factory=dict)
    permitted: bool = True
    camera_name: str | None = None


@dataclass(frozen=True)
class LayoutOwner:
    id: int
    username: str
    full_name: str


@dataclass(frozen=True)
class Layout:
    """A saved layout. ``id`` and ``version`` are None for one not saved yet. ``editable`` is
    False for a unit mate's shared layout (read-only; the backend answers 403 to a change)."""

    name: str
    template: str
    rows: int
    columns: int
    items: tuple[LayoutItem, ...] = ()
    id: int | None = None
    version: int | None = None
    shared_with_unit: bool = False
    is_startup: bool = False
    editable: bool = True
    owner: LayoutOwner | None = None

    def grid(self) -> GridTemplate:
        """The template the wall shows; :class:`layouts.TemplateError` for a broken one."""
        return from_layout(self.template, self.rows, self.columns,
                           [item.cell for item in self.items])

    def camera_ids(self) -> list[int | None]:
        return [item.camera_id for item in self.items]

    def renamed(self, name: str) -> Layout:
        return replace(self, name=name)

    @classmethod
    def from_wall(cls, name: str, grid: GridTemplate, cameras: list[int | None],
                  **fields: Any) -> Layout:
        """A layout of what a wall shows: ``cameras[i]`` in ``grid.cells[i]``."""
        items = tuple(LayoutItem(index, cameras[index] if index < len(cameras) else None, cell)
                      for index, cell in enumerate(grid.cells))
        return cls(name=name, template=grid.key, rows=grid.rows, columns=grid.columns,
                   items=items, **fields)


# -- JSON, as the backend speaks it (and as the local cache stores it) ---------------------------
def layout_body(layout: Layout) -> dict[str, Any]:
    """The writable fields (the backend's ``LayoutCreate``)."""
    return {
        "name": layout.name, "template": layout.template, "rows": layout.rows,
        "columns": layout.columns, "shared_with_unit": layout.shared_with_unit,
        "is_startup": layout.is_startup,
        "items": [{"cell": {"row": i.cell.row, "column": i.cell.column,
                            "row_span": i.cell.row_span, "column_span": i.cell.column_span},
                   "camera_id": i.camera_id, "flags": dict(i.flags)} for i in layout.items],
    }


def layout_to_json(layout: Layout) -> dict[str, Any]:
    """Everything, for the cache (the backend's ``LayoutPublic`` shape)."""
    data = layout_body(layout)
    for item, raw in zip(layout.items, data["items"], strict=True):
        raw["permitted"] = item.permitted
        raw["camera_name"] = item.camera_name
    data.update(id=layout.id, version=layout.version, editable=layout.editable,
                owner=None if layout.owner is None else {
                    "id": layout.owner.id, "username": layout.owner.username,
                    "full_name": layout.owner.full_name})
    return data


def parse_layout(data: Any) -> Layout:
    """A ``LayoutPublic`` (or cached) record; ValueError/KeyError/TypeError when malformed."""
    items = []
    for index, raw in enumerate(data["items"]):
        cell = raw["cell"]
        camera_id = raw.get("camera_id")
        name = raw.get("camera_name")
        items.append(LayoutItem(
            id=index, camera_id=None if camera_id is None else int(camera_id),
            cell=Cell(int(cell["row"]), int(cell["column"]), int(cell.get("row_span", 1)),
                      int(cell.get("column_span", 1))),
            flags=dict(raw.get("flags") or {}), permitted=bool(raw.get("permitted", True)),
            camera_name=None if name is None else str(name)))
    owner = data.get("owner")
    return Layout(
        name=str(data["name"]), template=str(data["template"]), rows=int(data["rows"]),
        columns=int(data["columns"]), items=tuple(items),
        id=None if data.get("id") is None else int(data["id"]),
        version=None if data.get("version") is None else int(data["version"]),
        shared_with_unit=bool(data.get("shared_with_unit", False)),
        is_startup=bool(data.get("is_startup", False)),
        editable=bool(data.get("editable", True)),
        owner=None if not owner else LayoutOwner(int(owner["id"]), str(owner["username"]),
                                                 str(owner.get("full_name") or "")))
