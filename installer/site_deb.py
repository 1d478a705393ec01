"""What the two site packages share: the backend's (``installer/build_server.py``) and the media
gateway's (``installer/build_gateway.py``).

Both are architecture-independent ``.deb`` files that carry Python source, not a frozen
bundle: the backend runs in a venv its ``postinst`` creates from pinned requirements, the
gateway on Debian's ``/usr/bin/python3`` with Debian's ``gi`` and ``nacl``. Each runs under
systemd as its own system user; the maintainer scripts create that user and never start a
service that has not been set up (a backend needs ``python -m server init`` first, a gateway its
``/etc/iocwall/gateway.json``).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from installer.build_deb import MAINTAINER, ROOT

UNIT_DIR = Path("lib/systemd/system")  # where Debian 12's packages put their units
# What never goes into a package: the interpreter's caches (postinst compiles its own).
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


@dataclass(frozen=True)
class SiteFile:
    """One file the package installs: its text and its mode (root owns every file)."""

    text: str
    mode: int = 0o644


@dataclass(frozen=True)
class SitePackage:
    """A service's package: the source packages under ``install_dir``, its unit, its files."""

    name: str
    install_dir: Path  # relative to /
    sources: tuple[str, ...]  # top-level packages of this repository copied there
    unit: Path  # the systemd unit in installer/
    depends: tuple[str, ...]
    summary: str
    description: str
    maintainer_scripts: Mapping[str, str]  # postinst, prerm, postrm
    files: Mapping[Path, SiteFile] = field(default_factory=dict)  # relative to /
    # under /etc: dpkg keeps an administrator's edits at an upgrade (DEBIAN/conffiles)
    conffiles: tuple[Path, ...] = ()

    @property
    def unit_path(self) -> Path:
        return UNIT_DIR / self.unit.name


def control_text(package: SitePackage, version: str, installed_size_kib: int) -> str:
    body = "\n".join(f" {line}" for line in package.description.splitlines())
    fields = [
        ("Package", package.name),
        ("Version", version),
        ("Architecture", "all"),
        ("Maintainer", MAINTAINER),
        ("Installed-Size", str(installed_size_kib)),
        ("Depends", ", ".join(package.depends)),
        ("Section", "video"),
        ("Priority", "optional"),
        ("Description", f"{package.summary}\n{body}"),
    ]
    return "".join(f"{name}: {value}\n" for name, value in fields)


def dependency_names(depends: tuple[str, ...]) -> list[str]:
    """``python3 (>= 3.11)`` → ``python3``: the package names of a Depends list."""
    return [clause.split("(", 1)[0].split(":", 1)[0].strip() for clause in depends]


def _normalise_modes(tree: Path, explicit: Mapping[Path, int]) -> None:
    """0755 for directories and executables, 0644 for the rest, whatever the umask was; the
    files with a mode of their own keep it."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        relative = path.relative_to(tree)
        if relative in explicit:
            path.chmod(explicit[relative])
        elif path.is_dir() or path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def deb_tree(package: SitePackage, tree: Path, version: str,
             extra: Mapping[Path, Path] | None = None) -> Path:
    """Lay out ``package`` in ``tree`` (emptied first); ``extra`` maps more targets (relative
    to /) to files to copy there (the backend's wheelhouse). Returns the tree."""
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    for top in package.sources:
        shutil.copytree(ROOT / top, tree / package.install_dir / top, ignore=IGNORED)
    files = {package.unit_path: SiteFile(package.unit.read_text(encoding="utf-8")),
             **package.files}
    for target, content in files.items():
        (tree / target).parent.mkdir(parents=True, exist_ok=True)
        (tree / target).write_text(content.text, encoding="utf-8")
    for target, source in (extra or {}).items():
        (tree / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tree / target)
    _normalise_modes(tree, {target: content.mode for target, content in files.items()})
    payload = sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
    size_kib = (sum(p.stat().st_size for p in payload) + 1023) // 1024
    debian = tree / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control_text(package, version, size_kib), encoding="utf-8")
    # dpkg --verify compares the installed files against these
    (debian / "md5sums").write_text("".join(
        f"{hashlib.md5(p.read_bytes()).hexdigest()}  {p.relative_to(tree)}\n" for p in payload
    ), encoding="utf-8")
    if package.conffiles:
        (debian / "conffiles").write_text("".join(f"/{path}\n" for path in package.conffiles),
                                          encoding="utf-8")
    for name, text in package.maintainer_scripts.items():
        (debian / name).write_text(text, encoding="utf-8")
    _normalise_modes(debian, {Path(name): 0o755 for name in package.maintainer_scripts})
    return tree


def build(tree: Path, out_dir: Path, package: SitePackage, version: str) -> Path:
    """``dpkg-deb --root-owner-group``: every file root's, without fakeroot."""
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{package.name}_{version}_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(tree), str(deb)],
                   check=True, capture_output=True)
    return deb
