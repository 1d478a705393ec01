"""Grouping and filtering of the camera list for the tree (ward, then system), without Qt.

Kept out of the widget so the rule is testable on its own and the tree only renders it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.domain import Camera
from common.vocabulary import CameraSystem

SYSTEM_ORDER = (CameraSystem.SMART_CITY, CameraSystem.PUBLIC, CameraSystem.TRAFFIC)


@dataclass(frozen=True)
class SystemGroup:
    system: CameraSystem
    cameras: tuple[Camera, ...]


@dataclass(frozen=True)
class WardGroup:
    ward: str
    ward_id: int
    systems: tuple[SystemGroup, ...]

    @property
    def camera_count(self) -> int:
        return sum(len(s.cameras) for s in self.systems)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Đồng Phú" and "dong phu" match."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def matches(camera: Camera, query: str) -> bool:
    """Every word of the query must appear in the camera's name, location or ward."""
    haystack = fold(f"{camera.name} {camera.location} {camera.ward}")
    return all(word in haystack for word in fold(query).split())


def group_cameras(cameras: list[Camera], query: str = "") -> list[WardGroup]:
    wards: dict[tuple[str, int], dict[CameraSystem, list[Camera]]] = {}
    for camera in cameras:
        if query and not matches(camera, query):
            continue
        wards.setdefault((camera.ward, camera.ward_id), {}).setdefault(camera.system,
                                                                       []).append(camera)
    groups = []
    for (ward, ward_id), systems in sorted(wards.items(), key=lambda kv: fold(kv[0][0])):
        groups.append(WardGroup(ward, ward_id, tuple(
            SystemGroup(system, tuple(sorted(systems[system], key=lambda c: (fold(c.name), c.id))))
            for system in SYSTEM_ORDER if system in systems)))
    return groups
