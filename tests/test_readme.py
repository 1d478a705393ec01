"""The README is the newcomer's contract: its two commands, every other command it shows, and
its copy of the rule table."""

import os
import re
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

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


# -- every command of the README works as written ------------------------------------------

# Run elsewhere: the contract itself (CI runs make test; make run opens the wall for a person),
# the package build (.ci/run) and the benchmarks (never under the suite's load).
NOT_HERE = ("make run", "make test", "make package", "make package-check", "make bench")


def _sh_blocks(text: str) -> list[list[str]]:
    """The command lines of each ```sh block (comments and blank lines dropped)."""
    blocks = re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)
    return [[line.split("  #", 1)[0].strip() for line in block.splitlines()
             if line.strip() and not line.lstrip().startswith("#")] for block in blocks]


def _inline_commands(text: str) -> list[str]:
    return re.findall(r"`(\.venv/bin/python [^`]+)`", text)


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_inline_python_command_parses_with_its_programs_own_options() -> None:
    """The README once documented ``main.py --demo --user NAME`` before it existed."""
    import lab.__main__ as lab_main
    import main as client_main
    import server.__main__ as server_main

    commands = _inline_commands(_readme()) + [line for block in _sh_blocks(_readme())
                                              for line in block if line.startswith(".venv")]
    assert any("--user" in c for c in commands), "the README no longer shows --user"
    for command in commands:
        words = shlex.split(command)[1:]
        if words[0] == "main.py":
            client_main.parse_args(words[1:])
        elif words[:2] == ["-m", "server"]:
            server_main._parser().parse_args(words[2:])
        elif words[:2] == ["-m", "lab"]:
            lab_main.parse_args(words[2:])
        elif words[:2] == ["-m", "pytest"]:
            assert all((ROOT / w).exists() for w in words[2:] if not w.startswith("-")), command
        else:
            pytest.fail(f"no parser known for the README command {command!r}")


def _wait_for(what: str, ready: Callable[[], bool], process: subprocess.Popen[str],
              output: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"{what} exited with {process.returncode}:\n" + \
            "".join(output[-30:])
        assert time.monotonic() < deadline, f"{what} not ready in {timeout} s:\n" + \
            "".join(output[-30:])
        time.sleep(0.2)


def _health(site_ca: Path) -> bool:
    """The README's backend answers over HTTPS with a certificate from its own site CA."""
    if not site_ca.is_file():
        return False
    try:
        return requests.get("https://127.0.0.1:8700/api/v1/health", timeout=1,
                            verify=str(site_ca)).status_code == 200
    except requests.RequestException:
        return False


def _window_of(pid: int, title: str) -> bool:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--name",
                            title], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


@pytest.mark.video
@pytest.mark.lab
def test_the_readmes_command_blocks_run_as_written(tmp_path: Path, x_display: str) -> None:
    """Every ``sh`` block's commands, in order, in a new user's home: commands that end must
    exit 0; the long-running ones (lab, backend, client) must come up and stop cleanly."""
    home = tmp_path / "home"
    data = home / ".local" / "share" / "iocwall"
    data.mkdir(parents=True)
    # The lab's encoded clips are a cache: keep them across runs on this machine.
    cache = ROOT / ".cache" / "readme-lab-cache"
    cache.mkdir(parents=True, exist_ok=True)
    (data / "lab-cache").symlink_to(cache)
    env = {k: v for k, v in os.environ.items()
           if k not in ("IOCWALL_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    env.update(HOME=str(home), DISPLAY=x_display, PYTHONUNBUFFERED="1", IOCWALL_RECORD="0")
    # Long-running commands: how each shows it is up. Anything else must end by itself.
    readiness: dict[str, tuple[float, Callable[[subprocess.Popen[str], list[str]], bool]]] = {
        ".venv/bin/python -m lab": (600, lambda _p, out: any("manifest" in line
                                                             for line in out)),
        ".venv/bin/python -m server --demo": (120, lambda _p, _out: _health(
            data / "tls" / "ca.crt")),
        ".venv/bin/python main.py": (120, lambda p, _out: _window_of(p.pid, "Log in")),
    }
    running: list[tuple[str, subprocess.Popen[str]]] = []
    ran = 0
    try:
        for block in _sh_blocks(_readme()):
            for command in block:
                if command in NOT_HERE:
                    continue
                ran += 1
                process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env=env,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           text=True, start_new_session=True)
                output: list[str] = []
                threading.Thread(target=lambda p=process, o=output: o.extend(
                    iter(p.stdout.readline, "")), daemon=True).start()  # type: ignore[union-attr]
                long_running = next((v for k, v in readiness.items() if command.startswith(k)),
                                    None)
                if long_running is None:
                    try:
                        code = process.wait(timeout=120)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        pytest.fail(f"{command!r} did not end by itself (a server? add it to "
                                    "the readiness table)")
                    time.sleep(0.1)
                    assert code == 0, f"{command!r} exited {code}:\n" + "".join(output[-30:])
                    continue
                timeout, ready = long_running
                _wait_for(command, lambda p=process, o=output, r=ready: r(p, o), process,
                          output, timeout)
                running.append((command, process))
        assert ran >= 4, "the README's command blocks ran almost nothing"
    finally:
        failures = []
        for command, process in reversed(running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                code = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                code = process.wait(timeout=10)
            if code not in (0, -signal.SIGTERM):
                failures.append(f"{command!r} stopped with {code}")
    assert failures == []
