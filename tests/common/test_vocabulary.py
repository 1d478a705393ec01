"""common.vocabulary is the only definition of the API's words: client and server import it, and
no enum with the same values is written again anywhere in app/, widgets/, layouts/ or server/.
(The server's request schemas spell some of them as ``Literal`` for pydantic; those are held to
the words by tests/test_contract_openapi.py.)"""

from __future__ import annotations

import ast
import inspect
from enum import Enum
from pathlib import Path

from common import evidence, vocabulary

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("app", "widgets", "layouts", "server")
SHARED: dict[str, type[Enum]] = {
    name: value for module in (vocabulary, evidence) for name, value in vars(module).items()
    if inspect.isclass(value) and issubclass(value, Enum) and value.__module__ == module.__name__
}


def enum_classes(path: Path) -> dict[str, set[object]]:
    """``{ClassName: {values}}`` of the Enum subclasses a file defines (read, not imported)."""
    found: dict[str, set[object]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
        if not bases & {"Enum", "StrEnum", "IntEnum"}:
            continue
        found[node.name] = {stmt.value.value for stmt in node.body
                            if isinstance(stmt, ast.Assign)
                            and isinstance(stmt.value, ast.Constant)}
    return found


def test_no_copy_of_a_shared_word_list() -> None:
    shared = {name: {member.value for member in enum} for name, enum in SHARED.items()}
    copies = [f"{path.relative_to(ROOT)}: {name} repeats common's {other}"
              for part in PARTS for path in sorted((ROOT / part).rglob("*.py"))
              for name, values in enum_classes(path).items()
              for other, words in shared.items() if values and values == words]
    assert not copies, "import it from common instead: " + "; ".join(copies)


def test_the_copy_check_sees_a_copy(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import enum\nclass State(enum.StrEnum):\n    OPEN = 'open'\n"
                     "    ACKNOWLEDGED = 'acknowledged'\n    RESOLVED = 'resolved'\n")
    assert enum_classes(probe) == {"State": {"open", "acknowledged", "resolved"}}
    assert {m.value for m in SHARED["IncidentState"]} == enum_classes(probe)["State"]


def test_both_sides_hold_the_same_objects() -> None:
    from app import cases, clips, domain, incidents, reports
    from server import access_requests, clip_requests, permissions
    from server import cases as server_cases
    from server import signing as server_signing

    assert permissions.Role is vocabulary.Role and permissions.UnitKind is vocabulary.UnitKind
    assert permissions.Action is domain.Action is vocabulary.Action
    assert permissions.CameraSystem is domain.CameraSystem is vocabulary.CameraSystem
    assert server_cases.DeadlineStatus is cases.DeadlineStatus is vocabulary.DeadlineStatus
    assert server_cases.CaseAction is cases.CaseAction is vocabulary.CaseAction
    assert clip_requests.ClipState is clips.ClipState is vocabulary.ClipState
    assert access_requests.AccessRequestState is vocabulary.AccessRequestState
    assert incidents.IncidentKind is vocabulary.IncidentKind
    assert reports.ReportKind is vocabulary.ReportKind
    assert server_signing.Verdict is clips.Verdict is evidence.Verdict
    assert server_signing.Verification is clips.Verification is evidence.Verification


def test_every_word_is_a_lower_case_identifier() -> None:
    for name, enum in SHARED.items():
        for member in enum:
            if isinstance(member.value, str):
                assert member.value.isidentifier() and member.value == member.value.lower(), \
                    (name, member)
