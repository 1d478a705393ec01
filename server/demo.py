"""The demo organisation of Đồng Hới and its cameras, seeded idempotently.

Re-running updates what changed (lab ports and credentials change between runs) and never
duplicates rows; unchanged rows are not touched, so a second run with the same manifest leaves
the database as it was (the audit log gets a row only when something changed).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.vocabulary import TRAFFIC_CASE_KINDS, CatalogueDataset, OwnerCategory
from server import admin, audit
from server.config import Settings
from server.duty import ShiftPlan
from server.gateways import ensure_local_gateway
from server.models import (
    Camera,
    DutyAssignment,
    Gateway,
    PublicCatalogueEntry,
    Unit,
    User,
    Ward,
)
from server.password_policy import DEMO_PASSWORD
from server.permissions import CameraSystem, Role, UnitKind
from server.schemas import CameraCreate, CameraUpdate
from server.security import Passwords, SecretBox
from server.site import mark_initialised

log = logging.getLogger("iocwall.server.demo")

WARDS = ("Đồng Phú", "Hải Thành", "Bắc Lý")

IOC = "Văn phòng HĐND-UBND thành phố (Trung tâm IOC)"
CITY_POLICE = "Công an thành phố Đồng Hới"
TRAFFIC_POLICE = "Đội Cảnh sát Giao thông - Trật tự"
URBAN_ORDER = "Đội Quy tắc và Trật tự đô thị thành phố"
AGENCY = "Ban Quản lý dự án đầu tư xây dựng thành phố"


def ward_police(ward: str) -> str:
    return f"Công an phường {ward}"


def ward_committee(ward: str) -> str:
    return f"UBND phường {ward}"


def _units() -> list[tuple[str, UnitKind, str | None]]:
    units: list[tuple[str, UnitKind, str | None]] = [
        (IOC, UnitKind.OPERATING_UNIT, None),
        (CITY_POLICE, UnitKind.CITY_POLICE, None),
        (TRAFFIC_POLICE, UnitKind.TRAFFIC_POLICE, None),
        (URBAN_ORDER, UnitKind.URBAN_ORDER, None),
    ]
    for ward in WARDS:
        units.append((ward_police(ward), UnitKind.WARD_POLICE, ward))
        units.append((ward_committee(ward), UnitKind.WARD_COMMITTEE, ward))
    units.append((AGENCY, UnitKind.OTHER_AGENCY, None))
    return units


UNITS = _units()

# username, full name, unit, role
USERS: tuple[tuple[str, str, str, Role], ...] = (
    ("ioc.operator", "Nguyễn Thị Hà (trực IOC)", IOC, Role.OPERATOR),
    ("ioc.admin", "Trần Văn Bình (quản trị IOC)", IOC, Role.ADMIN),
    ("ioc.leader", "Đỗ Thị Thu (lãnh đạo IOC)", IOC, Role.LEADER),
    ("police.commander", "Lê Quang Dũng", CITY_POLICE, Role.LEADER),
    ("police.officer", "Phạm Minh Tuấn", CITY_POLICE, Role.OFFICER),
    ("traffic.officer", "Hoàng Văn Nam", TRAFFIC_POLICE, Role.OFFICER),
    ("order.officer", "Võ Thị Lan", URBAN_ORDER, Role.OFFICER),
    ("ward.dongphu.police", "Đặng Văn Hùng", ward_police("Đồng Phú"), Role.OFFICER),
    ("ward.dongphu.leader", "Bùi Xuân Sơn", ward_police("Đồng Phú"), Role.LEADER),
    ("ward.haithanh.police", "Ngô Thanh Tùng", ward_police("Hải Thành"), Role.OFFICER),
    ("ward.dongphu.committee", "Dương Thị Mai", ward_committee("Đồng Phú"), Role.OFFICER),
    ("agency.viewer", "Lý Văn Phúc", AGENCY, Role.OFFICER),
)

SMART_CITY_OWNER = "UBND thành phố Đồng Hới"


@dataclass(frozen=True)
class Placement:
    ward: str
    system: CameraSystem
    owner: str
    public: bool  # published to the SmartCity app (Art. 11.3.a, Art. 14)
    category: OwnerCategory | None = None  # who owns a public-system camera


# The lab's first eight cameras. Indexes 0..3 are all in Đồng Phú and cover the three systems, so
# the operator's first four cameras (by name) fill the demo wall with Đồng Phú.
PLACEMENTS: tuple[Placement, ...] = (
    Placement("Đồng Phú", CameraSystem.SMART_CITY, SMART_CITY_OWNER, False),
    Placement("Đồng Phú", CameraSystem.TRAFFIC, SMART_CITY_OWNER, True),
    Placement("Đồng Phú", CameraSystem.PUBLIC, "Trường THPT Đồng Hới", False,
              OwnerCategory.SCHOOL),
    Placement("Đồng Phú", CameraSystem.SMART_CITY, SMART_CITY_OWNER, False),
    Placement("Hải Thành", CameraSystem.TRAFFIC, SMART_CITY_OWNER, False),
    Placement("Hải Thành", CameraSystem.SMART_CITY, SMART_CITY_OWNER, False),
    Placement("Bắc Lý", CameraSystem.PUBLIC, "Bệnh viện Hữu nghị Việt Nam - Cu Ba", False,
              OwnerCategory.HOSPITAL),
    Placement("Bắc Lý", CameraSystem.TRAFFIC, SMART_CITY_OWNER, True),
)
_SYSTEM_CYCLE = (CameraSystem.SMART_CITY, CameraSystem.TRAFFIC, CameraSystem.PUBLIC)


def placement(index: int) -> Placement:
    """Where lab camera ``index`` sits; beyond the table, wards and systems cycle."""
    if index < len(PLACEMENTS):
        return PLACEMENTS[index]
    system = _SYSTEM_CYCLE[(index // len(WARDS)) % len(_SYSTEM_CYCLE)]
    if system is CameraSystem.PUBLIC:
        return Placement(WARDS[index % len(WARDS)], system, "Hộ gia đình (kết nối tự nguyện)",
                         False, OwnerCategory.HOUSEHOLD)
    return Placement(WARDS[index % len(WARDS)], system, SMART_CITY_OWNER, False)


class ManifestCamera(BaseModel):
    """One entry of the lab's ``lab.json`` (docs/contracts.md: Lab)."""

    model_config = ConfigDict(extra="ignore")

    index: int
    name: str
    location: str
    main_url: str
    sub_url: str | None = None
    rtsp_username: str | None = None
    rtsp_password: str | None = None
    ptz: bool = False
    onvif_host: str | None = None
    onvif_port: int | None = None
    onvif_username: str | None = None
    onvif_password: str | None = None


def read_manifest(path: Path) -> list[ManifestCamera]:
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    return [ManifestCamera.model_validate(entry) for entry in data["cameras"]]


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0


def seed_demo(session: Session, passwords: Passwords, box: SecretBox, now: datetime,
              manifest: list[ManifestCamera] | None = None,
              settings: Settings | None = None) -> SeedReport:
    """Create or update the demo organisation (and cameras from a manifest) through the
    administrators' own functions (``server.admin``), so every demo start exercises them;
    commits. The database becomes the demo site (its site row), which is what lets the demo
    keep its documented password; :class:`server.site.SiteMismatch` on a site initialised
    for real use.

    With ``settings``, every demo camera is served by the local media gateway (its row made
    if needed, its key made and learnt if it has none: ``settings.gateway`` embedded), its
    passwords sealed to that gateway's key; without, the cameras get no password (nothing
    could open it)."""
    report = SeedReport()
    mark_initialised(session, now, demo=True)
    actor = admin.SYSTEM
    wards: dict[str, Ward] = {}
    for name in WARDS:
        ward = session.execute(select(Ward).where(Ward.name == name)).scalar_one_or_none()
        if ward is None:
            ward = admin.create_ward(session, actor, now, name)
            report.created += 1
        wards[name] = ward

    units: dict[str, Unit] = {}
    for name, kind, ward_name in UNITS:
        ward_id = wards[ward_name].id if ward_name else None
        unit = session.execute(select(Unit).where(Unit.name == name)).scalar_one_or_none()
        if unit is None:
            unit = admin.create_unit(session, actor, now, name=name, kind=kind, ward_id=ward_id)
            report.created += 1
        elif (unit.kind, unit.ward_id, unit.is_active) != (kind.value, ward_id, True):
            admin.update_unit(session, actor, now, unit.id, kind=kind, ward_id=ward_id,
                              is_active=True)
            report.updated += 1
        units[name] = unit

    for username, full_name, unit_name, role in USERS:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        unit_id = units[unit_name].id
        if user is None:
            admin.create_user(session, passwords, actor, now, username=username,
                              full_name=full_name, unit_id=unit_id, role=role,
                              password=DEMO_PASSWORD, must_change_password=False)
            report.created += 1
        elif (user.full_name, user.unit_id, user.role) != (full_name, unit_id, role.value):
            admin.update_user(session, actor, now, user.id, full_name=full_name,
                              unit_id=unit_id, role=role)
            report.updated += 1

    gateway = ensure_local_gateway(session, settings, box) if settings is not None else None
    session.flush()
    for entry in manifest or []:
        _upsert_camera(session, box, entry, wards, report, gateway, now)
    _first_catalogue(session, now)
    _first_roster(session, now, settings)

    if report.created or report.updated:
        audit.append(session, "admin_seed_demo", now=now, username="system",
                     detail={"created": report.created, "updated": report.updated,
                             "cameras_in_manifest": len(manifest or [])})
    session.commit()
    log.info("Demo seed: %d created, %d updated", report.created, report.updated)
    return report


def _first_catalogue(session: Session, now: datetime) -> None:
    """The demo's shareable-data catalogue (Art. 14) when it has none: its public traffic
    cameras and the traffic violations. An administrator's later changes are kept."""
    if session.execute(select(PublicCatalogueEntry.id).limit(1)).first() is not None:
        return
    owner = session.execute(select(User).where(User.username == "ioc.admin")).scalar_one()
    cameras = session.execute(select(Camera.id).where(
        Camera.public.is_(True), Camera.system == CameraSystem.TRAFFIC.value)).scalars().all()
    for camera_id in cameras:
        session.add(PublicCatalogueEntry(dataset=CatalogueDataset.TRAFFIC_CAMERA.value,
                                         value=str(camera_id), added_by_id=owner.id,
                                         added_at=now))
    for kind in sorted(TRAFFIC_CASE_KINDS):
        session.add(PublicCatalogueEntry(dataset=CatalogueDataset.VIOLATION_MEDIA.value,
                                         value=kind, added_by_id=owner.id, added_at=now))
    session.flush()


DEMO_ROSTER_DAYS = 7
# who is on each shift of the day in the demo: the operator by day, the administrator by night
DEMO_SHIFTS = ("ioc.operator", "ioc.operator", "ioc.admin")


def _first_roster(session: Session, now: datetime, settings: Settings | None) -> None:
    """A week of the duty roster from today when the demo has none, so the wall shows who is
    on duty; the leaders' later changes are kept."""
    if session.execute(select(DutyAssignment.id).limit(1)).first() is not None:
        return
    plan = ShiftPlan(settings.duty_shift_starts if settings is not None else (6, 14, 22))
    users = {u.username: u for u in session.execute(select(User).where(
        User.username.in_({"ioc.leader", *DEMO_SHIFTS}))).scalars()}
    first = plan.at(now)[0]
    for offset in range(DEMO_ROSTER_DAYS):
        for shift in range(len(plan.starts)):
            person = users[DEMO_SHIFTS[min(shift, len(DEMO_SHIFTS) - 1)]]
            session.add(DutyAssignment(day=first + timedelta(days=offset), shift=shift,
                                       user_id=person.id, assigned_by_id=users["ioc.leader"].id,
                                       assigned_at=now))
    session.flush()


def _upsert_camera(session: Session, box: SecretBox, entry: ManifestCamera,
                   wards: dict[str, Ward], report: SeedReport, gateway: Gateway | None,
                   now: datetime) -> None:
    place = placement(entry.index)
    external_id = f"lab:{entry.index}"
    camera = admin.camera_by_external_id(session, external_id)
    fields: dict[str, Any] = {
        "name": entry.name, "ward_id": wards[place.ward].id, "system": place.system,
        "owner_category": place.category, "owner": place.owner, "location": entry.location,
        "main_url": entry.main_url, "sub_url": entry.sub_url, "ptz": entry.ptz,
        "public": place.public, "onvif_host": entry.onvif_host,
        "onvif_port": entry.onvif_port, "username": entry.rtsp_username,
        "onvif_username": entry.onvif_username,
    }
    if gateway is not None:
        fields["gateway_id"] = gateway.id
    # without a gateway nothing could open a sealed password: none is kept
    secrets: dict[str, Any] = {"password": entry.rtsp_password,
                               "onvif_password": entry.onvif_password} \
        if gateway is not None and gateway.public_key else {}
    if camera is None:
        admin.create_camera(session, box, admin.SYSTEM, now, CameraCreate.model_validate(
            {"external_id": external_id, **fields, **secrets}))
        report.created += 1
        return
    update = CameraUpdate.model_validate(fields)
    changed = admin.camera_changes(box, camera, update)
    # A sealed password cannot be compared (the backend cannot open it): it is sealed again
    # when the camera changed (the lab changes its ports with its credentials) or is missing.
    missing = any(getattr(camera, admin.PASSWORD_FIELDS[k]) is None
                  for k, v in secrets.items() if v)
    if changed or missing:
        admin.update_camera(session, box, admin.SYSTEM, now, camera.id,
                            CameraUpdate.model_validate(
                                {**fields, **{k: v for k, v in secrets.items() if v}}))
    if changed:
        report.updated += 1
