"""The tree's rule: wards (sorted), then systems in a fixed order, then cameras; search folds
case and Vietnamese accents."""

from __future__ import annotations

from app.camera_groups import fold, group_cameras, matches
from app.domain import Camera, CameraSystem

S, P, T = CameraSystem.SMART_CITY, CameraSystem.PUBLIC, CameraSystem.TRAFFIC


def cams() -> list[Camera]:
    return [
        Camera(1, "CAM-01 Quảng trường Hồ Chí Minh", "Đồng Phú", 1, S, location="Quảng trường"),
        Camera(2, "CAM-02 Cầu Nhật Lệ", "Hải Thành", 2, T, location="Cầu Nhật Lệ"),
        Camera(3, "CAM-03 Chợ Đồng Hới", "Đồng Phú", 1, P, location="Chợ"),
        Camera(4, "CAM-04 Ngã tư Trần Hưng Đạo", "Đồng Phú", 1, T),
        Camera(5, "CAM-05 Bãi biển Bảo Ninh", "Bắc Lý", 3, S),
        Camera(6, "CAM-00 Bệnh viện", "Đồng Phú", 1, S),
    ]


def test_groups_by_ward_then_system() -> None:
    groups = group_cameras(cams())
    assert [g.ward for g in groups] == ["Bắc Lý", "Đồng Phú", "Hải Thành"]
    dong_phu = groups[1]
    assert [s.system for s in dong_phu.systems] == [S, P, T]
    assert [[c.id for c in s.cameras] for s in dong_phu.systems] == [[6, 1], [3], [4]]
    assert dong_phu.camera_count == 4


def test_search_filters_and_drops_empty_groups() -> None:
    groups = group_cameras(cams(), "nhat le")
    assert [(g.ward, [c.id for s in g.systems for c in s.cameras]) for g in groups] == \
        [("Hải Thành", [2])]
    assert [g.ward for g in group_cameras(cams(), "dong phu")] == ["Đồng Phú"]
    assert group_cameras(cams(), "no such camera") == []


def test_fold_and_matches() -> None:
    assert fold("Đồng Phú") == "dong phu"
    assert matches(cams()[0], "QUANG truong")
    assert not matches(cams()[0], "quang cau")
