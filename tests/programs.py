"""Which Debian package gives each external program that the code and the tests start.

A fresh machine has the Debian base system plus what ``scripts/bootstrap.sh`` installs:
the packages of ``scripts/system-packages.txt`` and what they depend on (installed without
recommends). A program the code starts is *provided* only when one of those packages owns it.
This machine may have more (installed by hand, or under ``/usr/local``): those hide a broken
fresh machine, so they do not count.

Two ways find the programs, because neither sees everything:

- :func:`scan_sources` reads the Python sources (``subprocess``, ``asyncio``, ``os.exec*``,
  ``QProcess``, ``shutil.which``) and resolves each program name statically; a call whose
  program comes from a variable it cannot follow must be named in :data:`DYNAMIC_SITES`.
- :class:`ProgramRecorder` is an audit hook (``sys.addaudithook``) in the test process that
  records every program a test actually starts, whatever built its command line.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_LIST = ROOT / "scripts" / "system-packages.txt"
OPTIONAL_LIST = ROOT / "scripts" / "optional-packages.txt"
DPKG_STATUS = Path("/var/lib/dpkg/status")

# Folders whose Python starts programs (the venv and fetched trees are not ours).
SOURCE_DIRS = ("app", "server", "lab", "widgets", "layouts", "bench", "tests", "scripts",
               "installer", "common", "gateway", "shell")
SOURCE_FILES = ("main.py",)

# Calls whose program comes from an argument or a setting the scan cannot follow: where, and
# which programs they start. A new such call fails the scan until it is named here.
DYNAMIC_SITES: dict[str, frozenset[str]] = {
    # the recorder's, the clip cutter's and the public API's ffmpeg/ffprobe are settings
    # (server/config.py; by default the Debian ffmpeg on PATH)
    # (start_child: the clip cutter's ffmpeg, and the record child on this venv's Python)
    "server/recorder.py::start_child": frozenset({"ffmpeg"}),
    "server/recorder.py::probe_duration": frozenset({"ffprobe"}),
    "server/recorder.py::_packets_span": frozenset({"ffprobe"}),
    "server/clips.py::_probe": frozenset({"ffprobe"}),
    "server/clips.py::_ffprobe_reference": frozenset({"ffprobe"}),
    "server/clips.py::_g711_audio": frozenset({"ffprobe"}),
    "server/public.py::frame": frozenset({"ffmpeg"}),
    # blurring a clip proposed for publication, and its pictures to draw on
    "server/redaction.py::clip_duration": frozenset({"ffprobe"}),
    "server/redaction.py::render": frozenset({"ffmpeg"}),
    "server/redaction.py::frame_jpeg": frozenset({"ffmpeg"}),
    "bench/bench_redaction.py::make_clip": frozenset({"ffmpeg"}),
    # the demo's children (lab, server) and make test's steps: this venv's Python and tools
    "app/demo.py::_spawn": frozenset(),
    "tests/run_all.py::main": frozenset(),
    # pyside6-lupdate / pyside6-lrelease from the venv (PyPI)
    "scripts/translations.py::_tool": frozenset(),
    "scripts/translations.py::lupdate": frozenset(),
    "scripts/translations.py::lrelease": frozenset(),
    # the server's clock check asks the time service it finds (scripts/optional-packages.txt)
    "server/clocks.py::_run": frozenset({"timedatectl", "chronyc"}),
    # bench_wall's profiler reports: perf is optional (scripts/optional-packages.txt)
    "bench/bench_wall.py::perf_report": frozenset({"perf"}),
    # this checker looks programs up by the name it is given
    "tests/programs.py::is_ours": frozenset(),
    # the test cluster's initdb and postgres from Debian's /usr/lib/postgresql/N/bin (package
    # postgresql): versioned and off PATH, so the run's recorder checks them by their path
    "tests/pg.py::start_cluster": frozenset(),
    "tests/pg.py::_start_server": frozenset(),
    # the freshly built bundle's own executable (a temporary directory)
    "installer/package_check.py::run_self_check": frozenset(),
    # the venv a site package's postinst made in a temporary directory
    "tests/installer/test_site_packages.py::test_the_server_scripts_install_upgrade_remove_and_purge":
        frozenset(),
}

# Programs that tools we run start themselves, out of sight of both the scan and the recorder.
TOOL_PROGRAMS: dict[str, frozenset[str]] = {
    "PyInstaller (make package)": frozenset({"objdump", "ldd"}),
}

# Interpreter spellings that mean "this venv's Python" (provided by python3 + python3-venv).
INTERPRETER_NAMES = {"sys.executable", "PY", "PYTHON", "python"}

EXEC_CALLS = {
    ("subprocess", "run"), ("subprocess", "Popen"), ("subprocess", "call"),
    ("subprocess", "check_call"), ("subprocess", "check_output"),
    ("asyncio", "create_subprocess_exec"),
    ("os", "execv"), ("os", "execvp"), ("os", "execve"), ("os", "execvpe"),
    ("os", "execl"), ("os", "execlp"), ("os", "posix_spawn"), ("os", "posix_spawnp"),
}
QPROCESS_METHODS = {"start", "startDetached"}


# -- the package lists ----------------------------------------------------------------------

def _package_lines(path: Path) -> Iterator[list[str]]:
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            yield words


def listed_packages(path: Path = PACKAGE_LIST) -> list[str]:
    """The packages ``scripts/bootstrap.sh`` installs (one per line, ``#`` comments)."""
    return [words[0] for words in _package_lines(path)]


def optional_programs(path: Path = OPTIONAL_LIST) -> dict[str, str]:
    """program → package, for tools only some commands use (``PACKAGE PROGRAM…`` lines);
    the bootstrap does not install them and their users skip with a message when absent."""
    return {program: words[0] for words in _package_lines(path) for program in words[1:]}


# -- dpkg ----------------------------------------------------------------------------------

_DEPENDENCY = re.compile(r"^\s*([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?")


def _alternatives(field_value: str) -> Iterator[list[str]]:
    """``a (>= 1) | b, c:any`` → [a, b], [c]."""
    for clause in field_value.split(","):
        names = []
        for option in clause.split("|"):
            match = _DEPENDENCY.match(option)
            if match:
                names.append(match.group(1))
        if names:
            yield names


@dataclass
class DpkgDatabase:
    """The installed packages as ``/var/lib/dpkg/status`` describes them."""

    installed: dict[str, dict[str, str]] = field(default_factory=dict)
    providers: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path = DPKG_STATUS) -> DpkgDatabase:
        db = cls()
        for stanza in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            fields: dict[str, str] = {}
            key = ""
            for line in stanza.splitlines():
                if line[:1] in (" ", "\t") and key:
                    fields[key] += "\n" + line
                elif ":" in line:
                    key, _, value = line.partition(":")
                    fields[key] = value.strip()
            if not fields.get("Status", "").endswith(" installed") or "Package" not in fields:
                continue
            name = fields["Package"]
            db.installed[name] = fields
            for names in _alternatives(fields.get("Provides", "")):
                db.providers.setdefault(names[0], []).append(name)
        return db

    def _satisfier(self, options: list[str]) -> str | None:
        """The installed package apt would have chosen for ``a | b``: the first alternative
        that is installed, itself or through a package that provides it."""
        for option in options:
            if option in self.installed:
                return option
            providers = sorted(self.providers.get(option, []))
            if providers:
                return providers[0]
        return None

    def closure(self, packages: Iterable[str]) -> set[str]:
        """The packages and everything they (pre-)depend on, recursively: what
        ``apt-get install --no-install-recommends`` brings."""
        seen: set[str] = set()
        todo = [p for p in packages if p in self.installed]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            fields = self.installed[name]
            for key in ("Pre-Depends", "Depends"):
                for options in _alternatives(fields.get(key, "")):
                    chosen = self._satisfier(options)
                    if chosen is not None and chosen not in seen:
                        todo.append(chosen)
        return seen

    def base_system(self) -> set[str]:
        """What every Debian has (debootstrap's minbase): essential and required packages."""
        base = [name for name, fields in self.installed.items()
                if fields.get("Essential") == "yes" or fields.get("Priority") == "required"]
        return self.closure(base)


def owner_of(path: Path) -> str | None:
    """The package that installed ``path`` (``dpkg-query -S``), trying the path as written and
    the merged-/usr twin (``/bin/x`` ⇄ ``/usr/bin/x``)."""
    text = str(path)
    candidates = [text]
    if text.startswith("/usr/"):
        candidates.append(text[4:])
    else:
        candidates.append("/usr" + text)
    for candidate in candidates:
        done = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True,
                              check=False)
        for line in done.stdout.splitlines():
            owner, _, owned = line.partition(": ")
            if owned.strip() == candidate and "diversion" not in owner:
                return owner.split(":")[0].split(",")[0].strip()
    return None


def find_program(program: str) -> Path | None:
    """Where a fresh machine would find ``program``: on PATH outside ``/usr/local`` (what the
    distribution does not own), following ``/etc/alternatives`` to the real file."""
    if "/" in program:
        candidates = [Path(program)]
    else:
        path = os.environ.get("PATH", os.defpath)
        dirs = [d for d in path.split(os.pathsep) if d and not d.startswith("/usr/local")]
        for extra in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
            if extra not in dirs:
                dirs.append(extra)
        candidates = [Path(d) / program for d in dirs]
    for candidate in candidates:
        if str(candidate).startswith("/usr/local"):
            continue
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_library(soname: str) -> Path | None:
    """Where the dynamic linker finds ``soname`` (``ldconfig -p``), outside ``/usr/local``."""
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False)
    for line in listing.stdout.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.split(" ")[0] == soname and not path.startswith("/usr/local"):
            return Path(path)
    return None


@dataclass
class ProgramCheck:
    """Decides for each program whether the listed packages give it on a fresh machine."""

    packages: list[str] = field(default_factory=listed_packages)
    optional: dict[str, str] = field(default_factory=optional_programs)
    db: DpkgDatabase = field(default_factory=DpkgDatabase.read)

    def __post_init__(self) -> None:
        missing = [p for p in self.packages if p not in self.db.installed]
        self.not_installed = missing
        self.provided = self.db.closure(self.packages) | self.db.base_system()

    def problem(self, program: str) -> str | None:
        """None when a listed package (or the base system) provides ``program``, or when it is
        an optional tool; else why not."""
        name = os.path.basename(program)
        if name in self.optional:
            return None
        found = find_program(program)
        if found is None:
            return (f"{program}: not found outside /usr/local — no package of "
                    f"scripts/system-packages.txt provides it")
        owners = [owner for owner in (owner_of(found), owner_of(Path(os.path.realpath(found))))
                  if owner is not None]
        if not owners:
            return f"{program} ({found}): no Debian package owns it"
        if not any(owner in self.provided for owner in owners):
            return (f"{program} ({found}) comes from the Debian package {owners[-1]}, which "
                    f"neither scripts/system-packages.txt nor their dependencies install")
        return None


    def library_problem(self, soname: str) -> str | None:
        """None when a listed package (or the base system) installs the shared library."""
        found = find_library(soname)
        if found is None:
            return f"{soname}: no listed package installs it"
        owners = [owner for owner in (owner_of(found), owner_of(Path(os.path.realpath(found))))
                  if owner is not None]
        if not any(owner in self.provided for owner in owners):
            return (f"{soname} ({found}) comes from "
                    f"{owners[-1] if owners else 'no Debian package'}, which "
                    f"neither scripts/system-packages.txt nor their dependencies install")
        return None


# -- finding the programs in the sources -----------------------------------------------------

@dataclass(frozen=True)
class Site:
    """One place that starts a program: ``file::function`` and the program, when known."""

    where: str
    line: int
    program: str | None  # None: from a variable the scan cannot follow

    def __str__(self) -> str:
        return f"{self.where}:{self.line} → {self.program or '?'}"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


class _Scanner(ast.NodeVisitor):
    def __init__(self, relative: str, tree: ast.Module) -> None:
        self.relative = relative
        self.sites: list[Site] = []
        self.scopes: list[dict[str, ast.expr]] = [self._bindings(tree.body)]
        self.functions: list[str] = []

    @staticmethod
    def _bindings(body: Iterable[ast.AST]) -> dict[str, ast.expr]:
        """Names assigned in a body (not in nested functions): the last assignment wins."""
        names: dict[str, ast.expr] = {}
        todo = list(body)
        while todo:
            node = todo.pop(0)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
                continue
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.value is not None:
                names[node.target.id] = node.value
            todo.extend(ast.iter_child_nodes(node))
        return names

    def _lookup(self, name: str) -> ast.expr | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def _program(self, node: ast.AST | None, depth: int = 0) -> str | None:
        """The program a command expression starts, or None if it cannot be followed."""
        if node is None or depth > 5:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.split()[0] if node.value.split() else None
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
            first = node.elts[0]
            if isinstance(first, ast.Starred):
                return self._program(first.value, depth + 1)
            return self._program(first, depth + 1)
        if isinstance(node, ast.BinOp):  # [prog, ...] + more
            return self._program(node.left, depth + 1)
        if isinstance(node, ast.BoolOp):  # shutil.which("x") or "x"
            for value in node.values:
                found = self._program(value, depth + 1)
                if found is not None:
                    return found
            return None
        dotted = _dotted(node)
        if dotted in INTERPRETER_NAMES:
            return sys.executable
        if isinstance(node, ast.Call) and _dotted(node.func).endswith("which") and node.args:
            return self._program(node.args[0], depth + 1)
        if isinstance(node, ast.Call) and _dotted(node.func) in ("str", "Path", "os.fspath") \
                and node.args:
            return self._program(node.args[0], depth + 1)
        if isinstance(node, ast.Name):
            bound = self._lookup(node.id)
            return self._program(bound, depth + 1) if bound is not None else None
        return None

    def _where(self) -> str:
        return f"{self.relative}::{self.functions[-1] if self.functions else '<module>'}"

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.scopes.append(self._bindings(node.body))
        self.generic_visit(node)
        self.scopes.pop()
        self.functions.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Call(self, node: ast.Call) -> None:
        dotted = _dotted(node.func)
        module, _, name = dotted.rpartition(".")
        program_arg: ast.AST | None = None
        starts = False
        if name == "which" and module in ("shutil", ""):
            starts = True
            program_arg = node.args[0] if node.args else None
        elif (module.split(".")[-1], name) in EXEC_CALLS:
            starts = True
            program_arg = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg in ("args", "program", "path")), None)
            if name == "posix_spawn" or name.startswith("exec"):
                program_arg = node.args[0] if node.args else None
        elif name in QPROCESS_METHODS and node.args and "process" in module.lower():
            starts = True
            program_arg = node.args[0]
        if starts:
            self.sites.append(Site(self._where(), node.lineno, self._program(program_arg)))
        self.generic_visit(node)


def python_sources(root: Path = ROOT) -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        base = root / folder
        if base.is_dir():
            yield from sorted(p for p in base.rglob("*.py") if "alembic" not in p.parts)
    for name in SOURCE_FILES:
        if (root / name).exists():
            yield root / name


def scan_sources(root: Path = ROOT) -> list[Site]:
    """Every place in our Python that starts (or looks up) an external program."""
    sites: list[Site] = []
    for path in python_sources(root):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        scanner = _Scanner(relative, tree)
        scanner.visit(tree)
        sites += scanner.sites
    return sites


def is_ours(program: str) -> bool:
    """Programs of this venv, of this checkout or of a temporary build (a bundle under test):
    no Debian package is expected to give them."""
    venv_bin = Path(sys.executable).parent / os.path.basename(program)
    if "/" not in program or Path(program).parent == venv_bin.parent:
        if venv_bin.exists():
            return True
    if "/" not in program:
        program = shutil.which(program) or program
        if "/" not in program:
            return False
    real = os.path.realpath(program)
    return (program == sys.executable
            or any(program.startswith(p + os.sep) for p in (sys.prefix, str(ROOT)))
            or real.startswith(os.path.realpath(tempfile.gettempdir()) + os.sep))


class ProgramRecorder:
    """Records argv[0] of every process this Python process starts (audit events
    ``subprocess.Popen``, ``os.posix_spawn``, ``os.exec``). An audit hook cannot be removed,
    so :meth:`install` adds it once per process and later calls reuse it."""

    _instance: ProgramRecorder | None = None

    def __init__(self) -> None:
        self.programs: dict[str, None] = {}

    @classmethod
    def install(cls) -> ProgramRecorder:
        if cls._instance is None:
            recorder = cls()
            sys.addaudithook(recorder._hook)
            cls._instance = recorder
        return cls._instance

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if event == "subprocess.Popen":
            executable, argv = args[0], args[1]
            program = executable if executable else _first(argv)
        elif event in ("os.posix_spawn", "os.exec"):
            program = args[0]
        else:
            return
        if isinstance(program, (str, bytes, os.PathLike)):
            self.programs[os.fsdecode(program)] = None


def _first(argv: object) -> object:
    if isinstance(argv, (str, bytes)):
        return argv.split()[0] if argv.split() else None
    if isinstance(argv, (list, tuple)) and argv:
        return argv[0]
    return None
