"""Build the operator-workstation package: a PyInstaller one-dir bundle in ``dist/*.deb``.

    .venv/bin/python installer/build_deb.py        # what ``make package`` runs

The bundle carries Python, Qt, PyAV's FFmpeg and every pinned Python package (workstations in the
command room are often offline: installing must not need PyPI); what it does not carry — libvlc
and its plugins, the X11/EGL/fontconfig libraries Qt's xcb plugin loads, the Vietnamese fonts —
the package declares as Debian dependencies, so apt installs them from the local mirror.

Layout of the package (``deb_tree``): the bundle under ``/opt/iocwall/``, a launcher
``/usr/bin/iocwall``, the desktop entry and an SVG icon. ``dpkg-deb --root-owner-group`` makes
every file root's without fakeroot.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "iocwall.spec"
DESKTOP_SOURCE = ROOT / "installer" / "iocwall.desktop"
ICON_SOURCE = ROOT / "resources" / "icons" / "iocwall.svg"
BUILD_DIR = ROOT / "build"
DIST_DIR = ROOT / "dist"

PACKAGE = "iocwall-client"
BUNDLE_NAME = "iocwall"  # PyInstaller's COLLECT name and the executable inside it
# Paths inside the package (relative to /).
INSTALL_DIR = Path("opt/iocwall")
LAUNCHER = Path("usr/bin/iocwall")
DESKTOP = Path("usr/share/applications/iocwall.desktop")
ICON = Path("usr/share/icons/hicolor/scalable/apps/iocwall.svg")

# What the bundle loads from the system. Every name is also in scripts/system-packages.txt (a test
# keeps it so): the development machine and the workstation run on the same Debian packages.
DEPENDS = (
    # the tiles: libvlc decodes (MPEG-TS demuxer, avcodec) and renders (X11 video output)
    "libvlc5",
    "vlc-plugin-base",
    "vlc-plugin-video-output",
    # Qt's xcb platform plugin (the PySide6 wheel links these, the bundle does not carry them)
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxkbcommon-x11-0",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    # Vietnamese letters in the whole interface
    "fonts-noto-core",
)
MAINTAINER = "iocwall maintainers <iocwall@donghoi-ioc.invalid>"
SUMMARY = "video wall client of the Đồng Hới Smart City IOC"
DESCRIPTION = (
    "The operator-workstation client of iocwall: the live camera wall, PTZ control,\n"
    "evidence, cases and incidents of the Smart City Monitoring and Operations Center\n"
    "of Đồng Hới, Vietnam. A self-contained bundle; libvlc comes from Debian.\n"
    "Check an installation with: iocwall --self-check\n"
    ".\n"
    "Tường video của Trung tâm Giám sát, điều hành đô thị thông minh thành phố Đồng Hới."
)

LAUNCHER_SCRIPT = f"""#!/bin/sh
# iocwall operator client (the PyInstaller bundle in /{INSTALL_DIR}).
# X11 always: the tiles are X windows libvlc renders into (under XWayland in a Wayland session).
QT_QPA_PLATFORM=xcb
export QT_QPA_PLATFORM
exec /{INSTALL_DIR}/{BUNDLE_NAME} "$@"
"""

_GLIBC_VERSION = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?\x00")


@dataclass(frozen=True)
class PackageInfo:
    version: str
    architecture: str
    depends: tuple[str, ...]
    installed_size_kib: int = 0


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def dpkg_architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True,
                          text=True).stdout.strip()


def _merged_usr_variants(path: str) -> tuple[str, ...]:
    """Debian 12 merges /lib into /usr/lib; dpkg knows each file under the one its package used."""
    if path.startswith("/lib"):
        return path, "/usr" + path
    if path.startswith("/usr/lib"):
        return path, path[len("/usr"):]
    return (path,)


def _certain_dependencies(field: str) -> list[str]:
    """The packages a Depends-style field requires without alternatives (``a | b`` may be met
    by either on a workstation, so neither is certain), without versions or architecture."""
    return [re.split(r"[\s(:]", clause.strip(), maxsplit=1)[0]
            for clause in field.split(",") if clause.strip() and "|" not in clause]


def installed_closure(depends: Iterable[str]) -> set[str]:
    """``depends`` and, recursively, what they certainly depend on, as dpkg knows it here: the
    packages apt installs on every workstation that installs ours. A virtual package counts only
    through the package that names it itself."""
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status}\t${Package}\t${Pre-Depends}, ${Depends}\n"],
        check=True, capture_output=True, text=True).stdout
    needs: dict[str, list[str]] = {}
    for line in listing.splitlines():
        status, package, requires = (line.split("\t") + ["", "", ""])[:3]
        if status == "installed":
            needs.setdefault(package, []).extend(_certain_dependencies(requires))
    closure: set[str] = set()
    queue = _certain_dependencies(", ".join(depends))
    while queue:
        package = queue.pop()
        if package in needs and package not in closure:
            closure.add(package)
            queue.extend(needs[package])
    return closure


def provided_by_depends(paths: Iterable[str], depends: Iterable[str] = DEPENDS) -> set[str]:
    """The system libraries among ``paths`` that apt installs with ``depends`` (the packages and
    what they depend on). The spec leaves them out of the bundle: the workstation uses Debian's
    copy, which the package declares, not a second copy from the build machine that
    ``LD_LIBRARY_PATH`` would put before Debian's libvlc and its plugins."""
    wanted = installed_closure(depends)
    queried: dict[str, str] = {}
    for path in paths:
        for variant in _merged_usr_variants(path):
            queried[variant] = path
    if not queried:
        return set()
    # exit status 1 when some path belongs to no package (a wheel's own library): expected
    listing = subprocess.run(["dpkg-query", "-S", *queried], capture_output=True, text=True,
                             check=False).stdout
    provided = set()
    for line in listing.splitlines():
        owners, separator, path = line.partition(": ")
        if not separator or path not in queried:
            continue
        if {owner.strip().split(":")[0] for owner in owners.split(",")} & wanted:
            provided.add(queried[path])
    return provided


def glibc_requirement(bundle: Path) -> str | None:
    """The newest ``GLIBC_x.y`` symbol version the bundle's ELF files ask for, as a ``libc6``
    dependency: a workstation with an older glibc is refused by apt instead of failing to start.
    (The names sit in each file's dynamic string table, so a byte search finds them all.)"""
    newest: tuple[int, ...] | None = None
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
            data = f.read()
        for match in _GLIBC_VERSION.finditer(data):
            version = tuple(int(part) for part in match.groups() if part is not None)
            if newest is None or version > newest:
                newest = version
    if newest is None:
        return None
    return f"libc6 (>= {'.'.join(str(n) for n in newest)})"


def control_text(info: PackageInfo) -> str:
    """``DEBIAN/control``: English summary, the long description with its Vietnamese line."""
    body = "\n".join(f" {line}" for line in DESCRIPTION.splitlines())
    fields = [
        ("Package", PACKAGE),
        ("Version", info.version),
        ("Architecture", info.architecture),
        ("Maintainer", MAINTAINER),
        ("Installed-Size", str(info.installed_size_kib)),
        ("Depends", ", ".join(info.depends)),
        ("Section", "video"),
        ("Priority", "optional"),
        ("Description", f"{SUMMARY}\n{body}"),
    ]
    return "".join(f"{name}: {value}\n" for name, value in fields)


def _tree_size_kib(tree: Path) -> int:
    total = sum(p.lstat().st_size for p in tree.rglob("*") if not p.is_dir())
    return (total + 1023) // 1024


def _normalise_modes(tree: Path) -> None:
    """0755 for directories and executables, 0644 for the rest, whatever the umask was."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def deb_tree(tree: Path, bundle: Path, info: PackageInfo) -> Path:
    """Lay out the package in ``tree`` (emptied first) from the PyInstaller ``bundle``; returns
    the tree. ``info.installed_size_kib`` is computed here."""
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    shutil.copytree(bundle, tree / INSTALL_DIR, symlinks=True)
    launcher = tree / LAUNCHER
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER_SCRIPT, encoding="utf-8")
    launcher.chmod(0o755)
    for source, target in ((DESKTOP_SOURCE, DESKTOP), (ICON_SOURCE, ICON)):
        (tree / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tree / target)
    _normalise_modes(tree)
    files = sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
    debian = tree / "DEBIAN"
    debian.mkdir()
    sized = PackageInfo(info.version, info.architecture, info.depends, _tree_size_kib(tree))
    (debian / "control").write_text(control_text(sized), encoding="utf-8")
    # dpkg --verify compares the installed files against these
    (debian / "md5sums").write_text("".join(
        f"{hashlib.md5(p.read_bytes()).hexdigest()}  {p.relative_to(tree)}\n" for p in files
    ), encoding="utf-8")
    _normalise_modes(debian)
    return tree


def run_pyinstaller(work: Path, dist: Path) -> Path:
    """Run PyInstaller on the spec; returns the one-dir bundle."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--workpath", str(work), "--distpath", str(dist), str(SPEC)],
                   check=True, cwd=ROOT)
    bundle = dist / BUNDLE_NAME
    if not (bundle / BUNDLE_NAME).is_file():
        raise RuntimeError(f"PyInstaller left no executable at {bundle / BUNDLE_NAME}")
    return bundle


def bundled_libvlc(bundle: Path) -> list[Path]:
    """libvlc copies inside the bundle (there must be none: Debian's is used)."""
    return sorted(p for p in bundle.rglob("libvlc*.so*"))


def build_deb(tree: Path, out_dir: Path, info: PackageInfo) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{info.version}_{info.architecture}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(tree), str(deb)], check=True)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-pyinstaller", action="store_true",
                        help="re-package the bundle of the last build (build/pyinstaller/dist)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    work, dist = BUILD_DIR / "pyinstaller" / "work", BUILD_DIR / "pyinstaller" / "dist"
    if args.skip_pyinstaller:
        bundle = dist / BUNDLE_NAME
    else:
        bundle = run_pyinstaller(work, dist)
    frozen = time.monotonic()
    stray = bundled_libvlc(bundle)
    if stray:
        print(f"build_deb: libvlc must come from Debian, the bundle carries {stray}",
              file=sys.stderr)
        return 1
    libc = glibc_requirement(bundle)
    depends = DEPENDS + ((libc,) if libc else ())
    info = PackageInfo(project_version(), dpkg_architecture(), depends)
    tree = deb_tree(BUILD_DIR / "deb" / PACKAGE, bundle, info)
    deb = build_deb(tree, DIST_DIR, info)
    size_mib = deb.stat().st_size / 2**20
    print(f"build_deb: {deb.relative_to(ROOT)}: {size_mib:.1f} MiB "
          f"(installed {_tree_size_kib(tree / INSTALL_DIR) / 1024:.0f} MiB); "
          f"PyInstaller {frozen - started:.0f} s, package {time.monotonic() - frozen:.0f} s")
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
