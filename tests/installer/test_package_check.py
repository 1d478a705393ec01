"""The package check's own verdicts, on a stand-in package tree (the real run is
``make package-check``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import build_deb, package_check
from installer.build_deb import PackageInfo
from installer.package_check import PackageProblem, check_depends, check_desktop_integration


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / build_deb.BUNDLE_NAME).write_bytes(b"#!/bin/sh\n")
    (bundle / build_deb.BUNDLE_NAME).chmod(0o755)
    info = PackageInfo("0.1.0", "amd64", build_deb.DEPENDS)
    return build_deb.deb_tree(tmp_path / "tree", bundle, info)


def test_installed_dependencies_pass_with_and_without_versions() -> None:
    assert check_depends("libc6 (>= 2.0), libvlc5, nosuch-package | vlc-plugin-base") == [
        "libc6 (>= 2.0)", "libvlc5", "nosuch-package | vlc-plugin-base"]


@pytest.mark.parametrize("depends", ["nosuch-package-iocwall", "libc6 (>= 99)", "libc6 (<< 1)"])
def test_a_dependency_this_machine_lacks_is_named(depends: str) -> None:
    with pytest.raises(PackageProblem, match=r"Depends not installed here.*" + depends.split()[0]):
        check_depends(f"libvlc5, {depends}")


def test_the_laid_out_tree_passes(tree: Path) -> None:
    check_desktop_integration(tree)


def test_a_desktop_entry_naming_another_icon_fails(tree: Path) -> None:
    desktop = tree / build_deb.DESKTOP
    desktop.write_text(desktop.read_text(encoding="utf-8").replace("Icon=iocwall", "Icon=vlc"),
                       encoding="utf-8")
    with pytest.raises(PackageProblem, match="names icon 'vlc'"):
        check_desktop_integration(tree)


def test_a_missing_icon_fails(tree: Path) -> None:
    (tree / build_deb.ICON).unlink()
    with pytest.raises(PackageProblem, match="iocwall.svg"):
        check_desktop_integration(tree)


def test_a_launcher_that_starts_something_else_fails(tree: Path) -> None:
    (tree / build_deb.LAUNCHER).write_text("#!/bin/sh\nexec /usr/bin/vlc\n", encoding="utf-8")
    with pytest.raises(PackageProblem, match="does not start /opt/iocwall/iocwall"):
        check_desktop_integration(tree)


def test_credentials_go_into_the_url_quoted() -> None:
    url = package_check.with_credentials("rtsp://127.0.0.1:8554/cam01/sub", "cam01", "a/b@c")
    assert url == "rtsp://cam01:a%2Fb%40c@127.0.0.1:8554/cam01/sub"
