"""A disk past the alert threshold is a storage incident the system files by itself and clears
when the disk is below it again (the real disk, the threshold set low for the test)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.models import Incident
from server.storage_watch import StorageWatch, Usage
from tests.server.conftest import Backend


def _disk_incidents(backend: Backend) -> list[Incident]:
    runtime: Any = backend.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        return list(session.execute(select(Incident).where(Incident.kind == "disk_full")
                                    .order_by(Incident.id)).scalars())


def test_a_disk_over_the_threshold_is_an_incident_until_it_is_below(demo: Backend) -> None:
    runtime: Any = demo.client.app.state.runtime  # type: ignore[attr-defined]
    data_dir = demo.settings.data_dir
    watch = StorageWatch(runtime.sessions, [data_dir, data_dir / "clips", data_dir / "missing"],
                         1.0, demo.clock)
    assert list(watch.subjects()) == [f"disk {data_dir}"]  # one disk, one subject
    used = watch.check()
    assert 1.0 <= used[f"disk {data_dir}"] <= 100.0
    watch.check()  # still over: one more report on the same incident
    (incident,) = _disk_incidents(demo)
    assert (incident.category, incident.subject, incident.state, incident.reported_by_id) == (
        "storage", f"disk {data_dir}", "open", None)
    listed = demo.get("/incidents?category=storage", demo.login("ioc.operator")).json()
    assert [(i["kind"], len(i["reports"])) for i in listed] == [("disk_full", 2)]
    assert "ngưỡng cảnh báo 1 %" in listed[0]["reports"][0]["note"]
    watch.threshold_percent = 100.0
    watch.check()
    (cleared,) = _disk_incidents(demo)
    assert (cleared.state, cleared.open_key) == ("resolved", None)


def test_the_percentage_is_the_used_share_of_the_disk(demo: Backend) -> None:
    runtime: Any = demo.client.app.state.runtime  # type: ignore[attr-defined]
    data_dir = demo.settings.data_dir
    watch = StorageWatch(runtime.sessions, [data_dir], 90.0, demo.clock,
                         usage=lambda _p: Usage(total=1000, used=905, free=95))
    assert watch.check() == {f"disk {data_dir}": 90.5}
    assert len(_disk_incidents(demo)) == 1
