"""Unknown fields and malformed bodies: 422 with a readable detail that names the field."""

from __future__ import annotations

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
