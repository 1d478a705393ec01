"""`make test`: static checks (ruff, mypy, import-linter), then the whole pytest suite.

The suite runs in three parts: the tests that need no real video or camera lab on every core
(pytest-xdist, a file's tests on one worker so its fixtures are built once); the camera-lab tests
without a wall on three workers (they mostly wait on real time — key frames, timeouts, backoffs:
about 18 min one at a time, 9 min on two workers using 0.7 of a core between them, 6.4 min on
three; every worker starts its own lab and gateways on ports of its own); then the video tests
one at a time, since the wall's
timing (first picture, reconnects, a tile's darkness) is what they check and must not share the
CPU. Runs every step even when one fails, so one run shows everything; exits non-zero if any
failed. Extra arguments go to every pytest run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

STEPS: list[tuple[str, list[str]]] = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "."]),
    ("mypy", [sys.executable, "-m", "mypy", "app", "layouts", "server", "widgets", "shell", "main.py",
              "common", "gateway"]),
    ("import-linter", [str(BIN / "lint-imports")]),
    # a worker that crashes (a native library's segfault) ends the run with the crash shown:
    # replaced, xdist's file scheduling was seen waiting forever for the lost file's tests
    ("pytest (parallel)", [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadfile",
                           "--max-worker-restart", "0",
                           "-m", "not video and not lab", *sys.argv[1:]]),
    ("pytest (camera lab, three workers)", [sys.executable, "-m", "pytest", "-n", "3",
                                            "--dist", "loadfile", "--max-worker-restart", "0",
                                            "-m", "lab and not video", *sys.argv[1:]]),
    ("pytest (video, serial)", [sys.executable, "-m", "pytest", "-m", "video", *sys.argv[1:]]),
]


def main() -> int:
    failed: list[str] = []
    for name, cmd in STEPS:
        print(f"=== {name}: {' '.join(cmd[1:] if cmd[0] == sys.executable else cmd)}", flush=True)
        rc = subprocess.call(cmd, cwd=ROOT)
        if rc != 0:
            failed.append(f"{name} (exit {rc})")
    if failed:
        print("FAILED steps: " + ", ".join(failed), flush=True)
        return 1
    print("all steps passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
