"""PTZ leases over the API: scope (404), grant/renew/expiry, preemption, queue, reservation,
audit, and concurrent acquisitions against a real SQLite file."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from server import ptz_store
from server.models import User
from tests.server.conftest import START, Backend

LEASE = "/cameras/{}/ptz/lease"
PTZ_DONG_PHU = 0  # smart-city PTZ camera in Đồng Phú (lab index)
PTZ_BAC_LY = 6  # public PTZ camera in Bắc Lý
NO_PTZ = 1  # traffic camera without PTZ in Đồng Phú


def test_only_users_with_ptz_on_the_camera_see_its_lease(demo: Backend) -> None:
    ids = demo.camera_ids()
    own = LEASE.format(ids[PTZ_DONG_PHU])
    # Ward police of another ward: the camera does not exist for them.
    haithanh = demo.login("ward.haithanh.police")
    missing = demo.post(LEASE.format(999999), haithanh)
    for reply in (demo.post(own, haithanh), demo.get(own, haithanh),
                  demo.delete(own, haithanh)):
        assert reply.status_code == 404
        assert reply.content == missing.content
    # A camera without PTZ, for a user who may view it.
    operator = demo.login("ioc.operator")
    assert demo.post(LEASE.format(ids[NO_PTZ]), operator).status_code == 404
    # Ward police of the camera's own ward may drive it.
    assert demo.post(own, demo.login("ward.dongphu.police")).status_code == 200


def test_view_without_ptz_is_404(demo: Backend) -> None:
    from tests.server.test_cameras import _seed_grant

    ids = demo.camera_ids()
    _seed_grant(demo, ids[PTZ_DONG_PHU])
    demo.clock.advance(timedelta(hours=1, minutes=1))
    token = demo.login("agency.viewer")
    assert demo.get(f"/cameras/{ids[PTZ_DONG_PHU]}", token).status_code == 200  # views it
    assert demo.post(LEASE.format(ids[PTZ_DONG_PHU]), token).status_code == 404


def test_grant_renew_expire_and_the_holder_shown(demo: Backend) -> None:
    path = LEASE.format(demo.camera_ids()[PTZ_DONG_PHU])
    operator = demo.login("ioc.operator")
    reply = demo.post(path, operator)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] == "granted"
    holder = body["holder"]
    assert holder["username"] == "ioc.operator"
    assert holder["full_name"] == "Nguyễn Thị Hà (trực IOC)"
    assert holder["unit"] == "Văn phòng HĐND-UBND thành phố (Trung tâm IOC)"
    assert holder["priority"] == "operating_unit"
    assert body["expires_at"] == (START + timedelta(seconds=15)).isoformat().replace(
        "+00:00", "Z")

    demo.clock.advance(timedelta(seconds=10))
    renewed = demo.post(path, operator, json={})
    assert renewed.status_code == 200 and renewed.json()["expires_at"].startswith(
        "2026-03-02T08:00:25")
    lease = demo.get(path, demo.login("ward.dongphu.police")).json()
    assert lease["holder"]["username"] == "ioc.operator" and lease["queue"] == []

    demo.clock.advance(timedelta(seconds=14.9))
    assert demo.get(path, operator).json()["holder"]["username"] == "ioc.operator"
    demo.clock.advance(timedelta(seconds=0.1))  # 15 s after the last renewal
    assert demo.get(path, operator).json() == {"camera_id": lease["camera_id"], "holder": None,
                                               "queue": []}
    expired = demo.audit_rows("ptz_lease_expire")
    assert [(r["username"], r["detail"]["expired_at"]) for r in expired] == [
        ("ioc.operator", (START + timedelta(seconds=25)).isoformat())]


def test_commander_preempts_and_the_loser_hears_who(demo: Backend) -> None:
    camera_id = demo.camera_ids()[PTZ_DONG_PHU]
    path = LEASE.format(camera_id)
    officer = demo.login("ward.dongphu.police")
    commander = demo.login("police.commander")
    assert demo.post(path, officer).status_code == 200
    demo.clock.advance(timedelta(seconds=2))
    taken = demo.post(path, commander)
    assert taken.status_code == 200 and taken.json()["holder"]["username"] == "police.commander"

    demo.clock.advance(timedelta(seconds=2))
    lost = demo.post(path, officer)  # the officer's client renews
    assert lost.status_code == 409
    body = lost.json()
    assert body["code"] == "ptz_taken"
    assert body["message"] == "PTZ taken by Lê Quang Dũng, Công an thành phố Đồng Hới"
    assert body["context"]["holder"]["username"] == "police.commander"
    assert body["context"]["holder"]["priority"] == "commander"
    # Asking again, the officer waits behind the commander.
    again = demo.post(path, officer)
    assert again.status_code == 202 and again.json()["position"] == 1

    events = [(r["event"], r["username"], r["camera_id"])
              for r in demo.audit_rows("ptz_lease_")]
    assert events == [
        ("ptz_lease_grant", "ward.dongphu.police", camera_id),
        ("ptz_lease_preempt", "ward.dongphu.police", camera_id),
        ("ptz_lease_grant", "police.commander", camera_id),
        ("ptz_lease_refused", "ward.dongphu.police", camera_id),
        ("ptz_lease_queue", "ward.dongphu.police", camera_id),
    ]
    preempt = demo.audit_rows("ptz_lease_preempt")[0]["detail"]
    assert preempt["by"]["username"] == "police.commander"
    assert preempt["request_by"] == "police.commander"


def test_queue_then_handover_on_release_and_on_expiry(demo: Backend) -> None:
    path = LEASE.format(demo.camera_ids()[PTZ_BAC_LY])
    police = demo.login("police.officer")
    traffic = demo.login("traffic.officer")
    operator = demo.login("ioc.operator")
    assert demo.post(path, police).status_code == 200
    queued = demo.post(path, operator)
    assert queued.status_code == 202
    assert queued.json() == {"status": "queued", "camera_id": queued.json()["camera_id"],
                             "position": 1, "holder": queued.json()["holder"]}
    assert queued.json()["holder"]["username"] == "police.officer"
    equal = demo.post(path, traffic)  # equal priority waits too, ahead of the IOC
    assert equal.status_code == 202 and equal.json()["position"] == 1
    lease = demo.get(path, police).json()
    assert [(w["username"], w["position"], w["priority"]) for w in lease["queue"]] == [
        ("traffic.officer", 1, "police"), ("ioc.operator", 2, "operating_unit")]

    demo.clock.advance(timedelta(seconds=5))
    assert demo.post(path, operator).json()["position"] == 2  # poll
    assert demo.post(path, traffic).json()["position"] == 1
    assert demo.delete(path, police).status_code == 204  # release: the head gets it
    granted = demo.post(path, traffic)
    assert granted.status_code == 200 and granted.json()["holder"]["username"] == "traffic.officer"

    # The IOC keeps polling; the traffic officer stops renewing and the lease expires.
    for _ in range(3):
        demo.clock.advance(timedelta(seconds=5))
        reply = demo.post(path, operator)
    assert reply.status_code == 200 and reply.json()["holder"]["username"] == "ioc.operator"
    events = [(r["event"], r["username"], r["detail"].get("how"))
              for r in demo.audit_rows("ptz_lease_")]
    assert events == [
        ("ptz_lease_grant", "police.officer", "free"),
        ("ptz_lease_queue", "ioc.operator", None),
        ("ptz_lease_queue", "traffic.officer", None),
        ("ptz_lease_release", "police.officer", None),
        ("ptz_lease_grant", "traffic.officer", "handover"),
        ("ptz_lease_expire", "traffic.officer", None),
        ("ptz_lease_grant", "ioc.operator", "handover"),
    ]


def test_queue_entry_expires_when_not_polled(demo: Backend) -> None:
    path = LEASE.format(demo.camera_ids()[PTZ_DONG_PHU])
    holder = demo.login("police.officer")
    waiter = demo.login("ward.dongphu.committee")
    demo.post(path, holder)
    assert demo.post(path, waiter).status_code == 202
    for _ in range(4):  # the holder renews, the waiter is silent for 20 s
        demo.clock.advance(timedelta(seconds=5))
        assert demo.post(path, holder).status_code == 200
    assert demo.get(path, holder).json()["queue"] == []


def test_reservation_only_for_commanders_and_at_most_600_seconds(demo: Backend) -> None:
    path = LEASE.format(demo.camera_ids()[PTZ_DONG_PHU])
    officer = demo.login("police.officer")
    refused = demo.post(path, officer, json={"reserve_seconds": 60})
    assert refused.status_code == 403
    assert "commanders" in refused.json()["message"]
    assert demo.get(path, officer).json()["holder"] is None  # nothing was granted
    commander = demo.login("police.commander")
    too_long = demo.post(path, commander, json={"reserve_seconds": 601})
    assert too_long.status_code == 422 and too_long.json()["message"].startswith(
        "reserve_seconds:")
    assert demo.post(path, commander, json={"reserve": 60}).status_code == 422
    reserved = demo.post(path, commander, json={"reserve_seconds": 600})
    assert reserved.status_code == 200
    assert reserved.json()["holder"]["reserved_until"].startswith("2026-03-02T08:10:00")
    demo.clock.advance(timedelta(seconds=599))  # no renewals: still held
    assert demo.post(path, officer).status_code == 202
    assert demo.get(path, officer).json()["holder"]["username"] == "police.commander"
    demo.clock.advance(timedelta(seconds=1))
    assert demo.post(path, officer).json()["status"] == "granted"


def _concurrent_acquires(demo: Backend, camera_id: int, usernames: list[str]
                         ) -> list[str]:
    """Each user asks for the lease on its own thread and session at the same moment."""
    runtime: Any = demo.client.app.state.runtime  # type: ignore[attr-defined]
    barrier = threading.Barrier(len(usernames))
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(username: str) -> None:
        try:
            with runtime.sessions() as session:
                user = session.query(User).filter_by(username=username).one()
                barrier.wait()
                outcome, _ = ptz_store.acquire(session, camera_id, user, runtime.clock())
                session.commit()
            with lock:
                results.append(outcome.status.value)
        except Exception as exc:  # noqa: BLE001 - handed to the test thread, asserted below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_concurrent_acquisitions_never_grant_two_holders(demo: Backend) -> None:
    ids = demo.camera_ids()
    equals = ["police.officer", "traffic.officer", "order.officer"]
    for round_number in range(5):
        camera_id = ids[(PTZ_DONG_PHU, 3, PTZ_BAC_LY)[round_number % 3]]
        demo.clock.advance(timedelta(minutes=1))  # earlier rounds' leases have expired
        results = _concurrent_acquires(demo, camera_id, equals)
        assert sorted(results) == ["granted", "queued", "queued"], results
        lease = demo.get(LEASE.format(camera_id), demo.login("ioc.operator")).json()
        assert lease["holder"]["username"] in equals
        assert len(lease["queue"]) == 2
    # Over HTTP, the same: one grant.
    demo.clock.advance(timedelta(minutes=1))
    camera_id = ids[PTZ_DONG_PHU]
    tokens = [demo.login(name) for name in equals]
    barrier = threading.Barrier(len(tokens))
    codes: list[int] = []

    def http_worker(token: str) -> None:
        barrier.wait()
        codes.append(demo.post(LEASE.format(camera_id), token).status_code)

    threads = [threading.Thread(target=http_worker, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [200, 202, 202]
    grants = [r for r in demo.audit_rows("ptz_lease_grant") if r["camera_id"] == camera_id]
    assert len(grants) == 3  # rounds 0 and 3 on this camera, and the HTTP round
