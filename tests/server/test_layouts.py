"""Saved layouts: CRUD, sharing with the unit, read-only for others, scope, "no permission"
items, one startup layout, geometry 422s, optimistic concurrency, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.server.conftest import Backend
from tests.server.test_cameras import _seed_grant


def _layout(ids: dict[int, int], name: str = "Đồng Phú 2×2", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name, "template": "2x2", "rows": 2, "columns": 2,
        "items": [
            {"cell": {"row": r, "column": c, "row_span": 1, "column_span": 1},
             "camera_id": ids[r * 2 + c], "flags": {"stream": "sub"}}
            for r in range(2) for c in range(2)
        ],
    }
    body.update(changes)
    return body


def test_crud_round_trip_with_audit(demo: Backend) -> None:
    ids = demo.camera_ids()
    token = demo.login("ward.dongphu.police")
    created = demo.post("/layouts", token, json=_layout(ids))
    assert created.status_code == 201, created.text
    layout = created.json()
    assert layout["name"] == "Đồng Phú 2×2" and layout["version"] == 1
    assert layout["editable"] is True and layout["owner"]["username"] == "ward.dongphu.police"
    assert [(i["cell"]["row"], i["cell"]["column"], i["camera_id"], i["permitted"])
            for i in layout["items"]] == [(0, 0, ids[0], True), (0, 1, ids[1], True),
                                          (1, 0, ids[2], True), (1, 1, ids[3], True)]
    assert layout["items"][0]["camera_name"].startswith("CAM-01")
    assert layout["items"][0]["flags"] == {"stream": "sub"}
    path = f"/layouts/{layout['id']}"
    assert demo.get(path, token).json() == layout
    assert [x["id"] for x in demo.get("/layouts", token).json()] == [layout["id"]]

    demo.clock.advance(timedelta(minutes=1))
    one_plus = {"version": 1, "name": "Phóng to CAM-01", "template": "custom", "rows": 2,
                "columns": 3, "items": [
                    {"cell": {"row": 0, "column": 0, "row_span": 2, "column_span": 2},
                     "camera_id": ids[0]},
                    {"cell": {"row": 0, "column": 2}, "camera_id": None},
                    {"cell": {"row": 1, "column": 2}, "camera_id": ids[3]}]}
    updated = demo.put(path, token, json=one_plus)
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["version"] == 2 and body["name"] == "Phóng to CAM-01"
    assert body["updated_at"] > layout["updated_at"]
    assert [(i["cell"]["row_span"], i["cell"]["column_span"], i["camera_id"], i["permitted"])
            for i in body["items"]] == [(2, 2, ids[0], True), (1, 1, None, True),
                                        (1, 1, ids[3], True)]
    renamed = demo.put(path, token, json={"version": 2, "name": "Ca đêm"})
    assert renamed.status_code == 200 and renamed.json()["items"] == body["items"]
    assert renamed.json()["version"] == 3

    assert demo.delete(path, token).status_code == 204
    assert demo.get(path, token).status_code == 404
    assert demo.get("/layouts", token).json() == []
    rows = demo.audit_rows("layout_")
    assert [(r["event"], r["username"], r["detail"]["layout_id"]) for r in rows] == [
        ("layout_create", "ward.dongphu.police", layout["id"]),
        ("layout_update", "ward.dongphu.police", layout["id"]),
        ("layout_update", "ward.dongphu.police", layout["id"]),
        ("layout_delete", "ward.dongphu.police", layout["id"]),
    ]
    assert rows[2]["detail"]["changed"] == ["name"]


def test_shared_with_the_unit_is_read_only_for_others(demo: Backend) -> None:
    ids = demo.camera_ids()
    owner = demo.login("ward.dongphu.police")
    colleague = demo.login("ward.dongphu.leader")  # same unit
    private = demo.post("/layouts", owner, json=_layout(ids, "Riêng")).json()
    shared = demo.post("/layouts", owner, json=_layout(ids, "Chung", shared_with_unit=True,
                                                      is_startup=True)).json()
    listed = demo.get("/layouts", colleague).json()
    assert [x["name"] for x in listed] == ["Chung"]
    assert listed[0]["editable"] is False
    assert listed[0]["is_startup"] is False  # the owner's startup, not the colleague's
    assert demo.get(f"/layouts/{shared['id']}", colleague).status_code == 200
    assert demo.get(f"/layouts/{private['id']}", colleague).status_code == 404

    put = demo.put(f"/layouts/{shared['id']}", colleague, json={"version": 1, "name": "X"})
    assert put.status_code == 403 and "read-only" in put.json()["message"]
    assert demo.delete(f"/layouts/{shared['id']}", colleague).status_code == 403
    assert demo.put(f"/layouts/{private['id']}", colleague,
                    json={"version": 1, "name": "X"}).status_code == 404
    assert demo.get(f"/layouts/{shared['id']}", owner).json()["name"] == "Chung"
    # Another unit (ward committee of the same ward) sees neither.
    committee = demo.login("ward.dongphu.committee")
    assert demo.get("/layouts", committee).json() == []
    # The colleague may keep an own layout with the same name (unique per owner only).
    assert demo.post("/layouts", colleague, json=_layout(ids, "Chung")).status_code == 201


def test_another_wards_user_gets_404(demo: Backend) -> None:
    ids = demo.camera_ids()
    owner = demo.login("ward.dongphu.police")
    shared = demo.post("/layouts", owner, json=_layout(ids, shared_with_unit=True)).json()
    other = demo.login("ward.haithanh.police")
    path = f"/layouts/{shared['id']}"
    missing = demo.get("/layouts/999999", other)
    for reply in (demo.get(path, other), demo.put(path, other, json={"version": 1}),
                  demo.delete(path, other)):
        assert reply.status_code == 404
        assert reply.content == missing.content
    assert demo.get("/layouts", other).json() == []


def test_an_item_whose_camera_the_reader_may_not_view_shows_no_permission(
        demo: Backend) -> None:
    ids = demo.camera_ids()
    _seed_grant(demo, ids[3])  # an agency's grant of CAM-04, from +1 h for 2 h
    demo.clock.advance(timedelta(hours=1, minutes=1))
    token = demo.login("agency.viewer")
    # Cameras outside the agency's grant cannot be put in a layout (as if they did not exist).
    refused = demo.post("/layouts", token, json=_layout(ids))
    assert refused.status_code == 422
    assert "items.0.camera_id: camera not found" in refused.json()["message"]
    assert "items.3.camera_id" not in refused.json()["message"]
    body = _layout(ids, "Công trình", template="1x2", rows=1, columns=2, items=[
        {"cell": {"row": 0, "column": 0}, "camera_id": ids[3]},
        {"cell": {"row": 0, "column": 1}, "camera_id": None}])
    layout = demo.post("/layouts", token, json=body).json()
    assert layout["items"][0]["permitted"] is True

    demo.clock.advance(timedelta(hours=2))  # the grant has ended
    read = demo.get(f"/layouts/{layout['id']}", token).json()
    item = read["items"][0]
    assert item == {"cell": {"row": 0, "column": 0, "row_span": 1, "column_span": 1},
                    "camera_id": ids[3], "permitted": False, "camera_name": None, "flags": {}}
    assert "rtsp" not in str(read) and "CAM-04" not in str(read)
    # The owner can still rename it: the unviewable camera stays where it was.
    renamed = demo.put(f"/layouts/{layout['id']}", token,
                       json={"version": 1, "name": "Công trình (cũ)", "items": body["items"]})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["items"][0]["permitted"] is False


def test_at_most_one_startup_layout(demo: Backend) -> None:
    ids = demo.camera_ids()
    token = demo.login("ioc.operator")
    first = demo.post("/layouts", token, json=_layout(ids, "A", is_startup=True)).json()
    second = demo.post("/layouts", token, json=_layout(ids, "B", is_startup=True)).json()
    startups = {x["name"]: x["is_startup"] for x in demo.get("/layouts", token).json()}
    assert startups == {"A": False, "B": True}
    assert first["is_startup"] is True and second["is_startup"] is True
    a = demo.get(f"/layouts/{first['id']}", token).json()
    assert a["version"] == 2  # its startup flag changed, so what a client cached is stale
    assert demo.put(f"/layouts/{first['id']}", token,
                    json={"version": 2, "is_startup": True}).status_code == 200
    startups = {x["name"]: x["is_startup"] for x in demo.get("/layouts", token).json()}
    assert startups == {"A": True, "B": False}
    # Another user's startup layout is independent.
    other = demo.login("ioc.admin")
    assert demo.post("/layouts", other, json=_layout(ids, "C", is_startup=True)).json()[
        "is_startup"] is True
    assert demo.get(f"/layouts/{first['id']}", token).json()["is_startup"] is True


def test_geometry_errors_name_the_field(demo: Backend) -> None:
    ids = demo.camera_ids()
    token = demo.login("ioc.operator")
    overlap = _layout(ids, items=[
        {"cell": {"row": 0, "column": 0, "row_span": 2, "column_span": 2}, "camera_id": ids[0]},
        {"cell": {"row": 1, "column": 1}, "camera_id": ids[1]}])
    reply = demo.post("/layouts", token, json=overlap)
    assert reply.status_code == 422
    assert reply.json()["message"] == "items.1.cell: cell overlaps item 0 at row 1, column 1"
    assert reply.json()["errors"][0]["field"] == "items.1.cell"

    outside = _layout(ids, items=[{"cell": {"row": 1, "column": 1, "column_span": 2}}])
    reply = demo.post("/layouts", token, json=outside)
    assert reply.status_code == 422
    assert reply.json()["message"].startswith("items.0.cell: cell (row 1, column 1, span 1×2) "
                                             "is outside the 2×2 grid")
    zero_span = _layout(ids, items=[{"cell": {"row": 0, "column": 0, "row_span": 0}}])
    assert demo.post("/layouts", token, json=zero_span).json()["message"].startswith(
        "items.0.cell.row_span:")
    too_many = _layout(ids, template="custom", rows=9, columns=8,
                       items=[{"cell": {"row": i // 8, "column": i % 8}} for i in range(65)])
    assert demo.post("/layouts", token, json=too_many).json()["message"].startswith("items:")
    assert demo.post("/layouts", token, json=_layout(ids, name="")).json()["message"].startswith(
        "name:")
    assert demo.post("/layouts", token, json=_layout(ids, rows=3)).json()["message"].startswith(
        "template: template 2x2 needs rows=2")
    unknown = demo.post("/layouts", token, json=_layout(ids, colour="red"))
    assert unknown.json()["message"] == "colour: Extra inputs are not permitted"
    cell_typo = _layout(ids, items=[{"cell": {"row": 0, "col": 0}}])
    assert "items.0.cell.col: Extra inputs are not permitted" in demo.post(
        "/layouts", token, json=cell_typo).json()["message"]
    # A full 8×8 wall is fine.
    full = _layout(ids, "8×8", template="8x8", rows=8, columns=8,
                   items=[{"cell": {"row": i // 8, "column": i % 8}} for i in range(64)])
    assert demo.post("/layouts", token, json=full).status_code == 201
    # An update that shrinks the grid under its items is refused the same way.
    layout = demo.post("/layouts", token, json=_layout(ids, "Nhỏ")).json()
    shrink = demo.put(f"/layouts/{layout['id']}", token,
                      json={"version": 1, "template": "1x2", "rows": 1})
    assert shrink.status_code == 422
    assert "items.2.cell: cell (row 1, column 0" in shrink.json()["message"]


def test_duplicate_name_and_stale_version_are_409(demo: Backend) -> None:
    ids = demo.camera_ids()
    token = demo.login("police.officer")
    layout = demo.post("/layouts", token, json=_layout(ids, "Trung tâm")).json()
    duplicate = demo.post("/layouts", token, json=_layout(ids, "Trung tâm"))
    assert duplicate.status_code == 409 and duplicate.json()["message"].startswith("name:")
    path = f"/layouts/{layout['id']}"
    assert demo.put(path, token, json={"version": 1, "shared_with_unit": True}).status_code == 200
    stale = demo.put(path, token, json={"version": 1, "name": "Ghi đè"})
    assert stale.status_code == 409
    assert stale.json()["message"] == (
        "version: the layout was changed since you loaded it (you sent version 1, the current "
        "one is 2); reload it and try again")
    assert demo.get(path, token).json()["name"] == "Trung tâm"
    assert demo.put(path, token, json={"name": "Ghi đè"}).json()["message"] == (
        "version: Field required")
