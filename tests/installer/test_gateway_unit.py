"""The systemd unit a site installs for a gateway on another machine starts it the way
tests/gateway/test_standalone.py runs it, restarts it, and confines it."""

from __future__ import annotations

import shlex
from pathlib import Path

UNIT = Path(__file__).resolve().parents[2] / "installer" / "iocwall-gateway.service"


def settings() -> dict[str, list[str]]:
    """Each ``Key=value`` of the unit, values in order (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_it_runs_debians_python_on_the_owner_only_configuration_and_restarts() -> None:
    unit = settings()
    assert shlex.split(unit["ExecStart"][0]) == [
        "/usr/bin/python3", "-m", "gateway", "--config", "/etc/iocwall/gateway.json"]
    assert unit["Restart"] == ["always"]
    assert unit["RestartPreventExitStatus"] == ["2"]  # a refused configuration: no loop
    assert unit["User"] == ["iocwall-gateway"] and unit["StandardInput"] == ["null"]
    assert unit["WantedBy"] == ["multi-user.target"]


def test_it_is_confined_with_only_its_key_directory_writable() -> None:
    unit = settings()
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                       ("PrivateDevices", "yes"), ("CapabilityBoundingSet", ""),
                       ("UMask", "0077"), ("StateDirectoryMode", "0700")):
        assert unit[key] == [value], key
    assert unit["StateDirectory"] == ["iocwall-gateway"]  # /var/lib/iocwall-gateway
    assert "ReadWritePaths" not in unit
