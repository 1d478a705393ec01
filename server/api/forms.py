"""A request body as JSON, or as multipart form fields with one attached file.

Used for the clip requests' letter too (``server.api.routes.clips.clip_input``): the fields are
validated by the same pydantic model either way, so a 422 names the field the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from server.schemas import NUL_MESSAGE, holds_nul

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Attached:
    filename: str
    content: bytes


async def body_with_file(request: Request, model: type[Model], file_field: str,
                         max_bytes: int) -> tuple[Model, Attached | None]:
    """(validated fields, the file or None); a file over ``max_bytes`` is cut at max + 1 so the
    caller can tell it is too large without reading it all."""
    attached = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        data: dict[str, object] = {}
        for key, value in form.multi_items():
            if key == file_field and isinstance(value, UploadFile):
                if holds_nul(value.filename):  # no file system has one; the name is stored
                    raise invalid(file_field, f"file name: {NUL_MESSAGE}")
                attached = Attached(value.filename or file_field, await value.read(max_bytes + 1))
            elif isinstance(value, str):
                data[key] = value
            else:
                data[key] = "(file)"
    else:
        try:
            data = json.loads(await request.body() or b"null")
        except json.JSONDecodeError as exc:
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body",),
                                           "msg": "JSON decode error",
                                           "ctx": {"error": exc.msg}}]) from None
        except (UnicodeDecodeError, RecursionError) as exc:  # not UTF-8; nested too deep
            reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "nested too deep"
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body",),
                                           "msg": "JSON decode error",
                                           "ctx": {"error": reason}}]) from None
    try:
        return model.model_validate(data), attached
    except ValidationError as exc:
        raise RequestValidationError([
            {**error, "loc": ("body", *error["loc"])} for error in exc.errors()]) from None


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 in FastAPI's shape, naming ``field``."""
    return RequestValidationError([{"type": "value_error", "loc": ("body", field),
                                    "msg": message, "input": None}])
