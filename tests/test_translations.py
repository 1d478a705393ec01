"""The Vietnamese UI is complete: every string the sources mark for translation has a Vietnamese
rendering in the catalogue, and the compiled .qm the client loads is built from that catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts import translations


def test_every_ui_string_has_a_vietnamese_translation() -> None:
    missing = translations.check_current()
    assert not missing, "untranslated (run scripts/translations.py --fill ...): " + "; ".join(
        f"[{ctx}] {source!r}" for ctx, source in missing)


def test_every_ui_string_has_a_context() -> None:
    """A string lupdate files under no context (``tr = owner.tr`` then ``tr("…")``, or a local
    ``tr`` function) is looked up at run time under the owner's class name and never found: the
    Vietnamese exists in the catalogue but the screen shows English."""
    orphans = translations.without_context()
    assert not orphans, "use self.tr or QCoreApplication.translate(\"Context\", \"…\"): " + \
        "; ".join(f"{where}: {source!r}" for where, source in orphans)


def test_the_compiled_catalogue_matches_its_source(tmp_path: Path) -> None:
    compiled = tmp_path / "iocwall_vi.qm"
    translations.lrelease(translations.TS_FILE, compiled)
    assert compiled.read_bytes() == translations.QM_FILE.read_bytes(), (
        "resources/translations/iocwall_vi.qm is stale: run scripts/translations.py")


def test_a_gap_is_reported(tmp_path: Path) -> None:
    """The check itself can fail: a catalogue with an unfinished message is reported."""
    ts = tmp_path / "gap.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                  '<TS version="2.1" language="vi_VN"><context><name>X</name>'
                  '<message><source>Hello</source><translation type="unfinished"/></message>'
                  '<message><source>Done</source><translation>Xong</translation></message>'
                  '</context></TS>', encoding="utf-8")
    assert translations.untranslated(ts) == [("X", "Hello")]
    fills = tmp_path / "fill.tsv"
    fills.write_text("X\tHello\tXin chào\n", encoding="utf-8")
    assert translations.fill(ts, translations.read_fills([fills])) == 1
    assert translations.untranslated(ts) == []


def test_the_script_runs_as_a_command() -> None:
    done = subprocess.run([sys.executable, "scripts/translations.py", "--check"],
                          cwd=translations.ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr


def test_table_columns_are_in_the_catalogue(qapp: object) -> None:
    """Panels translate their column titles at run time (``self.tr(str(c))`` over ``COLUMNS``),
    which lupdate cannot read: each title must be in the catalogue under the panel's class."""
    import importlib
    import inspect
    import pkgutil

    from PySide6.QtCore import QTranslator

    import widgets

    translator = QTranslator()
    assert translator.load(str(translations.QM_FILE))
    missing = []
    checked = 0
    for info in pkgutil.iter_modules(widgets.__path__):
        module = importlib.import_module(f"widgets.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            columns = cls.__dict__.get("COLUMNS") if cls.__module__ == module.__name__ else None
            for column in columns or ():
                checked += 1
                if not translator.translate(name, str(column)):
                    missing.append(f"{name}: {column!r}")
    assert checked >= 30, checked  # the panels' tables were found
    assert not missing, "column titles without Vietnamese (use QT_TRANSLATE_NOOP): " + \
        "; ".join(missing)


def test_the_services_speak_vietnamese(qapp: object) -> None:
    """The app-side services' notices (labels of their waits, overdue warnings, incident kinds)
    are read by lupdate and shown in Vietnamese — a module-level ``_tr(text)`` helper hid them."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from app.cases import CaseService
    from app.incidents import IncidentService, kind_text
    from app.publications import PublicationService
    from common.vocabulary import IncidentKind

    translator = QTranslator()
    assert translator.load(str(translations.QM_FILE))
    QCoreApplication.installTranslator(translator)
    try:
        assert kind_text(IncidentKind.OFFLINE) == "mất kết nối"
        assert kind_text(IncidentKind.PTZ_BROKEN) == "PTZ hỏng"
        assert QCoreApplication.translate("CaseService", "Violation case: %1") == \
            "Vụ việc vi phạm: %1"
        assert QCoreApplication.translate("IncidentService", "New incident #%1: %2 — %3") == \
            "Sự cố mới #%1: %2 — %3"
        assert QCoreApplication.translate("PublicationService", "Propose publication") == \
            "Đề xuất công bố"
        # the services look their strings up under their own class name
        assert CaseService.tr("Evidence package") == "Gói chứng cứ"
        assert IncidentService.tr("Snapshot") == "Ảnh chụp"
        assert PublicationService.tr("Publication") == "Công bố"
    finally:
        QCoreApplication.removeTranslator(translator)
    assert kind_text(IncidentKind.OFFLINE) == "offline"
