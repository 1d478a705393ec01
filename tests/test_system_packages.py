"""A fresh Debian machine gets every program iocwall starts from ``scripts/system-packages.txt``.

The suite once passed only because the development machine had ``xrandr`` installed by hand;
a clean clone failed. These tests read the sources for every program they start and ask dpkg
which package owns it; ``tests/conftest.py`` also checks every program the run really started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.programs import (
    DYNAMIC_SITES,
    TOOL_PROGRAMS,
    ProgramCheck,
    ProgramRecorder,
    find_program,
    is_ours,
    listed_packages,
    optional_programs,
    scan_sources,
)


@pytest.fixture(scope="module")
def check() -> ProgramCheck:
    return ProgramCheck()


def test_every_listed_package_is_installed(check: ProgramCheck) -> None:
    # make test ran scripts/bootstrap.sh; a name that is not a Debian package fails there first
    assert listed_packages(), "scripts/system-packages.txt lists nothing"
    assert check.not_installed == []


def test_every_program_the_sources_start_comes_from_a_listed_package(check: ProgramCheck) -> None:
    sites = scan_sources()
    assert len(sites) > 20, "the scan found almost nothing: is it still reading the sources?"
    unknown = [str(site) for site in sites
               if site.program is None and site.where not in DYNAMIC_SITES]
    assert unknown == [], ("these calls start a program the scan cannot name: name it in "
                           "tests/programs.py DYNAMIC_SITES with the programs it starts")
    programs = {site.program for site in sites if site.program is not None}
    programs |= {program for names in DYNAMIC_SITES.values() for program in names}
    programs |= {program for names in TOOL_PROGRAMS.values() for program in names}
    assert {"ffmpeg", "Xvfb", "xrandr", "/usr/bin/python3"} <= programs
    problems = sorted(filter(None, (check.problem(p) for p in programs if not is_ours(p))))
    assert problems == []


def test_no_named_dynamic_site_is_stale() -> None:
    unresolved = {site.where for site in scan_sources() if site.program is None}
    assert set(DYNAMIC_SITES) - unresolved == set(), \
        "DYNAMIC_SITES names calls that are gone or that the scan now resolves: remove them"


def test_a_package_left_off_the_list_fails_with_the_programs_name() -> None:
    """The xrandr case: x11-xserver-utils was installed here by hand and not listed."""
    without = [p for p in listed_packages() if p != "x11-xserver-utils"]
    problem = ProgramCheck(packages=without).problem("xrandr")
    assert problem is not None and "xrandr" in problem and "x11-xserver-utils" in problem
    assert ProgramCheck().problem("xrandr") is None


def test_a_program_through_alternatives_is_owned_by_the_real_files_package(
        check: ProgramCheck) -> None:
    # /usr/bin/import → /etc/alternatives/import → ImageMagick's import-im6.q16
    found = find_program("import")
    assert found is not None and Path(os.path.realpath(found)) != found
    assert check.problem("import") is None
    without = [p for p in listed_packages() if p != "imagemagick"]
    assert ProgramCheck(packages=without).problem("import") is not None


def test_usr_local_does_not_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_program("/usr/local/bin/ffmpeg") is None
    monkeypatch.setenv("PATH", f"/usr/local/bin{os.pathsep}{tmp_path}")
    assert find_program("ffmpeg") == Path("/usr/bin/ffmpeg")  # not a /usr/local copy


def test_an_unknown_program_is_named() -> None:
    problem = ProgramCheck().problem("iocwall-no-such-program")
    assert problem is not None and "iocwall-no-such-program" in problem


def test_optional_tools_are_listed_and_their_users_skip_with_a_message(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    assert optional_programs().get("perf") == "linux-perf"
    assert ProgramCheck().problem("perf") is None  # optional: never a failure
    from bench import bench_wall

    monkeypatch.setattr(shutil, "which", lambda *_args, **_kwargs: None)
    bench_wall._perf([os.getpid()], 1.0, tmp_path, "16")
    assert "perf not installed: apt-get install linux-perf" in capsys.readouterr().out
    assert bench_wall._perf_runs == []


def test_the_recorder_sees_every_program_a_test_starts() -> None:
    recorder = ProgramRecorder.install()
    subprocess.run(["true"], check=True)
    assert "true" in recorder.programs


# Shared libraries that tools load rather than start: PyInstaller bundles Debian's libpython
# (a clean machine without it failed make package: "Python shared library … was not found").
TOOL_LIBRARIES = {"PyInstaller (make package)": ["libpython3.11.so.1.0"]}


def test_the_libraries_tools_load_come_from_a_listed_package(check: ProgramCheck) -> None:
    problems = [problem for libraries in TOOL_LIBRARIES.values() for soname in libraries
                if (problem := check.library_problem(soname)) is not None]
    assert problems == []
    without = [p for p in listed_packages() if p != "libpython3.11"]
    assert ProgramCheck(packages=without).library_problem("libpython3.11.so.1.0") is not None
