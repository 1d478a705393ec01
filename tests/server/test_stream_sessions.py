"""``POST /cameras/{id}/streams/{stream}/session``: a signed, short-lived session URL at the
camera's media gateway, for users who may view the camera (else 404 as for a missing camera)."""

from __future__ import annotations

import stat
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from common.records import GATEWAY_UNAVAILABLE
from common.stream_tokens import BadSignature, decode_and_verify
from server.signing import load_public_key
from tests.common.test_stream_tokens import verifier
from tests.server.conftest import Backend, serve_by_gateway


def _verifier(demo: Backend) -> object:
    return verifier(load_public_key(demo.settings.stream_token_key_file.read_bytes()))


def test_a_session_url_carries_a_token_bound_to_user_camera_and_stream(demo: Backend) -> None:
    serve_by_gateway(demo, rtsp_port=8601)
    ids = demo.camera_ids()
    token = demo.login("ward.dongphu.police")
    reply = demo.post(f"/cameras/{ids[0]}/streams/main/session", token)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert set(body) == {"url", "expires_at"}
    url = urlsplit(body["url"])
    assert (url.scheme, url.hostname, url.port, url.path) == \
        ("rtsp", "127.0.0.1", 8601, f"/cam/{ids[0]}/main")
    (text,) = parse_qs(url.query)["token"]
    claims = decode_and_verify(text, _verifier(demo), demo.clock().timestamp(),  # type: ignore[arg-type]
                               camera_id=ids[0], stream="main")
    me = demo.get("/me", token).json()
    assert (claims.user_id, claims.username) == (me["id"], "ward.dongphu.police")
    assert claims.expires_at - claims.issued_at == demo.settings.stream_token_lifetime_s == 60
    assert datetime.fromisoformat(body["expires_at"]).timestamp() == claims.expires_at
    # another stream, another session
    sub = demo.post(f"/cameras/{ids[0]}/streams/sub/session", token).json()
    (text_sub,) = parse_qs(urlsplit(sub["url"]).query)["token"]
    assert decode_and_verify(text_sub, _verifier(demo), demo.clock().timestamp(),  # type: ignore[arg-type]
                             stream="sub").session_id != claims.session_id


def test_the_token_key_is_its_own_private_file(demo: Backend) -> None:
    serve_by_gateway(demo)
    ids = demo.camera_ids()
    reply = demo.post(f"/cameras/{ids[0]}/streams/sub/session", demo.login("ioc.operator"))
    path = demo.settings.stream_token_key_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path != demo.settings.signing_key_file
    assert path.read_bytes() != demo.settings.signing_key_file.read_bytes()
    # the evidence key does not verify a stream token
    (text,) = parse_qs(urlsplit(reply.json()["url"]).query)["token"]
    evidence = verifier(load_public_key(demo.settings.signing_key_file.read_bytes()))
    try:
        decode_and_verify(text, evidence, demo.clock().timestamp())
    except BadSignature:
        pass
    else:
        raise AssertionError("a stream token verified with the evidence key")


def test_out_of_scope_is_a_missing_camera_and_an_unknown_stream_is_422(demo: Backend) -> None:
    serve_by_gateway(demo)
    ids = demo.camera_ids()
    token = demo.login("ward.haithanh.police")  # camera 0 is in Đồng Phú
    out = demo.post(f"/cameras/{ids[0]}/streams/main/session", token)
    missing = demo.post("/cameras/999999/streams/main/session", token)
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json()
    assert demo.post(f"/cameras/{ids[0]}/streams/main/session",
                     demo.login("agency.viewer")).status_code == 404
    wrong = demo.post(f"/cameras/{ids[4]}/streams/hd/session", token)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "stream"
    assert not demo.audit_rows("stream_session")


def test_issue_is_audited_without_the_token(demo: Backend) -> None:
    serve_by_gateway(demo)
    ids = demo.camera_ids()
    reply = demo.post(f"/cameras/{ids[5]}/streams/sub/session", demo.login("ioc.operator"))
    (text,) = parse_qs(urlsplit(reply.json()["url"]).query)["token"]
    (row,) = demo.audit_rows("stream_session_issue")
    assert (row["username"], row["camera_id"]) == ("ioc.operator", ids[5])
    assert row["detail"]["stream"] == "sub"
    assert row["detail"]["gateway"] == "local"
    assert row["detail"]["session_id"].startswith("s-")
    assert text not in str(row) and text.split(".")[1] not in str(row)


def test_no_gateway_is_409_and_a_gateway_not_heard_from_is_503(demo: Backend) -> None:
    ids = demo.camera_ids()
    token = demo.login("ioc.operator")
    from sqlalchemy import update

    from server.models import Camera

    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        session.execute(update(Camera).values(gateway_id=None))
        session.commit()
    none = demo.post(f"/cameras/{ids[0]}/streams/main/session", token)
    assert none.status_code == 409
    assert none.json()["code"] == "conflict" and "no media gateway" in none.json()["message"]
    serve_by_gateway(demo, ready=False)
    down = demo.post(f"/cameras/{ids[0]}/streams/main/session", token)
    assert down.status_code == 503
    assert down.json()["code"] == GATEWAY_UNAVAILABLE and "local" in down.json()["message"]
    assert not demo.audit_rows("stream_session")
