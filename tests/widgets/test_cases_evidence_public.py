"""Cases from clip requests and public sharing (Art. 11.3 and 14) in the IOC operator's
real main window (main.Client, as a login opens it) against a real backend recording one lab
camera (2 s segments, two clips of 2 s each):

- "Open case from the selected clip request…" (Operations menu) opens a case whose evidence is
  the selected ready clip; "Add evidence clip…" adds the second; the case shows both;
- "Propose for publication…" with a title, the case's extracted clip and a box drawn on a
  picture of it; the blurred clip reviewed in the Publications panel; an IOC leader approves;
  exactly that case is then on the unauthenticated ``/public/v1/violations`` (the blurred
  media, nothing about people); "Withdraw…" takes it off at once;
- "Public cameras…" (Operations menu; on the cheap eight-camera backend): ticking a camera puts
  exactly the ticked cameras on ``/public/v1/cameras``; unticking takes it off again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.auth import AuthService
from app.backend import BackendClient
from app.context import Runtime
from app.credentials import TokenStore
from app.messages import MessageBridge
from app.ops import Ops
from app.public_cameras import PublicCameraService
from app.settings import SettingsStore
from app.settings import data_dir as client_data_dir
from app.video import VideoService
from main import parse_args
from shell.client import Client
from tests.footage import Footage, recorded_footage
from widgets.cases_panel import AddClipDialog, CasesPanel, OpenCaseDialog, ProposeDialog
from widgets.public_cameras import PublicCamerasDialog

NOTE = "Nguyễn Văn An, biển số 73A-555.66"
SHOTS = Path(os.environ.get("IOCWALL_SCREENSHOTS", "/tmp/iocwall-shots"))


def _shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


@dataclass
class CaseFootage(Footage):
    clips: tuple[int, int] = (0, 0)  # two ready clip requests of the operator on CAM-01


def _ready_clips(client: BackendClient, camera_id: int) -> tuple[int, int]:
    """Two 2 s clips of what is recorded now (whole seconds), extracted."""
    deadline = time.monotonic() + 90
    while True:
        ranges = client.recordings(camera_id)
        if ranges and (ranges[-1][1] - ranges[-1][0]).total_seconds() >= 6:
            break
        assert time.monotonic() < deadline, "the recorder did not record 6 s in 90 s"
        time.sleep(0.3)
    end = datetime.fromtimestamp(math.floor(ranges[-1][1].timestamp()) - 1, UTC)
    first = client.create_clip(camera_id, end - timedelta(seconds=4), end - timedelta(seconds=2),
                               "Bằng chứng vi phạm 1")
    second = client.create_clip(camera_id, end - timedelta(seconds=2), end,
                                "Bằng chứng vi phạm 2")
    for request in (first, second):
        while client.clip(request.id).state != "ready":
            assert time.monotonic() < deadline + 60, "the clip was not extracted in time"
            time.sleep(0.3)
    return first.id, second.id


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseFootage]:
    with recorded_footage(tmp_path_factory.mktemp("cases-evidence")) as recorded:
        client = recorded.client()
        try:
            clips = _ready_clips(client, recorded.camera_id)
        finally:
            client.close()
        yield CaseFootage(recorded.base_url, recorded.data_dir, recorded.camera_id, clips)


class _App:
    def quit(self) -> None:
        pass


@dataclass
class Main:
    client: Client
    window: Any

    @property
    def operations(self) -> Any:
        return self.client.operations

    @property
    def cases_panel(self) -> CasesPanel:
        panel = self.operations.cases_panel
        assert panel is not None
        return panel


@pytest.fixture
def open_main(qapp: QApplication, qtbot: QtBot, tmp_path: Path,
              qloop: asyncio.AbstractEventLoop) -> Iterator[Any]:
    """``open_main(base_url)``: the IOC operator's main window as a login opens it."""
    opened: list[tuple[Client, VideoService, AuthService]] = []

    def open_(base_url: str) -> Main:
        messages = MessageBridge()
        ops = Ops(messages)
        settings = SettingsStore(tmp_path)
        video = VideoService()
        auth = AuthService(settings, TokenStore())
        running = Client(_App(), parse_args([]),  # type: ignore[arg-type]
                         Runtime(settings, messages, ops, video, auth, client_data_dir()),
                         base_url)
        opened.append((running, video, auth))
        running.open_main_window(auth.login(base_url, "ioc.operator", "demo", False))
        assert running.window is not None
        running.window.resize(1400, 900)
        return Main(running, running.window)

    yield open_
    for running, video, auth in opened:
        if running.window is not None:
            running.window.close()
        video.shutdown()
        auth.logout()


@pytest.fixture
def operator_window(footage: CaseFootage, open_main: Any) -> Main:
    main: Main = open_main(footage.base_url)
    return main


def _ok(qtbot: QtBot, buttons: QDialogButtonBox) -> None:
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def _visible(parent: Any, kind: type) -> Any:
    found = [d for d in parent.findChildren(kind) if d.isVisible()]
    return found[0] if len(found) == 1 else None


@pytest.mark.lab
def test_case_from_a_ready_clip_request_then_a_second_clip_as_evidence(
        footage: CaseFootage, operator_window: Main, qtbot: QtBot) -> None:
    main = operator_window
    first, second = footage.clips
    requests = main.client.panels.requests_panel  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: requests.select(first), timeout=20_000)
    assert requests.selected().state == "ready"  # type: ignore[union-attr]

    main.operations.actions["open_case_clip"].trigger()
    panel = main.cases_panel
    qtbot.waitUntil(lambda: panel.open_dialog is not None, timeout=15_000)
    dialog = panel.open_dialog
    assert isinstance(dialog, OpenCaseDialog)
    assert dialog.source_combo.currentData() == f"clip:{first}"
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("red_light"))
    dialog.note_edit.setPlainText("Xe máy vượt đèn đỏ")
    with qtbot.waitSignal(main.operations.cases.case_changed, timeout=15_000) as opened:
        _ok(qtbot, dialog.buttons)
    case = opened.args[0]
    reader = footage.client()
    try:
        clip = reader.clip(first)
    finally:
        reader.close()
    assert (case.kind, case.state, case.camera_id, case.bookmark_id) == (
        "red_light", "opened", footage.camera_id, None)
    assert case.clip_request_ids == (first,)
    assert case.detected_at == clip.start  # detected when the clip starts
    assert [e.action for e in case.events] == ["open"]
    qtbot.waitUntil(lambda: panel.open_dialog is None, timeout=5000)

    # "Add evidence clip…" on the selected case: the first clip is not offered again
    qtbot.waitUntil(lambda: panel.select(case.id), timeout=15_000)
    qtbot.mouseClick(panel.add_clip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _visible(panel, AddClipDialog) is not None, timeout=15_000)
    add = _visible(panel, AddClipDialog)
    offered = {add.clip_combo.itemData(i) for i in range(add.clip_combo.count())}
    assert second in offered and first not in offered
    add.clip_combo.setCurrentIndex(add.clip_combo.findData(second))
    with qtbot.waitSignal(main.operations.cases.case_changed, timeout=15_000) as added:
        _ok(qtbot, add.buttons)
    assert added.args[0].clip_request_ids == (first, second)
    assert [e.action for e in added.args[0].events] == ["open", "add_clip"]
    qtbot.waitUntil(lambda: panel.select(case.id)
                    and panel.selected().clip_request_ids == (first, second),  # type: ignore
                    timeout=15_000)
    assert f"Evidence clips: #{first}, #{second}" in panel.detail.toPlainText()
    _shot(panel, "case_two_clips")
    # and so says the server, read afresh
    reader = footage.client()
    try:
        assert list(reader.case(case.id).clip_request_ids) == [first, second]
    finally:
        reader.close()


@pytest.mark.lab
def test_propose_blur_review_and_withdraw_a_publication_through_the_gui(
        footage: CaseFootage, operator_window: Main, qtbot: QtBot) -> None:
    """The operator proposes with a box drawn on a picture of the clip, reviews the blurred
    clip in the Publications panel; an IOC leader approves (two people); the operator
    withdraws it, with a reason, and it is off the public at once."""
    main = operator_window
    _first, second = footage.clips
    operator = footage.client()
    leader = footage.client("ioc.leader")
    try:
        case_id = operator.open_case("lane", clip_request_id=second, note=NOTE).id
        before_violations = {v["id"] for v in footage.public("/violations")}
        assert case_id not in before_violations

        panel = main.cases_panel
        assert panel.publish_button.isVisible()
        main.operations.cases.refresh()  # (a poll may be running: it fetches once more)
        qtbot.waitUntil(lambda: panel.select(case_id), timeout=15_000)
        assert panel.publish_button.isEnabled()
        qtbot.mouseClick(panel.publish_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.publish_dialog is not None, timeout=15_000)
        dialog = panel.publish_dialog
        assert isinstance(dialog, ProposeDialog)
        # only this case's extracted evidence clip is offered (or none)
        assert [dialog.clip_combo.itemData(i) for i in range(dialog.clip_combo.count())] == [
            None, second]
        assert dialog.clip_id() == second
        # the picture of the clip at the moment comes from the server; a box drawn on it
        qtbot.waitUntil(lambda: dialog.canvas.picture is not None, timeout=20_000)
        assert dialog.canvas.add(QPointF(0.1, 0.1), QPointF(0.4, 0.5))
        assert dialog.keyframes == {0.0: [(0.1, 0.1, 0.3, 0.4)]}
        dialog.title_edit.setText("ab")
        _ok(qtbot, dialog.buttons)
        assert dialog.isVisible() and "title" in dialog.error_label.text()
        dialog.title_edit.setText("Đi sai làn đường tại nút giao")
        _shot(dialog, "publication_propose_dialog")
        publications = main.client.context.publications
        with qtbot.waitSignal(publications.publication_changed, timeout=15_000) as proposed:
            _ok(qtbot, dialog.buttons)
        item = proposed.args[0]
        assert (item.case_id, item.clip_request_id, item.state) == (case_id, second,
                                                                    "redacting")
        assert item.tracks == ([{"t": 0.0, "box": [0.1, 0.1, 0.3, 0.4]}],)
        qtbot.waitUntil(lambda: panel.publish_dialog is None, timeout=5000)

        # the blurred clip waits for its review, in the Publications panel
        board = main.operations.publications_panel
        assert board is not None

        def reviewable() -> bool:
            publications.refresh()
            return board.select(item.id) and board.selected().may("review")  # type: ignore

        qtbot.waitUntil(reviewable, timeout=60_000)
        assert not board.buttons_by_step["approve"].isEnabled()  # not a leader
        qtbot.mouseClick(board.buttons_by_step["review"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: board.dialog is not None, timeout=5000)
        assert board.dialog is not None
        board.dialog.reason_edit.setPlainText("Đã làm mờ khuôn mặt người đi bộ")
        with qtbot.waitSignal(publications.publication_changed, timeout=15_000) as reviewed:
            _ok(qtbot, board.dialog.buttons)
        assert reviewed.args[0].state == "reviewed"
        assert reviewed.args[0].reviewed_by.username == "ioc.operator"
        assert {v["id"] for v in footage.public("/violations")} == before_violations

        approved = leader.publication_step(item.id, "approve")
        assert approved.state == "published"
        listed = footage.public("/violations")
        assert {v["id"] for v in listed} == before_violations | {case_id}
        shown = next(v for v in listed if v["id"] == case_id)
        assert shown["title"] == "Đi sai làn đường tại nút giao" and shown["kind"] == "lane"
        text = json.dumps(listed, ensure_ascii=False)
        for private in (NOTE, "73A-555.66", "ioc.operator", "rtsp://"):
            assert private not in text
        with urllib.request.urlopen(f"{footage.base_url}{shown['media']}", timeout=10) as media:
            assert media.headers["Content-Type"] == "video/mp4"
            body = media.read()
        assert b"ftyp" in body[:64]
        assert hashlib.sha256(body).hexdigest() == approved.redacted_sha256

        publications.refresh()
        qtbot.waitUntil(lambda: board.select(item.id)
                        and board.selected().may("withdraw"), timeout=15_000)  # type: ignore
        _shot(board, "publications_panel")
        qtbot.mouseClick(board.buttons_by_step["withdraw"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: board.dialog is not None, timeout=5000)
        assert board.dialog is not None
        board.dialog.reason_edit.setPlainText("Người dân đề nghị gỡ")
        with qtbot.waitSignal(publications.publication_changed, timeout=15_000) as withdrawn:
            _ok(qtbot, board.dialog.buttons)
        assert withdrawn.args[0].state == "withdrawn"
        assert {v["id"] for v in footage.public("/violations")} == before_violations
        events = [e.action for e in operator.case(case_id).events]
        assert events == ["open", "publish", "unpublish"]
    finally:
        operator.close()
        leader.close()


def _public(base_url: str, path: str) -> Any:
    with urllib.request.urlopen(f"{base_url}/public/v1{path}", timeout=10) as reply:
        assert reply.status == 200
        return json.loads(reply.read())


@pytest.fixture
def catalogued(backend_url: str) -> Iterator[int]:
    """A traffic camera not public yet, entered in the catalogue by an administrator (the
    catalogue is put back as it was afterwards)."""
    admin = BackendClient(backend_url)
    admin.login("ioc.admin", "demo")
    before = admin.public_catalogue()
    public = {c["id"] for c in _public(backend_url, "/cameras")}
    extra = next(c.id for c in admin.admin_cameras() if c.system == "traffic" and c.is_active
                 and c.id not in before.camera_ids and c.id not in public)
    admin.set_public_catalogue([*before.camera_ids, extra], before.violation_kinds)
    try:
        yield extra
    finally:
        admin.set_public_catalogue(before.camera_ids, before.violation_kinds)
        admin.close()


def test_public_cameras_dialog_publishes_exactly_the_ticked_cameras(
        backend_url: str, open_main: Any, qtbot: QtBot, catalogued: int) -> None:
    """On the eight-camera backend (the demo publishes some already): the Operations menu's
    "Public cameras…" shows the server's flags; a tick and an untick each change exactly that
    camera on the unauthenticated ``/public/v1/cameras``; nothing but the allow-list leaves."""
    main: Main = open_main(backend_url)
    main.operations.actions["public_cameras"].trigger()
    qtbot.waitUntil(lambda: main.operations.public_cameras_dialog is not None
                    and bool(main.operations.public_cameras_dialog.rows()), timeout=15_000)
    cameras: PublicCamerasDialog = main.operations.public_cameras_dialog
    service = main.operations.public_cameras  # the session's service, handed to the dialog
    assert isinstance(service, PublicCameraService)

    def public_ids() -> set[int]:
        return {c["id"] for c in _public(backend_url, "/cameras")}

    before = public_ids()
    # only the catalogue's cameras are offered
    assert cameras.checked_ids() == before and {r.id for r in cameras.rows()} == before | {
        catalogued}
    marked = next(r for r in cameras.rows() if not r.public)
    assert marked.id == catalogued
    taken_back = next((r for r in cameras.rows() if r.public), None)

    def toggle(camera_id: int, state: Qt.CheckState) -> None:
        """A mouse click on the camera's check box, as the user ticks it."""
        box = cameras.checkbox(camera_id)
        assert box is not None and box.checkState() != state
        option = QStyleOptionViewItem()
        option.initFrom(cameras.table)
        option.rect = cameras.table.visualItemRect(box)
        option.features = QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        option.checkState = box.checkState()
        spot = cameras.table.style().subElementRect(
            QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, cameras.table).center()
        with qtbot.waitSignal(service.camera_changed, timeout=15_000):
            qtbot.mouseClick(cameras.table.viewport(), Qt.MouseButton.LeftButton, pos=spot)
            assert not box.flags() & Qt.ItemFlag.ItemIsEnabled  # until the server answers
        assert box.checkState() == state and box.flags() & Qt.ItemFlag.ItemIsEnabled

    toggle(marked.id, Qt.CheckState.Checked)
    assert public_ids() == cameras.checked_ids() == before | {marked.id}
    assert cameras.status_label.text() == f"{marked.name} is public now"
    _shot(cameras, "public_cameras_dialog")
    listed = _public(backend_url, "/cameras")
    assert all(set(c) == {"id", "name", "ward", "location", "snapshot"} for c in listed)
    assert "rtsp://" not in json.dumps(listed)
    toggle(marked.id, Qt.CheckState.Unchecked)
    assert public_ids() == cameras.checked_ids() == before
    if taken_back is not None:  # one the demo published: off, then on again as it was
        toggle(taken_back.id, Qt.CheckState.Unchecked)
        assert public_ids() == cameras.checked_ids() == before - {taken_back.id}
        toggle(taken_back.id, Qt.CheckState.Checked)
        assert public_ids() == before
    cameras.close()
    qtbot.waitUntil(lambda: main.operations.public_cameras_dialog is None, timeout=5000)


def test_a_refused_tick_is_put_back_and_told(backend_url: str, ops: Ops,
                                             messages: MessageBridge, qtbot: QtBot,
                                             catalogued: int) -> None:
    """The dialog on a unit that may not publish (city police; the menu does not offer it to
    them): the server's 403 is shown and the box shows the server's flag again."""
    police = BackendClient(backend_url)
    police.login("police.commander", "demo")
    try:
        service = PublicCameraService(police, ops, messages)
        cameras = PublicCamerasDialog(service)
        qtbot.addWidget(cameras)
        cameras.show()
        qtbot.waitUntil(lambda: bool(cameras.rows()), timeout=15_000)
        before = {c["id"] for c in _public(backend_url, "/cameras")}
        target = next(r for r in cameras.rows() if not r.public)
        box = cameras.checkbox(target.id)
        assert box is not None
        with qtbot.waitSignal(service.failed, timeout=15_000) as failed:
            box.setCheckState(Qt.CheckState.Checked)
        assert failed.args[0] == target.id and "operating unit" in failed.args[1]
        assert box.checkState() == Qt.CheckState.Unchecked
        assert box.flags() & Qt.ItemFlag.ItemIsEnabled
        assert "operating unit" in cameras.status_label.text()
        assert {c["id"] for c in _public(backend_url, "/cameras")} == before
    finally:
        police.close()
