"""Who may do what on which camera — computed from the regulation, never from a per-user table.

Decision 790/QĐ-UBND (2022) of Đồng Hới, Art. 11 (traffic cameras) and Art. 12 (smart-city and
public "security" cameras) say which units use which camera systems, in which territory and with
camera control. ``RULES`` is that text as data, one line per permission with the article behind
it; ``actions_for`` applies it; ``render_markdown`` prints the same data as docs/permissions.md.
This module is pure: no database, no clock of its own, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# The words are common's (client and server share them); the server keeps saying perm.Role,
# perm.UnitKind… where it applies the rules.
from common.vocabulary import Action, CameraSystem, Role, Scope, UnitKind

WARD_UNIT_KINDS = frozenset({UnitKind.WARD_POLICE, UnitKind.WARD_COMMITTEE})
ALL_ROLES = frozenset(Role)
ALL_SYSTEMS = frozenset(CameraSystem)
SECURITY_SYSTEMS = frozenset({CameraSystem.SMART_CITY, CameraSystem.PUBLIC})
TRAFFIC = frozenset({CameraSystem.TRAFFIC})
USE = frozenset({Action.VIEW, Action.PTZ, Action.BOOKMARK, Action.REQUEST_CLIP})
USE_NO_CLIP = frozenset({Action.VIEW, Action.PTZ, Action.BOOKMARK})


@dataclass(frozen=True)
class Grant:
    """A time-limited grant of one camera to an other agency (Art. 12.2.d), valid in [from, until)."""

    camera_id: int
    valid_from: datetime
    valid_until: datetime


@dataclass(frozen=True)
class UserContext:
    unit_kind: UnitKind
    role: Role
    ward_id: int | None  # the ward of a ward unit; None for city-wide units and agencies
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True)
class CameraContext:
    id: int
    ward_id: int
    system: CameraSystem
    ptz: bool  # the device can pan/tilt/zoom: PTZ is a capability, not only a permission


@dataclass(frozen=True)
class Rule:
    unit_kinds: frozenset[UnitKind]
    roles: frozenset[Role]
    systems: frozenset[CameraSystem]
    scope: Scope
    actions: frozenset[Action]
    article: str
    reading: str


def _kinds(*kinds: UnitKind) -> frozenset[UnitKind]:
    return frozenset(kinds)


CITY_WIDE_USERS = _kinds(UnitKind.CITY_POLICE, UnitKind.TRAFFIC_POLICE, UnitKind.URBAN_ORDER)

RULES: tuple[Rule, ...] = (
    Rule(_kinds(UnitKind.OPERATING_UNIT), ALL_ROLES, frozenset({CameraSystem.SMART_CITY}),
         Scope.CITY_WIDE, USE, "Art. 12.2.a; Art. 15.1",
         "The IOC uses the smart-city cameras of the whole city and runs them 24/7."),
    Rule(_kinds(UnitKind.OPERATING_UNIT), ALL_ROLES, frozenset({CameraSystem.PUBLIC}),
         Scope.CITY_WIDE, USE, "Art. 3.6; Art. 7.1",
         "Public cameras are connected to be managed, operated and used at the IOC."),
    Rule(_kinds(UnitKind.OPERATING_UNIT), ALL_ROLES, TRAFFIC,
         Scope.CITY_WIDE, USE, "Art. 11.2; Art. 11.3.a",
         "The People's Committee office (through the IOC) uses traffic cameras, detects "
         "violations and sends images to city police."),
    Rule(_kinds(UnitKind.OPERATING_UNIT), frozenset({Role.LEADER, Role.OPERATOR}), ALL_SYSTEMS,
         Scope.CITY_WIDE, frozenset({Action.APPROVE_CLIP}), "Art. 12.2.b; Art. 12.2.d",
         "Extraction is done at the IOC and handed over; other agencies' written requests go to "
         "the operating unit, whose duty desk decides them."),
    Rule(_kinds(UnitKind.OPERATING_UNIT), frozenset({Role.ADMIN}), ALL_SYSTEMS,
         Scope.CITY_WIDE, frozenset({Action.ADMIN}), "Art. 10.1; Art. 10.2",
         "The operating unit administers software, user lists and per-user rights."),
    Rule(CITY_WIDE_USERS, ALL_ROLES, TRAFFIC, Scope.CITY_WIDE, USE,
         "Art. 11.2; Art. 11.3.b",
         "City police, the traffic & order police team and the urban order team use traffic "
         "cameras city-wide (camera control as in Art. 12.2.b)."),
    Rule(CITY_WIDE_USERS, ALL_ROLES, SECURITY_SYSTEMS, Scope.CITY_WIDE, USE,
         "Art. 12.2.b",
         "Smart-city and public cameras in the city, with camera control, search and analysis; "
         "extracted video is handed to city police and related units."),
    Rule(_kinds(UnitKind.CITY_POLICE), frozenset({Role.LEADER}), ALL_SYSTEMS,
         Scope.CITY_WIDE, frozenset({Action.APPROVE_CLIP}), "Art. 12.2.c; Art. 11.3.b",
         "Ward police's extraction requests are proposed to city police; the decision of the "
         "agency is its leadership's, so officers do not approve."),
    Rule(_kinds(UnitKind.WARD_POLICE), ALL_ROLES, TRAFFIC, Scope.OWN_WARD, USE_NO_CLIP,
         "Art. 11.2; Art. 11.3.b",
         "Ward police use the traffic cameras (own ward only, camera control as in Art. 12.2.c)."),
    Rule(_kinds(UnitKind.WARD_POLICE), ALL_ROLES, SECURITY_SYSTEMS, Scope.OWN_WARD, USE_NO_CLIP,
         "Art. 12.2.c",
         "Smart-city and public cameras of the ward they manage, with camera control."),
    Rule(_kinds(UnitKind.WARD_POLICE), ALL_ROLES, ALL_SYSTEMS, Scope.OWN_WARD,
         frozenset({Action.REQUEST_CLIP}), "Art. 12.2.c",
         "Ward police may ask for an extraction, but the request reaches city police only when "
         "the unit's leader proposes (endorses) it; city police approve it."),
    Rule(_kinds(UnitKind.WARD_COMMITTEE), ALL_ROLES, SECURITY_SYSTEMS, Scope.OWN_WARD, USE,
         "Art. 12.2.b",
         "Ward People's Committees use smart-city and public cameras within their management "
         "scope (their ward), with camera control. Not traffic cameras: Art. 11.2 does not list "
         "them."),
    Rule(_kinds(UnitKind.OTHER_AGENCY), ALL_ROLES, SECURITY_SYSTEMS, Scope.GRANTED_CAMERAS,
         frozenset({Action.VIEW}), "Art. 12.2.d",
         "Other agencies only after a written request to the operating unit: view of the granted "
         "smart-city/public cameras while the grant lasts. Not traffic cameras (Art. 11.2)."),
)

ACTION_ORDER: tuple[Action, ...] = tuple(Action)


def administers(user: UserContext) -> bool:
    """Whether the user holds ``admin`` (user lists, sessions, software: Art. 10): a city-wide
    right of the rule table, not a per-user flag."""
    return any(Action.ADMIN in rule.actions and user.unit_kind in rule.unit_kinds
               and user.role in rule.roles for rule in RULES)


def _in_scope(rule: Rule, user: UserContext, camera: CameraContext, now: datetime) -> bool:
    if rule.scope is Scope.CITY_WIDE:
        return True
    if rule.scope is Scope.OWN_WARD:
        return user.ward_id is not None and user.ward_id == camera.ward_id
    return any(
        grant.camera_id == camera.id and grant.valid_from <= now < grant.valid_until
        for grant in user.grants
    )


def actions_for(user: UserContext, camera: CameraContext, now: datetime) -> frozenset[Action]:
    """The actions ``user`` may take on ``camera`` at ``now`` under the regulation."""
    allowed: set[Action] = set()
    for rule in RULES:
        if (
            user.unit_kind in rule.unit_kinds
            and user.role in rule.roles
            and camera.system in rule.systems
            and _in_scope(rule, user, camera, now)
        ):
            allowed |= rule.actions
    if not camera.ptz:
        allowed.discard(Action.PTZ)
    if Action.VIEW not in allowed:
        # Every other action works on pictures the user can see; without view there is nothing.
        return frozenset()
    return frozenset(allowed)


def ordered(actions: Iterable[Action]) -> list[str]:
    """Actions in their canonical order, as the API lists them."""
    chosen = set(actions)
    return [action.value for action in ACTION_ORDER if action in chosen]


@dataclass(frozen=True)
class ScopeSummary:
    city_wide: bool
    ward_ids: tuple[int, ...]
    systems: tuple[CameraSystem, ...]


def scope_of(user: UserContext, granted_camera_wards: Iterable[tuple[CameraSystem, int]] = ()
             ) -> ScopeSummary:
    """What a user's rules reach, for ``/me``: city-wide or which wards, which systems.

    ``granted_camera_wards`` are (system, ward id) of the cameras under a current grant.
    """
    rules = [r for r in RULES if user.unit_kind in r.unit_kinds and user.role in r.roles
             and Action.VIEW in r.actions]
    city_wide = any(r.scope is Scope.CITY_WIDE for r in rules)
    systems: set[CameraSystem] = set()
    wards: set[int] = set()
    for rule in rules:
        if rule.scope is Scope.GRANTED_CAMERAS:
            for system, ward_id in granted_camera_wards:
                if system in rule.systems:
                    systems.add(system)
                    wards.add(ward_id)
            continue
        systems |= rule.systems
        if rule.scope is Scope.OWN_WARD and user.ward_id is not None:
            wards.add(user.ward_id)
    return ScopeSummary(
        city_wide=city_wide,
        ward_ids=tuple(sorted(wards)),
        systems=tuple(s for s in CameraSystem if s in systems),
    )


_UNIT_LABELS = {
    UnitKind.OPERATING_UNIT: "operating unit (People's Committee office, through the IOC)",
    UnitKind.CITY_POLICE: "city police (Công an thành phố)",
    UnitKind.TRAFFIC_POLICE: "traffic & order police team (Đội CSGT-TT)",
    UnitKind.URBAN_ORDER: "urban order team (Đội QT&TTĐT)",
    UnitKind.WARD_POLICE: "ward police (Công an phường/xã)",
    UnitKind.WARD_COMMITTEE: "ward People's Committee (UBND phường/xã)",
    UnitKind.OTHER_AGENCY: "other agency",
}


def render_markdown() -> str:
    """docs/permissions.md, generated from ``RULES`` (``python -m server permissions-doc``)."""
    lines = [
        "# Camera permissions",
        "",
        "Generated from `server/permissions.py` (`python -m server permissions-doc >"
        " docs/permissions.md`); a test fails when this file and the rules differ.",
        "",
        "Source: Decision 790/QĐ-UBND (18 March 2022), rules for the camera system of the Đồng Hới",
        "IOC (`/work/shared/regulation/quy-che-790-QD-UBND-2022.txt`). A user's actions on a camera",
        "are the union of the lines below that match the user's unit kind and role, the camera's",
        "system and the scope; nothing is granted per user.",
        "",
        "| unit | roles | camera systems | scope | actions | article | reading |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        units = "<br>".join(_UNIT_LABELS[k] for k in UnitKind if k in rule.unit_kinds)
        roles = "all" if rule.roles == ALL_ROLES else ", ".join(
            r.value for r in Role if r in rule.roles)
        systems = ", ".join(s.value for s in CameraSystem if s in rule.systems)
        actions = ", ".join(ordered(rule.actions))
        lines.append(
            f"| {units} | {roles} | {systems} | {rule.scope.value} | {actions} | {rule.article} "
            f"| {rule.reading} |"
        )
    lines += [
        "",
        "Applied to every camera, after the table:",
        "",
        "- `ptz` only on cameras that can pan/tilt/zoom (the camera's PTZ flag): a capability, "
        "not a right.",
        "- Without `view` a user has no action on the camera and does not see it at all: "
        "`GET /cameras` leaves it out and `GET /cameras/{id}` answers 404, the same as for a "
        "camera that does not exist (Art. 5: no unauthorized access).",
        "- `own_ward`: the camera's ward equals the ward of the user's unit (Art. 12.2.c "
        "\"trên địa bàn mình quản lý\", Art. 12.2.b \"theo phạm vi quản lý\").",
        "- `granted_cameras`: a grant row (unit, camera, valid from, valid until) exists and "
        "now is in [valid from, valid until); other agencies see nothing without one "
        "(Art. 12.2.d).",
        "- The request names the cameras (Art. 12.2.d), so other agencies (and the operating "
        "unit, who decides) read `GET /access-requests/cameras`: the smart-city and public "
        "cameras by id, name, ward and location only — no stream, no action; other units get "
        "403. Audited `access_camera_catalogue`.",
        "- Clip chain: a ward police officer asks, the ward police leader endorses (proposes) it "
        "(Art. 12.2.c) → a city police leader approves; IOC, city police, traffic police, urban "
        "order and ward committees are approved at once (Art. 12.2.b); other agencies' requests go in writing to the operating unit (Art. 12.2.d), "
        "whose leader or duty operator approves; the extraction itself happens at the IOC "
        "(Art. 12.2.b).",
        "- The operating unit's admins hold `admin` (Art. 10); recording, storage and the audit log "
        "cannot be altered by any user (Art. 5).",
        "",
    ]
    return "\n".join(lines)
