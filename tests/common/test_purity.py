"""common/ is standard library only, so that every process can import it whatever its
interpreter (import-linter forbids the project's third-party packages by name; this catches any
other): its imports are checked, then it is imported by a Python without site-packages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMON = ROOT / "common"


def top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_common_imports_only_the_standard_library_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"common", "__future__"}
    found = {f"{path.relative_to(ROOT)}: {name}" for path in sorted(COMMON.rglob("*.py"))
             for name in top_level_imports(path) if name not in allowed}
    assert not found, f"common/ must stay standard library only: {sorted(found)}"


def test_the_check_sees_a_third_party_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import json\nfrom pydantic import BaseModel\nfrom . import sibling\n")
    assert top_level_imports(probe) == {"json", "pydantic"}


def test_common_imports_without_site_packages() -> None:
    modules = sorted(f"common.{p.stem}" for p in COMMON.glob("*.py") if p.stem != "__init__")
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            f"import {', '.join(modules)}; "
            "assert not [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'fastapi', 'pydantic', 'sqlalchemy', 'cryptography', 'requests')]")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
