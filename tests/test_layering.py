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
