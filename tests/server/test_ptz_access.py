"""PTZ access tokens (``POST /cameras/{id}/ptz/access`` and the lease's grant): signed, bound to
the user and the camera, never outliving the lease, pointing at the camera's gateway's broker;
no gateway, a gateway down, a user without ``ptz``: refused."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from common.ptz_tokens import decode_and_verify
from server import ptz_broker
from server.models import Camera
from server.signing import load_public_key
from tests.common.test_stream_tokens import verifier
from tests.server.conftest import Backend, serve_by_gateway


def claims(demo: Backend, access: dict[str, object], camera_id: int):  # type: ignore[no-untyped-def]
    verify = verifier(load_public_key(demo.settings.stream_token_key_file.read_bytes()))
    return decode_and_verify(str(access["token"]), verify, demo.clock().timestamp(),
                             camera_id=camera_id)


def ptz_camera(demo: Backend, token: str) -> int:
    return next(c["id"] for c in demo.get("/cameras", token).json() if "ptz" in c["actions"])


def test_a_ptz_user_gets_a_short_token_for_the_gateways_broker(demo: Backend) -> None:
    serve_by_gateway(demo, rtsp_port=8601, ptz_port=8602)
    token = demo.login("ward.dongphu.police")
    camera_id = ptz_camera(demo, token)
    reply = demo.post(f"/cameras/{camera_id}/ptz/access", token)
    assert reply.status_code == 201, reply.text
    access = reply.json()
    assert set(access) == {"host", "port", "token", "expires_at"}
    assert (access["host"], access["port"]) == ("127.0.0.1", 8602)
    found = claims(demo, access, camera_id)
    me = demo.get("/me", token).json()
    assert (found.user_id, found.username) == (me["id"], "ward.dongphu.police")
    assert found.expires_at - found.issued_at == ptz_broker.PTZ_TOKEN_LIFETIME_S == 15
    assert datetime.fromisoformat(access["expires_at"]).timestamp() == found.expires_at


def test_the_holders_token_comes_with_each_grant_and_never_outlives_the_lease(
        demo: Backend) -> None:
    serve_by_gateway(demo)
    token = demo.login("ioc.operator")
    camera_id = ptz_camera(demo, token)
    first = demo.post(f"/cameras/{camera_id}/ptz/lease", token).json()
    demo.clock.advance(timedelta(seconds=4))
    renewed = demo.post(f"/cameras/{camera_id}/ptz/lease", token).json()
    assert renewed["access"]["token"] != first["access"]["token"]
    for grant in (first, renewed):
        found = claims(demo, grant["access"], camera_id)
        assert found.expires_at <= datetime.fromisoformat(grant["expires_at"]).timestamp()
    # a waiter (same priority) gets no access with its 202
    queued = demo.post(f"/cameras/{camera_id}/ptz/lease", demo.login("ioc.admin"))
    assert queued.status_code == 202 and "access" not in queued.json()


def test_no_gateway_a_gateway_down_or_no_ptz_right_are_refused(demo: Backend) -> None:
    token = demo.login("ioc.operator")
    camera_id = ptz_camera(demo, token)
    serve_by_gateway(demo, ptz_port=None)  # heard from, but no PTZ broker reported yet
    assert demo.post(f"/cameras/{camera_id}/ptz/access", token).status_code == 503
    granted = demo.post(f"/cameras/{camera_id}/ptz/lease", token)
    assert granted.status_code == 200 and granted.json()["access"] is None
    serve_by_gateway(demo, ready=False)
    assert demo.post(f"/cameras/{camera_id}/ptz/access", token).status_code == 503
    agency = demo.login("agency.viewer")  # no camera at all: as for a missing one
    assert demo.post(f"/cameras/{camera_id}/ptz/access", agency).status_code == 404
    runtime = demo.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        session.execute(update(Camera).where(Camera.id == camera_id).values(gateway_id=None))
        session.commit()
    unserved = demo.post(f"/cameras/{camera_id}/ptz/access", token)
    assert unserved.status_code == 409 and "no media gateway" in unserved.text
