"""Adding a camera, step by step: where it is and how to log in to it (and which gateway will
serve it) → the gateway probes it (device, profiles, the proposed streams played) → which
streams to use, seen live before anything is saved → where the camera stands → saved, then its
live picture through the gateway.

The probe, the preview and the save go through :class:`app.admin.AdminService`; both live
pictures are the app's video service playing a session into one of this wizard's tiles: before
the save a preview of the chosen stream that its gateway mounts for a short while (nothing is
written: cancelling leaves no camera behind), after it a stream session of the saved camera.
Saving is all or nothing on the server: a refusal leaves nothing written, and the wizard stays
on the page with the error next to the field named.
"""

from __future__ import annotations

import html
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.admin import AdminService
from app.domain.admin import (
    AdminCamera,
    AdminWard,
    CameraFields,
    FieldProblem,
    GatewayInfo,
    ProbeResult,
    ProbeStream,
    Problem,
    check_port,
    check_rtsp_url,
)
from app.errors import BackendError
from app.i18n import arg
from app.ops import Op
from widgets import admin_words as words
from widgets.admin_dialogs import CameraFieldsForm, gateway_combo
from widgets.admin_forms import FieldForm, refusal
from widgets.forms import error_label
from widgets.tile import VideoTile

ONVIF_PORT = 80
PREVIEW_KEY = "admin:preview"  # the wizard's tile in the video service
UNSAVED_PREVIEW_KEY = "admin:preview-unsaved"  # the chosen stream's tile, before the save


class AddressPage(QWizardPage):
    """Page 1: the camera's ONVIF host and port, or an RTSP address for a camera without ONVIF;
    its login; the gateway that will serve it."""

    def __init__(self, gateways: Sequence[GatewayInfo]) -> None:
        super().__init__()
        self.setTitle(self.tr("Camera address"))
        self.setSubTitle(self.tr("Where the camera is, how to log in to it, and which media "
                                 "gateway will serve it."))
        self.form = FieldForm(self)
        self.onvif_radio = QRadioButton(self.tr("ONVIF camera"))
        self.rtsp_radio = QRadioButton(self.tr("RTSP address only (no ONVIF)"))
        self.onvif_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.onvif_radio)
        group.addButton(self.rtsp_radio)
        self.form.addRow(self.onvif_radio)
        self.form.addRow(self.rtsp_radio)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("10.20.0.15")
        self.form.add("host", self.tr("Host"), self.host_edit)
        self.port_edit = QLineEdit(str(ONVIF_PORT))
        self.form.add("port", self.tr("ONVIF port"), self.port_edit)
        self.rtsp_edit = QLineEdit()
        self.rtsp_edit.setPlaceholderText("rtsp://10.20.0.15:554/Streaming/Channels/101")
        self.form.add("rtsp_url", self.tr("RTSP address"), self.rtsp_edit)
        self.username_edit = QLineEdit()
        self.form.add("username", self.tr("User name"), self.username_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add("password", self.tr("Password"), self.password_edit)
        self.gateway_combo = gateway_combo(gateways, self.tr("(choose a gateway)"))
        if self.gateway_combo.count() == 2:
            self.gateway_combo.setCurrentIndex(1)
        self.form.add("gateway_id", self.tr("Gateway"), self.gateway_combo)
        self.form.finish()
        self.onvif_radio.toggled.connect(self._mode)
        self._mode()

    def _mode(self) -> None:
        onvif = self.onvif_radio.isChecked()
        self.port_edit.setEnabled(onvif)
        self.rtsp_edit.setEnabled(not onvif)

    def port(self) -> int | None:
        text = self.port_edit.text().strip()
        return int(text) if text.isdigit() else None

    def rtsp_url(self) -> str | None:
        return None if self.onvif_radio.isChecked() else self.rtsp_edit.text().strip() or None

    def host(self) -> str:
        host = self.host_edit.text().strip()
        url = self.rtsp_url()
        if not host and url:
            try:
                host = urlsplit(url).hostname or ""
            except ValueError:
                host = ""
        return host

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        onvif = self.onvif_radio.isChecked()
        port_text = self.port_edit.text().strip()
        problems: list[FieldProblem | None] = [
            None if self.host() else FieldProblem("host", Problem.REQUIRED),
            None if self.gateway_combo.currentData() is not None
            else FieldProblem("gateway_id", Problem.REQUIRED)]
        if onvif:
            problems.append(FieldProblem("port", Problem.PORT) if port_text and
                            not port_text.isdigit() else check_port("port", self.port(),
                                                                    required=True))
        else:
            problems.append(check_rtsp_url("rtsp_url", self.rtsp_edit.text(), required=True))
        return not self.form.show_problems(problems)


class ProbePage(QWizardPage):
    """Page 2: the gateway probes the camera (up to 25 s, with progress), then what it is and
    which streams it proposes — or why it failed, in one sentence, and the step."""

    def __init__(self, admin: AdminService, address: AddressPage) -> None:
        super().__init__()
        self.admin, self.address = admin, address
        self.setTitle(self.tr("Probing the camera"))
        self.setSubTitle(self.tr("The gateway logs in to the camera, reads its profiles and "
                                 "plays the proposed streams. This can take up to 25 seconds."))
        layout = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the probe says nothing until it is done
        self.progress.setObjectName("probe_progress")
        self.elapsed_label = QLabel()
        layout.addWidget(self.progress)
        layout.addWidget(self.elapsed_label)
        self.failure_label = error_label()
        self.failure_label.setObjectName("probe_failure")
        layout.addWidget(self.failure_label)
        self.retry_button = QPushButton(self.tr("Probe again"))
        self.retry_button.clicked.connect(self.start)
        self.retry_button.hide()
        layout.addWidget(self.retry_button)
        self.result_view = QTextBrowser()
        self.result_view.setObjectName("probe_result")
        layout.addWidget(self.result_view, 1)
        self.result: ProbeResult | None = None
        self._op: Op[ProbeResult] | None = None
        self._started = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.start()

    def cleanupPage(self) -> None:  # noqa: N802 (Qt's name)
        """Back to the address: a probe still running is dropped."""
        if self._op is not None:
            self._op.cancel()
            self._op = None
        self._ticker.stop()

    def start(self) -> None:
        self.setTitle(self.tr("Probing the camera"))
        self.result = None
        self.failure_label.hide()
        self.retry_button.hide()
        self.result_view.clear()
        self.progress.show()
        self._started = time.monotonic()
        self._tick()
        self._ticker.start()
        self.completeChanged.emit()
        address = self.address
        self._op = self.admin.probe(
            address.gateway_combo.currentData(), address.host(),
            address.port() if address.onvif_radio.isChecked() else None,
            address.username_edit.text().strip(), address.password_edit.text(),
            address.rtsp_url(), owner=self)
        self._op.success(self._probed).failure(self._failed)

    def _tick(self) -> None:
        self.elapsed_label.setText(arg(self.tr("Probing… %1 s"),
                                       int(time.monotonic() - self._started)))

    def _stop(self) -> None:
        self._op = None
        self._ticker.stop()
        self.progress.hide()
        self.elapsed_label.clear()

    def _probed(self, result: ProbeResult) -> None:
        self._stop()
        self.setTitle(self.tr("The camera answered"))
        self.result = result
        self.result_view.setHtml(self.describe(result))
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self._stop()
        context = error.context if isinstance(error, BackendError) else {}
        failure = context.get("failure")
        if failure:
            step = str(context.get("step") or "")
            text = words.probe_failure(str(failure), step)
            if step:
                text += " " + arg(self.tr("(step: %1)"), step)
        else:
            field, text = refusal(error)
            if field:
                text = f"{field}: {text}"
        self.failure_label.setText(text)
        self.failure_label.show()
        self.retry_button.show()

    def describe(self, result: ProbeResult) -> str:
        device = result.device
        rows = [(self.tr("Manufacturer"), device.get("manufacturer", "")),
                (self.tr("Model"), device.get("model", "")),
                (self.tr("Firmware"), device.get("firmware", ""))]
        if result.clock_offset_s is not None and abs(result.clock_offset_s) >= 5:
            rows.append((self.tr("Clock"), arg(self.tr("%1 s off the gateway's"),
                                               round(result.clock_offset_s))))
        text = "<table cellspacing='4'>" + "".join(
            f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(str(v))}</td></tr>"
            for k, v in rows) + "</table>"
        heading = html.escape(self.tr("Profiles"))
        text += f"<p><b>{heading}</b></p><table cellspacing='4'>"
        text += "<tr>" + "".join(f"<th align='left'>{html.escape(h)}</th>" for h in (
            self.tr("Profile"), self.tr("Codec"), self.tr("Resolution"), self.tr("Frame rate"),
            self.tr("Proposed"))) + "</tr>"
        for profile in result.profiles:
            proposed = []
            if profile.token == result.proposed.main:
                proposed.append(self.tr("main"))
            if profile.token == result.proposed.sub:
                proposed.append(self.tr("sub"))
            fps = f"{profile.fps:g}" if profile.fps else ""
            text += "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
                profile.name or profile.token, profile.codec or "", profile.resolution, fps,
                ", ".join(proposed))) + "</tr>"
        text += "</table>"
        for which, role in ((self.tr("Main stream"), "main"), (self.tr("Sub stream"), "sub")):
            check = result.verification.get(role)
            text += f"<p><b>{html.escape(which)}</b>: {html.escape(self.verdict(check))}</p>"
        return text

    def verdict(self, check: ProbeStream | None) -> str:
        if check is None:
            return self.tr("not checked")
        if check.ok:
            size = f"{check.width}×{check.height}" if check.width and check.height else ""
            return arg(self.tr("✔ plays (%1 %2, first picture after %3 s)"), check.codec or "",
                       size, f"{check.seconds:.1f}")
        return "✘ " + words.probe_failure(str(check.failure or ""))

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self.result is not None


def preview_tile() -> VideoTile:
    """A tile for a wizard's live picture: a preview, not a wall cell (no wall behind it to
    replay or bookmark for)."""
    tile = VideoTile(0)
    tile.setMinimumSize(480, 270)
    for name in ("tileReplayButton", "tileBookmarkButton"):
        button = tile.findChild(QToolButton, name)
        if button is not None:
            button.hide()
    return tile


class StreamsPage(QWizardPage):
    """Page 3: which profiles to use as the main and sub streams, the chosen sub stream (the
    main one without a sub) playing live through the gateway before anything is saved: the
    administrator sees what the wall will show before the camera exists."""

    def __init__(self, admin: AdminService, address: AddressPage, probe: ProbePage) -> None:
        super().__init__()
        self.admin, self.address, self.probe = admin, address, probe
        self.setTitle(self.tr("Streams"))
        self.setSubTitle(self.tr("Choose the main and sub streams; the one the wall shows in "
                                 "small tiles plays below. Nothing is saved yet."))
        self.form = FieldForm()
        self.main_combo = QComboBox()
        self.sub_combo = QComboBox()
        self.form.add("main_url", self.tr("Main stream"), self.main_combo)
        self.form.add("sub_url", self.tr("Sub stream"), self.sub_combo)
        self.form.finish()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.tile = preview_tile()
        layout.addWidget(self.tile, 1)
        self.playing: str | None = None  # the stream URI in the tile
        self.main_combo.currentIndexChanged.connect(self._chosen)
        self.sub_combo.currentIndexChanged.connect(self._chosen)
        admin.preview_status.connect(self._status)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        result = self.probe.result
        for combo in (self.main_combo, self.sub_combo):
            combo.blockSignals(True)
            combo.clear()
        self.sub_combo.addItem(self.tr("(none)"), None)
        if result is not None:
            for profile in result.profiles:
                if not profile.stream_uri:
                    continue
                text = " · ".join(x for x in (
                    profile.name or profile.token, profile.codec or "", profile.resolution,
                    f"{profile.fps:g} fps" if profile.fps else "") if x)
                self.main_combo.addItem(text, profile.token)
                self.sub_combo.addItem(text, profile.token)
            for combo, token in ((self.main_combo, result.proposed.main),
                                 (self.sub_combo, result.proposed.sub)):
                index = combo.findData(token)
                if index >= 0:
                    combo.setCurrentIndex(index)
        for combo in (self.main_combo, self.sub_combo):
            combo.blockSignals(False)
        self._chosen()

    def stream_uris(self) -> tuple[str, str | None]:
        """(the main stream's URI or "", the sub stream's or None) as chosen."""
        result = self.probe.result
        main = result.profile(self.main_combo.currentData()) if result else None
        sub = result.profile(self.sub_combo.currentData()) if result else None
        return (main.stream_uri or "" if main else "",
                sub.stream_uri if sub and sub is not main else None)

    def _chosen(self) -> None:
        """Play the chosen sub stream (the main one without it); a new choice replaces it."""
        main, sub = self.stream_uris()
        wanted = sub or main or None
        if wanted == self.playing:
            return
        self.stop()
        if wanted is None:
            return
        address = self.address
        self.playing = wanted
        self.tile.set_camera(0, self.tr("Preview"))
        self.admin.preview_stream(
            address.gateway_combo.currentData(), wanted, address.username_edit.text().strip(),
            address.password_edit.text(), UNSAVED_PREVIEW_KEY, self.tile.video_window_id(),
            self.tr("Preview"))

    def _status(self, tile_key: str, status: object) -> None:
        from app.video.status import TileStatus

        if tile_key == UNSAVED_PREVIEW_KEY and isinstance(status, TileStatus):
            self.tile.set_status(status)

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        main, _sub = self.stream_uris()
        if self.form.show_problems([None if main else FieldProblem("main_url",
                                                                   Problem.REQUIRED)]):
            return False
        self.stop()  # seen: the gateway ends the preview once its viewer leaves
        return True

    def cleanupPage(self) -> None:  # noqa: N802 (Qt's name)
        self.stop()

    def stop(self) -> None:
        if self.playing is not None:
            self.playing = None
            self.admin.stop_preview(UNSAVED_PREVIEW_KEY)


class DetailsPage(QWizardPage):
    """Page 4: the camera's name, ward, system, owner category, location and position. Next
    saves it (a commit: no way back to an unsaved camera)."""

    def __init__(self, admin: AdminService, address: AddressPage, probe: ProbePage,
                 streams: StreamsPage, wards: Sequence[AdminWard],
                 gateways: Sequence[GatewayInfo]) -> None:
        super().__init__()
        self.admin, self.address, self.probe, self.streams = admin, address, probe, streams
        self.setTitle(self.tr("Place"))
        self.setSubTitle(self.tr("Say where the camera stands; Save adds it to the site."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Save"))
        self.form = FieldForm(self)
        self.fields_form = CameraFieldsForm(self.form, wards, gateways, addresses=False)
        self.form.add("ptz", "", self.fields_form.ptz_check)
        self.form.finish()
        self.saved: AdminCamera | None = None
        self._saving = False

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        result = self.probe.result
        self.fields_form.ptz_check.setChecked(bool(result and result.ptz))

    def camera_fields(self) -> tuple[CameraFields, list[FieldProblem]]:
        fields, problems = self.fields_form.fields()
        address = self.address
        fields.main_url, fields.sub_url = self.streams.stream_uris()
        if address.onvif_radio.isChecked():
            fields.onvif_host = address.host()
            fields.onvif_port = address.port()
        fields.gateway_id = address.gateway_combo.currentData()
        fields.username = address.username_edit.text().strip() or None
        fields.password = address.password_edit.text() or None
        problems = [p for p in problems if p.field not in ("main_url", "sub_url")]
        if not fields.main_url:
            problems.append(FieldProblem("main_url", Problem.REQUIRED))
        return fields, problems

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        """Save first: the wizard moves on only once the server has the camera."""
        if self.saved is not None:
            return True
        if self._saving:
            return False
        fields, problems = self.camera_fields()
        if self.form.show_problems(problems):
            return False
        self._saving = True
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Saving…"))
        self.admin.create_camera(fields, owner=self).success(self._saved) \
            .failure(self._refused)
        return False

    def _saved(self, camera: AdminCamera) -> None:
        self._saving = False
        self.saved = camera
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _refused(self, error: BaseException) -> None:
        self._saving = False
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Save"))
        self.form.show_refusal(error)


class LivePage(QWizardPage):
    """Page 5: the saved camera's live picture, through its gateway."""

    def __init__(self, admin: AdminService, details: DetailsPage) -> None:
        super().__init__()
        self.admin, self.details = admin, details
        self.setTitle(self.tr("Saved: live picture"))
        layout = QVBoxLayout(self)
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        layout.addWidget(self.saved_label)
        self.tile = preview_tile()
        layout.addWidget(self.tile, 1)
        admin.preview_status.connect(self._status)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        camera = self.details.saved
        if camera is None:
            return
        self.saved_label.setText(arg(self.tr(
            "The camera %1 is saved; its gateway starts serving it within seconds. Its picture "
            "plays below, through the gateway."), camera.name))
        self.tile.set_camera(camera.id, camera.name)
        self.admin.preview(camera, PREVIEW_KEY, self.tile.video_window_id())

    def _status(self, tile_key: str, status: object) -> None:
        from app.video.status import TileStatus

        if tile_key == PREVIEW_KEY and isinstance(status, TileStatus):
            self.tile.set_status(status)

    def stop(self) -> None:
        self.admin.stop_preview(PREVIEW_KEY)


class CameraWizard(QWizard):
    """See the module docstring. :attr:`saved` is the camera once it is saved."""

    def __init__(self, admin: AdminService, wards: Sequence[AdminWard],
                 gateways: Sequence[GatewayInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_wizard")
        self.setWindowTitle(self.tr("Add a camera"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.resize(900, 760)
        self.address_page = AddressPage(gateways)
        self.probe_page = ProbePage(admin, self.address_page)
        self.streams_page = StreamsPage(admin, self.address_page, self.probe_page)
        self.details_page = DetailsPage(admin, self.address_page, self.probe_page,
                                        self.streams_page, wards, gateways)
        self.live_page = LivePage(admin, self.details_page)
        for page in (self.address_page, self.probe_page, self.streams_page, self.details_page,
                     self.live_page):
            self.addPage(page)
        self.finished.connect(lambda _r: self._stop())

    def _stop(self) -> None:
        self.streams_page.stop()
        self.live_page.stop()

    @property
    def saved(self) -> AdminCamera | None:
        return self.details_page.saved

