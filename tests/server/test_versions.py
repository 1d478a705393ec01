"""The version exchange: every answer says which server gave it and when; a client below the
server's API level gets 426 with a sentence it can show, and nothing else runs for it."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from common import versions
from tests.server.conftest import Backend

OLD = {"User-Agent": f"{versions.CLIENT_AGENT}/0.0.9"}  # predates the exchange: level 0


def test_every_answer_carries_the_servers_version_level_and_time(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    for reply in (demo.get("/cameras", token), demo.client.get("/api/v1/cameras"),
                  demo.client.get("/api/v1/health")):
        assert reply.headers[versions.SERVER_VERSION_HEADER] == versions.PRODUCT_VERSION
        assert reply.headers[versions.API_LEVEL_HEADER] == str(versions.API_LEVEL)
        assert reply.headers[versions.MIN_CLIENT_HEADER] == str(versions.MIN_CLIENT_API_LEVEL)
        stamped = datetime.fromtimestamp(float(reply.headers[versions.SERVER_TIME_HEADER]), UTC)
        assert abs((stamped - demo.clock()).total_seconds()) < 0.01  # the server's own clock
    answer = demo.client.get("/api/v1/version").json()
    assert answer["version"] == versions.PRODUCT_VERSION
    assert answer["api_level"] == versions.API_LEVEL
    assert answer["min_client_api_level"] == versions.MIN_CLIENT_API_LEVEL


@pytest.mark.parametrize("headers", [OLD, {versions.API_LEVEL_HEADER: "0"},
                                     {versions.API_LEVEL_HEADER: "not-a-number"}])
def test_a_client_below_the_servers_level_is_refused_with_a_sentence_it_can_show(
        demo: Backend, headers: dict[str, str]) -> None:
    token = demo.login("ioc.operator")
    def operator_logins() -> int:
        return sum(1 for r in demo.audit_rows("login") if r["username"] == "ioc.operator")

    before = operator_logins()
    for method, path in (("GET", "/api/v1/cameras"), ("POST", "/api/v1/auth/login")):
        reply = demo.client.request(method, path, headers={**headers,
                                                           "Authorization": f"Bearer {token}"},
                                    json={"username": "ioc.operator", "password": "demo"})
        assert reply.status_code == 426, reply.text
        body = reply.json()
        assert body["code"] == versions.CLIENT_TOO_OLD
        assert "quá cũ" in body["message"] and "too old" in body["message"]
        assert body["context"]["server_version"] == versions.PRODUCT_VERSION
    assert operator_logins() == before, "a refused client's login must not run"
    # what it needs to say which version to get stays open to it
    assert demo.client.get("/api/v1/version", headers=headers).status_code == 200
    assert demo.client.get("/api/v1/health", headers=headers).status_code == 200


def test_the_current_client_and_other_tools_are_served(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    current = {"User-Agent": f"{versions.CLIENT_AGENT}/{versions.PRODUCT_VERSION}",
               versions.API_LEVEL_HEADER: str(versions.API_LEVEL),
               "Authorization": f"Bearer {token}"}
    assert demo.client.get("/api/v1/cameras", headers=current).status_code == 200
    curl = {"User-Agent": "curl/8.5.0", "Authorization": f"Bearer {token}"}
    assert demo.client.get("/api/v1/cameras", headers=curl).status_code == 200


def test_raising_the_minimum_refuses_the_level_below_it(demo: Backend,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Contract after expand: once every workstation is updated the server stops serving the
    old level; the client of that level then gets the refusal, not a broken answer."""
    token = demo.login("ioc.operator")
    monkeypatch.setattr(versions, "MIN_CLIENT_API_LEVEL", versions.API_LEVEL + 1)
    reply = demo.client.get("/api/v1/cameras", headers={
        versions.API_LEVEL_HEADER: str(versions.API_LEVEL), "Authorization": f"Bearer {token}"})
    assert reply.status_code == 426
    assert reply.json()["context"]["min_client_api_level"] == versions.API_LEVEL + 1
