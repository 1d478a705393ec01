"""Unknown fields and malformed bodies: 422 with a readable detail that names the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.server.conftest import Backend


def test_unknown_field_is_named(demo: Backend) -> None:
    reply = demo.client.post("/api/v1/auth/login",
                             json={"username": "ioc.operator", "passwrd": "demo"})
    assert reply.status_code == 422
    detail = reply.json()["message"]
    assert isinstance(detail, str)
    assert "passwrd: Extra inputs are not permitted" in detail
    assert "password: Field required" in detail
    assert "demo" not in reply.text  # submitted values are not echoed


def test_malformed_json_is_named(demo: Backend) -> None:
    reply = demo.client.post("/api/v1/auth/login", content=b'{"username": "ioc.operator",',
                             headers={"Content-Type": "application/json"})
    assert reply.status_code == 422
    assert reply.json()["message"].startswith("body: malformed JSON")


def test_wrong_type_and_unknown_field_on_audit_events(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    reply = demo.post("/audit/events", token,
                      json={"event": "view_start", "camera_id": "one", "extra": 1})
    assert reply.status_code == 422
    detail = reply.json()["message"]
    assert "camera_id:" in detail and "extra: Extra inputs are not permitted" in detail
    reply = demo.post("/audit/events", token, json={"event": "delete_all", "camera_id": 1})
    assert reply.status_code == 422
    assert reply.json()["message"].startswith("event:")


def test_openapi_is_served(demo: Backend) -> None:
    spec = demo.client.get("/openapi.json").json()
    assert "/api/v1/cameras/{camera_id}" in spec["paths"]
    assert "/api/v1/auth/login" in spec["paths"]
    assert demo.client.get("/api/v1/health").json() == {"status": "ok"}


BIG = 2**63  # one past SQLite's and PostgreSQL's largest integer


def test_integers_the_database_cannot_hold_are_a_422_naming_the_field(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    for path, field in ((f"/cameras/{BIG}", "camera_id"), (f"/cases/{2**31}", "case_id"),
                        (f"/audit?offset={BIG}", "offset"),
                        (f"/audit?camera_id={BIG}", "camera_id"),
                        (f"/incidents?camera_id={-BIG}", "camera_id")):
        reply = demo.get(path, token)
        assert reply.status_code == 422, (path, reply.text)
        assert reply.json()["code"] == "validation_error"
        assert reply.json()["field"] == field, path
    reply = demo.post("/bookmarks", token, json={"camera_id": BIG})
    assert reply.status_code == 422 and reply.json()["field"] == "camera_id"
    reply = demo.post("/audit/events", token, json={"event": "view_start", "camera_id": -BIG})
    assert reply.status_code == 422 and reply.json()["field"] == "camera_id"


def test_times_outside_the_working_window_are_a_422_naming_the_field(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    camera = demo.camera_ids()[0]
    for start, end in (("0001-01-01T00:00:00Z", "0001-01-01T00:01:00Z"),
                       ("9999-12-31T23:58:00Z", "9999-12-31T23:59:59Z")):
        reply = demo.post("/clips", token, json={"camera_id": camera, "start": start,
                                                 "end": end, "purpose": "kiểm tra"})
        assert reply.status_code == 422, reply.text
        assert reply.json()["field"] == "start"
        assert "between 2000-01-01 and 2099-12-31" in reply.json()["message"]
    reply = demo.post("/bookmarks", token, json={"camera_id": camera,
                                                 "at": "9999-01-01T00:00:00Z"})
    assert reply.status_code == 422 and reply.json()["field"] == "at"
    reply = demo.get("/audit?since=0001-01-01T00:00:00Z", token)
    assert reply.status_code == 422 and reply.json()["field"] == "since"
    reply = demo.get("/reports?kind=ad_hoc&start=0001-01-01&end=9999-12-31", token)
    assert reply.status_code == 422 and reply.json()["field"] in ("start", "end")


def test_a_nul_character_is_a_422_naming_the_field(demo: Backend) -> None:
    """PostgreSQL's text cannot hold U+0000 (SQLite's can): refused up front on every database,
    in bodies, lists, query parameters, form fields and uploaded file names."""
    token = demo.login("ioc.operator")
    camera = demo.camera_ids()[0]
    for reply, field in (
            (demo.client.post("/api/v1/auth/login",
                              json={"username": "ioc.operator\x00", "password": "demo"}),
             "username"),
            (demo.post("/bookmarks", token, json={"camera_id": camera, "note": "xe\x00máy"}),
             "note"),
            (demo.post("/bookmarks", token, json={"camera_id": camera, "tags": ["a", "b\x00"]}),
             "tags"),
            (demo.get("/audit", token, params={"username": "ioc\x00"}), "username"),
            (demo.get("/bookmarks", token, params={"q": "\x00"}), "q")):
        assert reply.status_code == 422, (field, reply.text)
        assert reply.json()["field"] == field
        assert "NUL character" in reply.json()["message"]
    agency = demo.login("agency.viewer")
    camera_id = demo.get("/access-requests/cameras", agency).json()[0]["id"]
    fields = {"content": "Xem camera khu vực chợ", "purpose": "Điều tra vụ trộm cắp",
              "commitment": "Cam kết chỉ dùng cho mục đích đã nêu", "camera_ids": str(camera_id),
              "wanted_from": demo.clock.now.isoformat(),
              "wanted_until": (demo.clock.now + timedelta(days=1)).isoformat()}
    for data, filename, field in ((dict(fields, purpose="Điều tra\x00 vụ trộm cắp"), "cv.pdf",
                                   "purpose"),
                                  (fields, "cong\x00van.pdf", "letter")):
        reply = _multipart(demo, agency, "/access-requests", data, "letter", filename, PDF)
        assert reply.status_code == 422, (field, reply.text)
        assert reply.json()["field"] == field
    assert demo.get("/access-requests", agency).json() == []


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _multipart(demo: Backend, token: str, path: str, fields: dict[str, str], file_field: str,
               filename: str, content: bytes) -> Any:
    """A multipart body written out by hand: HTTP clients clean the file name of a NUL."""
    boundary = "iocwall-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return demo.client.post(f"/api/v1{path}", content=b"".join(parts),
                            headers={"Authorization": f"Bearer {token}",
                                     "Content-Type": f"multipart/form-data; boundary={boundary}"})


def test_an_unknown_or_repeated_query_parameter_is_named(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    reply = demo.get("/bookmarks?tga=xe", token)  # a typo must not silently list everything
    assert reply.status_code == 422 and reply.json()["field"] == "tga"
    reply = demo.get("/bookmarks?tag=a&tag=b", token)
    assert reply.status_code == 422 and reply.json()["field"] == "tag"
    assert demo.get("/bookmarks?tag=a&limit=5", token).status_code == 200
    reply = demo.client.get("/public/v1/cameras?x=1")
    assert reply.status_code == 422 and reply.json()["field"] == "x"
