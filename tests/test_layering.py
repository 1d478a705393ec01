"""Layering rules import-linter cannot express (it refuses subpackages of external packages):
the core (`app`, `layouts`) may use QtCore signals but never QtWidgets or QtGui."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = ("PySide6.QtWidgets", "PySide6.QtGui")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offenders(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = [n for n in _imports(path) if n.startswith(FORBIDDEN_IN_CORE)]
        if bad:
            found.append(f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}")
    return found


def test_core_imports_no_qtwidgets_or_qtgui() -> None:
    assert offenders("app") + offenders("layouts") == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from PySide6 import QtWidgets\nfrom PySide6.QtGui import QImage\n")
    assert {"PySide6.QtWidgets", "PySide6.QtGui.QImage"} <= _imports(probe)


# The services the session context builds (app/context.py): a widget that constructs one of these
# has grown a second wiring place.
SERVICE_CLASSES = frozenset({
    "AccessRequestService", "AuditLogService", "BookmarkService", "CaseService", "ClipService",
    "ClipPlayer", "HealthReporter", "IncidentService", "LayoutLibrary", "LayoutCache",
    "OfflineWatcher", "PtzSessions", "PublicCameraService", "ReportService", "WallController",
    "BackendClient", "AuthService", "VideoService", "SessionContext", "Runtime",
})


def wiring_offences(path: Path) -> list[str]:
    """Where a module builds a session service or finds a collaborator on a window by name
    (``getattr(window, "name")``). Reading an optional member of a value (``getattr(status,
    "state", None)``) is not wiring and is left alone."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else "")
        if name in SERVICE_CLASSES:
            found.append(f"{path.name}:{node.lineno} builds {name}")
        if (name == "getattr" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and "window" in ast.unparse(node.args[0]).lower()):
            found.append(f"{path.name}:{node.lineno} looks up {node.args[1].value!r} by name")
    return found


def test_widgets_build_no_services_and_look_nothing_up_by_name() -> None:
    offences = [o for path in sorted((ROOT / "widgets").rglob("*.py"))
                for o in wiring_offences(path)]
    assert offences == []


def test_the_wiring_check_sees_a_service_built_and_a_lookup(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from app.cases import CaseService\n"
                     "def install(window, backend, ops, messages):\n"
                     "    cases = CaseService(backend, ops, messages, window)\n"
                     "    closing = getattr(window, 'closing', None)\n")
    assert wiring_offences(probe) == ["probe.py:3 builds CaseService",
                                      "probe.py:4 looks up 'closing' by name"]
