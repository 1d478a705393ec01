"""The site's clocks: what the server's time service says, and the offsets of the gateways and
workstations, audited once when they pass the tolerance."""
from __future__ import annotations

from typing import Any

import pytest

from common import versions
from server import clocks
from server.clocks import ClockState, ClockWatch, Offset, read_clock_state
from tests.server.conftest import Backend

CHRONY = """Reference ID    : C0A80001 (ntp.local)
Stratum         : 3
System time     : 0.000012 seconds slow of NTP time
Leap status     : {leap}
"""


def runner(answers: dict[str, str | None]) -> Any:
    return lambda command: answers.get(command[0])


@pytest.mark.parametrize(("answers", "expected"), [
    ({"timedatectl": "yes\n"}, ClockState("timedatectl", True, "NTPSynchronized=yes")),
    ({"timedatectl": "no\n", "chronyc": CHRONY.format(leap="Normal")},
     ClockState("timedatectl", False, "NTPSynchronized=no")),
    ({"chronyc": CHRONY.format(leap="Normal")}, ClockState("chronyc", True, "Leap status: Normal")),
    ({"chronyc": CHRONY.format(leap="Not synchronised")},
     ClockState("chronyc", False, "Leap status: Not synchronised")),
    ({"timedatectl": "garbage", "chronyc": "nothing useful"},
     ClockState("none", None, "no time service answered")),
    ({}, ClockState("none", None, "no time service answered")),
])
def test_the_time_service_is_read_from_timesyncd_or_chrony(
        answers: dict[str, str | None], expected: ClockState) -> None:
    assert read_clock_state(runner(answers)) == expected


def test_an_offset_past_the_tolerance_is_said_once_then_every_ten_minutes(
        monkeypatch: pytest.MonkeyPatch, demo: Backend) -> None:
    said: list[Offset] = []
    tick = [1000.0]
    monkeypatch.setattr(clocks.time, "monotonic", lambda: tick[0])
    watch = ClockWatch(demo.clock, run=runner({}), on_off=said.append)
    watch.note("gateway gw-a", 0.4)
    watch.note("gateway gw-b", -2.5)
    watch.note("gateway gw-b", -2.6)
    assert [(o.subject, o.offset_s) for o in said] == [("gateway gw-b", -2.5)]
    tick[0] += clocks.REPEAT_S
    watch.note("gateway gw-b", -2.7)
    assert len(said) == 2
    watch.note("gateway gw-b", 0.1)  # back in time: the next drift is news again
    watch.note("gateway gw-b", 3.0)
    assert len(said) == 3
    assert [(o.subject, o.off) for o in watch.offsets()] == [("gateway gw-a", False),
                                                              ("gateway gw-b", True)]


def test_a_workstation_off_by_more_than_2_s_is_audited_and_listed_for_administrators(
        demo: Backend) -> None:
    operator, admin = demo.login("ioc.operator"), demo.login("ioc.admin")
    for offset in ("0.3", "5.25", "5.5", "nan", "x"):
        reply = demo.client.get("/api/v1/cameras", headers={
            "Authorization": f"Bearer {operator}", versions.CLOCK_OFFSET_HEADER: offset})
        assert reply.status_code == 200
    rows = [r for r in demo.audit_rows("clock_offset")]
    assert len(rows) == 1, rows
    assert rows[0]["detail"]["offset_s"] == 5.25
    assert rows[0]["detail"]["subject"].startswith("workstation ")
    listed = demo.get("/admin/clocks", admin).json()
    assert listed["server"] == read_clock_state().public()
    assert [(o["subject"].split()[0], o["offset_s"], o["off"]) for o in listed["offsets"]] \
        == [("workstation", 5.5, True)]
    assert demo.get("/admin/clocks", operator).status_code == 403
    assert demo.client.get("/api/v1/version").json()["clock"] == read_clock_state().public()
