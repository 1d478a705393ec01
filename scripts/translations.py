"""Refresh the Vietnamese catalogue: extract the UI strings, fill new ones, compile the .qm.

    .venv/bin/python scripts/translations.py [--fill FILE.tsv ...] [--check]

1. ``pyside6-lupdate -no-obsolete`` over main.py, app/ and widgets/ updates
   ``resources/translations/iocwall_vi.ts`` (new strings arrive "unfinished", vanished ones go);
2. each ``--fill`` file (``context<TAB>English source<TAB>Vietnamese`` per line; ``#`` comments)
   supplies translations for unfinished messages — matched on context and source, else on the
   source alone when that source has one Vietnamese rendering in the files;
3. ``pyside6-lrelease`` compiles the .qm the client loads.

``--check`` changes nothing and exits 1 listing the strings that lack a translation (the test
suite runs the same check through :func:`untranslated`). Source strings are English; English is
the fallback when a translation is missing, so a gap shows English text, never nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_FILE = ROOT / "resources" / "translations" / "iocwall_vi.ts"
QM_FILE = TS_FILE.with_suffix(".qm")
SOURCES = ("main.py", "app", "widgets")
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    local = BIN / f"pyside6-{name}"
    return str(local) if local.exists() else (shutil.which(f"pyside6-{name}") or name)


def lupdate(ts_file: Path) -> None:
    sources = [str(ROOT / s) for s in SOURCES]
    subprocess.run([_tool("lupdate"), "-no-obsolete", "-silent", "-extensions", "py", *sources,
                    "-ts", str(ts_file)], check=True, cwd=ROOT)


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True,
                   cwd=ROOT)


def _messages(tree: ET.ElementTree) -> list[tuple[str, ET.Element]]:
    out: list[tuple[str, ET.Element]] = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        out.extend((name, message) for message in context.iter("message"))
    return out


def _unfinished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished"):
        return True
    return not _text(translation)


def _text(translation: ET.Element) -> str:
    """The translation's text; a plural message (numerus) keeps it in its numerusform."""
    forms = translation.findall("numerusform")
    if forms:
        return (forms[0].text or "").strip()
    return (translation.text or "").strip()


def untranslated(ts_file: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished Vietnamese translation."""
    tree = ET.parse(ts_file)
    return [(ctx, m.findtext("source") or "") for ctx, m in _messages(tree) if _unfinished(m)]


def read_fills(paths: list[Path]) -> dict[tuple[str, str], str]:
    fills: dict[tuple[str, str], str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not parts[2].strip():
                raise SystemExit(f"{path}:{number}: expected context<TAB>source<TAB>Vietnamese")
            fills[(parts[0].strip(), _unescape(parts[1]))] = _unescape(parts[2]).strip()
    return fills


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def fill(ts_file: Path, fills: dict[tuple[str, str], str]) -> int:
    """Write translations for unfinished messages; return how many were filled."""
    tree = ET.parse(ts_file)
    by_source: dict[str, set[str]] = {}
    for (_ctx, source), text in fills.items():
        by_source.setdefault(source, set()).add(text)
    for _ctx, message in _messages(tree):  # finished translations elsewhere count as fills too
        if not _unfinished(message):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            by_source.setdefault(source, set()).add(_text(translation))
    filled = 0
    for ctx, message in _messages(tree):
        if not _unfinished(message):
            continue
        source = message.findtext("source") or ""
        text = fills.get((ctx, source))
        if text is None and len(by_source.get(source, ())) == 1:
            text = next(iter(by_source[source]))
        if text is None:
            continue
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":  # Vietnamese has one plural form
            for form in translation.findall("numerusform"):
                translation.remove(form)
            translation.text = None
            ET.SubElement(translation, "numerusform").text = text
        else:
            translation.text = text
        filled += 1
    if filled:
        ET.indent(tree, space="    ")
        body = ET.tostring(tree.getroot(), encoding="unicode")
        ts_file.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                           encoding="utf-8")
    return filled


def without_context(ts_file: Path | None = None) -> list[tuple[str, str]]:
    """(file, source) of the messages lupdate could not give a context: unreachable at run time
    (QTranslator looks a string up under the caller's class name and has no fallback)."""
    if ts_file is None:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / TS_FILE.name
            shutil.copy(TS_FILE, copy)
            lupdate(copy)
            return without_context(copy)
    out: list[tuple[str, str]] = []
    for ctx, message in _messages(ET.parse(ts_file)):
        if not ctx:
            location = message.find("location")
            where = location.get("filename", "?") if location is not None else "?"
            try:
                where = str((ts_file.parent / where).resolve().relative_to(ROOT))
            except ValueError:
                pass
            out.append((where, message.findtext("source") or ""))
    return out


def check_current() -> list[tuple[str, str]]:
    """Run lupdate on a copy of the catalogue: the strings in the sources lacking Vietnamese."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / TS_FILE.name
        shutil.copy(TS_FILE, copy)
        # lupdate writes locations relative to the .ts file; keep the copy's folder depth alike
        lupdate(copy)
        return untranslated(copy)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", type=Path, nargs="*", default=[],
                        help="TSV files: context, English source, Vietnamese")
    parser.add_argument("--check", action="store_true", help="report gaps, change nothing")
    args = parser.parse_args(argv)
    if args.check:
        missing = check_current()
        for ctx, source in missing:
            print(f"untranslated: [{ctx}] {source!r}")
        return 1 if missing else 0
    lupdate(TS_FILE)
    filled = fill(TS_FILE, read_fills(args.fill))
    lrelease(TS_FILE, QM_FILE)
    missing = untranslated(TS_FILE)
    print(f"filled {filled}; untranslated {len(missing)}")
    for ctx, source in missing:
        print(f"untranslated: [{ctx}] {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
