"""Saved wall layouts: geometry checks, who may read or change which, the API shape.

A layout belongs to its owner; shared with the owner's unit it is read-only for the others. Its
items refer to cameras by id. The reader sees every item, but an item whose camera the reader may
not view (any more) carries only the id and ``permitted: false``: no name, no URL, so the wall
shows "no permission" and never the picture (Art. 5). Routes stay thin; this module does the work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from common.evidence import canonical_json
from server import audit
from server import permissions as perm
from server.models import Layout, LayoutItem, User
from server.schemas import (
    CellSchema,
    LayoutCreate,
    LayoutItemPublic,
    LayoutItemSchema,
    LayoutOwnerPublic,
    LayoutPublic,
    LayoutUpdate,
)
from server.services import visible_cameras

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LayoutInvalid(Exception):
    """Input that passes the schema but not the layout rules; ``errors`` are (loc, message)."""

    errors: tuple[tuple[Loc, str], ...]


class LayoutConflict(Exception):
    """A stale version or a duplicate name (409)."""


class LayoutReadOnly(Exception):
    """The reader sees the layout (shared with the unit) but does not own it (403)."""


_UNIFORM = re.compile(r"^(\d+)x(\d+)$")


def geometry_errors(template: str, rows: int, columns: int,
                    items: Sequence[LayoutItemSchema]) -> list[tuple[Loc, str]]:
    """Cells inside the grid, no two cells covering the same square, a uniform template's
    size equal to the grid's. Pure, so the client's rules and these can be compared."""
    errors: list[tuple[Loc, str]] = []
    uniform = _UNIFORM.match(template)
    if uniform and (int(uniform.group(1)), int(uniform.group(2))) != (rows, columns):
        errors.append((("template",), f"template {template} needs rows={uniform.group(1)} and "
                                      f"columns={uniform.group(2)}, not {rows}×{columns}"))
    owner: dict[tuple[int, int], int] = {}
    for index, item in enumerate(items):
        cell = item.cell
        if cell.row + cell.row_span > rows or cell.column + cell.column_span > columns:
            errors.append((("items", index, "cell"),
                           f"cell (row {cell.row}, column {cell.column}, span "
                           f"{cell.row_span}×{cell.column_span}) is outside the {rows}×{columns} "
                           "grid"))
            continue
        clash = None
        squares = [(r, c) for r in range(cell.row, cell.row + cell.row_span)
                   for c in range(cell.column, cell.column + cell.column_span)]
        for square in squares:
            if square in owner:
                clash = owner[square]
                break
        if clash is not None:
            errors.append((("items", index, "cell"),
                           f"cell overlaps item {clash} at row {square[0]}, column {square[1]}"))
            continue
        for square in squares:
            owner[square] = index
    return errors


def _viewable_names(session: Session, user: User, now: datetime) -> dict[int, str]:
    return {item.camera.id: item.camera.name for item in visible_cameras(session, user, now)
            if perm.Action.VIEW in item.actions}


def _camera_errors(items: Sequence[LayoutItemSchema], viewable: dict[int, str],
                   kept: set[int]) -> list[tuple[Loc, str]]:
    """New camera references must be cameras the user may view (missing and out of scope give
    the same message). References already in the layout stay even if no longer viewable, so the
    owner can rename a layout without losing the "no permission" tile."""
    return [(("items", index, "camera_id"), "camera not found")
            for index, item in enumerate(items)
            if item.camera_id is not None and item.camera_id not in viewable
            and item.camera_id not in kept]


def _new_items(items: Sequence[LayoutItemSchema]) -> list[LayoutItem]:
    return [LayoutItem(position=index, cell_row=item.cell.row, cell_column=item.cell.column,
                       row_span=item.cell.row_span, column_span=item.cell.column_span,
                       camera_id=item.camera_id, flags=canonical_json(item.flags))
            for index, item in enumerate(items)]


def _readable_query(user: User) -> Any:
    return (select(Layout).join(User, Layout.owner_id == User.id)
            .where(or_(Layout.owner_id == user.id,
                       (Layout.shared_with_unit.is_(True)) & (User.unit_id == user.unit_id))))


def readable_layouts(session: Session, user: User) -> list[Layout]:
    """The user's own layouts and those shared with the user's unit, by name."""
    query = _readable_query(user).order_by(Layout.name, Layout.id)
    return list(session.execute(query).unique().scalars().all())


def readable_layout(session: Session, user: User, layout_id: int) -> Layout | None:
    """One layout the user may read; None both when missing and when not visible."""
    query = _readable_query(user).where(Layout.id == layout_id)
    result: Layout | None = session.execute(query).unique().scalar_one_or_none()
    return result


def owned_layout(session: Session, user: User, layout_id: int) -> Layout | None:
    """The layout if the user owns it; LayoutReadOnly if only shared with them; else None."""
    layout = readable_layout(session, user, layout_id)
    if layout is not None and layout.owner_id != user.id:
        raise LayoutReadOnly("This layout is shared with your unit read-only; only its owner "
                             f"({layout.owner.full_name}) may change or delete it")
    return layout


def layout_public(layout: Layout, reader: User, viewable: dict[int, str]) -> LayoutPublic:
    items = []
    for item in layout.items:
        permitted = item.camera_id is None or item.camera_id in viewable
        items.append(LayoutItemPublic(
            cell=CellSchema(row=item.cell_row, column=item.cell_column, row_span=item.row_span,
                            column_span=item.column_span),
            camera_id=item.camera_id,
            permitted=permitted,
            camera_name=viewable.get(item.camera_id) if item.camera_id is not None else None,
            flags=json.loads(item.flags),
        ))
    owner = layout.owner
    is_owner = layout.owner_id == reader.id
    return LayoutPublic(
        id=layout.id, name=layout.name, template=layout.template, rows=layout.grid_rows,
        columns=layout.grid_columns, items=items, shared_with_unit=layout.shared_with_unit,
        is_startup=layout.is_startup and is_owner,
        owner=LayoutOwnerPublic(id=owner.id, username=owner.username, full_name=owner.full_name),
        editable=is_owner, version=layout.version, created_at=layout.created_at,
        updated_at=layout.updated_at,
    )


def layouts_public(session: Session, user: User, layouts: Sequence[Layout], now: datetime
                   ) -> list[LayoutPublic]:
    viewable = _viewable_names(session, user, now)
    return [layout_public(layout, user, viewable) for layout in layouts]


def _name_taken(session: Session, owner_id: int, name: str, except_id: int | None) -> bool:
    query = select(Layout.id).where(Layout.owner_id == owner_id, Layout.name == name)
    if except_id is not None:
        query = query.where(Layout.id != except_id)
    return session.execute(query).first() is not None


def _clear_other_startups(session: Session, owner_id: int, keep_id: int | None,
                          now: datetime) -> None:
    """At most one startup layout per user: the others lose the flag (and get a new version,
    since what a client cached of them changed)."""
    query = update(Layout).where(Layout.owner_id == owner_id, Layout.is_startup.is_(True))
    if keep_id is not None:
        query = query.where(Layout.id != keep_id)
    session.execute(query.values(is_startup=False, version=Layout.version + 1, updated_at=now)
                    .execution_options(synchronize_session="fetch"))


def create_layout(session: Session, user: User, body: LayoutCreate, now: datetime) -> Layout:
    """Validate, store and audit a new layout (the caller commits)."""
    viewable = _viewable_names(session, user, now)
    errors = geometry_errors(body.template, body.rows, body.columns, body.items)
    errors += _camera_errors(body.items, viewable, set())
    if errors:
        raise LayoutInvalid(tuple(errors))
    if _name_taken(session, user.id, body.name, None):
        raise LayoutConflict(f"name: you already have a layout named {body.name!r}")
    if body.is_startup:
        _clear_other_startups(session, user.id, None, now)
    layout = Layout(owner_id=user.id, name=body.name, template=body.template,
                    grid_rows=body.rows, grid_columns=body.columns,
                    shared_with_unit=body.shared_with_unit, is_startup=body.is_startup,
                    created_at=now, updated_at=now, items=_new_items(body.items))
    session.add(layout)
    session.flush()
    audit.append(session, "layout_create", now=now, user_id=user.id, username=user.username,
                 detail={"layout_id": layout.id, "name": layout.name, "template": layout.template,
                         "items": len(body.items), "shared_with_unit": layout.shared_with_unit,
                         "is_startup": layout.is_startup})
    return layout


def update_layout(session: Session, user: User, layout: Layout, body: LayoutUpdate,
                  now: datetime) -> Layout:
    """Apply the changes if ``body.version`` is current (else LayoutConflict); audited."""
    if body.version != layout.version:
        raise LayoutConflict(
            f"version: the layout was changed since you loaded it (you sent version "
            f"{body.version}, the current one is {layout.version}); reload it and try again")
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    template = body.template if body.template is not None else layout.template
    rows = body.rows if body.rows is not None else layout.grid_rows
    columns = body.columns if body.columns is not None else layout.grid_columns
    items: Sequence[LayoutItemSchema]
    if body.items is not None:
        items = body.items
    else:
        items = [LayoutItemSchema(cell=CellSchema(row=i.cell_row, column=i.cell_column,
                                                  row_span=i.row_span,
                                                  column_span=i.column_span),
                                  camera_id=i.camera_id, flags=json.loads(i.flags))
                 for i in layout.items]
    errors = geometry_errors(template, rows, columns, items)
    if body.items is not None:
        kept = {i.camera_id for i in layout.items if i.camera_id is not None}
        errors += _camera_errors(body.items, _viewable_names(session, user, now), kept)
    if errors:
        raise LayoutInvalid(tuple(errors))
    if body.name is not None and _name_taken(session, user.id, body.name, layout.id):
        raise LayoutConflict(f"name: you already have a layout named {body.name!r}")
    if body.items is not None:
        layout.items.clear()
        session.flush()  # old positions gone before the new ones take them
    if body.is_startup:
        _clear_other_startups(session, user.id, layout.id, now)
    if body.name is not None:
        layout.name = body.name
    layout.template, layout.grid_rows, layout.grid_columns = template, rows, columns
    if body.shared_with_unit is not None:
        layout.shared_with_unit = body.shared_with_unit
    if body.is_startup is not None:
        layout.is_startup = body.is_startup
    if body.items is not None:
        layout.items.extend(_new_items(body.items))
    layout.updated_at = now
    session.flush()  # StaleDataError here when another request updated it meanwhile
    audit.append(session, "layout_update", now=now, user_id=user.id, username=user.username,
                 detail={"layout_id": layout.id, "name": layout.name,
                         "changed": sorted(changes), "version": layout.version})
    return layout


def delete_layout(session: Session, user: User, layout: Layout, now: datetime) -> None:
    audit.append(session, "layout_delete", now=now, user_id=user.id, username=user.username,
                 detail={"layout_id": layout.id, "name": layout.name})
    session.delete(layout)
    session.flush()
