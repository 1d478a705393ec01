"""The site packages (backend, media gateway) as dpkg sees them: built here (file copies and
dpkg-deb, under a second), then read back with ``dpkg-deb`` — files, modes, owners, control,
maintainer scripts — and the backend's unpacked tree run on its own."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from gateway.config import ConfigError, GatewayConfig
from installer import build_gateway, build_server, site_deb
from installer.build_deb import project_version
from tests.programs import find_program, listed_packages

ROOT = Path(__file__).resolve().parents[2]
CLIENT_PACKAGES = ("app", "widgets", "layouts", "shell", "lab", "bench", "tests", "resources")


@dataclass(frozen=True)
class Built:
    deb: Path
    root: Path  # dpkg-deb -x
    control: Path  # dpkg-deb -e
    listing: dict[str, tuple[str, str]]  # ./path → (mode string, owner/group)

    def field(self, name: str) -> str:
        return subprocess.run(["dpkg-deb", "-f", str(self.deb), name], capture_output=True,
                              text=True, check=True).stdout.strip()


def _read_back(deb: Path, where: Path) -> Built:
    root, control = where / "root", where / "control"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    listing = {}
    for line in subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        mode, owner, *_rest, path = line.split(None, 5)
        listing[path.split(" -> ")[0]] = (mode, owner)
    return Built(deb, root, control, listing)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("server-deb")
    deb = build_server.build_server(out_dir=work / "dist", build_dir=work / "build")
    return _read_back(deb, work)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("gateway-deb")
    deb = build_gateway.build_gateway(out_dir=work / "dist", build_dir=work / "build")
    return _read_back(deb, work)


# -- names, control, files --------------------------------------------------------------------

def test_the_packages_are_named_by_version_for_every_architecture(server: Built,
                                                                  gateway: Built) -> None:
    version = project_version()
    assert server.deb.name == f"iocwall-server_{version}_all.deb"
    assert gateway.deb.name == f"iocwall-gateway_{version}_all.deb"
    for built, name in ((server, "iocwall-server"), (gateway, "iocwall-gateway")):
        assert built.field("Package") == name and built.field("Architecture") == "all"
        assert built.field("Version") == version
        assert int(built.field("Installed-Size")) > 0


@pytest.mark.parametrize("module", [build_server, build_gateway])
def test_every_dependency_is_a_package_the_development_machine_installs(module: object) -> None:
    depends = site_deb.dependency_names(module.DEPENDS)  # type: ignore[attr-defined]
    assert set(depends) - set(listed_packages()) == set()


def test_the_depends_field_is_the_declared_list(server: Built, gateway: Built) -> None:
    assert server.field("Depends") == ", ".join(build_server.DEPENDS)
    assert gateway.field("Depends") == ", ".join(build_gateway.DEPENDS)
    server_needs = set(site_deb.dependency_names(build_server.DEPENDS))
    # the embedded gateway runs from the backend's tree: the backend needs all the gateway does
    assert set(site_deb.dependency_names(build_gateway.DEPENDS)) <= server_needs
    assert {"python3-venv", "ffmpeg", "fonts-dejavu-core", "adduser"} <= server_needs


def test_the_server_package_carries_server_common_and_gateway_and_nothing_of_the_client(
        server: Built) -> None:
    opt = server.root / "opt" / "iocwall-server"
    assert sorted(p.name for p in opt.iterdir()) == ["common", "gateway", "requirements.txt",
                                                     "server"]
    for path in ("server/__main__.py", "server/alembic/env.py", "server/alembic/script.py.mako",
                 "server/data/working-calendar.json", "common/evidence.py",
                 "gateway/__main__.py", "gateway/process.py", "gateway/relay.py"):
        assert (opt / path).is_file(), path
    versions = sorted(p.name for p in (opt / "server/alembic/versions").glob("*.py"))
    assert versions == sorted(p.name for p in (ROOT / "server/alembic/versions").glob("*.py"))
    assert not list(server.root.rglob("__pycache__")) and not list(server.root.rglob("*.pyc"))
    assert not any((opt / name).exists() for name in CLIENT_PACKAGES)


def test_the_gateway_package_carries_gateway_and_common_only(gateway: Built) -> None:
    opt = gateway.root / "opt" / "iocwall-gateway"
    assert sorted(p.name for p in opt.iterdir()) == ["common", "gateway"]
    shipped = sorted(p.relative_to(opt / "gateway").as_posix()
                     for p in (opt / "gateway").rglob("*.py"))
    assert shipped == sorted(p.relative_to(ROOT / "gateway").as_posix()
                             for p in (ROOT / "gateway").rglob("*.py"))


def test_every_file_is_roots_and_modes_are_the_expected_ones(server: Built,
                                                           gateway: Built) -> None:
    for built in (server, gateway):
        assert {owner for _mode, owner in built.listing.values()} == {"root/root"}
        for path, (mode, _owner) in built.listing.items():
            if mode.startswith("d"):
                assert mode == "drwxr-xr-x", path
            elif path not in ("./usr/sbin/iocwall-server",):
                assert mode == "-rw-r--r--", path
    assert server.listing["./usr/sbin/iocwall-server"][0] == "-rwxr-xr-x"
    for built, unit in ((server, "iocwall-server.service"), (gateway, "iocwall-gateway.service")):
        shipped = built.root / "lib" / "systemd" / "system" / unit
        assert shipped.read_bytes() == (ROOT / "installer" / unit).read_bytes()


def test_the_examples_are_conffiles_and_hold_no_secret(server: Built, gateway: Built) -> None:
    assert (server.control / "conffiles").read_text() == "/etc/iocwall/server.env.example\n"
    assert (gateway.control / "conffiles").read_text() == "/etc/iocwall/gateway.json.example\n"
    env = (server.root / "etc/iocwall/server.env.example").read_text(encoding="utf-8")
    assert env == (ROOT / "installer/server.env.example").read_text(encoding="utf-8")
    settings = dict(line.split("=", 1) for line in env.splitlines()
                    if line and not line.startswith("#"))
    assert settings["IOCWALL_DATA_DIR"] == "/var/lib/iocwall"
    # systemd reads a "#" after a value as part of it; sh as a comment
    assert not any("#" in value for value in settings.values())
    assert {"IOCWALL_HOST", "IOCWALL_PORT", "IOCWALL_DATABASE_URL"} <= set(settings)
    assert "IOCWALL_SECRET_KEY" not in env  # the key file in the data dir, never this file
    passwords = re.findall(r"://[^:/@]+:([^@]+)@", env)
    assert passwords and set(passwords) == {"CHANGE-ME"}


def test_the_gateway_example_is_refused_until_the_site_fills_it_in(gateway: Built) -> None:
    example = json.loads((gateway.root / "etc/iocwall/gateway.json.example").read_text())
    with pytest.raises(ConfigError, match="control.secret"):
        GatewayConfig.from_json(example)
    example["control"]["secret"] = "s" * 24
    with pytest.raises(ConfigError, match="token_keys"):
        GatewayConfig.from_json(example)
    example["token_keys"] = ["A" * 43 + "="]  # 32 bytes of base64
    config = GatewayConfig.from_json(example)
    assert config.key_file == Path("/var/lib/iocwall-gateway/x25519.key")
    assert (config.rtsp_port, config.ptz_port) == (8555, 8556)


def test_the_administration_guide_goes_with_the_server(server: Built) -> None:
    shipped = server.root / "usr/share/doc/iocwall-server/administration.md"
    assert shipped.read_bytes() == (ROOT / "docs/administration.md").read_bytes()
    unit = (server.root / "lib/systemd/system/iocwall-server.service").read_text()
    assert f"\nDocumentation=file:/{build_server.DOC}\n" in unit


# -- maintainer scripts -----------------------------------------------------------------------

def _scripts(built: Built) -> dict[str, str]:
    return {name: (built.control / name).read_text(encoding="utf-8")
            for name in ("postinst", "prerm", "postrm")}


def test_maintainer_scripts_are_executable_posix_shell(server: Built, gateway: Built) -> None:
    for built in (server, gateway):
        for name, text in _scripts(built).items():
            assert text.startswith("#!/bin/sh\n") and "set -eu\n" in text, name
            assert os.access(built.control / name, os.X_OK), name
            checked = subprocess.run(["sh", "-n", str(built.control / name)],
                                     capture_output=True, text=True, check=False)
            assert checked.returncode == 0, f"{name}: {checked.stderr}"


def test_maintainer_scripts_pass_shellcheck(server: Built, gateway: Built) -> None:
    if find_program("shellcheck") is None:
        pytest.skip("shellcheck not installed: apt-get install shellcheck "
                    "(scripts/optional-packages.txt)")
    for built in (server, gateway):
        scripts = [str(built.control / name) for name in _scripts(built)]
        linted = subprocess.run(["shellcheck", "--shell=sh", *scripts], capture_output=True,
                                text=True, check=False)
        assert linted.returncode == 0, linted.stdout


def test_the_server_postinst_makes_user_data_dir_and_pinned_venv_and_starts_nothing(
        server: Built) -> None:
    postinst = _scripts(server)["postinst"]
    assert ("adduser --system --group --home /var/lib/iocwall --no-create-home"
            in postinst.replace("\\\n        ", ""))
    assert "install -d -o iocwall -g iocwall -m 0700 /var/lib/iocwall" in postinst
    assert "install -o root -g iocwall -m 0640 /etc/iocwall/server.env.example " \
           "/etc/iocwall/server.env" in postinst
    assert "python3 -m venv /opt/iocwall-server/venv" in postinst
    install = next(line for line in postinst.splitlines() if "pip install" in line)
    assert "-r /opt/iocwall-server/requirements.txt" in install
    for option in ("--no-deps", "--only-binary=:all:"):
        assert option in postinst
    assert "--no-index --find-links /opt/iocwall-server/wheelhouse" in postinst
    assert "pip check" in postinst
    # never enabled, and started only again after an upgrade of a running backend
    assert "enable" not in postinst
    starts = [line.split("||")[0].strip() for line in postinst.splitlines()
              if "systemctl start" in line]
    assert starts == ["systemctl start iocwall-server.service"]
    assert "if [ -e /run/iocwall-server.upgrade-restart ]" in postinst


def test_removal_keeps_the_data_and_purge_removes_the_user(server: Built,
                                                          gateway: Built) -> None:
    for built, user, state in ((server, "iocwall", "/var/lib/iocwall"),
                               (gateway, "iocwall-gateway", "/var/lib/iocwall-gateway")):
        scripts = _scripts(built)
        assert "systemctl stop" in scripts["prerm"]
        for text in scripts.values():
            removals = [line for line in text.splitlines()
                        if re.search(r"\brm\b|rmdir|find .*-exec rm", line)]
            assert not any(state in line for line in removals), removals
        assert f"deluser --system {user}" in scripts["postrm"]
        assert scripts["postrm"].index('if [ "$1" = purge ]') < \
            scripts["postrm"].index("deluser")
    assert "rm -rf /opt/iocwall-server/venv" in _scripts(server)["postrm"]


def test_the_gateway_postinst_makes_its_user_and_writes_no_configuration(
        gateway: Built) -> None:
    postinst = _scripts(gateway)["postinst"]
    assert "adduser --system --group --home /var/lib/iocwall-gateway" in postinst
    assert "gateway.json" not in postinst and "enable" not in postinst


# -- the backend's Python dependencies ---------------------------------------------------------

def _pins(text: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, separator, version = line.partition("==")
            assert separator, line
            pins[canonicalize_name(name)] = version
    return pins


def test_the_requirements_are_constraints_pins_and_complete(server: Built) -> None:
    shipped = _pins((server.root / "opt/iocwall-server/requirements.txt").read_text())
    constraints = _pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert {name: constraints.get(name) for name in shipped} == shipped
    # complete: what each one requires on this Python is there too (postinst: --no-deps)
    for name in shipped:
        for line in importlib.metadata.requires(name) or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                assert canonicalize_name(req.name) in shipped, f"{name} needs {req.name}"
    for extra_of in ("psycopg-binary",):  # psycopg[binary], pyproject's spelling
        assert extra_of in shipped
    # and nothing only the client, the lab or the tests use
    for client_only in ("pyside6-essentials", "python-vlc", "qasync", "onvif-zeep-async",
                        "pygame-ce", "keyring", "aiohttp", "pytest", "pyinstaller"):
        assert client_only not in shipped


def _imported_distributions(folders: tuple[str, ...]) -> set[str]:
    """The installed distributions the folders' Python imports (top-level names)."""
    import ast

    by_module = importlib.metadata.packages_distributions()
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in ("server", "common", "gateway"):
                        continue
                    found.update(canonicalize_name(d) for d in by_module.get(top, []))
    return found


def test_every_distribution_the_backend_imports_is_pinned(server: Built) -> None:
    shipped = _pins((server.root / "opt/iocwall-server/requirements.txt").read_text())
    imported = _imported_distributions(("server", "common"))
    assert imported, "the scan found no import at all"
    assert imported - set(shipped) == set()
    # the list the requirements start from names each (the rest come in as their needs)
    listed = {canonicalize_name(name) for name in build_server.SERVER_DISTRIBUTIONS}
    assert imported - listed == set()


def test_a_wheelhouse_must_hold_a_wheel_for_every_pin(tmp_path: Path) -> None:
    requirements = "# pinned\nav==18.1.0\npsycopg-binary==3.3.9\n"
    (tmp_path / "av-18.1.0-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")
    (tmp_path / "av-17.0.0-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")
    with pytest.raises(ValueError, match="psycopg-binary"):
        build_server.wheelhouse_files(tmp_path, requirements)
    (tmp_path / "psycopg_binary-3.3.9-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"")
    found = build_server.wheelhouse_files(tmp_path, requirements)
    assert sorted(p.name for p in found) == [
        "av-18.1.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        "psycopg_binary-3.3.9-cp311-cp311-manylinux_2_28_x86_64.whl"]
    assert all(target.parent == build_server.WHEELHOUSE for target in found)


# -- the unpacked trees run on their own ---------------------------------------------------------

# This venv has the repository installed in editable mode: its finder would serve whatever
# the package lacks from a checkout. The launcher drops it, runs ``python -m server`` and
# fails (exit 3) if any module came from outside the tree, the venv or the standard library.
LAUNCHER = """
import os, runpy, sys
editable = lambda hook: getattr(hook, "__module__", "").startswith("__editable__")
sys.meta_path[:] = [finder for finder in sys.meta_path if not editable(finder)]
sys.path_hooks[:] = [hook for hook in sys.path_hooks if not editable(hook)]
sys.path_importer_cache.clear()
tree = sys.argv[1]
allowed = tuple({os.path.join(os.path.realpath(p), "") for p in (tree, sys.prefix, sys.base_prefix)}
                | {os.path.join(p, "") for p in (tree, sys.prefix, sys.base_prefix)})
sys.argv = ["server", *sys.argv[2:]]
try:
    runpy.run_module("server", run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as exit_:
    code = exit_.code
def stray(name, module):
    where = getattr(module, "__file__", None)  # None: built in, or a namespace package
    return (isinstance(where, str) and not where.startswith(allowed)
            or name.split(".")[0] in CLIENT)
strays = sorted(name for name, module in list(sys.modules.items()) if stray(name, module))
if strays:
    print("imported from outside the package:", strays, file=sys.stderr)
    sys.exit(3)
sys.exit(code)
"""


def _run_server_tree(server: Built, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    tree = server.root / "opt" / "iocwall-server"
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("IOCWALL_", "PYTHON"))}
    env.update(PYTHONPATH=str(tree), IOCWALL_DATA_DIR=str(data_dir), IOCWALL_GATEWAY="off")
    launcher = f"CLIENT = {CLIENT_PACKAGES!r}\n{LAUNCHER}"
    return subprocess.run([sys.executable, "-c", launcher, str(tree), *args],
                          cwd=data_dir.parent, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_unpacked_server_shows_its_help_and_migrates_sqlite(server: Built,
                                                                tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shown = _run_server_tree(server, data_dir, "--help")
    assert shown.returncode == 0, shown.stderr
    assert "migrate" in shown.stdout and "gateway-token-key" in shown.stdout
    migrated = _run_server_tree(server, data_dir, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.startswith("OK: the database is at revision ")
    assert (data_dir / "iocwall.db").stat().st_size > 0
    key = _run_server_tree(server, data_dir, "gateway-token-key")
    assert key.returncode == 0, key.stderr
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=\n", key.stdout)


def test_the_embedded_gateway_starts_from_the_server_tree(server: Built,
                                                          tmp_path: Path) -> None:
    """As ``gateway.process`` runs it: Debian's python3, the tree on PYTHONPATH."""
    tree = server.root / "opt" / "iocwall-server"
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(tree), "HOME": str(tmp_path)}
    done = subprocess.run(["/usr/bin/python3", "-m", "gateway", "keygen", "--key-file",
                           str(tmp_path / "x25519.key")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x25519.key").stat().st_mode & 0o077 == 0


def test_the_unpacked_gateway_imports_its_relay_on_debians_python(gateway: Built,
                                                                  tmp_path: Path) -> None:
    """As the unit runs it: /usr/bin/python3, the working directory /opt/iocwall-gateway."""
    tree = gateway.root / "opt" / "iocwall-gateway"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = ("import sys, gateway.main, gateway.relay, gateway.keeper, gateway.ptz; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'server', 'app', 'lab'}))")
    done = subprocess.run(["/usr/bin/python3", "-c", code], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- the units, as systemd reads them -----------------------------------------------------------

def test_systemd_accepts_both_units(server: Built, gateway: Built, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed (a container without systemd)")
    units = []
    for built, name in ((server, "iocwall-server.service"), (gateway, "iocwall-gateway.service")):
        text = (built.root / "lib/systemd/system" / name).read_text(encoding="utf-8")
        # the venv's interpreter is made by postinst, which does not run here: verify checks
        # that ExecStart's program exists, so point it at one that does
        text = text.replace("/opt/iocwall-server/venv/bin/python", sys.executable)
        (tmp_path / name).write_text(text, encoding="utf-8")
        units.append(str(tmp_path / name))
    verified = subprocess.run([analyze, "verify", *units], capture_output=True, text=True,
                              timeout=60, check=False)
    assert verified.returncode == 0, verified.stderr
    assert "iocwall" not in verified.stderr, verified.stderr


# -- the maintainer scripts, run ------------------------------------------------------------------

STUB = """#!/bin/sh
echo "{name} $*" >> "{log}"
{body}
"""
STUB_BODIES = {
    "adduser": "", "deluser": "", "delgroup": "", "getent": "",  # the users "exist"
    # is-active answers as the test says (the backend running or not before an upgrade)
    "systemctl": '[ "$1" != is-active ] || exit "${ACTIVE_STATUS:-3}"',
    # the system users do not exist here: owners are what the log shows
    "install": 'dirs=; mode=\n'
               'while :; do\n'
               '    case "$1" in\n'
               '        -d) dirs=-d; shift ;;\n'
               '        -m) mode=$2; shift 2 ;;\n'
               '        -o|-g) shift 2 ;;\n'
               '        *) break ;;\n'
               '    esac\n'
               'done\n'
               'exec /usr/bin/install $dirs ${mode:+-m "$mode"} "$@"',
}


@dataclass(frozen=True)
class Sandbox:
    """A package's unpacked files and maintainer scripts with every absolute path the scripts
    touch moved under one directory, and stubs for what needs root or a running systemd."""

    top: Path
    root: Path
    log: Path

    def path(self, absolute: str) -> Path:
        return self.top / "root" / absolute.lstrip("/") if absolute.startswith(
            ("/opt/", "/etc/")) else self.top / absolute.lstrip("/")

    def run(self, script: str, *args: str, active: bool = False) -> list[str]:
        """Run ``script`` with ``args``; the stubbed commands it ran."""
        before = self.log.read_text().splitlines() if self.log.exists() else []
        env = {"PATH": f"{self.top / 'stub'}:{os.environ['PATH']}",
               "ACTIVE_STATUS": "0" if active else "3", "HOME": str(self.top)}
        done = subprocess.run(["sh", str(self.top / script), *args], env=env,
                              capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, f"{script} {args}: {done.stderr}"
        return self.log.read_text().splitlines()[len(before):]


def _sandbox(built: Built, top: Path) -> Sandbox:
    root = top / "root"
    shutil.copytree(built.root, root, symlinks=True)
    (top / "stub").mkdir()
    log = top / "commands.log"
    for name, body in STUB_BODIES.items():
        stub = top / "stub" / name
        stub.write_text(STUB.format(name=name, log=log, body=body))
        stub.chmod(0o755)
    (top / "run" / "systemd" / "system").mkdir(parents=True)
    (top / "var" / "lib").mkdir(parents=True)
    for name in ("postinst", "prerm", "postrm"):
        text = (built.control / name).read_text(encoding="utf-8")
        for prefix, moved in (("/opt/", f"{root}/opt/"), ("/etc/iocwall", f"{root}/etc/iocwall"),
                              ("/var/lib/", f"{top}/var/lib/"), ("/run/", f"{top}/run/")):
            text = re.sub(rf"(?<=[\s=(]){re.escape(prefix)}", moved, text)
        (top / name).write_text(text, encoding="utf-8")
    return Sandbox(top, root, log)


def test_the_server_scripts_install_upgrade_remove_and_purge(server: Built,
                                                             tmp_path: Path) -> None:
    box = _sandbox(server, tmp_path)
    # pip's part needs the pinned wheels (minutes, and PyPI): an empty set runs the same steps
    box.path("/opt/iocwall-server/requirements.txt").write_text("# none here\n")
    ran = box.run("postinst", "configure", "")
    data = box.path("/var/lib/iocwall")
    assert f"adduser --system --group --home {data} --no-create-home --gecos iocwall backend " \
           "iocwall" in ran
    assert data.stat().st_mode & 0o777 == 0o700
    assert f"install -d -o iocwall -g iocwall -m 0700 {data}" in ran
    env = box.path("/etc/iocwall/server.env")
    assert env.read_text() == box.path("/etc/iocwall/server.env.example").read_text()
    assert env.stat().st_mode & 0o777 == 0o640 and any("-g iocwall -m 0640" in c for c in ran)
    assert [c for c in ran if c.startswith("systemctl")] == ["systemctl daemon-reload"]
    venv = box.path("/opt/iocwall-server/venv")
    found = subprocess.run([str(venv / "bin" / "python"), "-P", "-c",
                            "import common.urls; print(common.urls.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert found.startswith(str(box.path("/opt/iocwall-server/common/")))  # the .pth

    env.write_text("IOCWALL_PORT=8800\n")  # the administrator's: a reconfigure keeps it
    box.run("postinst", "configure", "0.1.0")
    assert env.read_text() == "IOCWALL_PORT=8800\n"

    # an upgrade of a running backend starts it again; of a stopped one, not
    assert "systemctl stop iocwall-server.service" in box.run("prerm", "upgrade", "0.2.0",
                                                              active=True)
    assert "systemctl start iocwall-server.service" in box.run("postinst", "configure", "0.1.0")
    box.run("prerm", "upgrade", "0.2.0")
    assert not any("start" in c for c in box.run("postinst", "configure", "0.1.0"))

    (data / "iocwall.db").write_bytes(b"the site's data")
    assert "systemctl stop iocwall-server.service" in box.run("prerm", "remove")
    box.run("postrm", "remove")
    assert not venv.exists() and (data / "iocwall.db").exists() and env.exists()
    ran = box.run("postrm", "purge")
    assert "deluser --system iocwall" in ran and not env.exists()
    assert (data / "iocwall.db").read_bytes() == b"the site's data"


def test_the_gateway_scripts_install_and_purge_without_touching_its_key(
        gateway: Built, tmp_path: Path) -> None:
    box = _sandbox(gateway, tmp_path)
    ran = box.run("postinst", "configure", "")
    state = box.path("/var/lib/iocwall-gateway")
    assert any(c.startswith(f"adduser --system --group --home {state} ") and
               c.endswith(" iocwall-gateway") for c in ran)
    assert [c for c in ran if c.startswith("systemctl")] == ["systemctl daemon-reload"]
    assert not box.path("/etc/iocwall/gateway.json").exists()
    state.mkdir()
    (state / "x25519.key").write_bytes(b"key")
    box.run("prerm", "remove")
    box.run("postrm", "remove")
    assert "deluser --system iocwall-gateway" in box.run("postrm", "purge")
    assert (state / "x25519.key").read_bytes() == b"key"


def test_the_command_runs_python_m_server_with_the_settings_file(server: Built,
                                                                 tmp_path: Path) -> None:
    """``iocwall-server``: the settings file as sh reads it (single quotes keep ``$`` and
    ``&``, as systemd's EnvironmentFile does), the data dir by default, the arguments intact."""
    box = _sandbox(server, tmp_path)
    command = (box.root / "usr/sbin/iocwall-server").read_text(encoding="utf-8")
    python = box.path("/opt/iocwall-server/venv/bin/python")
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\nprintf "%s\\n" "$@" "$IOCWALL_DATABASE_URL" "$IOCWALL_DATA_DIR" '
                      '"$IOCWALL_PORT" "$HOME" "$(umask)"\n')
    python.chmod(0o755)
    (box.top / "stub" / "id").write_text('#!/bin/sh\n[ "$1" = -un ] && echo iocwall || echo 999\n')
    (box.top / "stub" / "id").chmod(0o755)
    for absolute in ("/opt/iocwall-server/venv", "/etc/iocwall/server.env", "/var/lib/iocwall"):
        command = command.replace(absolute, str(box.path(absolute)))
    (box.top / "iocwall-server").write_text(command, encoding="utf-8")
    box.path("/etc/iocwall/server.env").write_text(
        "# the site's\nIOCWALL_PORT=8800\n"
        "IOCWALL_DATABASE_URL='postgresql://iocwall:pa$$w&rd@db/iocwall'\n")
    env = {"PATH": f"{box.top / 'stub'}:{os.environ['PATH']}", "HOME": "/root"}
    done = subprocess.run(["sh", str(box.top / "iocwall-server"), "init", "--admin-username",
                           "quản trị"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "-P", "-m", "server", "init", "--admin-username", "quản trị",
        "postgresql://iocwall:pa$$w&rd@db/iocwall", str(box.path("/var/lib/iocwall")), "8800",
        str(box.path("/var/lib/iocwall")), "0077"]


def test_a_package_built_with_a_wheelhouse_carries_one_wheel_per_pin(tmp_path: Path) -> None:
    """What postinst installs from with --no-index (stand-in wheels: the real ones are 95 MB)."""
    wheels = tmp_path / "wheelhouse"
    wheels.mkdir()
    pins = _pins(build_server.server_requirements())
    for name, version in pins.items():
        (wheels / f"{name.replace('-', '_')}-{version}-py3-none-any.whl").write_bytes(b"")
    (wheels / "numpy-1.0.0-py3-none-any.whl").write_bytes(b"")  # not the pinned version
    deb = build_server.build_server(out_dir=tmp_path / "dist", build_dir=tmp_path / "build",
                                    wheelhouse=wheels)
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    carried = sorted(line.rsplit("/", 1)[1] for line in listing.splitlines()
                     if "/opt/iocwall-server/wheelhouse/" in line and line.endswith(".whl"))
    assert len(carried) == len(pins) and "numpy-1.0.0-py3-none-any.whl" not in carried
