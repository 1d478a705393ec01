"""Bookmarks: create (bookmark right, defaults, audit), list filters and the unit scope."""

from __future__ import annotations

from datetime import timedelta

from tests.server.conftest import START, Backend


def _create(demo: Backend, token: str, camera_id: int, **body: object) -> dict:  # type: ignore[type-arg]
    reply = demo.post("/bookmarks", token, json={"camera_id": camera_id, **body})
    assert reply.status_code == 201, reply.text
    return reply.json()  # type: ignore[no-any-return]


def test_create_defaults_to_now_with_a_30_s_window_and_is_audited(demo: Backend) -> None:
    cams = demo.camera_ids()
    token = demo.login("ioc.operator")
    mark = _create(demo, token, cams[0], note="Xe máy vượt đèn đỏ", tags=["giao thông", "đèn"])
    assert mark["at"].startswith("2026-03-02T08:00:00")
    assert (mark["before_s"], mark["after_s"]) == (30, 30)
    assert mark["window_start"].startswith("2026-03-02T07:59:30")
    assert mark["window_end"].startswith("2026-03-02T08:00:30")
    assert mark["tags"] == sorted(["giao thông", "đèn"])
    assert mark["author"]["username"] == "ioc.operator" and mark["ward"] == "Đồng Phú"
    row = demo.audit_rows("bookmark_create")[-1]
    assert row["camera_id"] == cams[0] and row["detail"]["bookmark_id"] == mark["id"]


def test_without_bookmark_right_the_camera_is_not_found(demo: Backend) -> None:
    cams = demo.camera_ids()
    # Hải Thành police do not see Đồng Phú cameras; the agency has no grant; both get 404
    for username in ("ward.haithanh.police", "agency.viewer"):
        reply = demo.post("/bookmarks", demo.login(username), json={"camera_id": cams[0]})
        assert reply.status_code == 404 and reply.json()["message"] == "Camera not found"
    reply = demo.post("/bookmarks", demo.login("ioc.operator"),
                      json={"camera_id": cams[0], "before_s": 4000, "colour": "red"})
    assert reply.status_code == 422
    assert "before_s" in reply.json()["message"] and "colour" in reply.json()["message"]


def test_filters_and_unit_scope(demo: Backend) -> None:
    cams = demo.camera_ids()
    operator = demo.login("ioc.operator")
    ward_police = demo.login("ward.dongphu.police")
    a = _create(demo, operator, cams[0], note="Tụ tập đông người", tags=["an ninh"])
    demo.clock.advance(timedelta(minutes=10))
    b = _create(demo, ward_police, cams[1], note="Va chạm giao thông", tags=["giao thông"])
    c = _create(demo, operator, cams[4], at=(START - timedelta(hours=1)).isoformat(),
                note="Hải Thành", tags=["an ninh"], before_s=5, after_s=120)
    assert (c["before_s"], c["after_s"]) == (5, 120)

    def ids(token: str, **params: object) -> list[int]:
        reply = demo.get("/bookmarks", token, params=params)
        assert reply.status_code == 200, reply.text
        if "limit" not in params:
            assert int(reply.headers["X-Total-Count"]) == len(reply.json())
        return [m["id"] for m in reply.json()]

    # the IOC and city police see all in scope, newest first; a unit sees its own
    assert ids(operator) == [b["id"], a["id"], c["id"]]
    assert ids(demo.login("police.commander")) == [b["id"], a["id"], c["id"]]
    assert ids(demo.login("ward.dongphu.leader")) == [b["id"]]
    assert ids(ward_police) == [b["id"]]
    assert ids(demo.login("ward.dongphu.committee")) == []
    assert ids(demo.login("traffic.officer")) == []
    # filters
    assert ids(operator, camera_id=cams[0]) == [a["id"]]
    assert ids(operator, ward_id=c["ward_id"]) == [c["id"]]
    assert ids(operator, tag="an ninh") == [a["id"], c["id"]]
    assert ids(operator, tag="an") == []
    assert ids(operator, author="ward.dongphu.police") == [b["id"]]
    assert ids(operator, q="va chạm") == [b["id"]]
    assert ids(operator, since=START.isoformat()) == [b["id"], a["id"]]
    assert ids(operator, until=START.isoformat()) == [c["id"]]
    assert ids(operator, limit=1, offset=1) == [a["id"]]
    reply = demo.get("/bookmarks", operator, params={"limit": 1})
    assert reply.headers["X-Total-Count"] == "3"


def test_search_folds_vietnamese_case_and_takes_wildcards_literally(demo: Backend) -> None:
    """The same answers on SQLite and PostgreSQL: text search ignores case, Vietnamese letters
    too (SQLite's own lower() folds ASCII only); "%" and "_" are plain characters; a tag matches
    exactly, case included (SQLite's LIKE ignores ASCII case)."""
    cams = demo.camera_ids()
    token = demo.login("ioc.operator")
    street = _create(demo, token, cams[0], note="ĐƯỜNG Trần Hưng Đạo ùn tắc", tags=["Giao thông"])
    percent = _create(demo, token, cams[0], note="Giảm 100% làn xe", tags=["làn_xe"])
    plain = _create(demo, token, cams[0], note="Không có gì", tags=["lanhxe", "giao thông"])

    def ids(**params: object) -> list[int]:
        return sorted(m["id"] for m in demo.get("/bookmarks", token, params=params).json())

    assert ids(q="đường trần") == [street["id"]]
    assert ids(q="HƯNG ĐẠO") == [street["id"]]
    assert ids(q="giao THÔNG") == sorted([street["id"], plain["id"]])  # in the tags too
    assert ids(q="100%") == [percent["id"]]
    assert ids(q="%") == [percent["id"]]
    assert ids(q="_") == [percent["id"]]
    assert ids(tag="làn_xe") == [percent["id"]]
    assert ids(tag="làn%") == []
    assert ids(tag="Giao thông") == [street["id"]]
    assert ids(tag="giao thông") == [plain["id"]]
