"""common.records: from_json reads good bodies and names the field of a bad one; the records are
the server's answers, field for field (its OpenAPI is generated from them)."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from typing import Any

import pytest

from common import records
from common.records import (
    Bookmark,
    BookmarkFilter,
    Case,
    ChainVerdict,
    ClipRequest,
    HealthReport,
    Incident,
    MalformedRecord,
    UserRef,
    from_json,
)
from common.vocabulary import (
    CaseAction,
    CaseKind,
    CaseState,
    ClipChain,
    ClipState,
    DeadlineStatus,
    DecisionKind,
    IncidentKind,
)
from tests.openapi import server_openapi

USER = {"id": 7, "username": "ioc.operator", "full_name": "Nguyễn Văn A", "unit": "IOC"}


def case_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": 12, "camera_id": 3, "camera_name": "CAM-03", "ward": "Đồng Phú",
        "kind": "red_light", "state": "sent", "note": "", "bookmark_id": None,
        "clip_request_ids": [4, 5], "detected_at": "2026-03-02T08:00:00Z", "opened_by": USER,
        "opened_at": "2026-03-02T08:05:00+07:00", "complex": False,
        "decision_kind": "simple", "handover_needed": False, "conclusion": None,
        "steps": {"sent": "2026-03-02T09:00:00Z", "closed": None},
        "deadlines": [{"rule": "send", "article": "11.3.b", "starts_at": "2026-03-02T08:00:00Z",
                       "due_at": "2026-03-09T17:00:00Z", "done_at": None,
                       "status": "due_soon"}],
        "deadline_state": "due_soon", "actions": ["conclude", "close"], "public": False,
        "public_title": None, "public_clip_id": None,
        "events": [{"at": "2026-03-02T08:05:00Z", "recorded_at": "2026-03-02T08:05:01Z",
                    "action": "open", "user": USER, "detail": {"bookmark_id": 9},
                    "declared_at": "2026-03-02T08:00:00Z", "declared_by": USER}],
        "updated_at": "2026-03-02T09:00:00Z", "detected_declared_by": USER,
        "deadline_complex": False, "deadline_decision_kind": "simple",
        "versions": [{"number": 1, "at": "2026-03-02T08:30:00Z", "user": USER,
                      "reason": "sửa loại", "before": {"complex": False},
                      "after": {"complex": True}, "status": "pending", "approved_by": None,
                      "approved_at": None, "approval_reason": None}],
        "record_actions": ["edit"],
    }
    body.update(changes)
    return body


# -- from_json: good bodies ---------------------------------------------------------------------

def test_a_case_is_read_with_its_nested_records_enums_and_times() -> None:
    case = from_json(Case, case_body())
    assert case.kind is CaseKind.RED_LIGHT and case.state is CaseState.SENT
    assert case.decision_kind is DecisionKind.SIMPLE
    assert case.deadline_state is DeadlineStatus.DUE_SOON
    assert case.actions == (CaseAction.CONCLUDE, CaseAction.CLOSE) and case.may("close")
    assert case.clip_request_ids == (4, 5) and case.bookmark_id is None
    assert case.detected_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert case.opened_at == datetime(2026, 3, 2, 1, 5, tzinfo=UTC)  # +07:00 kept, same moment
    assert case.opened_by == UserRef(7, "ioc.operator", "Nguyễn Văn A", "IOC")
    assert case.detected_declared_by == case.events[0].declared_by == case.opened_by
    assert case.may("edit") and not case.may("approve_version")
    assert [v.number for v in case.pending_versions] == [1]
    assert case.steps == {"sent": datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "closed": None}
    (deadline,) = case.deadlines
    assert deadline.status is DeadlineStatus.DUE_SOON and deadline.pending
    assert deadline.done_at is None and case.next_due == deadline
    assert case.events[0].user.label == "Nguyễn Văn A (IOC)"
    assert case.events[0].detail == {"bookmark_id": 9}


def test_a_time_without_an_offset_is_utc_and_unknown_keys_are_ignored() -> None:
    case = from_json(Case, case_body(detected_at="2026-03-02T08:00:00", added_later="x"))
    assert case.detected_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_optional_records_numbers_and_defaults() -> None:
    incident = from_json(Incident, {
        "id": 1, "category": "camera", "subject": "CAM-03", "camera_id": 3,
        "camera_name": "CAM-03", "ward": "W", "kind": "offline",
        "state": "open", "note": "", "automatic": True, "reported_by": USER,
        "reported_at": "2026-03-02T08:00:00Z", "acknowledged_by": None, "acknowledged_at": None,
        "resolved_by": None, "resolved_at": None, "resolution": None,
        "seconds_to_acknowledge": 30, "seconds_to_resolve": None,
        "reports": [{"id": 2, "user": USER, "at": "2026-03-02T08:00:00Z", "kind": "offline",
                     "automatic": True, "note": "", "snapshot_sha256": "ab"}]})
    assert incident.seconds_to_acknowledge == 30.0
    assert isinstance(incident.seconds_to_acknowledge, float)
    assert incident.acknowledged_by is None
    assert incident.reports[0].kind is IncidentKind.OFFLINE and incident.snapshots
    assert from_json(BookmarkFilter, {"tag": "x"}) == BookmarkFilter(tag="x")


def test_dates_and_plain_lists_are_read() -> None:
    @dataclasses.dataclass(frozen=True)
    class Day:
        on: date
        names: list[str]
        seen: frozenset[int]

    assert from_json(Day, {"on": "2026-03-02", "names": ["a"], "seen": [1, 1]}) == \
        Day(date(2026, 3, 2), ["a"], frozenset({1}))


# -- from_json: malformed bodies ----------------------------------------------------------------

@pytest.mark.parametrize(("body", "path"), [
    (case_body(kind="jaywalking"), "Case.kind"),
    (case_body(detected_at="yesterday"), "Case.detected_at"),
    (case_body(detected_at=1772438400), "Case.detected_at"),
    (case_body(id="12"), "Case.id"),
    (case_body(id=True), "Case.id"),
    (case_body(complex=0), "Case.complex"),
    (case_body(note=None), "Case.note"),
    (case_body(clip_request_ids="4,5"), "Case.clip_request_ids"),
    (case_body(opened_by=[USER]), "Case.opened_by"),
    (case_body(opened_by={"id": 7}), "Case.opened_by.username"),
    (case_body(deadlines=[{"rule": "send"}]), "Case.deadlines[0].article"),
    (case_body(steps={"sent": "soon"}), "Case.steps['sent']"),
    (case_body(events=[{**case_body()["events"][0], "user": None}]), "Case.events[0].user"),
    ({k: v for k, v in case_body().items() if k != "updated_at"}, "Case.updated_at"),
    ([case_body()], "Case"),
    (None, "Case"),
])
def test_a_malformed_body_names_the_field(body: Any, path: str) -> None:
    with pytest.raises(MalformedRecord) as raised:
        from_json(Case, body)
    assert raised.value.path == path
    assert str(raised.value).startswith(f"{path}: ")
    assert isinstance(raised.value, ValueError)


def test_what_it_cannot_read_is_a_programming_error() -> None:
    @dataclasses.dataclass(frozen=True)
    class Odd:
        either: int | str

    with pytest.raises(TypeError):
        from_json(Odd, {"either": 1})
    with pytest.raises(TypeError):
        from_json(dict, {})  # type: ignore[type-var]


# -- pure behaviour -----------------------------------------------------------------------------

def test_a_users_label() -> None:
    assert UserRef(1, "a", "", "").label == "a"
    assert UserRef(1, "a", "Anh", "IOC").label == "Anh (IOC)"


def test_the_bookmark_query_string() -> None:
    where = BookmarkFilter(camera_id=3, since=datetime(2026, 3, 2, 8, 0),
                           until=datetime(2026, 3, 2, 15, 0, tzinfo=timezone(timedelta(hours=7))),
                           tag=" evidence ", text="  ", limit=10)
    assert where.params() == {"limit": 10, "offset": 0, "camera_id": 3,
                              "since": "2026-03-02T08:00:00+00:00",
                              "until": "2026-03-02T15:00:00+07:00", "tag": "evidence"}


# -- the records are the server's answers -------------------------------------------------------

@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return server_openapi(tmp_path_factory.mktemp("openapi"))


# records that are not an answer's shape: a query (its bounds are checked below) and what a
# client measured before the server stored it (the answer is StoredHealthReport)
NOT_ANSWERS = {BookmarkFilter, HealthReport}
ANSWERS = sorted((cls for cls in vars(records).values()
                  if isinstance(cls, type) and dataclasses.is_dataclass(cls)
                  and cls.__module__ == records.__name__ and cls not in NOT_ANSWERS),
                 key=lambda cls: cls.__name__)


def test_every_record_is_listed() -> None:
    assert {Bookmark, Case, ClipRequest, Incident, ChainVerdict, UserRef} <= set(ANSWERS)


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _nullable(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType) and \
        type(None) in typing.get_args(kind)


def _refs(node: dict[str, Any]) -> set[str]:
    """The components a property refers to (directly, in anyOf, or in its items)."""
    found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
    for sub in node.get("anyOf", []):
        found |= _refs(sub)
    if isinstance(node.get("items"), dict):
        found |= _refs(node["items"])
    if isinstance(node.get("additionalProperties"), dict):
        found |= _refs(node["additionalProperties"])
    return found


def _named(kind: Any) -> set[str]:
    """The records and enums a field's type names (what the schema refers to)."""
    if isinstance(kind, type) and (dataclasses.is_dataclass(kind) or issubclass(kind, Enum)):
        return {kind.__name__}
    found: set[str] = set()
    for arg in typing.get_args(kind):
        found |= _named(arg)
    return found


@pytest.mark.parametrize("cls", ANSWERS, ids=lambda cls: cls.__name__)
def test_each_record_is_the_servers_schema(spec: dict[str, Any], cls: type) -> None:
    """Field for field: a field added on one side only (or a server answer that stops being
    the shared record) fails here."""
    schemas = spec["components"]["schemas"]
    assert cls.__name__ in schemas, f"no answer of the server is a {cls.__name__}"
    schema = schemas[cls.__name__]
    fields = {f.name for f in dataclasses.fields(cls)}
    assert set(schema["properties"]) == fields
    assert set(schema.get("required", [])) == fields, "every field of an answer is sent"
    hints = _hints(cls)
    for name, node in schema["properties"].items():
        nullable = any(o.get("type") == "null" for o in node.get("anyOf", []))
        assert nullable == _nullable(hints[name]), f"{cls.__name__}.{name}: nullable"
        assert _refs(node) == _named(hints[name]), f"{cls.__name__}.{name}: records and enums"


def test_the_bookmark_page_is_the_servers(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/v1/bookmarks"]["get"]
    limit = next(p["schema"] for p in operation["parameters"] if p["name"] == "limit")
    assert limit["default"] == BookmarkFilter().limit == records.BOOKMARK_PAGE
    assert limit["maximum"] == records.MAX_BOOKMARK_PAGE
    query = {p["name"] for p in operation["parameters"]}
    assert set(BookmarkFilter(camera_id=1, ward_id=1, since=datetime.now(UTC),
                              until=datetime.now(UTC), tag="t", author="a",
                              text="q").params()) == query


def test_a_health_report_body_is_what_the_server_reads(spec: dict[str, Any]) -> None:
    report = HealthReport(3, datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
                          datetime(2026, 3, 2, 8, 1, tzinfo=UTC), 50.0, 10.0, 1)
    created = spec["components"]["schemas"]["CameraHealthCreate"]["properties"]
    assert set(report.body()) == set(created)
    stored = spec["components"]["schemas"]["StoredHealthReport"]["properties"]
    assert set(stored) == {f.name for f in dataclasses.fields(HealthReport)} | {"id"}


def test_the_words_are_the_shared_enums(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for enum in (CaseKind, ClipChain, ClipState, DeadlineStatus):
        assert schemas[enum.__name__]["enum"] == [member.value for member in enum]
