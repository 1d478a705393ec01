"""gateway/ runs under Debian's /usr/bin/python3, beside no venv: it may import the standard
library, gi, nacl and common only (read from its sources, then imported by that Python)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.common.test_purity import top_level_imports

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = ROOT / "gateway"
SYSTEM_PYTHON = "/usr/bin/python3"


def test_gateway_imports_only_the_standard_library_gi_nacl_and_common() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__", "gi", "nacl", "common", "gateway"}
    found = {f"{path.relative_to(ROOT)}: {name}" for path in sorted(GATEWAY.rglob("*.py"))
             for name in top_level_imports(path) if name not in allowed}
    assert not found, f"gateway/ must not import these: {sorted(found)}"


def test_every_gateway_module_imports_under_the_system_python() -> None:
    modules = sorted(f"gateway.{p.stem}" for p in GATEWAY.glob("*.py")
                     if p.stem not in ("__init__", "__main__"))
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            f"import {', '.join(modules)}; import nacl.signing; "
            "assert not [m for m in sys.modules if m.split('.')[0] in "
            "('app', 'widgets', 'server', 'lab', 'PySide6', 'cryptography', 'av')]")
    done = subprocess.run([SYSTEM_PYTHON, "-I", "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
