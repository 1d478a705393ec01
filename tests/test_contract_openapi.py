"""The server's API description and the client agree (docs/contracts.md, "The shared vocabulary").

1. Words. Every enumerated value the server's OpenAPI lists — a schema's field, an enum component
   (the records of ``common.records`` type their words with the shared enums), a query or path
   parameter — and the request models it reads from multipart forms (not in the OpenAPI) are one
   of ``common.vocabulary``'s enums, value for value, both ways (``WORDS`` says which). A value
   added to the server's schema alone, or to the shared enum alone, fails; so does a new
   enumerated field that is not mapped here.
2. Words in plain strings. Response fields the schema types as a plain string but that carry the
   words (a camera's system, a user's role…: ``RESPONSE_WORDS``) must exist; the client's parser
   must accept every value of the enum there, and every value of each enumerated field.
3. Fields. Each client parser (``PARSERS``) is fed a body made from the response schema of the
   endpoint it reads; every key it reads must be a property of that schema: a field the server
   dropped or renamed, or one the client expects but the server never sends, fails. Where the
   schema only says "a map" (``dict[str, str]``), the keys the client reads are pinned in
   ``MAP_KEYS`` until the server declares them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any

import pytest
from pydantic import BaseModel

from app import access_requests, audit_log, bookmarks, cases, clips, incidents, public_cameras
from app.backend import BackendClient, parse_camera, parse_user
from app.domain.layouts import parse_layout
from app.reports import ExportFormat
from common.vocabulary import (
    PENDING_DEADLINES,
    AccessRequestState,
    Action,
    CameraStream,
    CameraSystem,
    CameraTransport,
    CaseAction,
    CaseKind,
    CaseRecordAction,
    CaseState,
    CaseVersionStatus,
    ClipBox,
    ClipChain,
    ClipState,
    DeadlineStatus,
    DecisionKind,
    ImportAction,
    IncidentCategory,
    IncidentKind,
    IncidentState,
    OwnerCategory,
    ProbeFailure,
    PublicationState,
    ReportFormat,
    ReportKind,
    Role,
    UnitKind,
    ViewEvent,
)
from server.schemas import AccessRequestCreate, ClipRequestCreate, IncidentCreate
from tests.openapi import server_openapi

Words = type[Enum] | frozenset[Enum]

# where the server enumerates values -> the shared words they must be
WORDS: dict[str, Words] = {
    "CaseAction": CaseAction,  # POST /cases/{case_id}/{action}
    "CaseCreate.kind": CaseKind,
    "CaseActionBody.decision_kind": DecisionKind,
    "AuditEventCreate.event": ViewEvent,
    "IncidentCreate.kind": IncidentKind,
    "IncidentCreate.category": IncidentCategory,
    "GET /api/v1/cases query:deadline": PENDING_DEADLINES,
    "GET /api/v1/clips query:box": ClipBox,
    "GET /api/v1/incidents query:state": IncidentState,
    "GET /api/v1/reports query:kind": ReportKind,
    "GET /api/v1/reports query:format": ReportFormat,
    # the records of common.records type these fields with the shared enums (schema components)
    "CaseKind": CaseKind,  # Case.kind
    "PublicCatalogueBody.violation_kinds": CaseKind,
    "PublicationState": PublicationState,  # Publication.state
    "CaseState": CaseState,  # Case.state
    "DecisionKind": DecisionKind,  # Case.decision_kind
    "CaseRecordAction": CaseRecordAction,  # Case.record_actions
    "CaseVersionStatus": CaseVersionStatus,  # CaseVersion.status
    "CaseEdit.kind": CaseKind,
    "CaseEdit.decision_kind": DecisionKind,
    "DeadlineStatus": DeadlineStatus,  # Deadline.status, Case.deadline_state
    "IncidentKind": IncidentKind,  # Incident.kind, IncidentReport.kind
    "IncidentCategory": IncidentCategory,  # Incident.category
    "IncidentState": IncidentState,  # Incident.state
    "ClipChain": ClipChain,  # ClipRequest.chain
    "ClipState": ClipState,  # ClipRequest.state, ClipEvent.state
    "AccessRequestState": AccessRequestState,  # AccessRequest.state
    "CameraStream": CameraStream,  # POST /cameras/{camera_id}/streams/{stream}/session
    "CameraTransport": CameraTransport,  # PATCH /admin/cameras/{camera_id}
    "ProbeFailure": ProbeFailure,  # POST /admin/cameras/probe: ProbeStreamCheck.failure
    # the administrators' forms (/admin/units, /admin/users, /admin/cameras)
    "UnitKind": UnitKind,
    "Role": Role,
    "CameraSystem": CameraSystem,
    "OwnerCategory": OwnerCategory,
    "ImportAction": ImportAction,  # ImportRowResult.action
}
# request models read from multipart forms: not in the OpenAPI, checked from their own schemas
FORM_MODELS: tuple[type[BaseModel], ...] = (ClipRequestCreate, AccessRequestCreate, IncidentCreate)

# response fields typed as plain strings (or lists of them) that carry the words
RESPONSE_WORDS: dict[str, Words] = {
    "MePublic.role": Role,
    "UnitPublic.kind": UnitKind,
    "ScopePublic.systems": CameraSystem,
    "CameraPublic.system": CameraSystem,
    "CameraPublic.actions": Action,
    "PublicViolation.kind": CaseKind,
}


def _login(body: Any) -> Any:
    """``BackendClient.login`` reads the answer of ``POST /auth/login`` itself."""
    client = BackendClient("http://127.0.0.1:9")
    client._request = lambda *args, **kwargs: None  # type: ignore[method-assign,assignment]
    client._json = lambda response: body  # type: ignore[method-assign]
    return client.login("ioc.operator", "demo")


# (method, path) whose answer the parser reads (a list answer: one item)
PARSERS: dict[str, tuple[str, str, Callable[[Any], Any]]] = {
    "parse_user": ("GET", "/api/v1/me", parse_user),
    "login": ("POST", "/api/v1/auth/login", _login),
    "parse_camera": ("GET", "/api/v1/cameras", parse_camera),
    "public_cameras.parse_row": ("GET", "/api/v1/cameras", public_cameras.parse_row),
    "parse_clip": ("GET", "/api/v1/clips", clips.parse_clip),
    "parse_signing_key": ("GET", "/api/v1/keys", clips.parse_signing_key),
    "parse_case": ("GET", "/api/v1/cases", cases.parse_case),
    "parse_incident": ("GET", "/api/v1/incidents", incidents.parse_incident),
    "parse_bookmark": ("GET", "/api/v1/bookmarks", bookmarks.parse_bookmark),
    "parse_access_request": ("GET", "/api/v1/access-requests",
                             access_requests.parse_access_request),
    "parse_requestable_camera": ("GET", "/api/v1/access-requests/cameras",
                                 access_requests.parse_requestable_camera),
    "audit_log.parse_row": ("GET", "/api/v1/audit", audit_log.parse_row),
    "parse_layout": ("GET", "/api/v1/layouts", parse_layout),
}


# keys the client reads from objects the schema declares only as maps (dict[str, str])
MAP_KEYS: dict[str, set[str]] = {}


def values(words: Words) -> set[str]:
    return {str(member.value) for member in words}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return server_openapi(tmp_path_factory.mktemp("openapi"))


# -- 1. words -------------------------------------------------------------------------------------

def enumerations(spec: dict[str, Any]) -> dict[str, list[Any]]:
    """Every ``enum`` of the schema, by where it is: ``Schema.field``, ``Schema`` (an enum
    component), ``METHOD /path query:name``; through anyOf and arrays' items."""
    found: dict[str, list[Any]] = {}

    def visit(node: Any, where: str) -> None:
        if not isinstance(node, dict):
            return
        if "enum" in node:
            found.setdefault(where, []).extend(v for v in node["enum"]
                                               if v not in found.get(where, []))
        for sub in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            visit(sub, where)
        visit(node.get("items"), where)
        for name, sub in (node.get("properties") or {}).items():
            visit(sub, f"{where}.{name}")

    for name, schema in spec["components"]["schemas"].items():
        visit(schema, name)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                visit(parameter.get("schema"), f"{where} {parameter['in']}:{parameter['name']}")
            for content in (operation.get("requestBody") or {}).get("content", {}).values():
                visit(content.get("schema"), f"{where} body")
    for model in FORM_MODELS:
        schema = model.model_json_schema()
        for name, sub in schema.get("$defs", {}).items():
            visit(sub, name)
        visit(schema, model.__name__)
    return found


def test_every_enumerated_field_is_mapped_to_the_shared_words(spec: dict[str, Any]) -> None:
    found = set(enumerations(spec))
    assert found - set(WORDS) == set(), "enumerated by the server, not mapped in WORDS"
    assert set(WORDS) - found == set(), "mapped in WORDS, no longer enumerated by the server"


@pytest.mark.parametrize("where", sorted(WORDS))
def test_the_server_lists_exactly_the_shared_words(spec: dict[str, Any], where: str) -> None:
    listed = {str(v) for v in enumerations(spec).get(where, [])}
    shared = values(WORDS[where])
    assert listed - shared == set(), f"{where}: the server lists words common/ does not know"
    assert shared - listed == set(), f"{where}: common/ has words the server does not list"


def test_the_client_only_exports_formats_the_server_offers() -> None:
    assert values(ExportFormat) <= values(ReportFormat)


# -- 2. words the schema types as plain strings -----------------------------------------------------

def field_schema(spec: dict[str, Any], where: str) -> dict[str, Any]:
    component, name = where.split(".")
    node: dict[str, Any] = spec["components"]["schemas"][component]["properties"][name]
    return node


def _is_text(node: dict[str, Any]) -> bool:
    options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
    return len(options) == 1 and (options[0].get("type") == "string" or (
        options[0].get("type") == "array" and options[0]["items"].get("type") == "string"))


@pytest.mark.parametrize("where", sorted(RESPONSE_WORDS))
def test_the_fields_carrying_words_exist(spec: dict[str, Any], where: str) -> None:
    assert _is_text(field_schema(spec, where)), where


# -- 3. the fields the client's parsers read --------------------------------------------------------

DATE_TIME = "2026-03-02T08:00:00+00:00"


class Reading(dict[str, Any]):
    """A body made from a schema that notes every key read from it."""

    def __init__(self, where: str, data: dict[str, Any], reads: set[tuple[str, str]]) -> None:
        super().__init__(data)
        self.where, self.reads = where, reads

    def __getitem__(self, key: str) -> Any:
        self.reads.add((self.where, key))
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.add((self.where, key))
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.reads.add((self.where, str(key)))
        return super().__contains__(key)


class Map(dict[str, Any]):
    """A body's map (``additionalProperties``): any key answers, and is noted."""

    def __init__(self, where: str, value: Any, reads: set[tuple[str, str]]) -> None:
        super().__init__({"key": value})
        self.where, self.value, self.reads = where, value, reads

    def __getitem__(self, key: str) -> Any:
        self.reads.add((self.where, key))
        return super().get(key, self.value)

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.add((self.where, key))
        return super().get(key, self.value)


class Bodies:
    """Example answers of one schema; ``chosen`` overrides a field's value (``Schema.field``)."""

    def __init__(self, spec: dict[str, Any], chosen: dict[str, Any] | None = None) -> None:
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.chosen = chosen or {}
        self.reads: set[tuple[str, str]] = set()
        self.map_reads: set[tuple[str, str]] = set()

    def make(self, node: dict[str, Any], where: str = "") -> Any:
        if where in self.chosen:
            return self.chosen[where]
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return self.make(self.schemas[name], name)
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if options:
            return self.make(options[0], where)
        if "enum" in node:
            return node["enum"][0]
        if where in RESPONSE_WORDS:
            words = sorted(values(RESPONSE_WORDS[where]))
            return words if node.get("type") == "array" else words[0]
        kind = node.get("type")
        if kind == "object" and "properties" in node:
            return Reading(where, {name: self.make(sub, f"{where}.{name}")
                                   for name, sub in node["properties"].items()}, self.reads)
        if kind == "object":
            extra = node.get("additionalProperties")
            value = self.make(extra, f"{where}.*") if isinstance(extra, dict) and extra else "x"
            return Map(where, value, self.map_reads)
        if kind == "array":
            return [self.make(node.get("items", {}), where)]
        if kind == "string":
            return {"date-time": DATE_TIME, "date": "2026-03-02"}.get(node.get("format", ""), "x")
        return {"integer": 1, "number": 1.5, "boolean": True}.get(str(kind))


def answer_schema(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses = spec["paths"][path][method.lower()]["responses"]
    code = next(c for c in sorted(responses) if c.startswith("2"))
    schema: dict[str, Any] = responses[code]["content"]["application/json"]["schema"]
    return schema.get("items", schema) if schema.get("type") == "array" else schema


def _enum_words(spec: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """The words of an enumerated field: an enum component it refers to (or its items, or one
    of its anyOf options do), or an inline enum."""
    if "$ref" in node:
        target = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        return {str(v) for v in target.get("enum", [])}
    found = {str(v) for v in node.get("enum", [])}
    for sub in node.get("anyOf", []):
        found |= _enum_words(spec, sub)
    if isinstance(node.get("items"), dict):
        found |= _enum_words(spec, node["items"])
    return found


def _words_under(spec: dict[str, Any], node: dict[str, Any],
                 seen: set[str]) -> Iterator[tuple[str, set[str]]]:
    """The fields carrying words reachable from ``node`` and their words: RESPONSE_WORDS'
    plain strings, and the fields typed with an enum."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        for field, sub in spec["components"]["schemas"][name].get("properties", {}).items():
            if f"{name}.{field}" in RESPONSE_WORDS:
                yield f"{name}.{field}", values(RESPONSE_WORDS[f"{name}.{field}"])
            elif words := _enum_words(spec, sub):
                yield f"{name}.{field}", words
            yield from _words_under(spec, sub, seen)
    for sub in node.get("anyOf", []):
        yield from _words_under(spec, sub, seen)
    if isinstance(node.get("items"), dict):
        yield from _words_under(spec, node["items"], seen)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_the_client_reads_only_fields_the_server_sends(spec: dict[str, Any], name: str) -> None:
    method, path, parse = PARSERS[name]
    bodies = Bodies(spec)
    parse(bodies.make(answer_schema(spec, method, path)))
    unknown = sorted(f"{where}.{key}" for where, key in bodies.reads
                     if key not in bodies.schemas[where].get("properties", {}))
    assert not unknown, f"{name} reads fields {path} does not send: {unknown}"
    in_maps = {f"{where}.{key}" for where, key in bodies.map_reads
               if key not in MAP_KEYS.get(where, set())}
    assert not in_maps, f"{name} reads keys the schema does not declare (maps): {in_maps}"
    assert bodies.reads, f"{name} read nothing: is it still the parser of {path}?"


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_the_client_accepts_every_word_the_server_may_send(spec: dict[str, Any],
                                                           name: str) -> None:
    method, path, parse = PARSERS[name]
    schema = answer_schema(spec, method, path)
    for where, words in _words_under(spec, schema, set()):
        array = field_schema(spec, where).get("type") == "array"
        for word in sorted(words):
            parse(Bodies(spec, {where: [word] if array else word}).make(schema))  # no error
