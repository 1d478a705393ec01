"""The add/edit dialogs of the Administration window: a ward, a unit, an account, a password
reset, a camera, a gateway. Each checks what it can before sending, sends through
:class:`app.admin.AdminService`, and closes only when the server agreed; a refusal is shown next
to the field it names and the dialog stays open."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from app.admin import AdminService
from app.domain.admin import (
    MIN_CONTROL_SECRET_LENGTH,
    MIN_PASSWORD_LENGTH,
    WARD_UNIT_KINDS,
    AdminCamera,
    AdminUnit,
    AdminUser,
    AdminWard,
    CameraFields,
    FieldProblem,
    GatewayInfo,
    Problem,
    check_camera,
    check_gateway,
    check_password,
)
from app.i18n import arg
from common.vocabulary import CameraSystem, CameraTransport, OwnerCategory, Role, UnitKind
from widgets import admin_words as words
from widgets.admin_forms import FieldForm, FormDialog, password_pair, select_data

translate = QCoreApplication.translate  # lupdate reads translate("CameraDialog", "text")


def password_hint() -> str:
    return arg(translate("AdminDialogs", "At least %1 characters; not a common password, not "
                         "the user name."), MIN_PASSWORD_LENGTH)


def ward_combo(wards: Sequence[AdminWard], *, none_text: str | None = None) -> QComboBox:
    combo = QComboBox()
    if none_text is not None:
        combo.addItem(none_text, None)
    for ward in wards:
        if ward.is_active:
            combo.addItem(ward.name, ward.id)
    return combo


def gateway_combo(gateways: Sequence[GatewayInfo], none_text: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(none_text, None)
    for gateway in gateways:
        if gateway.is_active:
            combo.addItem(gateway.name, gateway.id)
    return combo


class WardDialog(FormDialog):
    def __init__(self, admin: AdminService, ward: AdminWard | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New ward") if ward is None else self.tr("Edit ward"),
                         self.tr("Save"), parent)
        self.admin, self.ward = admin, ward
        self.name_edit = QLineEdit(ward.name if ward else "")
        self.form.add("name", self.tr("Name"), self.name_edit)
        self.finish()

    def submit(self) -> None:
        name = self.name_edit.text().strip()
        if self.form.show_problems([None if name else FieldProblem("name", Problem.REQUIRED)]):
            return
        self.sending(True)
        op = (self.admin.create_ward(name, owner=self) if self.ward is None
              else self.admin.update_ward(self.ward.id, owner=self, name=name))
        op.success(self.done_ok).failure(self.refused)


class UnitDialog(FormDialog):
    def __init__(self, admin: AdminService, wards: Sequence[AdminWard],
                 unit: AdminUnit | None = None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New unit") if unit is None else self.tr("Edit unit"),
                         self.tr("Save"), parent)
        self.admin, self.unit = admin, unit
        self.name_edit = QLineEdit(unit.name if unit else "")
        self.form.add("name", self.tr("Name"), self.name_edit)
        self.kind_combo = QComboBox()
        for kind in UnitKind:
            self.kind_combo.addItem(words.unit_kind(kind), kind)
        self.form.add("kind", self.tr("Kind"), self.kind_combo)
        self.ward_combo = ward_combo(wards, none_text=self.tr("(no ward)"))
        self.form.add("ward_id", self.tr("Ward"), self.ward_combo)
        if unit is not None:
            select_data(self.kind_combo, unit.kind)
            select_data(self.ward_combo, unit.ward.id if unit.ward else None)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.finish()

    def _kind_changed(self) -> None:
        """Only ward police and ward committees belong to a ward."""
        of_ward = self.kind_combo.currentData() in WARD_UNIT_KINDS
        self.ward_combo.setEnabled(of_ward)
        if not of_ward:
            self.ward_combo.setCurrentIndex(0)

    def submit(self) -> None:
        name = self.name_edit.text().strip()
        kind = UnitKind(self.kind_combo.currentData())
        ward_id = self.ward_combo.currentData()
        if self.form.show_problems([
                None if name else FieldProblem("name", Problem.REQUIRED),
                FieldProblem("ward_id", Problem.REQUIRED)
                if kind in WARD_UNIT_KINDS and ward_id is None else None]):
            return
        self.sending(True)
        op = (self.admin.create_unit(name, kind, ward_id, owner=self) if self.unit is None
              else self.admin.update_unit(self.unit.id, owner=self, name=name, kind=kind,
                                          ward_id=ward_id))
        op.success(self.done_ok).failure(self.refused)


class UserDialog(FormDialog):
    """A new account (with its first password, which its owner must change) or a change of an
    account's full name, unit or role."""

    def __init__(self, admin: AdminService, units: Sequence[AdminUnit],
                 user: AdminUser | None = None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New account") if user is None else self.tr("Edit account"),
                         self.tr("Save"), parent)
        self.admin, self.user = admin, user
        self.username_edit = QLineEdit(user.username if user else "")
        self.username_edit.setEnabled(user is None)
        self.form.add("username", self.tr("User name"), self.username_edit)
        self.full_name_edit = QLineEdit(user.full_name if user else "")
        self.form.add("full_name", self.tr("Full name"), self.full_name_edit)
        self.unit_combo = QComboBox()
        for unit in units:
            if unit.is_active:
                self.unit_combo.addItem(unit.name, unit.id)
        self.form.add("unit_id", self.tr("Unit"), self.unit_combo)
        self.role_combo = QComboBox()
        for value in Role:
            self.role_combo.addItem(words.role(value), value)
        select_data(self.role_combo, Role.OFFICER)
        self.form.add("role", self.tr("Role"), self.role_combo)
        self.password_edit: QLineEdit | None = None
        self.repeat_edit: QLineEdit | None = None
        if user is None:
            self.password_edit, self.repeat_edit = password_pair(password_hint())
            self.form.add("password", self.tr("First password"), self.password_edit)
            self.form.add("password_repeat", self.tr("Repeat it"), self.repeat_edit)
            hint = QLabel(self.tr("Its owner must change it at the first login.") + " "
                          + password_hint())
            hint.setWordWrap(True)
            self.form.addRow(hint)
        else:
            select_data(self.unit_combo, user.unit.id)
            select_data(self.role_combo, user.role)
        self.finish()

    def submit(self) -> None:
        username = self.username_edit.text().strip()
        full_name = self.full_name_edit.text().strip()
        unit_id = self.unit_combo.currentData()
        role = Role(self.role_combo.currentData())
        problems = [None if username else FieldProblem("username", Problem.REQUIRED),
                    None if full_name else FieldProblem("full_name", Problem.REQUIRED),
                    None if unit_id is not None else FieldProblem("unit_id", Problem.REQUIRED)]
        if self.password_edit is not None and self.repeat_edit is not None:
            problems.append(check_password("password", self.password_edit.text(),
                                           self.repeat_edit.text()))
        if self.form.show_problems(problems):
            return
        self.sending(True)
        if self.user is None:
            assert self.password_edit is not None
            op = self.admin.create_user(username, full_name, int(unit_id), role,
                                        self.password_edit.text(), owner=self)
        else:
            op = self.admin.update_user(self.user.id, owner=self, full_name=full_name,
                                        unit_id=int(unit_id), role=role)
        op.success(self.done_ok).failure(self.refused)


class ResetPasswordDialog(FormDialog):
    """A new password for a forgotten one: the account's sessions end and its owner chooses
    their own at the next login."""

    def __init__(self, admin: AdminService, user: AdminUser,
                 parent: QWidget | None = None) -> None:
        super().__init__(arg(self.tr("Reset the password of %1"), user.username),
                         self.tr("Reset password"), parent)
        self.admin, self.user = admin, user
        self.password_edit, self.repeat_edit = password_pair(password_hint())
        self.form.add("password", self.tr("New password"), self.password_edit)
        self.form.add("password_repeat", self.tr("Repeat it"), self.repeat_edit)
        hint = QLabel(password_hint() + " " + self.tr(
            "Every session of the account ends; its owner must choose a new password at the "
            "next login."))
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.finish()

    def submit(self) -> None:
        if self.form.show_problems([check_password("password", self.password_edit.text(),
                                                   self.repeat_edit.text())]):
            return
        self.sending(True)
        self.admin.reset_password(self.user.id, self.password_edit.text(), owner=self) \
            .success(self.done_ok).failure(self.refused)


def _number(text: str, integer: bool) -> tuple[float | int | None, bool]:
    """(the value or None when empty, whether the text is not a number)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None, False
    try:
        return (int(text) if integer else float(text)), False
    except ValueError:
        return None, True


class CameraFieldsForm:
    """The camera's fields on a :class:`FieldForm` (the edit dialog and the wizard's last
    page use it): read them back as :class:`CameraFields` with the problems found."""

    def __init__(self, form: FieldForm, wards: Sequence[AdminWard],
                 gateways: Sequence[GatewayInfo], *, addresses: bool = True) -> None:
        self.form = form
        self.name_edit = QLineEdit()
        form.add("name", translate("CameraDialog", "Name"), self.name_edit)
        self.ward_combo = ward_combo(wards, none_text=translate("CameraDialog", "(choose a ward)"))
        form.add("ward_id", translate("CameraDialog", "Ward"), self.ward_combo)
        self.system_combo = QComboBox()
        for value in CameraSystem:
            self.system_combo.addItem(words.system(value), value)
        form.add("system", translate("CameraDialog", "System"), self.system_combo)
        self.category_combo = QComboBox()
        self.category_combo.addItem(translate("CameraDialog", "(none)"), None)
        for category in OwnerCategory:
            self.category_combo.addItem(words.owner_category(category), category)
        form.add("owner_category", translate("CameraDialog", "Owner category"), self.category_combo)
        self.location_edit = QLineEdit()
        form.add("location", translate("CameraDialog", "Location"), self.location_edit)
        self.latitude_edit = QLineEdit()
        self.latitude_edit.setPlaceholderText("17.4690")
        form.add("latitude", translate("CameraDialog", "Latitude"), self.latitude_edit)
        self.longitude_edit = QLineEdit()
        self.longitude_edit.setPlaceholderText("106.6220")
        form.add("longitude", translate("CameraDialog", "Longitude"), self.longitude_edit)
        self.direction_edit = QLineEdit()
        self.direction_edit.setPlaceholderText(translate("CameraDialog", "0–359°, 0 = north"))
        form.add("direction", translate("CameraDialog", "Direction"), self.direction_edit)
        self.addresses = addresses
        self.main_edit = QLineEdit()
        self.sub_edit = QLineEdit()
        self.onvif_host_edit = QLineEdit()
        self.onvif_port_edit = QLineEdit()
        self.ptz_check = QCheckBox(translate("CameraDialog", "Pan, tilt, zoom"))
        self.transport_combo = QComboBox()
        for transport in CameraTransport:
            self.transport_combo.addItem(words.transport(transport), transport)
        self.gateway_combo = gateway_combo(gateways, translate("CameraDialog", "(none)"))
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.credentials_label = QLabel()
        if addresses:
            self.main_edit.setPlaceholderText("rtsp://10.20.0.15:554/Streaming/Channels/101")
            form.add("main_url", translate("CameraDialog", "Main stream"), self.main_edit)
            form.add("sub_url", translate("CameraDialog", "Sub stream"), self.sub_edit)
            form.add("onvif_host", translate("CameraDialog", "ONVIF host"), self.onvif_host_edit)
            form.add("onvif_port", translate("CameraDialog", "ONVIF port"), self.onvif_port_edit)
            form.add("ptz", "", self.ptz_check)
            form.add("transport", translate("CameraDialog", "Transport"), self.transport_combo)
            form.add("gateway_id", translate("CameraDialog", "Gateway"), self.gateway_combo)
            form.add("username", translate("CameraDialog", "Camera user name"), self.username_edit)
            form.add("password", translate("CameraDialog", "Camera password"), self.password_edit)
            form.addRow("", self.credentials_label)
        self.system_combo.currentIndexChanged.connect(self._system_changed)
        self._system_changed()

    def _system_changed(self) -> None:
        """Only cameras of the public system have an owner category."""
        public = self.system_combo.currentData() == CameraSystem.PUBLIC
        self.category_combo.setEnabled(public)
        if not public:
            self.category_combo.setCurrentIndex(0)

    def show_camera(self, camera: AdminCamera) -> None:
        self.name_edit.setText(camera.name)
        select_data(self.ward_combo, camera.ward_id)
        select_data(self.system_combo, camera.system)
        select_data(self.category_combo, camera.owner_category)
        self.location_edit.setText(camera.location)
        for edit, value in ((self.latitude_edit, camera.latitude),
                            (self.longitude_edit, camera.longitude),
                            (self.direction_edit, camera.direction),
                            (self.onvif_port_edit, camera.onvif_port)):
            edit.setText("" if value is None else str(value))
        self.main_edit.setText(camera.main_url)
        self.sub_edit.setText(camera.sub_url or "")
        self.onvif_host_edit.setText(camera.onvif_host or "")
        self.ptz_check.setChecked(camera.ptz)
        select_data(self.transport_combo, camera.transport)
        select_data(self.gateway_combo, camera.gateway_id)
        self.password_edit.setPlaceholderText(translate("CameraDialog", "(unchanged)") if camera.has_credentials
                                              else "")
        self.credentials_label.setText(
            translate("CameraDialog", "✔ The gateway holds this camera's credentials; leave the password empty to "
               "keep them.") if camera.has_credentials
            else translate("CameraDialog", "No credentials are held for this camera."))

    def fields(self) -> tuple[CameraFields, list[FieldProblem]]:
        latitude, bad_lat = _number(self.latitude_edit.text(), False)
        longitude, bad_lon = _number(self.longitude_edit.text(), False)
        direction, bad_dir = _number(self.direction_edit.text(), True)
        port, bad_port = _number(self.onvif_port_edit.text(), True)
        category = self.category_combo.currentData()
        fields = CameraFields(
            name=self.name_edit.text().strip(), ward_id=self.ward_combo.currentData(),
            system=CameraSystem(self.system_combo.currentData()),
            owner_category=OwnerCategory(category) if category else None,
            location=self.location_edit.text().strip(),
            latitude=None if latitude is None else float(latitude),
            longitude=None if longitude is None else float(longitude),
            direction=None if direction is None else int(direction),
            main_url=self.main_edit.text().strip(), sub_url=self.sub_edit.text().strip() or None,
            onvif_host=self.onvif_host_edit.text().strip() or None,
            onvif_port=None if port is None else int(port), ptz=self.ptz_check.isChecked(),
            transport=CameraTransport(self.transport_combo.currentData()),
            gateway_id=self.gateway_combo.currentData(),
            username=self.username_edit.text().strip() or None,
            password=self.password_edit.text() or None)
        problems = check_camera(fields)
        for bad, name, problem in ((bad_lat, "latitude", Problem.LATITUDE),
                                   (bad_lon, "longitude", Problem.LONGITUDE),
                                   (bad_dir, "direction", Problem.DIRECTION),
                                   (bad_port, "onvif_port", Problem.PORT)):
            if bad:
                problems.append(FieldProblem(name, problem))
        return fields, problems


class CameraDialog(FormDialog):
    """Edit a camera. Its credentials are write-only: an empty password field leaves them as
    they are."""

    def __init__(self, admin: AdminService, wards: Sequence[AdminWard],
                 gateways: Sequence[GatewayInfo], camera: AdminCamera,
                 parent: QWidget | None = None) -> None:
        super().__init__(arg(self.tr("Edit camera %1"), camera.name), self.tr("Save"), parent)
        self.admin, self.camera = admin, camera
        self.fields_form = CameraFieldsForm(self.form, wards, gateways)
        self.fields_form.show_camera(camera)
        self.finish()

    def submit(self) -> None:
        fields, problems = self.fields_form.fields()
        if self.form.show_problems(problems):
            return
        changes = fields.changes(self.camera)
        if not changes:
            self.done_ok(self.camera)
            return
        self.sending(True)
        self.admin.update_camera(self.camera.id, changes, owner=self) \
            .success(self.done_ok).failure(self.refused)


class GatewayDialog(FormDialog):
    """A gateway the site runs elsewhere: where viewers reach it and its control endpoint. The
    control secret is write-only: the edit dialog shows it empty and sends it only when typed.
    A gateway keeps its name (the server's audit and the camera lists know it by it)."""

    def __init__(self, admin: AdminService, gateway: GatewayInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New gateway") if gateway is None else self.tr("Edit gateway"),
                         self.tr("Save"), parent)
        self.admin, self.gateway = admin, gateway
        self.name_edit = QLineEdit(gateway.name if gateway else "")
        self.name_edit.setReadOnly(gateway is not None)
        self.form.add("name", self.tr("Name"), self.name_edit)
        self.rtsp_host_edit = QLineEdit(gateway.rtsp_host if gateway else "")
        self.rtsp_host_edit.setPlaceholderText(self.tr("where viewers reach it, e.g. 10.0.0.2"))
        self.form.add("rtsp_host", self.tr("RTSP host"), self.rtsp_host_edit)
        self.rtsp_port_edit = QLineEdit(str(gateway.rtsp_port) if gateway else "8554")
        self.form.add("rtsp_port", self.tr("RTSP port"), self.rtsp_port_edit)
        self.ptz_port_edit = QLineEdit(str(gateway.ptz_port) if gateway and gateway.ptz_port
                                       else "")
        self.ptz_port_edit.setPlaceholderText(self.tr("none: its cameras get no PTZ"))
        self.form.add("ptz_port", self.tr("PTZ port"), self.ptz_port_edit)
        self.control_url_edit = QLineEdit(gateway.control_url if gateway else "")
        self.control_url_edit.setPlaceholderText("http://10.0.0.2:8601")
        self.form.add("control_url", self.tr("Control address"), self.control_url_edit)
        self.control_secret_edit = QLineEdit()
        self.control_secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.control_secret_edit.setPlaceholderText(
            arg(self.tr("at least %1 characters"), MIN_CONTROL_SECRET_LENGTH) if gateway is None
            else self.tr("unchanged unless typed"))
        self.form.add("control_secret", self.tr("Control secret"), self.control_secret_edit)
        self.active_check = QCheckBox(self.tr("Active"))
        self.active_check.setChecked(gateway.is_active if gateway else True)
        self.active_check.setVisible(gateway is not None)
        if gateway is not None:
            self.form.add("is_active", "", self.active_check)
        self.finish()

    def submit(self) -> None:
        rtsp_port, bad_rtsp = _number(self.rtsp_port_edit.text(), True)
        ptz_port, bad_ptz = _number(self.ptz_port_edit.text(), True)
        secret = self.control_secret_edit.text()
        # a port that is not a number is checked as port 0: "a port is between 1 and 65535"
        if self.form.show_problems(check_gateway(
                None if self.gateway else self.name_edit.text(), self.rtsp_host_edit.text(),
                0 if bad_rtsp else None if rtsp_port is None else int(rtsp_port),
                0 if bad_ptz else None if ptz_port is None else int(ptz_port),
                self.control_url_edit.text(), secret or None)):
            return
        assert rtsp_port is not None
        host, url = self.rtsp_host_edit.text().strip(), self.control_url_edit.text().strip()
        self.sending(True)
        if self.gateway is None:
            op = self.admin.create_gateway(
                self.name_edit.text().strip(), host, int(rtsp_port), url, secret,
                None if ptz_port is None else int(ptz_port), owner=self)
        else:
            op = self.admin.update_gateway(
                self.gateway.id, owner=self, rtsp_host=host, rtsp_port=int(rtsp_port),
                ptz_port=None if ptz_port is None else int(ptz_port), control_url=url,
                control_secret=secret or None, is_active=self.active_check.isChecked())
        op.success(self.done_ok).failure(self.refused)
