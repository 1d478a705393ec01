"""Build the backend's site package: ``dist/iocwall-server_<version>_all.deb``.

    .venv/bin/python -m installer.build_server                 # what ``make package-server`` runs
    .venv/bin/python -m installer.build_server --print-requirements
    .venv/bin/python -m installer.build_server --wheelhouse DIR   # carry the wheels: offline

The package carries the source of ``server/``, ``common/`` and ``gateway/`` (the backend runs
the embedded media gateway, ``/usr/bin/python3 -m gateway``, from its own tree: see
``gateway/process.py``) under ``/opt/iocwall-server/``, and ``requirements.txt``: every Python
distribution the backend needs, pinned to ``constraints.txt`` — the versions the suite ran
against. Its ``postinst`` creates the system user ``iocwall``, the data dir ``/var/lib/iocwall``
(0700) and the venv ``/opt/iocwall-server/venv`` with exactly those pins (``--no-deps``, wheels
only, then ``pip check``): from PyPI, or with ``--no-index`` from the wheelhouse the package
carries when it was built with ``--wheelhouse``. It never starts the service: an uninitialised
data dir would only exit 2 (``iocwall-server init`` first, docs/administration.md).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import sys
import time
import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from installer import site_deb
from installer.build_deb import DIST_DIR, ROOT, project_version
from installer.site_deb import SiteFile, SitePackage

PACKAGE = "iocwall-server"
INSTALL_DIR = Path("opt/iocwall-server")
VENV = f"/{INSTALL_DIR}/venv"
WHEELHOUSE = INSTALL_DIR / "wheelhouse"
REQUIREMENTS = INSTALL_DIR / "requirements.txt"
DATA_DIR = "/var/lib/iocwall"
USER = "iocwall"
ENV_FILE = "/etc/iocwall/server.env"
ENV_EXAMPLE = Path("etc/iocwall/server.env.example")
COMMAND = Path("usr/sbin/iocwall-server")
DOC = Path("usr/share/doc/iocwall-server/administration.md")
UNIT = ROOT / "installer" / "iocwall-server.service"
RESTART_MARK = "/run/iocwall-server.upgrade-restart"

# The distributions of pyproject.toml's dependencies that the backend imports (server/, and
# common/ and gateway.process, which import none): a test holds this to server/'s imports.
SERVER_DISTRIBUTIONS = (
    "fastapi", "uvicorn", "starlette", "SQLAlchemy", "psycopg", "alembic", "argon2-cffi",
    "cryptography", "pynacl", "pydantic", "python-multipart", "holidays", "fpdf2", "matplotlib",
    "av", "platformdirs", "anyio",
)

# What the backend starts or loads from the system; each also in scripts/system-packages.txt
# (a test keeps it so).
DEPENDS = (
    "python3 (>= 3.11)",  # the venv's interpreter, and the embedded gateway's
    "python3-venv",
    "adduser",  # postinst: the system user
    "ffmpeg",  # the recorder's ffmpeg, clip cutting's ffprobe
    "fonts-dejavu-core",  # the reports' PDF and plots (DejaVu Sans: Vietnamese letters)
    # the embedded media gateway (IOCWALL_GATEWAY=embedded, the default): Debian's python3 with
    # gi and nacl, GStreamer's RTSP server and the elements it links (installer/build_gateway.py)
    "python3-gi",
    "python3-nacl",
    "gir1.2-gst-rtsp-server-1.0",
    "gstreamer1.0-plugins-base",
    "gstreamer1.0-plugins-good",
    "gstreamer1.0-plugins-bad",
)
SUMMARY = "backend of the Đồng Hới Smart City IOC video wall"
DESCRIPTION = (
    "The iocwall backend: users and permissions under Decision 790/QĐ-UBND, cameras,\n"
    "stream sessions, PTZ leases, the recorder, signed evidence clips, cases, incidents\n"
    "and the tamper-evident audit log; it runs the embedded media gateway.\n"
    "Initialise it before the first start:\n"
    "  iocwall-server init --data-dir /var/lib/iocwall --admin-username admin\n"
    ".\n"
    "Máy chủ của tường video, Trung tâm Giám sát, điều hành đô thị thông minh Đồng Hới."
)

COMMAND_SCRIPT = f"""#!/bin/sh
# python -m server as the service runs it: as {USER}, with the settings of {ENV_FILE}, in
# the package's venv (init, migrate, gateway-token-key, audit verify, clip verify).
set -eu
if [ "$(id -u)" = 0 ]; then
    exec runuser -u {USER} -- "$0" "$@"
fi
if [ "$(id -un)" != {USER} ]; then
    echo "iocwall-server: run it as root or as {USER} (it reads {ENV_FILE})" >&2
    exit 1
fi
HOME={DATA_DIR}
IOCWALL_DATA_DIR={DATA_DIR}
export HOME IOCWALL_DATA_DIR
set -a
. {ENV_FILE}
set +a
umask 077
# -P: the working directory (wherever the administrator stands) is not on the module path
exec {VENV}/bin/python -P -m server "$@"
"""

POSTINST = f"""#!/bin/sh
# Creates the user, the data dir and the venv; never starts the backend: a data dir without
# init makes it exit 2. An upgrade starts it again only if it was running (prerm noted it).
set -eu

if [ "$1" = configure ]; then
    adduser --system --group --home {DATA_DIR} --no-create-home \\
        --gecos "iocwall backend" {USER} >/dev/null
    # the database, keys, recordings and clips: the service's user alone
    install -d -o {USER} -g {USER} -m 0700 {DATA_DIR}
    install -d -o root -g root -m 0755 /etc/iocwall
    if [ ! -e {ENV_FILE} ]; then
        install -o root -g {USER} -m 0640 /{ENV_EXAMPLE} {ENV_FILE}
    fi

    # pinned, wheels only (no compiler on a server), nothing but the pins (--no-deps), then
    # pip's own check that the pins are complete; from the package's wheelhouse when it has one
    if [ ! -x {VENV}/bin/python ]; then
        python3 -m venv {VENV}
    fi
    set -- --no-deps --only-binary=:all: --disable-pip-version-check --no-input
    if [ -d /{WHEELHOUSE} ]; then
        set -- "$@" --no-index --find-links /{WHEELHOUSE}
    fi
    {VENV}/bin/python -m pip install --quiet "$@" -r /{REQUIREMENTS}
    {VENV}/bin/python -m pip check
    # the backend's own packages, from any working directory (sudo -u {USER} ... -m server)
    site=$({VENV}/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
    echo /{INSTALL_DIR} > "$site/iocwall-server.pth"
    # the service's user cannot write caches into /opt: compile once here
    python3 -m compileall -q /{INSTALL_DIR}/server /{INSTALL_DIR}/common \\
        /{INSTALL_DIR}/gateway >/dev/null || true

    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        if [ -e {RESTART_MARK} ]; then
            rm -f {RESTART_MARK}
            systemctl start iocwall-server.service || \
                echo "iocwall-server did not start again: journalctl -u iocwall-server" >&2
        fi
    fi
fi
exit 0
"""

PRERM = f"""#!/bin/sh
# Stops the backend before its files go; at an upgrade, a running one is noted and postinst
# starts it again on the new files (a stopped one stays stopped).
set -eu
if [ -d /run/systemd/system ]; then
    if [ "$1" = upgrade ] && systemctl is-active --quiet iocwall-server.service; then
        touch {RESTART_MARK}
    fi
    systemctl stop iocwall-server.service || true
fi
if [ "$1" = remove ]; then
    find /{INSTALL_DIR} -name __pycache__ -type d -prune -exec rm -rf {{}} +
fi
exit 0
"""

POSTRM = f"""#!/bin/sh
# Removes what postinst made except the data: {DATA_DIR} (database, keys, recordings,
# evidence) stays, even on purge; an administrator deletes it by hand.
set -eu
case "$1" in
    remove|purge)
        rm -rf {VENV}
        rmdir /{INSTALL_DIR} 2>/dev/null || true
        if [ -d /run/systemd/system ]; then
            systemctl daemon-reload || true
        fi
        ;;
esac
if [ "$1" = purge ]; then
    rm -f {ENV_FILE}
    rmdir /etc/iocwall 2>/dev/null || true
    if getent passwd {USER} >/dev/null; then
        deluser --system {USER} >/dev/null || true
    fi
    if getent group {USER} >/dev/null; then
        delgroup --system {USER} >/dev/null || true
    fi
fi
exit 0
"""


def read_constraints(path: Path = ROOT / "constraints.txt") -> dict[str, tuple[str, str]]:
    """canonical name → (the name as constraints.txt spells it, the pinned version)."""
    pins: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, separator, version = line.partition("==")
        if not separator:
            raise ValueError(f"constraints.txt: {line!r} is not name==version")
        pins[canonicalize_name(name)] = (name.strip(), version.strip())
    return pins


def server_roots(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """pyproject.toml's requirement lines (with their extras and markers) of the backend's
    distributions; a distribution the backend imports but pyproject leaves to another (starlette
    through fastapi) comes in by name."""
    with pyproject.open("rb") as f:
        lines = tomllib.load(f)["project"]["dependencies"]
    wanted = {canonicalize_name(name) for name in SERVER_DISTRIBUTIONS}
    roots = [req for req in map(Requirement, lines) if canonicalize_name(req.name) in wanted
             and (req.marker is None or req.marker.evaluate())]
    named = {canonicalize_name(req.name) for req in roots}
    return roots + [Requirement(name) for name in sorted(wanted - named)]


def requirement_closure(roots: Iterable[Requirement]) -> set[str]:
    """The canonical names of ``roots`` and of everything they require on this Python and
    platform (the target's: Debian 12's python3), as the installed distributions' metadata
    says — the venv was installed from constraints.txt, so it is the pinned set's own."""
    todo = [(canonicalize_name(req.name), frozenset(req.extras)) for req in roots]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in done:
            continue
        done.add((name, extras))
        for line in importlib.metadata.requires(name) or []:
            req = Requirement(line)
            if req.marker is None or any(req.marker.evaluate({"extra": extra})
                                         for extra in (*extras, "")):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return {name for name, _ in done}


def requirements_text(closure: Iterable[str], pins: dict[str, tuple[str, str]]) -> str:
    """``name==version`` for each, as constraints.txt pins it; ValueError naming what it does
    not pin (then the venv holds a version nobody chose)."""
    unpinned = sorted(set(closure) - set(pins))
    if unpinned:
        raise ValueError(f"constraints.txt pins none of {', '.join(unpinned)}")
    lines = sorted(f"{pins[name][0]}=={pins[name][1]}" for name in closure)
    header = ("# iocwall backend: every distribution it needs, pinned as constraints.txt pins\n"
              "# them (installer/build_server.py writes this; postinst installs it --no-deps)\n")
    return header + "".join(f"{line}\n" for line in sorted(lines, key=str.lower))


def server_requirements() -> str:
    return requirements_text(requirement_closure(server_roots()), read_constraints())


_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)-.+\.whl$")


def wheelhouse_files(wheelhouse: Path, requirements: str) -> dict[Path, Path]:
    """The wheels of ``wheelhouse`` that the pinned requirements name, as package targets;
    ValueError naming the pins it has no wheel for."""
    wanted: dict[str, str] = {}
    for line in requirements.splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            wanted[canonicalize_name(name)] = version
    found: dict[Path, Path] = {}
    have: set[str] = set()
    for wheel in sorted(wheelhouse.glob("*.whl")):
        match = _WHEEL.match(wheel.name)
        if match is None:
            continue
        name = canonicalize_name(match["name"])
        if wanted.get(name) == match["version"]:
            found[WHEELHOUSE / wheel.name] = wheel
            have.add(name)
    missing = sorted(set(wanted) - have)
    if missing:
        raise ValueError(f"{wheelhouse}: no wheel for {', '.join(missing)} (fetch them: "
                         f"pip download --only-binary=:all: -d {wheelhouse} -r REQUIREMENTS)")
    return found


def package(requirements: str) -> SitePackage:
    doc = (ROOT / "docs" / "administration.md").read_text(encoding="utf-8")
    return SitePackage(
        name=PACKAGE, install_dir=INSTALL_DIR, sources=("server", "common", "gateway"),
        unit=UNIT, depends=DEPENDS, summary=SUMMARY, description=DESCRIPTION,
        maintainer_scripts={"postinst": POSTINST, "prerm": PRERM, "postrm": POSTRM},
        files={
            REQUIREMENTS: SiteFile(requirements),
            ENV_EXAMPLE: SiteFile((ROOT / "installer" / "server.env.example")
                                  .read_text(encoding="utf-8")),
            COMMAND: SiteFile(COMMAND_SCRIPT, 0o755),
            DOC: SiteFile(doc),
        },
        conffiles=(ENV_EXAMPLE,),
    )


def build_server(out_dir: Path = DIST_DIR, build_dir: Path = ROOT / "build",
                 wheelhouse: Path | None = None) -> Path:
    requirements = server_requirements()
    extra = wheelhouse_files(wheelhouse, requirements) if wheelhouse is not None else None
    version = project_version()
    spec = package(requirements)
    tree = site_deb.deb_tree(spec, build_dir / "deb" / PACKAGE, version, extra)
    return site_deb.build(tree, out_dir, spec, version)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print-requirements", action="store_true",
                        help="print the pinned requirements (for pip download) and exit")
    parser.add_argument("--wheelhouse", type=Path,
                        help="carry these wheels (one per pinned requirement): the site "
                             "installs without PyPI")
    args = parser.parse_args(argv)
    if args.print_requirements:
        sys.stdout.write(server_requirements())
        return 0
    started = time.monotonic()
    try:
        deb = build_server(wheelhouse=args.wheelhouse)
    except ValueError as exc:
        print(f"build_server: {exc}", file=sys.stderr)
        return 1
    print(f"build_server: {deb.relative_to(ROOT)}: {deb.stat().st_size / 2**20:.1f} MiB "
          f"in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
