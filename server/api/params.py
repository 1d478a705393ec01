"""Path and query parameters bounded like request bodies (``server.schemas``): a number or a
time the database cannot hold is a 422 naming the parameter, never a 500."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, get_args, get_origin

from fastapi import Path, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator

from server.schemas import DB_INT_MAX, NUL_MESSAGE, day_within_window, within_window


def _moment_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else within_window(value)


def _day_or_none(value: date | None) -> date | None:
    return None if value is None else day_within_window(value)


Id = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="the record's id")]
IdQuery = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
Offset = Annotated[int, Query(ge=0, le=DB_INT_MAX)]
# Use inside Annotated[..., Query(description=...)] (nested Annotated flattens).
OptionalMoment = Annotated[datetime | None, AfterValidator(_moment_or_none)]
OptionalDay = Annotated[date | None, AfterValidator(_day_or_none)]
# What an export of personal data is for (Decree 13/2023/NĐ-CP), kept in its audit row. Optional
# while older clients that do not send it are served; this release's client always does.
ExportPurpose = Annotated[str | None, Query(min_length=3, max_length=300,
                                            description="what the export is for (audited)")]
# an export of evidence leaves the IOC only for a stated purpose (Art. 12.2.d)
RequiredPurpose = Annotated[str, Query(min_length=3, max_length=300,
                                       description="what the export is for (audited)")]


def refuse_nul(request: Request) -> None:
    """Every route's query and path parameters, as ``server.schemas.StrictInput`` does for
    bodies: a NUL character, which PostgreSQL's text cannot hold, is a 422 naming the parameter."""
    errors = [{"type": "value_error", "loc": (where, name), "msg": f"Value error, {NUL_MESSAGE}",
               "input": None}
              for where, items in (("query", request.query_params.multi_items()),
                                   ("path", request.path_params.items()))
              for name, value in items if "\x00" in f"{name}{value}"]
    if errors:
        raise RequestValidationError(errors)


def _declared_query(dependant: Dependant) -> dict[str, bool]:
    """Query parameter name → whether it takes several values, over the route's dependencies."""
    declared: dict[str, bool] = {}
    todo = [dependant]
    while todo:
        current = todo.pop()
        for field in current.query_params:
            origin = get_origin(field.field_info.annotation)
            args = get_args(field.field_info.annotation)
            several = origin in (list, tuple, set) or any(
                get_origin(arg) in (list, tuple, set) for arg in args)
            declared[field.alias] = several
        todo.extend(current.dependencies)
    return declared


_DECLARED: dict[int, dict[str, bool]] = {}


def strict_query(request: Request) -> None:
    """Unknown query parameters, or a single-valued one given twice, are a 422 naming it, as
    unknown body fields are: a typo in a filter must not silently return everything."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    declared = _DECLARED.get(id(dependant))
    if declared is None:
        declared = _DECLARED[id(dependant)] = _declared_query(dependant)
    errors = []
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in declared:
            errors.append({"type": "extra_forbidden", "loc": ("query", name or "(empty)"),
                           "msg": "Unknown query parameter"})
        elif not declared[name] and len(request.query_params.getlist(name)) > 1:
            errors.append({"type": "too_many_values", "loc": ("query", name),
                           "msg": "Given more than once"})
    if errors:
        raise RequestValidationError(errors)
