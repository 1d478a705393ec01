"""``make package-check``: the built .deb, unpacked (never installed here), passes its self-check.

    .venv/bin/python installer/package_check.py [DEB]

1. ``dpkg-deb -x`` the package into a temporary directory and read its control file;
2. every package in its Depends is installed on this machine (what apt ensures on a workstation);
3. the launcher, desktop entry and icon are where the package puts them, and name each other;
4. on a private Xvfb, with a one-camera lab, run the unpacked ``/opt/iocwall/iocwall --self-check``
   in a clean environment (no PYTHONPATH, not the venv: the bundle must stand alone) with the
   camera's stream URL on standard input, print what it says, and exit with its exit status.

The lab and Xvfb are stopped on every path. Exit 1 when a step before the self-check fails.
"""

from __future__ import annotations

import argparse
import configparser
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages

from installer import build_deb  # noqa: E402
from lab.testing import start_test_lab  # noqa: E402
from tests.xvfb import start_xvfb  # noqa: E402

SELF_CHECK_TIMEOUT_S = 120  # the check's own stream timeout is 45 s; start-up comes on top
_DEPENDENCY = re.compile(r"^(?P<name>[a-z0-9][a-z0-9+.-]*)(?::\w+)?"
                         r"(?:\s*\((?P<op><<|<=|=|>=|>>)\s*(?P<version>[^)\s]+)\))?$")
_DPKG_OPERATORS = {"<<": "lt", "<=": "le", "=": "eq", ">=": "ge", ">>": "gt"}


class PackageProblem(Exception):
    """The package is wrong before its self-check even runs."""


def say(text: str) -> None:
    print(f"package-check: {text}", flush=True)


def control_fields(deb: Path) -> dict[str, str]:
    text = subprocess.run(["dpkg-deb", "-f", str(deb)], check=True, capture_output=True,
                          text=True).stdout
    fields: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if line.startswith((" ", "\t")) and name:
            fields[name] += "\n" + line.strip()
        elif ":" in line:
            name, value = line.split(":", 1)
            fields[name] = value.strip()
    return fields


def _installed_version(package: str) -> str | None:
    result = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status} ${Version}", package],
                            capture_output=True, text=True, check=False)
    status, _, version = result.stdout.partition(" ")
    return version if result.returncode == 0 and status == "installed" else None


def _satisfied(clause: str) -> bool:
    """One Depends clause (``a | b (>= 1)``): some alternative is installed in a fit version."""
    for alternative in clause.split("|"):
        match = _DEPENDENCY.match(alternative.strip())
        if match is None:
            raise PackageProblem(f"unreadable dependency {alternative.strip()!r}")
        installed = _installed_version(match["name"])
        if installed is None:
            continue
        if match["op"] is None or subprocess.run(
            ["dpkg", "--compare-versions", installed, _DPKG_OPERATORS[match["op"]],
             match["version"]], check=False,
        ).returncode == 0:
            return True
    return False


def check_depends(depends: str) -> list[str]:
    clauses = [c.strip() for c in depends.split(",") if c.strip()]
    missing = [c for c in clauses if not _satisfied(c)]
    if missing:
        raise PackageProblem("Depends not installed here (apt would install them on a "
                             f"workstation): {', '.join(missing)}")
    return clauses


def check_desktop_integration(tree: Path) -> None:
    launcher = tree / build_deb.LAUNCHER
    if not launcher.is_file() or not os.access(launcher, os.X_OK):
        raise PackageProblem(f"no executable launcher /{build_deb.LAUNCHER}")
    bundle_exe = f"/{build_deb.INSTALL_DIR}/{build_deb.BUNDLE_NAME}"
    if bundle_exe not in launcher.read_text(encoding="utf-8"):
        raise PackageProblem(f"/{build_deb.LAUNCHER} does not start {bundle_exe}")
    if not (tree / bundle_exe.lstrip("/")).is_file():
        raise PackageProblem(f"no bundle executable {bundle_exe}")
    desktop = tree / build_deb.DESKTOP
    if not desktop.is_file():
        raise PackageProblem(f"no desktop entry /{build_deb.DESKTOP}")
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"] if entry.has_section("Desktop Entry") else {}
    if section.get("Type") != "Application":
        raise PackageProblem(f"/{build_deb.DESKTOP} is not an application entry")
    if section.get("Exec", "").split()[:1] != [build_deb.LAUNCHER.name]:
        raise PackageProblem(f"/{build_deb.DESKTOP} does not run {build_deb.LAUNCHER.name}")
    icon = tree / build_deb.ICON
    if section.get("Icon") != icon.stem:
        raise PackageProblem(f"/{build_deb.DESKTOP} names icon {section.get('Icon')!r}, "
                             f"the package installs {icon.stem!r}")
    try:
        root_tag = ET.parse(icon).getroot().tag
    except (OSError, ET.ParseError) as exc:
        raise PackageProblem(f"icon /{build_deb.ICON}: {exc}") from exc
    if not root_tag.endswith("svg"):
        raise PackageProblem(f"icon /{build_deb.ICON} is not an SVG")
    # desktop-file-utils is a listed system package: the entry is always validated
    result = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise PackageProblem(f"desktop-file-validate: {result.stdout}{result.stderr}")


def with_credentials(url: str, username: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{quote(username, safe='')}:{quote(password, safe='')}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def run_self_check(executable: Path, display: str, stream_url: str, scratch: Path) -> int:
    home, data, runtime = scratch / "home", scratch / "data", scratch / "runtime"
    for directory in (home, data, runtime):
        directory.mkdir(mode=0o700)
    # What a workstation session has, and nothing of this build: no PYTHONPATH, no venv, no
    # VIRTUAL_ENV, no PYTHONHOME; the user's keyring replaced by keyring's null backend.
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
        "DISPLAY": display, "XDG_RUNTIME_DIR": str(runtime),
        "IOCWALL_DATA_DIR": str(data),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    say(f"running {executable} --self-check on {display} (stream URL on stdin)")
    try:
        result = subprocess.run([str(executable), "--self-check"], input=stream_url + "\n",
                                capture_output=True, text=True, env=env, cwd=scratch,
                                timeout=SELF_CHECK_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        say(f"the self-check did not end within {SELF_CHECK_TIMEOUT_S} s")
        partial = exc.stdout or b""  # bytes even in text mode, on POSIX
        print(partial.decode("utf-8", "replace") if isinstance(partial, bytes) else partial,
              end="")
        return 1
    print(result.stdout, end="", flush=True)
    if result.stderr.strip():
        say("its standard error:")
        print(result.stderr, end="", file=sys.stderr, flush=True)
    password = urlsplit(stream_url).password or ""
    if password and password in result.stdout + result.stderr:
        say("the self-check printed the camera's password")
        return 1
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deb", nargs="?", type=Path, help="default: the one `make package` built")
    args = parser.parse_args(argv)
    deb = args.deb or build_deb.DIST_DIR / (
        f"{build_deb.PACKAGE}_{build_deb.project_version()}_{build_deb.dpkg_architecture()}.deb")
    if not deb.is_file():
        say(f"{deb} does not exist: run `make package` first")
        return 1
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="iocwall-pkg-")))
        tree = scratch / "root"
        try:
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
            fields = control_fields(deb)
            say(f"{deb.name}: {fields.get('Package')} {fields.get('Version')} "
                f"({fields.get('Architecture')}), "
                f"installed size {fields.get('Installed-Size')} KiB")
            clauses = check_depends(fields.get("Depends", ""))
            say(f"Depends installed: {len(clauses)} packages")
            check_desktop_integration(tree)
            say("launcher, desktop entry and icon in place")
        except (PackageProblem, subprocess.CalledProcessError) as problem:
            say(f"FAILED: {problem}")
            return 1
        xvfb = start_xvfb()
        stack.callback(xvfb.stop)
        lab = stack.enter_context(start_test_lab(scratch / "lab", cameras=1))
        camera = lab.cameras[0]
        url = with_credentials(camera.sub_url, camera.rtsp_username, camera.rtsp_password)
        executable = tree / build_deb.INSTALL_DIR / build_deb.BUNDLE_NAME
        code = run_self_check(executable, xvfb.display, url, scratch)
    say("passed" if code == 0 else f"FAILED (exit status {code})")
    return code


if __name__ == "__main__":
    sys.exit(main())
