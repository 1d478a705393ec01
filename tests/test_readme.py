"""The README is the newcomer's contract: its two commands and its copy of the rule table."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_shows_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text


def test_readme_permission_table_matches_the_generated_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    generated = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    rows = [line for line in generated.splitlines() if line.startswith("| ")]
    assert len(rows) > 10
    missing = [row for row in rows if row not in readme]
    assert missing == []


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
