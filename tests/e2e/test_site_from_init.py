"""A real site from nothing, end to end under Xvfb: ``python -m server init`` (no demo), the
administrator creates two wards, their ward police units and an officer in each, probes a lab
ONVIF camera through the embedded gateway (its clock hours off, advertising an address behind
NAT), saves the camera the probe proposed; the Đồng Phú officer changes the first password,
logs into the wall and sees the camera's picture move; the Hải Thành officer does not see it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.camera_directory import CameraDirectory
from app.context import layout_library
from app.credentials import TokenStore
from app.messages import MessageBridge
from app.ops import Ops
from app.settings import SettingsStore
from app.video import StreamState, VideoService
from app.wall import CellKind, WallController
from lab import CameraTraits, Lab
from lab.testing import start_test_lab
from server.testing import start_test_server, stop_test_server
from tests.e2e.test_wall_e2e import changed_fraction, tile_image
from tests.server.test_init import PASSWORD, _init
from widgets.main_window import MainWindow

pytestmark = [pytest.mark.video, pytest.mark.lab]

FIRST_PASSWORD = "Lan-dau-Dong-Phu-7"  # the administrator's; the officer must change it
OWN_PASSWORD = "Cua-toi-Hai-Ly-2026"


class Site:
    def __init__(self, base_url: str) -> None:
        self.api = f"{base_url}/api/v1"
        self.base_url = base_url

    def login(self, username: str, password: str) -> dict[str, Any]:
        reply = requests.post(f"{self.api}/auth/login", timeout=10,
                              json={"username": username, "password": password})
        assert reply.status_code == 200, reply.text
        answer: dict[str, Any] = reply.json()
        return answer

    def call(self, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.api}{path}", timeout=60,
                                headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def created(self, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = self.call("POST", path, token, json=body)
        assert reply.status_code == 201, reply.text
        answer: dict[str, Any] = reply.json()
        return answer


@pytest.fixture(scope="module")
def onvif_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    traits = {0: CameraTraits(onvif=True, clock_skew_s=3 * 3600, advertise_host="10.0.0.5")}
    with start_test_lab(tmp_path_factory.mktemp("site-lab"), cameras=1,
                        traits=traits) as running:
        yield running


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("site")
    data_dir = root / "data"
    done = _init(data_dir, root)
    assert done.returncode == 0, done.stderr
    base_url, process = start_test_server(data_dir, demo=False, timeout=60)
    try:
        yield Site(base_url)
    finally:
        stop_test_server(process)


def test_a_site_made_by_init_onboards_a_probed_camera_that_only_its_ward_sees(
        qtbot: QtBot, qapp: QApplication, site: Site, onvif_lab: Lab, tmp_path: Path,
        ops: Ops, messages: MessageBridge, video: VideoService) -> None:
    admin = site.login("site.admin", PASSWORD)["access_token"]
    assert site.call("GET", "/cameras", admin).json() == []  # nothing of the demo

    # the organisation: two wards, their police, an officer in each
    wards = {name: site.created("/admin/wards", admin, {"name": name})["id"]
             for name in ("Đồng Phú", "Hải Thành")}
    units = {name: site.created("/admin/units", admin, {
        "name": f"Công an phường {name}", "kind": "ward_police", "ward_id": ward_id})["id"]
        for name, ward_id in wards.items()}
    for username, ward in (("cs.dongphu", "Đồng Phú"), ("cs.haithanh", "Hải Thành")):
        site.created("/admin/users", admin, {
            "username": username, "full_name": f"Cán bộ {ward}", "unit_id": units[ward],
            "role": "officer", "password": FIRST_PASSWORD})

    # the camera, found over ONVIF by the gateway that will serve it
    deadline = time.monotonic() + 30
    while not (gateways := site.call("GET", "/admin/gateways", admin).json()) \
            or not gateways[0].get("public_key"):
        assert time.monotonic() < deadline, "the embedded gateway never reported its key"
        time.sleep(0.2)
    gateway_id = gateways[0]["id"]
    cam = onvif_lab.cameras[0]
    probed = site.call("POST", "/admin/cameras/probe", admin, json={
        "gateway_id": gateway_id, "host": cam.onvif_host, "port": cam.onvif_port,
        "username": cam.onvif_username, "password": cam.onvif_password})
    assert probed.status_code == 200, probed.text
    assert cam.onvif_password not in probed.text
    found = probed.json()
    assert found["rewritten_hosts"] == ["10.0.0.5"]
    assert abs(found["clock_offset_s"] - 3 * 3600) <= 5
    profiles = {p["token"]: p for p in found["profiles"]}
    main, sub = (profiles[found["proposed"][s]] for s in ("main", "sub"))
    assert found["verification"]["main"]["ok"] and found["verification"]["sub"]["ok"]
    assert main["width"] > sub["width"]
    camera = site.created("/admin/cameras", admin, {
        "name": "CAM-CHỢ-ĐỒNG-PHÚ", "ward_id": wards["Đồng Phú"], "system": "smart_city",
        "location": "Chợ Đồng Phú, cổng chính", "latitude": 17.4688, "longitude": 106.6223,
        "main_url": main["stream_uri"], "sub_url": sub["stream_uri"],
        "onvif_host": cam.onvif_host, "onvif_port": cam.onvif_port,
        "gateway_id": gateway_id, "username": cam.onvif_username,
        "password": cam.onvif_password})
    assert camera["has_credentials"] and cam.onvif_password not in str(camera)

    # the Hải Thành officer does not see it, nor can open it
    other = site.login("cs.haithanh", FIRST_PASSWORD)
    assert other["user"]["must_change_password"]
    assert site.call("POST", "/auth/password", other["access_token"], json={
        "current_password": FIRST_PASSWORD, "new_password": OWN_PASSWORD}).status_code == 204
    other_token = site.login("cs.haithanh", OWN_PASSWORD)["access_token"]
    assert site.call("GET", "/cameras", other_token).json() == []
    refused = site.call("POST", f"/cameras/{camera['id']}/streams/sub/session", other_token)
    assert refused.status_code in (403, 404), refused.text

    # the Đồng Phú officer: first password changed, then the wall
    first = site.login("cs.dongphu", FIRST_PASSWORD)
    assert first["user"]["must_change_password"]
    assert site.call("GET", "/cameras", first["access_token"]).status_code == 403
    assert site.call("POST", "/auth/password", first["access_token"], json={
        "current_password": FIRST_PASSWORD, "new_password": OWN_PASSWORD}).status_code == 204

    settings = SettingsStore(tmp_path)
    auth = AuthService(settings, TokenStore())
    session = auth.login(site.base_url, "cs.dongphu", OWN_PASSWORD, False)
    assert auth.client is not None
    wall = WallController(video, ops, messages, audit=auth,
                          sessions=auth.client.stream_session_url)
    window = MainWindow(session, auth, wall, video, ops, messages, settings,
                        layouts=layout_library(auth.client, session, ops, messages, settings))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.cameras_loaded, timeout=15000) as blocker:
        window.load_cameras()
    cameras = blocker.args[0]
    assert [c.name for c in cameras] == ["CAM-CHỢ-ĐỒNG-PHÚ"]
    assert [ward for ward, _ in window.tree.structure()] == ["Đồng Phú (1)"]
    index = window.tree.camera_index(camera["id"])
    assert index is not None
    window.tree.view.activated.emit(index)
    key = wall.tile_key(0)
    qtbot.waitUntil(lambda: video.status(key).state is StreamState.LIVE, timeout=30000)
    qtbot.wait(1000)
    surface = window.wall.tiles[0].surface()
    rect = QRect(surface.mapTo(window, QPoint(0, 0)), surface.size())
    screen = window.screen()
    before = screen.grabWindow(window.winId()).toImage()
    qtbot.wait(1000)
    after = screen.grabWindow(window.winId()).toImage()
    before.save(str(tmp_path / "site-wall.png"))
    print(f"\nwall of the new site: {tmp_path / 'site-wall.png'}")
    assert changed_fraction(tile_image(before, rect), tile_image(after, rect)) > 0.0005
    assert video.status(key).state is StreamState.LIVE


    # the administrator moves the camera to Hải Thành: the running wall follows on its own
    # (wired as the shell wires it), its tile stops and says why, the tree empties
    directory = CameraDirectory(auth.cameras, ops, window)
    window.cameras_loaded.connect(directory.shown)
    directory.changed.connect(window.show_cameras)
    directory.shown(cameras)
    directory.start()
    moved = site.call("PATCH", f"/admin/cameras/{camera['id']}", admin,
                      json={"ward_id": wards["Hải Thành"]})
    assert moved.status_code == 200, moved.text
    asked = time.monotonic()
    qtbot.waitUntil(lambda: wall.cell(0).kind is CellKind.NO_PERMISSION, timeout=12000)
    print(f"the wall followed the move in {time.monotonic() - asked:.1f} s")
    assert time.monotonic() - asked <= 10.5
    assert window.tree.structure() == []
    qtbot.waitUntil(lambda: video.status(key).state is StreamState.STOPPED, timeout=5000)
    assert [c["id"] for c in site.call("GET", "/cameras", other_token).json()] == [camera["id"]]
    directory.stop()

    window.close()
    for stopped in wall.stop_for_exit():
        auth.audit_event("view_stop", stopped.id, "e2e end")
