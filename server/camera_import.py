"""Onboarding cameras from a CSV file (``POST /admin/cameras/import``).

Columns (a header line first, in any order; unknown columns are refused):
``external_id, name, ward, system, category, lat, lon, onvif, rtsp_url, username, password``.
``ward`` is a ward's name, ``category`` the owner category of a public-system camera, ``onvif``
``host:port``. A row with ``onvif`` and no ``rtsp_url`` has its streams found by the import's
gateway (its ONVIF probe, :mod:`server.camera_probe`: the largest profile is the main stream, the
smallest the sub, both played to a key frame), two cameras at a time, the dry run too: a row
whose camera cannot be probed is an error naming the failed step. Each row creates the camera
of its ``external_id`` or updates it, so the same
file imported twice creates nothing the second time. Every row is checked before anything is
written; one bad row and nothing is imported (each error names its line and column). The
passwords are sealed to the import's gateway like those typed in the form (``server.admin``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.vocabulary import ImportAction
from server import admin, audit
from server.models import Gateway, Ward
from server.schemas import CameraCreate, CameraUpdate, ImportRowError, ImportRowResult
from server.security import SecretBox

COLUMNS = ("external_id", "name", "ward", "system", "category", "lat", "lon", "onvif",
           "rtsp_url", "username", "password")
REQUIRED_COLUMNS = ("external_id", "name", "ward", "system")
MAX_ROWS = 5000
PROBES_AT_ONCE = 2  # what one gateway probes at once (gateway/probing.py)


@dataclass(frozen=True)
class Discovered:
    """A camera's streams as its gateway found them over ONVIF (or why not)."""

    main_url: str | None = None
    sub_url: str | None = None
    error: str | None = None


# (host, port, username, password) → the streams of the camera at that ONVIF address
Discover = Callable[[str, int, str, str], Discovered]
# the camera's field → the file's column, to name the column in an error
COLUMN_OF = {"external_id": "external_id", "name": "name", "ward_id": "ward", "system": "system",
             "owner_category": "category", "latitude": "lat", "longitude": "lon",
             "onvif_host": "onvif", "onvif_port": "onvif", "main_url": "rtsp_url",
             "username": "username", "password": "password", "onvif_password": "password",
             "onvif_username": "username", "gateway_id": "gateway_id", "public": "category"}


class ImportRefused(ValueError):
    """The file as a whole cannot be read (not CSV, no header, unknown columns)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class ImportResult:
    gateway_id: int
    dry_run: bool
    rows: list[ImportRowResult] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


@dataclass(frozen=True)
class _Row:
    line: int
    external_id: str
    create: CameraCreate | None
    update: CameraUpdate | None


def choose_gateway(session: Session, gateway_id: int | None) -> Gateway:
    """The gateway named, or the only active one."""
    if gateway_id is not None:
        gateway = session.get(Gateway, gateway_id)
        if gateway is None:
            raise admin.Refused(admin.INVALID, "gateway_id", "no such gateway")
        if not gateway.is_active:
            raise admin.Refused(admin.CONFLICT, "gateway_id", "the gateway is switched off")
        return gateway
    active = session.execute(select(Gateway).where(Gateway.is_active.is_(True))).scalars().all()
    if len(active) != 1:
        raise admin.Refused(admin.INVALID, "gateway_id",
                            f"the site has {len(active)} active gateways: name the one that "
                            "serves these cameras")
    return active[0]


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a UTF-8 CSV file (a BOM, as spreadsheets write it, is fine)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportRefused("file", "the file is not UTF-8 text") from err
    if "\x00" in text:
        raise ImportRefused("file", "the file holds a NUL character")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not header:
        raise ImportRefused("file", "the file is empty: a header line comes first")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportRefused(unknown[0], f"unknown column (known: {', '.join(COLUMNS)})")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportRefused(missing[0], "required column missing")
    if "rtsp_url" not in header and "onvif" not in header:
        raise ImportRefused("rtsp_url", "required column missing (or onvif, to find the "
                                        "streams over ONVIF)")
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, row in enumerate(reader, start=2):
            if None in row:
                raise ImportRefused("file", f"line {reader.line_num}: more values than columns")
            if len(rows) >= MAX_ROWS:
                raise ImportRefused("file", f"at most {MAX_ROWS} cameras per file")
            rows.append((number, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as err:
        raise ImportRefused("file", f"not a CSV file ({err})") from err
    return rows


def _fields(row: dict[str, str], wards: dict[str, Ward], gateway: Gateway,
            errors: list[tuple[str, str]]) -> dict[str, Any]:
    """The camera's fields from a row (the columns present and not blank)."""
    values: dict[str, Any] = {"gateway_id": gateway.id}
    for column, name in (("external_id", "external_id"), ("name", "name"),
                         ("system", "system"), ("rtsp_url", "main_url"),
                         ("username", "username"), ("password", "password")):
        if row.get(column):
            values[name] = row[column]
    if "category" in row:
        values["owner_category"] = row["category"] or None
    if row.get("ward"):
        ward = wards.get(row["ward"].casefold())
        if ward is None:
            errors.append(("ward", "no ward of that name"))
        else:
            values["ward_id"] = ward.id
    for column, name in (("lat", "latitude"), ("lon", "longitude")):
        if row.get(column):
            try:
                values[name] = float(row[column].replace(",", "."))
            except ValueError:
                errors.append((column, "not a number"))
        elif column in row:
            values[name] = None
    if row.get("onvif"):
        host, _, port = row["onvif"].rpartition(":")
        if not host or not port.isdigit():
            errors.append(("onvif", "must be host:port"))
        else:
            values["onvif_host"], values["onvif_port"] = host.strip("[]"), int(port)
    return values


def _validation_errors(err: ValidationError) -> list[tuple[str, str]]:
    found = []
    for error in err.errors():
        name = str(error["loc"][0]) if error.get("loc") else "row"
        found.append((COLUMN_OF.get(name, name), str(error.get("msg", "invalid"))))
    return found


def _onvif_address(row: dict[str, str]) -> tuple[str, int] | None:
    host, _, port = row.get("onvif", "").rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        return None
    return host.strip("[]"), int(port)


def discover_streams(rows: list[tuple[int, dict[str, str]]],
                     discover: Discover | None) -> dict[int, Discovered]:
    """The streams of every row that names its camera by ONVIF only, by line."""
    wanted = [(line, address, row) for line, row in rows
              if not row.get("rtsp_url") and (address := _onvif_address(row)) is not None]
    if not wanted or discover is None:
        return {}
    with ThreadPoolExecutor(max_workers=PROBES_AT_ONCE,
                            thread_name_prefix="import-probe") as pool:
        futures = {line: pool.submit(discover, address[0], address[1], row.get("username", ""),
                                     row.get("password", ""))
                   for line, address, row in wanted}
        return {line: future.result() for line, future in futures.items()}


def import_cameras(session: Session, box: SecretBox, actor: admin.Actor, now: datetime,
                   data: bytes, gateway: Gateway, *, dry_run: bool,
                   discover: Discover | None = None) -> ImportResult:
    """Check every row, then (not a dry run, no error) create or update each camera. The
    caller commits only a real import without errors, and rolls back otherwise. ``discover``
    finds the streams of rows with an ONVIF address and no ``rtsp_url`` (None: such rows are
    errors)."""
    result = ImportResult(gateway_id=gateway.id, dry_run=dry_run)
    wards = {w.name.casefold(): w for w in session.execute(select(Ward)).scalars()}
    planned: list[_Row] = []
    seen: dict[str, int] = {}
    rows = read_rows(data)
    found = discover_streams(rows, discover)
    for line, row in rows:
        problems: list[tuple[str, str]] = []
        for column in REQUIRED_COLUMNS:
            if not row.get(column):
                problems.append((column, "required"))
        streams = found.get(line)
        if streams is not None and streams.error:
            problems.append(("onvif", streams.error))
        elif streams is not None:
            row = {**row, "rtsp_url": streams.main_url or ""}
        elif not row.get("rtsp_url"):
            problems.append(("rtsp_url", "required: the camera's main stream (rtsp://host/path),"
                             " or its ONVIF address (onvif host:port) to find it"))
        external_id = row.get("external_id", "")
        if external_id in seen:
            problems.append(("external_id", f"repeats line {seen[external_id]}"))
        elif external_id:
            seen[external_id] = line
        values = _fields(row, wards, gateway, problems)
        if streams is not None and streams.sub_url:
            values["sub_url"] = streams.sub_url
        if problems:
            result.errors += [ImportRowError(row=line, column=c, reason=r) for c, r in problems]
            continue
        existing = admin.camera_by_external_id(session, external_id)
        try:
            if existing is None:
                create = CameraCreate.model_validate(values)
                admin.check_camera_create(session, create)
                planned.append(_Row(line, external_id, create, None))
            else:
                update = CameraUpdate.model_validate(values)
                admin.check_camera_update(session, box, existing, update)
                planned.append(_Row(line, external_id, None, update))
        except ValidationError as err:
            result.errors += [ImportRowError(row=line, column=c, reason=r)
                              for c, r in _validation_errors(err)]
        except admin.Refused as err:
            column = COLUMN_OF.get(err.field or "", err.field or "row")
            result.errors.append(ImportRowError(row=line, column=column, reason=err.message))
    for item in planned:
        if item.create is not None:
            action, camera_id = ImportAction.CREATE, None
        else:
            assert item.update is not None
            existing = admin.camera_by_external_id(session, item.external_id)
            assert existing is not None
            changed = admin.camera_changes(box, existing, item.update)
            action = ImportAction.UPDATE if changed else ImportAction.UNCHANGED
            camera_id = existing.id
        result.rows.append(ImportRowResult(row=item.line, external_id=item.external_id,
                                           action=action, camera_id=camera_id))
    if dry_run or result.errors:
        return result
    for item, shown in zip(planned, result.rows, strict=True):
        try:
            if item.create is not None:
                camera = admin.create_camera(session, box, actor, now, item.create)
                shown.camera_id = camera.id
            elif shown.action == "update" and shown.camera_id is not None:
                assert item.update is not None
                admin.update_camera(session, box, actor, now, shown.camera_id, item.update)
        except admin.Refused as err:  # a row checked above, changed by an earlier row
            column = COLUMN_OF.get(err.field or "", err.field or "row")
            result.errors.append(ImportRowError(row=item.line, column=column,
                                                reason=err.message))
            return result
    audit.append(session, "camera_import", now=now, user_id=actor.user_id,
                 username=actor.username,
                 detail={"gateway_id": gateway.id, "created": result.count("create"),
                         "updated": result.count("update"),
                         "unchanged": result.count("unchanged")})
    return result
