"""Every demo user × every demo camera × every action: the API equals the regulation; and who
reads and handles the faults of the system (Art. 8).

The expectation below is written from Decision 790/QĐ-UBND directly (one line per user, with the
article), not by calling ``server.permissions``.
"""

from __future__ import annotations

import re

import pytest

from tests.server.conftest import Backend, camera_entry, serve_by_gateway

ALL = {"smart_city", "public", "traffic"}
SECURITY = {"smart_city", "public"}  # Art. 3.5, 3.6: the "security" systems of Art. 12
ACTIONS = ("view", "ptz", "bookmark", "request_clip", "approve_clip", "admin")

# The demo placement of the 8 lab cameras (server/demo.py is told to use this fixed table).
CAMERAS = {
    0: ("Đồng Phú", "smart_city"),
    1: ("Đồng Phú", "traffic"),
    2: ("Đồng Phú", "public"),
    3: ("Đồng Phú", "smart_city"),
    4: ("Hải Thành", "traffic"),
    5: ("Hải Thành", "smart_city"),
    6: ("Bắc Lý", "public"),
    7: ("Bắc Lý", "traffic"),
}

# user: (ward scope or None for city-wide, systems, actions before the PTZ capability)
EXPECTED: dict[str, tuple[str | None, set[str], set[str]]] = {
    # IOC duty operator: smart-city city-wide (12.2.a), public (3.6, 7.1), traffic (11.2, 11.3.a);
    # decides other agencies' written requests (12.2.d).
    "ioc.operator": (None, ALL, {"view", "ptz", "bookmark", "request_clip", "approve_clip"}),
    # IOC admin: the same use, and administration (Art. 10) instead of approving.
    "ioc.admin": (None, ALL, {"view", "ptz", "bookmark", "request_clip", "admin"}),
    # IOC leader: the operator's use; approves publications another proposed (Art. 14).
    "ioc.leader": (None, ALL, {"view", "ptz", "bookmark", "request_clip", "approve_clip"}),
    # City police leadership approves ward police's extraction requests (12.2.c).
    "police.commander": (None, ALL, {"view", "ptz", "bookmark", "request_clip", "approve_clip"}),
    "police.officer": (None, ALL, {"view", "ptz", "bookmark", "request_clip"}),  # 11.2, 12.2.b
    "traffic.officer": (None, ALL, {"view", "ptz", "bookmark", "request_clip"}),  # 11.2, 12.2.b
    "order.officer": (None, ALL, {"view", "ptz", "bookmark", "request_clip"}),  # 11.2, 12.2.b
    # Ward police: own ward, all three systems, PTZ; an officer may ask for a clip, the request
    # goes on to city police only when the unit's leader endorses it (12.2.c).
    "ward.dongphu.police": ("Đồng Phú", ALL, {"view", "ptz", "bookmark", "request_clip"}),
    "ward.dongphu.leader": ("Đồng Phú", ALL, {"view", "ptz", "bookmark", "request_clip"}),
    "ward.haithanh.police": ("Hải Thành", ALL, {"view", "ptz", "bookmark", "request_clip"}),
    # Ward committee: smart-city and public of its ward with PTZ (12.2.b); no traffic (11.2).
    "ward.dongphu.committee": ("Đồng Phú", SECURITY,
                               {"view", "ptz", "bookmark", "request_clip"}),
    # Other agency: nothing without a grant (12.2.d).
    "agency.viewer": ("—", set(), set()),
}


def expected_actions(username: str, index: int) -> set[str]:
    ward_scope, systems, actions = EXPECTED[username]
    ward, system = CAMERAS[index]
    if system not in systems or (ward_scope is not None and ward_scope != ward):
        return set()
    ptz_capable = index % 3 == 0
    return {a for a in actions if a != "ptz" or ptz_capable}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_api_actions_equal_the_regulation(demo: Backend, username: str) -> None:
    serve_by_gateway(demo)
    token = demo.login(username)
    listed = {c["name"]: c for c in demo.get("/cameras", token).json()}
    # Ids by name, read with the operating unit's city-wide view.
    all_cameras = {c["name"]: c["id"] for c in demo.get("/cameras", demo.login("ioc.operator"))
                   .json()}
    assert len(all_cameras) == 8
    for index in CAMERAS:
        name = camera_entry(index)["name"]
        want = expected_actions(username, index)
        for action in ACTIONS:
            got = action in listed[name]["actions"] if name in listed else False
            assert got == (action in want), (username, name, action)
        single = demo.get(f"/cameras/{all_cameras[name]}", token)
        # a stream session at the camera's gateway: exactly for those who may view it
        sessions = [demo.post(f"/cameras/{all_cameras[name]}/streams/{stream}/session", token)
                    for stream in ("main", "sub")]
        # the way to its ONVIF service through the gateway: exactly for those who may drive it
        ptz_access = demo.post(f"/cameras/{all_cameras[name]}/ptz/access", token)
        assert ptz_access.status_code == (201 if "ptz" in want else 404), (username, name)
        if want:
            assert single.status_code == 200
            assert set(single.json()["actions"]) == want
            assert [s.status_code for s in sessions] == [201, 201], (username, name)
        else:
            assert single.status_code == 404
            assert name not in listed
            assert [s.status_code for s in sessions] == [404, 404], (username, name)


def test_me_scope(demo: Backend) -> None:
    me = demo.get("/me", demo.login("ward.dongphu.committee")).json()
    assert me["unit"]["kind"] == "ward_committee"
    assert me["unit"]["ward"]["name"] == "Đồng Phú"
    assert me["scope"] == {"city_wide": False, "ward_ids": [me["unit"]["ward"]["id"]],
                           "systems": ["smart_city", "public"]}
    me = demo.get("/me", demo.login("police.commander")).json()
    assert me["role"] == "leader"
    assert me["scope"]["city_wide"] is True
    assert me["scope"]["systems"] == ["smart_city", "public", "traffic"]
    me = demo.get("/me", demo.login("agency.viewer")).json()
    assert me["scope"] == {"city_wide": False, "ward_ids": [], "systems": []}


@pytest.mark.parametrize("username", sorted(u for u, (_w, _s, actions) in EXPECTED.items()
                                            if "admin" not in actions))
def test_every_admin_route_refuses_everyone_but_administrators(demo: Backend,
                                                               username: str) -> None:
    """Whatever administration route is added, the regulation's other actors get 403 from it
    (before their input is even looked at) and nobody anonymous gets in."""
    token = demo.login(username)
    paths = demo.client.get("/openapi.json").json()["paths"]
    routes = [(method.upper(), path) for path, operations in paths.items()
              if path.startswith("/api/v1/admin/") for method in operations]
    assert len(routes) >= 8
    # the site administration (wards, units, accounts, cameras, the CSV import) among them
    assert {("GET", "/api/v1/admin/wards"), ("POST", "/api/v1/admin/wards"),
            ("PATCH", "/api/v1/admin/wards/{ward_id}"), ("GET", "/api/v1/admin/units"),
            ("POST", "/api/v1/admin/units"), ("PATCH", "/api/v1/admin/units/{unit_id}"),
            ("GET", "/api/v1/admin/users"), ("POST", "/api/v1/admin/users"),
            ("PATCH", "/api/v1/admin/users/{user_id}"),
            ("POST", "/api/v1/admin/users/{user_id}/password"),
            ("GET", "/api/v1/admin/cameras"), ("POST", "/api/v1/admin/cameras"),
            ("GET", "/api/v1/admin/cameras/{camera_id}"),
            ("PATCH", "/api/v1/admin/cameras/{camera_id}"),
            ("POST", "/api/v1/admin/cameras/{camera_id}/deactivate"),
            ("POST", "/api/v1/admin/cameras/{camera_id}/activate"),
            ("POST", "/api/v1/admin/cameras/import"), ("GET", "/api/v1/admin/gateways"),
            ("POST", "/api/v1/admin/cameras/probe"), ("POST", "/api/v1/admin/cameras/preview"),
            } <= set(routes)
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "1", path)
        for headers, expected in (({"Authorization": f"Bearer {token}"}, 403), ({}, 401)):
            reply = demo.client.request(method, url, headers=headers, json={})
            assert reply.status_code == expected, (method, path, reply.status_code)


DESK = {"ioc.operator", "ioc.admin", "ioc.leader"}  # the operating unit (Art. 8, 10)


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_faults_of_the_system_go_to_the_duty_desk(demo: Backend, username: str) -> None:
    """Art. 8: every user reports a fault to the operating unit's duty desk, which receives
    and resolves it. A fault that is not a camera's is read by the desk and by the unit that
    reported it; only the desk acknowledges and resolves."""
    token = demo.login(username)
    other_unit = "ward.dongphu.police" if username == "ward.haithanh.police" \
        else "ward.haithanh.police"
    mine = demo.post("/incidents", token, json={
        "category": "software", "subject": f"máy trạm của {username}",
        "kind": "software_error", "note": "phần mềm treo"})
    assert mine.status_code == 201, (username, mine.text)
    theirs = demo.post("/incidents", demo.login(other_unit), json={
        "category": "storage", "subject": "ổ ghi hình 2", "kind": "disk_full"})
    assert theirs.status_code == 201
    listed = {i["id"] for i in demo.get("/incidents", token).json()}
    assert mine.json()["id"] in listed
    assert (theirs.json()["id"] in listed) == (username in DESK), username
    assert demo.get(f"/incidents/{theirs.json()['id']}", token).status_code == (
        200 if username in DESK else 404)
    for step, body in (("acknowledge", None), ("resolve", {"resolution": "đã khởi động lại"})):
        reply = demo.post(f"/incidents/{mine.json()['id']}/{step}", token, json=body)
        assert reply.status_code == (200 if username in DESK else 403), (username, step)


CALENDAR_EDITS = (("PUT", "/api/v1/calendar"), ("POST", "/api/v1/calendar/{date}/confirm"))


@pytest.mark.parametrize("username", sorted(u for u, (_w, _s, actions) in EXPECTED.items()
                                            if "admin" not in actions))
def test_only_administrators_edit_the_working_day_calendar(demo: Backend, username: str) -> None:
    """The calendar moves every deadline of the regulation: the operating unit's administrators
    (Art. 10) edit it and confirm its days; everyone logged in reads it."""
    token = demo.login(username)
    paths = demo.client.get("/openapi.json").json()["paths"]
    routes = {(method.upper(), path) for path, operations in paths.items()
              if path.startswith("/api/v1/calendar") for method in operations}
    assert routes == {("GET", "/api/v1/calendar"), *CALENDAR_EDITS}
    body = {"working_days": [], "days_off": [], "notice": "x"}
    for method, path in CALENDAR_EDITS:
        url = path.replace("{date}", "2026-04-30")
        for headers, expected in (({"Authorization": f"Bearer {token}"}, 403), ({}, 401)):
            reply = demo.client.request(method, url, headers=headers, json=body)
            assert reply.status_code == expected, (method, path, reply.status_code)
    assert demo.get("/calendar", token).status_code == 200
    admin = demo.login("ioc.admin")
    reply = demo.post("/calendar/2026-04-30/confirm", admin, json={"notice": "Thông báo"})
    assert reply.status_code == 200, reply.text


# Art. 11.3 (the IOC sends violation evidence to city police; traffic police use the traffic
# cameras for violations) and Art. 12.2 (extracted video handed to city police and related
# units): the operating unit, city police and traffic police take a case's evidence package.
PACKAGE_TAKERS = {"ioc.operator", "ioc.admin", "ioc.leader", "police.commander", "police.officer",
                  "traffic.officer"}
# Art. 5, 10: the audit log (and its signed anchors) is the operating unit's to read and hand on.
AUDIT_READERS = {"ioc.operator", "ioc.admin", "ioc.leader"}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_who_takes_evidence_packages_and_audit_anchors(demo: Backend, username: str) -> None:
    operator = demo.login("ioc.operator")
    camera_id = demo.camera_ids()[1]  # a traffic camera of Đồng Phú
    bookmark = demo.post("/bookmarks", operator, json={
        "camera_id": camera_id, "at": demo.clock().isoformat(), "note": "Vượt đèn đỏ"})
    assert bookmark.status_code == 201, bookmark.text
    case = demo.post("/cases", operator, json={"kind": "red_light",
                                                "bookmark_id": bookmark.json()["id"]})
    assert case.status_code == 201, case.text
    # handed over: the police units receive it when the IOC sends it
    assert demo.post(f"/cases/{case.json()['id']}/send", operator, json={}).status_code == 200
    token = demo.login(username)
    package = demo.get(f"/cases/{case.json()['id']}/package", token,
                       params={"purpose": "Chuyển Công an thành phố"})
    assert package.status_code == (200 if username in PACKAGE_TAKERS else 404), username
    anchors = demo.get("/audit/anchors", token)
    assert anchors.status_code == (200 if username in AUDIT_READERS else 403), username
    for path in (f"/api/v1/cases/{case.json()['id']}/package?purpose=abc",
                 "/api/v1/audit/anchors"):
        assert demo.client.get(path).status_code == 401


# -- violation cases ---------------------------------------------------------------------------

# Art. 11.2: the units that use the cameras to handle violations are the operating unit (through
# the IOC), city police, the traffic & order police team, ward police and the urban order team.
# Art. 11.3.a: the operating unit sends what it detects to city police; 11.3.b and 13: city
# police (the traffic & order police team with them) verify, conclude, draw up the record and
# decide; ward police and the urban order team use the images as grounds for their records: they
# read and add evidence, in the scope they may view (ward police: their own ward, 11.2 / 12.2.c).
# Ward committees are not among the units of Art. 11.2; other agencies see nothing ungranted.
CASE_READERS: dict[str, str | None] = {  # user: ward scope, None for city-wide
    "ioc.operator": None, "ioc.admin": None, "ioc.leader": None, "police.commander": None,
    "police.officer": None, "traffic.officer": None, "order.officer": None,
    "ward.dongphu.police": "Đồng Phú", "ward.dongphu.leader": "Đồng Phú",
    "ward.haithanh.police": "Hải Thành",
}
OPENS_AND_SENDS = {"ioc.operator", "ioc.admin", "ioc.leader"}  # Art. 11.3.a
EDITS = OPENS_AND_SENDS | {"police.commander", "police.officer", "traffic.officer"}
CASE_CAMERAS = (0, 4, 6)  # Đồng Phú, Hải Thành, Bắc Lý


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_who_reads_and_acts_on_which_case(demo: Backend, username: str) -> None:
    from datetime import timedelta

    from tests.server.test_cases import insert_ready_clip

    ioc = demo.login("ioc.operator")
    ids = {c["name"]: c["id"] for c in demo.get("/cameras", ioc).json()}
    cases: dict[str, int] = {}

    def open_case(index: int) -> int:
        camera_id = ids[camera_entry(index)["name"]]
        bookmark = demo.post("/bookmarks", ioc, json={"camera_id": camera_id}).json()["id"]
        reply = demo.post("/cases", ioc, json={"kind": "other", "bookmark_id": bookmark})
        assert reply.status_code == 201, reply.text
        return int(reply.json()["id"])

    # the other units receive a case when the IOC sends it (Art. 11.3.a); before, it is the
    # operating unit's alone
    for index in CASE_CAMERAS:
        cases[CAMERAS[index][0]] = open_case(index)
        assert demo.post(f"/cases/{cases[CAMERAS[index][0]]}/send", ioc,
                         json={}).status_code == 200
    draft = open_case(0)
    token = demo.login(username)
    scope = CASE_READERS.get(username, "—")
    readable = {ward for ward in cases if username in CASE_READERS
                and (scope is None or scope == ward)}
    listed = {c["id"] for c in demo.get("/cases", token).json()}
    assert listed == {cases[w] for w in readable} | (
        {draft} if username in OPENS_AND_SENDS else set()), username
    for ward, case_id in cases.items():
        assert demo.get(f"/cases/{case_id}", token).status_code == (
            200 if ward in readable else 404), (username, ward)
    assert demo.get(f"/cases/{draft}", token).status_code == (
        200 if username in OPENS_AND_SENDS else 404)
    if username in OPENS_AND_SENDS:
        assert demo.get(f"/cases/{draft}", token).json()["actions"] == ["send"]
    case_id = cases["Đồng Phú"]
    if "Đồng Phú" in readable:
        case = demo.get(f"/cases/{case_id}", token).json()
        assert case["record_actions"] == (["edit"] if username in EDITS else [])
    # opening: the operating unit only
    bookmark = demo.post("/bookmarks", ioc, json={"camera_id": ids[camera_entry(0)["name"]]})
    opened = demo.post("/cases", token, json={"kind": "other",
                                              "bookmark_id": bookmark.json()["id"]})
    assert opened.status_code == (201 if username in OPENS_AND_SENDS else 403), username
    # evidence: every unit that reads the case, with a clip it may read
    clip = insert_ready_clip(demo, ids[camera_entry(0)["name"]],
                             demo.clock.now - timedelta(minutes=5))
    added = demo.post(f"/cases/{case_id}/clips", token, json={"clip_request_id": clip})
    assert added.status_code == (200 if "Đồng Phú" in readable else 404), (username,
                                                                          added.text)
    edited = demo.post(f"/cases/{case_id}/edit", token,
                       json={"note": "ghi chú mới", "reason": "bổ sung"})
    assert edited.status_code == (200 if username in EDITS else 403 if "Đồng Phú" in readable
                                  else 404), username
    sent = demo.post(f"/cases/{draft}/send", token, json={})
    assert sent.status_code == (200 if username in OPENS_AND_SENDS else 404), username
    approve = demo.post(f"/cases/{case_id}/versions/1/approve", token, json={"reason": "đồng ý"})
    # a version applied at once has nothing to approve; only police leaders may try
    assert approve.status_code == (409 if username == "police.commander" else 403
                                   if "Đồng Phú" in readable else 404), (username, approve.text)


# Art. 14 (and 11.3.a): the operating unit publishes — an operator proposes, a leader of the
# operating unit who did not propose approves; administrators keep the catalogue (Art. 10).
PUBLISHERS = {"ioc.operator", "ioc.admin", "ioc.leader"}
PUBLICATION_APPROVERS = {"ioc.leader"}
CATALOGUE_KEEPERS = {"ioc.admin"}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_who_proposes_approves_and_keeps_the_catalogue(demo: Backend, username: str) -> None:
    operator = demo.login("ioc.operator")
    camera_id = demo.camera_ids()[1]  # a traffic camera of Đồng Phú

    def sent_case() -> int:
        bookmark = demo.post("/bookmarks", operator, json={"camera_id": camera_id}).json()["id"]
        case = demo.post("/cases", operator, json={"kind": "red_light", "bookmark_id": bookmark})
        assert case.status_code == 201, case.text
        assert demo.post(f"/cases/{case.json()['id']}/send", operator, json={}).status_code == 200
        return int(case.json()["id"])

    proposed = demo.post("/publications", operator, json={"case_id": sent_case(),
                                                          "title": "Vượt đèn đỏ"})
    assert proposed.status_code == 201, proposed.text
    item = proposed.json()["id"]
    assert demo.post(f"/publications/{item}/review", operator,
                     json={"note": "Không có thông tin cá nhân"}).status_code == 200
    token = demo.login(username)
    listed = {p["id"] for p in demo.get("/publications", token).json()}
    assert (item in listed) == (username in PUBLISHERS), username
    assert demo.get(f"/publications/{item}", token).status_code == (
        200 if username in PUBLISHERS else 404)
    reads_case = username in PUBLISHERS or username in CASE_READERS and CASE_READERS[username] \
        in (None, "Đồng Phú")
    mine = demo.post("/publications", token, json={"case_id": sent_case(), "title": "Vượt đèn đỏ"})
    assert mine.status_code == (201 if username in PUBLISHERS else 403 if reads_case
                                else 404), (username, mine.text)
    approved = demo.post(f"/publications/{item}/approve", token)
    assert approved.status_code == (200 if username in PUBLICATION_APPROVERS else 403
                                    if username in PUBLISHERS else 404), (username, approved.text)
    catalogue = demo.get("/public-catalogue", token).json()
    assert demo.put("/admin/public-catalogue", token, json=catalogue).status_code == (
        200 if username in CATALOGUE_KEEPERS else 403), username


# Art. 8.1, 15.1-2: the operating unit runs the system 24/7 with a duty roster its
# administrators and leaders keep (Art. 10.1); every unit reports faults to the duty desk, so
# everyone signed in reads who is on duty. The handover is the operating unit's record: the
# outgoing shift (or a leader) writes it, someone on the next shift (or a leader) acknowledges it,
# never its writer.
ROSTER_KEEPERS = {"ioc.admin", "ioc.leader"}
HANDOVER_WRITERS = {"ioc.operator", "ioc.leader"}  # on the shift in progress, or a leader
HANDOVER_ACKNOWLEDGERS = {"ioc.admin", "ioc.leader"}  # on the next shift, or a leader


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_who_reads_and_keeps_the_roster_and_writes_and_acknowledges_handovers(
        demo: Backend, username: str) -> None:
    admin = demo.login("ioc.admin")
    ids = {u["username"]: u["id"] for u in demo.get("/admin/users", admin).json()}
    leader = demo.login("ioc.leader")
    token = demo.login(username)
    # the test clock: 15:00 on 2/3/2026 (UTC+7), the 14–22 shift
    assert demo.get("/duty/now", token).status_code == 200
    assert demo.get("/duty/roster", token, params={"start": "2026-03-02",
                                                   "end": "2026-03-03"}).status_code == 200
    kept = demo.put("/duty/roster/2026-03-04/0", token, json={"user_ids": [ids["ioc.operator"]]})
    assert kept.status_code == (200 if username in ROSTER_KEEPERS else 403), (username, kept.text)
    # a shift that has ended is a record, for its keepers too
    ended = demo.put("/duty/roster/2026-03-02/0", token, json={"user_ids": [ids["ioc.operator"]]})
    assert ended.status_code == (422 if username in ROSTER_KEEPERS else 403), (username,
                                                                             ended.text)
    # the keepers are told whom they may put on a shift, and which shifts they may change
    people = demo.get("/duty/people", token)
    assert people.status_code == (200 if username in ROSTER_KEEPERS else 403), username
    roster = demo.get("/duty/roster", token, params={"start": "2026-03-02",
                                                     "end": "2026-03-04"}).json()
    # the test clock's 14–22 shift of 2/3 and those after it
    open_shifts = {("2026-03-02", 1), ("2026-03-02", 2)} | {
        (day, i) for day in ("2026-03-03", "2026-03-04") for i in range(3)}
    assert {(s["day"], s["shift"]) for s in roster if "assign" in s["actions"]} == (
        open_shifts if username in ROSTER_KEEPERS else set()), username
    assert demo.put("/duty/roster/2026-03-02/1", leader,
                    json={"user_ids": [ids["ioc.operator"]]}).status_code == 200
    on_next = demo.put("/duty/roster/2026-03-02/2", leader, json={"user_ids": [ids[username]]})
    assert on_next.status_code == (200 if username in DESK else 422), username
    written = demo.post("/duty/handovers", demo.login("ioc.operator"), json={"note": "giao ca"})
    assert written.status_code == 201, written.text
    again = demo.post("/duty/handovers", token, json={"note": "giao ca"})
    assert again.status_code == (409 if username in HANDOVER_WRITERS else 403), username
    handover = written.json()["id"]
    assert demo.get("/duty/handovers", token).status_code == (200 if username in DESK else 403)
    assert demo.get(f"/duty/handovers/{handover}", token).status_code == (
        200 if username in DESK else 404)
    acknowledged = demo.post(f"/duty/handovers/{handover}/acknowledge", token)
    assert acknowledged.status_code == (
        200 if username in HANDOVER_ACKNOWLEDGERS else 403 if username in DESK else 404), username
