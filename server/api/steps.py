"""One shape for the routes that load a record, take one step of its procedure and answer its
public form (incidents, access requests, violation cases): load it or answer 404 (the same body
as a missing one when the reader may not see it), run the service's step, map its three errors
to 403 / 409 / 422, commit.

The services raise their own ``Denied`` / ``Conflict`` / ``Invalid`` exceptions (plain Python,
no HTTP); :class:`StepErrors` says which is which for one service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

from server.api.forms import invalid

T = TypeVar("T")
R = TypeVar("R")


def aware(value: datetime | None) -> datetime | None:
    """Times sent without an offset are taken as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StepErrors:
    """A service's errors. ``invalid`` messages read ``field: message``; with ``fields`` the 422
    names the field in FastAPI's shape (``server.api.forms.invalid``), without it the message
    is the plain ``detail``."""

    denied: type[Exception]
    conflict: type[Exception]
    invalid: type[Exception]
    fields: bool = True

    @property
    def all(self) -> tuple[type[Exception], ...]:
        return (self.denied, self.conflict, self.invalid)

    def http(self, exc: Exception) -> HTTPException | RequestValidationError:
        if isinstance(exc, self.denied):
            return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=str(exc))
        if isinstance(exc, self.conflict):
            return HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(exc))
        if not self.fields:
            return HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                                 detail=str(exc))
        field, _, message = str(exc).partition(": ")
        return invalid(field, message)


def load_or_404(session: Session, model: type[T], record_id: int,
                readable: Callable[[T], bool], not_found: str) -> T:
    """The record, or 404 ``not_found`` when it is missing or the reader may not see it."""
    record = session.get(model, record_id)
    if record is None or not readable(record):
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=not_found)
    return record


def commit_step(session: Session, errors: StepErrors, step: Callable[[], R]) -> R:
    """Run ``step``; its service errors become 403 / 409 / 422; then commit."""
    try:
        result = step()
    except errors.all as exc:
        raise errors.http(exc) from exc
    session.commit()
    return result
