"""The .deb's control file and layout, from a stand-in bundle (PyInstaller is too slow for the
suite: ``make package-check`` builds and checks the real one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from installer import build_deb
from installer.build_deb import PackageInfo

ROOT = Path(__file__).resolve().parent.parent.parent


def system_packages() -> set[str]:
    lines = (ROOT / "scripts" / "system-packages.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_every_dependency_is_a_package_the_development_machine_installs() -> None:
    assert set(build_deb.DEPENDS) <= system_packages(), \
        set(build_deb.DEPENDS) - system_packages()
    for needed in ("libvlc5", "vlc-plugin-base", "vlc-plugin-video-output", "libxcb-cursor0",
                   "fonts-noto-core"):
        assert needed in build_deb.DEPENDS


def test_the_control_file_carries_version_architecture_and_depends() -> None:
    info = PackageInfo("0.1.0", "amd64", (*build_deb.DEPENDS, "libc6 (>= 2.36)"), 1234)
    control = build_deb.control_text(info)
    fields = dict(line.split(": ", 1) for line in control.splitlines() if not line[:1].isspace())
    assert fields["Package"] == "iocwall-client"
    assert fields["Version"] == "0.1.0" and fields["Architecture"] == "amd64"
    assert fields["Installed-Size"] == "1234"
    assert fields["Depends"] == ", ".join(info.depends)
    assert "<" in fields["Maintainer"] and fields["Maintainer"].endswith(">")
    description = control.split("Description: ", 1)[1].splitlines()
    assert all(line.startswith(" ") for line in description[1:])
    assert " ." in description  # the paragraph break before the Vietnamese line
    assert any("Đồng Hới" in line and "Tường video" in line for line in description)


def test_version_and_architecture_come_from_pyproject_and_dpkg() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{build_deb.project_version()}"\n' in pyproject
    assert build_deb.dpkg_architecture() == subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _stand_in_bundle(path: Path) -> Path:
    bundle = path / "bundle"
    (bundle / "_internal" / "onvif" / "wsdl").mkdir(parents=True)
    exe = bundle / build_deb.BUNDLE_NAME
    exe.write_bytes(b"\x7fELF" + b"\x00" * 16 + b"GLIBC_2.17\x00GLIBC_2.34\x00GLIBC_2.3.4\x00")
    exe.chmod(0o700)  # a tight umask on the build machine must not reach the package
    (bundle / "_internal" / "onvif" / "wsdl" / "ptz.wsdl").write_text("<definitions/>")
    (bundle / "_internal" / "notes.txt").write_bytes(b"GLIBC_2.99\x00 in a text file")
    return bundle


def test_glibc_requirement_is_the_newest_symbol_version_of_the_elf_files(tmp_path: Path) -> None:
    assert build_deb.glibc_requirement(_stand_in_bundle(tmp_path)) == "libc6 (>= 2.34)"
    assert build_deb.glibc_requirement(tmp_path / "bundle" / "_internal") is None


def test_the_package_tree_has_bundle_launcher_desktop_entry_and_icon(tmp_path: Path) -> None:
    bundle = _stand_in_bundle(tmp_path)
    info = PackageInfo("0.1.0", build_deb.dpkg_architecture(), build_deb.DEPENDS)
    tree = build_deb.deb_tree(tmp_path / "tree", bundle, info)
    exe = tree / build_deb.INSTALL_DIR / build_deb.BUNDLE_NAME
    assert exe.stat().st_mode & 0o777 == 0o755
    assert (tree / "opt/iocwall/_internal/onvif/wsdl/ptz.wsdl").stat().st_mode & 0o777 == 0o644
    launcher = tree / "usr/bin/iocwall"
    assert launcher.stat().st_mode & 0o777 == 0o755
    assert "exec /opt/iocwall/iocwall \"$@\"" in launcher.read_text()
    assert "QT_QPA_PLATFORM=xcb" in launcher.read_text()
    assert (tree / "usr/share/applications/iocwall.desktop").read_bytes() == \
        (ROOT / "installer" / "iocwall.desktop").read_bytes()
    assert (tree / "usr/share/icons/hicolor/scalable/apps/iocwall.svg").read_bytes() == \
        (ROOT / "resources" / "icons" / "iocwall.svg").read_bytes()
    control = (tree / "DEBIAN" / "control").read_text(encoding="utf-8")
    assert "Installed-Size: " in control and "Installed-Size: 0\n" not in control
    md5sums = (tree / "DEBIAN" / "md5sums").read_text(encoding="utf-8")
    assert "  opt/iocwall/iocwall\n" in md5sums and "  usr/bin/iocwall\n" in md5sums

    deb = build_deb.build_deb(tree, tmp_path / "dist", info)
    assert deb.name == f"iocwall-client_0.1.0_{info.architecture}.deb"
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    for path in ("./opt/iocwall/iocwall", "./usr/bin/iocwall",
                 "./usr/share/applications/iocwall.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/iocwall.svg"):
        line = next(line for line in listing.splitlines() if line.endswith(f" {path}"))
        assert " root/root " in line, line
    assert subprocess.run(["dpkg-deb", "-f", str(deb), "Package"], capture_output=True,
                          text=True, check=True).stdout.strip() == "iocwall-client"


def test_certain_dependencies_leave_out_alternatives() -> None:
    field = "a, b | c, d (>= 1.0), e:any (<< 3), f"
    assert build_deb._certain_dependencies(field) == ["a", "d", "e", "f"]


def test_the_libraries_apt_installs_with_ours_stay_out_of_the_bundle(tmp_path: Path) -> None:
    closure = build_deb.installed_closure(build_deb.DEPENDS)
    assert {"libvlc5", "libxcb-cursor0", "libc6"} <= closure
    listed = subprocess.run(["dpkg", "-L", "libxcb-cursor0"], capture_output=True, text=True,
                            check=True).stdout.split()
    library = next(p for p in listed if Path(p).name.startswith("libxcb-cursor.so."))
    wheel_library = str(tmp_path / "site-packages" / "av.libs" / "libavcodec-x.so.62")
    assert build_deb.provided_by_depends([library, wheel_library]) == {library}
    # the same file, reached through the other side of Debian's merged /usr
    other = library[len("/usr"):] if library.startswith("/usr/") else "/usr" + library
    assert build_deb.provided_by_depends([other]) == {other}


@pytest.mark.parametrize("name", ["libvlc.so.5", "libvlccore.so.9"])
def test_a_bundled_libvlc_is_found(tmp_path: Path, name: str) -> None:
    bundle = _stand_in_bundle(tmp_path)
    (bundle / "_internal" / name).write_bytes(b"")
    assert build_deb.bundled_libvlc(bundle) == [bundle / "_internal" / name]
