"""The systemd unit of the backend's package: the package's venv as the service's own user, the
settings file, no restart loop on an uninitialised data dir, and the gateway unit's confinement."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.installer.test_gateway_unit import settings as gateway_settings

UNIT = Path(__file__).resolve().parents[2] / "installer" / "iocwall-server.service"


def settings(unit: Path = UNIT) -> dict[str, list[str]]:
    """Each ``Key=value`` of the unit, values in order (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_it_runs_the_packages_venv_as_iocwall_with_the_settings_file() -> None:
    unit = settings()
    assert unit["User"] == ["iocwall"] and unit["Group"] == ["iocwall"]
    assert unit["EnvironmentFile"] == ["/etc/iocwall/server.env"]  # missing: no start
    assert shlex.split(unit["ExecStart"][0]) == [
        "/opt/iocwall-server/venv/bin/python", "-m", "server",
        "--host", "${IOCWALL_HOST}", "--port", "${IOCWALL_PORT}"]
    # defaults the settings file may override (systemd: EnvironmentFile wins over Environment)
    defaults = dict(value.split("=", 1) for value in unit["Environment"])
    assert defaults["IOCWALL_HOST"] == "127.0.0.1" and defaults["IOCWALL_PORT"] == "8700"
    assert defaults["IOCWALL_DATA_DIR"] == "/var/lib/iocwall"
    # the embedded gateway's GStreamer registry: in the only writable directory
    assert defaults["XDG_CACHE_HOME"].startswith("/var/lib/iocwall/")
    assert unit["WorkingDirectory"] == ["/opt/iocwall-server"]
    assert unit["WantedBy"] == ["multi-user.target"] and unit["StandardInput"] == ["null"]


def test_it_restarts_but_not_on_an_uninitialised_data_dir() -> None:
    unit = settings()
    assert unit["Restart"] == ["always"]
    assert unit["RestartPreventExitStatus"] == ["2"]


def test_it_is_confined_as_the_gateway_with_only_its_data_dir_writable() -> None:
    unit, gateway = settings(), gateway_settings()
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                       ("PrivateDevices", "yes"), ("CapabilityBoundingSet", ""),
                       ("AmbientCapabilities", ""), ("UMask", "0077"),
                       ("StateDirectoryMode", "0700")):
        assert unit[key] == [value], key
    assert unit["StateDirectory"] == ["iocwall"]  # /var/lib/iocwall, the data dir
    assert "ReadWritePaths" not in unit
    confinement = [key for key in gateway if key.startswith(("Protect", "Restrict", "Private",
                                                             "SystemCall", "Lock"))]
    for key in confinement:
        assert unit.get(key) == gateway[key], key
