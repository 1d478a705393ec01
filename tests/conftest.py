"""Suite-wide rules.

- Only loopback: pytest-socket refuses any connection to a host other than 127.0.0.1 / ::1
  (ONVIF devices advertise their own addresses: we never follow one off loopback).
- A private Xvfb for the whole run (libvlc needs a real X window), DISPLAY pointed at it before
  any QApplication exists.
- Qt warnings fail the test (pyproject: qt_log_level_fail = WARNING).
- Every program the run starts must come from a package of scripts/system-packages.txt: a
  program installed here by hand fails the run with its name (tests/programs.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.programs import ProgramCheck, ProgramRecorder, is_ours
from tests.xvfb import Xvfb, start_xvfb

LOOPBACK = ("127.0.0.1", "::1")

_xvfb: Xvfb | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _xvfb
    ProgramRecorder.install()  # before Xvfb: it is the first program the run starts
    # Loopback only, also for code that resolves "localhost".
    config.option.allow_hosts = ",".join(LOOPBACK)
    config.option.allow_unix_socket = True
    if os.environ.get("IOCWALL_TEST_DISPLAY"):
        os.environ["DISPLAY"] = os.environ["IOCWALL_TEST_DISPLAY"]
    else:
        _xvfb = start_xvfb()
        os.environ["DISPLAY"] = _xvfb.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.setdefault("QT_XCB_GL_INTEGRATION", "none")
    os.environ.pop("WAYLAND_DISPLAY", None)
    # Keep every test's state out of the user's real data dir and keyring.
    os.environ["IOCWALL_DATA_DIR"] = tempfile.mkdtemp(prefix="iocwall-test-data-")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test started a program that no listed package provides."""
    started = [p for p in ProgramRecorder.install().programs if not is_ours(p)]
    if not started:
        return
    check = ProgramCheck()
    problems = sorted({problem for p in started if (problem := check.problem(p)) is not None})
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["programs started by the tests that a fresh machine would not have:",
                 *problems]
        if reporter is not None:
            reporter.write_sep("=", "system packages", red=True)
            for line in lines:
                reporter.write_line(line)
        else:
            print("\n".join(lines))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    if _xvfb is not None:
        _xvfb.stop()


@pytest.fixture(scope="session")
def x_display() -> str:
    """The X display the suite runs on (a private Xvfb)."""
    return os.environ["DISPLAY"]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh IOCWALL_DATA_DIR for one test."""
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("IOCWALL_DATA_DIR", str(d))
    yield d


@pytest.fixture
def vietnamese(qapp: Any) -> Iterator[list[Any]]:
    """The Vietnamese catalogue the client loads by default, installed for one test."""
    from app.i18n import install_translators, remove_translators

    translators = install_translators(qapp, "vi")
    yield translators
    remove_translators(qapp, translators)


# The client's one qasync loop for the whole run (see tests/app/helpers.py for why).
from tests.app.helpers import _session_qloop  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _qt_hygiene() -> Iterator[None]:
    """After each test: close and delete its top-level widgets and collect garbage, at a safe
    point. Otherwise a test's windows (tiles, native video surfaces, timers) are freed by Python's
    garbage collector whenever it happens to run — possibly inside a later test's Qt event
    processing, where PySide crashed with a segmentation fault."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        gc.collect()
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
