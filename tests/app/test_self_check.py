"""The library checks of ``--self-check``, run from source: each loads the real library."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import self_check
from app.self_check import LIBRARY_CHECKS, SelfCheckError, check_libvlc, check_onvif, check_pyav


def test_the_checks_run_in_the_order_the_report_prints_them() -> None:
    assert [check.name for check in LIBRARY_CHECKS] == ["libvlc", "pyav", "onvif"]


def test_libvlc_is_debians_with_the_tile_plugins() -> None:
    found = check_libvlc()
    assert found.startswith("3.") and "libvlc.so" in found


def test_a_missing_vlc_plugin_names_its_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(self_check, "VLC_PLUGINS",
                        {"codec/libnosuch_plugin.so": "vlc-plugin-nosuch"})
    with pytest.raises(SelfCheckError, match="libnosuch_plugin.so \\(vlc-plugin-nosuch\\)"):
        check_libvlc()


def test_vlc_plugin_path_is_searched_first(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("VLC_PLUGIN_PATH", str(tmp_path))
    dirs = self_check._vlc_plugin_dirs(None)
    assert dirs == [tmp_path]


def test_pyav_has_the_h264_decoder() -> None:
    found = check_pyav()
    assert "h264 decoder" in found and "libavcodec" in found


def test_onvif_parses_its_ptz_wsdl_offline() -> None:
    # the suite refuses non-loopback sockets: the parse must need no network
    assert check_onvif().endswith("ptz.wsdl: PTZBinding")


def test_a_missing_wsdl_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import onvif

    monkeypatch.setitem(onvif.SERVICES, "ptz", {**onvif.SERVICES["ptz"], "wsdl": "nosuch.wsdl"})
    with pytest.raises(SelfCheckError, match="nosuch.wsdl is missing"):
        check_onvif()
