"""The shared words of site administration (``common.vocabulary``) as the user reads them, and
a probe's failure as one sentence."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from common.vocabulary import (
    CameraSystem,
    CameraTransport,
    ImportAction,
    OwnerCategory,
    ProbeFailure,
    Role,
    UnitKind,
)

translate = QCoreApplication.translate  # lupdate reads translate("AdminWords", "text")


def unit_kind(kind: str) -> str:
    names = {
        UnitKind.OPERATING_UNIT: translate("AdminWords", "Operating unit (IOC)"),
        UnitKind.CITY_POLICE: translate("AdminWords", "City police"),
        UnitKind.TRAFFIC_POLICE: translate("AdminWords", "Traffic police"),
        UnitKind.URBAN_ORDER: translate("AdminWords", "Urban order"),
        UnitKind.WARD_POLICE: translate("AdminWords", "Ward police"),
        UnitKind.WARD_COMMITTEE: translate("AdminWords", "Ward committee"),
        UnitKind.OTHER_AGENCY: translate("AdminWords", "Other agency"),
    }
    return names.get(kind, str(kind))  # type: ignore[call-overload]


def role(value: str) -> str:
    names = {
        Role.LEADER: translate("AdminWords", "Leader"),
        Role.OFFICER: translate("AdminWords", "Officer"),
        Role.OPERATOR: translate("AdminWords", "Operator"),
        Role.ADMIN: translate("AdminWords", "Administrator"),
    }
    return names.get(value, str(value))  # type: ignore[call-overload]


def system(value: str) -> str:
    names = {
        CameraSystem.SMART_CITY: translate("AdminWords", "Smart city"),
        CameraSystem.PUBLIC: translate("AdminWords", "Public (connected)"),
        CameraSystem.TRAFFIC: translate("AdminWords", "Traffic"),
    }
    return names.get(value, str(value))  # type: ignore[call-overload]


def owner_category(value: str | None) -> str:
    if value is None:
        return ""
    names = {
        OwnerCategory.SCHOOL: translate("AdminWords", "School"),
        OwnerCategory.HOSPITAL: translate("AdminWords", "Hospital"),
        OwnerCategory.AGENCY: translate("AdminWords", "Agency"),
        OwnerCategory.HOUSEHOLD: translate("AdminWords", "Household"),
        OwnerCategory.BUSINESS: translate("AdminWords", "Business"),
        OwnerCategory.OTHER: translate("AdminWords", "Other"),
    }
    return names.get(value, str(value))  # type: ignore[call-overload]


def transport(value: str) -> str:
    names = {
        CameraTransport.AUTO: translate("AdminWords", "Automatic (TCP, then UDP)"),
        CameraTransport.TCP: translate("AdminWords", "TCP"),
        CameraTransport.UDP: translate("AdminWords", "UDP"),
    }
    return names.get(value, str(value))  # type: ignore[call-overload]


def import_action(value: str) -> str:
    names = {
        ImportAction.CREATE: translate("AdminWords", "Create"),
        ImportAction.UPDATE: translate("AdminWords", "Update"),
        ImportAction.UNCHANGED: translate("AdminWords", "Unchanged"),
    }
    return names.get(value, str(value))  # type: ignore[call-overload]


def active(value: bool) -> str:
    return translate("AdminWords", "Active") if value else translate("AdminWords",
                                                                     "Deactivated")


def probe_failure(failure: str, step: str = "") -> str:
    """One readable sentence for why a probe failed (the step is added when it tells more)."""
    sentences = {
        ProbeFailure.UNREACHABLE: translate(
            "AdminWords", "The camera cannot be reached at this address and port: check the "
            "address, the port and the network between the gateway and the camera."),
        ProbeFailure.NOT_ONVIF: translate(
            "AdminWords", "Something answers at this address, but it is not an ONVIF camera: "
            "check the port, or enter the camera's RTSP address instead."),
        ProbeFailure.AUTH_FAILED: translate(
            "AdminWords", "The camera refused the user name or password."),
        ProbeFailure.CLOCK_SKEW: translate(
            "AdminWords", "The camera's clock is too far off to log in: set its date and time "
            "(or NTP) and try again."),
        ProbeFailure.NO_STREAM: translate(
            "AdminWords", "The camera offers no video stream the gateway could open."),
        ProbeFailure.STREAM_UNPLAYABLE: translate(
            "AdminWords", "The camera's stream opens but cannot be played (no picture arrived "
            "or its codec is unknown)."),
        ProbeFailure.TIMEOUT: translate(
            "AdminWords", "The camera did not answer in time."),
        "gateway_unreachable": translate(
            "AdminWords", "The media gateway did not answer: check that it is running."),
        "gateway_refused": translate("AdminWords", "The media gateway refused the probe."),
    }
    text = sentences.get(failure)  # type: ignore[call-overload]
    if text is None:
        text = translate("AdminWords", "The probe failed.")
    return text
