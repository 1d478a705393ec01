"""Before a body is read: its size is capped, and the authenticated API wants a live token."""

from __future__ import annotations

import pytest

from server.api.guards import JSON_BODY_CAP, UPLOAD_BODY_CAP
from tests.server.conftest import Backend

NESTED = b"[" * 100_000 + b"]" * 100_000
NOT_UTF8 = b'{"camera_id": 1, "purpose": "\xff\xfe"}'
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("path", ["/api/v1/clips", "/api/v1/access-requests",
                                  "/api/v1/incidents", "/api/v1/bookmarks", "/api/v1/layouts"])
@pytest.mark.parametrize("body", [NESTED, NOT_UTF8], ids=["nested", "not-utf8"])
def test_a_malformed_body_without_login_is_401_and_never_parsed(demo: Backend, path: str,
                                                                 body: bytes) -> None:
    reply = demo.client.post(path, content=body, headers=JSON)
    assert reply.status_code == 401
    assert reply.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("path", ["/api/v1/clips", "/api/v1/access-requests",
                                  "/api/v1/incidents", "/api/v1/bookmarks"])
@pytest.mark.parametrize("body", [NESTED, NOT_UTF8], ids=["nested", "not-utf8"])
def test_a_malformed_body_after_login_is_a_4xx_naming_the_body(demo: Backend, path: str,
                                                               body: bytes) -> None:
    token = demo.login("agency.viewer" if "access" in path else "ioc.operator")
    reply = demo.client.post(path, content=body,
                             headers={**JSON, "Authorization": f"Bearer {token}"})
    assert reply.status_code in (400, 422), reply.text
    assert reply.json()["field"] == "body"


def test_a_body_over_the_cap_is_refused_before_it_is_read(demo: Backend) -> None:
    big = b"x" * (JSON_BODY_CAP + 1)
    for path in ("/api/v1/auth/login", "/api/v1/bookmarks"):
        reply = demo.client.post(path, content=big, headers=JSON)
        assert reply.status_code == 413 and reply.json()["code"] == "too_large"
    # Declared larger than the cap: refused on the header alone, whatever follows.
    reply = demo.client.post("/api/v1/auth/login", content=b"{}",
                             headers={**JSON, "Content-Length": str(100 * 1024 * 1024)})
    assert reply.status_code == 413


def test_a_chunked_body_is_cut_when_it_grows_past_the_cap(demo: Backend) -> None:
    """At the ASGI level: the guard stops taking chunks once they pass the cap."""
    import anyio

    from server.api.guards import RequestGuard

    taken = [0]
    sent: list[dict[str, object]] = []
    reached_app = [False]

    async def app(_scope: object, _receive: object, _send: object) -> None:
        reached_app[0] = True

    async def receive() -> dict[str, object]:
        taken[0] += 1
        return {"type": "http.request", "body": b" " * (1024 * 1024), "more_body": True}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/auth/login", "headers": [],
             "query_string": b""}
    guard = RequestGuard(app, demo.client.app.state.runtime)  # type: ignore[attr-defined]
    anyio.run(guard, scope, receive, send)  # type: ignore[arg-type]
    assert not reached_app[0]
    assert sent[0]["status"] == 413
    assert taken[0] == JSON_BODY_CAP // (1024 * 1024) + 1
    # Through HTTP as well (the test client sends the whole stream).
    reply = demo.client.post("/api/v1/auth/login",
                             content=iter([b" " * (1024 * 1024)] * 3), headers=JSON)
    assert reply.status_code == 413


def test_an_upload_route_keeps_its_own_larger_cap(demo: Backend) -> None:
    token = demo.login("agency.viewer")
    letter = b"%PDF-1.4\n" + b"0" * (JSON_BODY_CAP * 2)  # over the JSON cap, under the upload's
    assert len(letter) < UPLOAD_BODY_CAP
    reply = demo.client.post("/api/v1/access-requests",
                             headers={"Authorization": f"Bearer {token}"},
                             data={"reason": "x"}, files={"letter": ("a.pdf", letter)})
    assert reply.status_code != 413, reply.text
