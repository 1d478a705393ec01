"""Path and query parameters bounded like request bodies (``server.schemas``): a number or a
time the database cannot hold is a 422 naming the parameter, never a 500."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

from server.schemas import DB_INT_MAX, day_within_window, within_window


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
