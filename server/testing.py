"""Run a real backend as a child process for other parts' tests (client, e2e).

    base_url, process = start_test_server(tmp_path / "data", lab.manifest_path)
    ...  # base_url is the server root, e.g. http://127.0.0.1:41234; the API is base_url + /api/v1
    stop_test_server(process)

The server gets its own data dir (database, key file), the demo organisation (password
``demo``), cheap argon2 parameters, and a free loopback port.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHEAP_ARGON2_ENV = {
    "IOCWALL_ARGON2_TIME_COST": "1",
    "IOCWALL_ARGON2_MEMORY_COST": "1024",
    "IOCWALL_ARGON2_PARALLELISM": "1",
}


class TestServerError(RuntimeError):
    """The backend child process did not come up."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_test_server(
    data_dir: Path,
    lab_manifest: Path | None = None,
    *,
    demo: bool = True,
    timeout: float = 30.0,
    record: bool = False,
    env_overrides: dict[str, str] | None = None,
    tls: bool = False,
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``python -m server`` on a free port; return (root URL, process) once healthy.

    ``record`` turns the recorder on (off by default, to keep other parts' tests cheap);
    ``env_overrides`` sets further ``IOCWALL_*`` variables (e.g. segment length). Without
    ``demo`` the data dir must hold a site made by ``python -m server init``: the server
    refuses an uninitialised one (exit 2), which this reports as :class:`TestServerError`.
    ``tls``: HTTPS with the site's certificates (``<data dir>/tls``, the demo makes them; the
    URL is ``https://``), else plain HTTP on loopback (``--insecure-loopback``)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("IOCWALL_DATABASE_URL", None)
    env.pop("IOCWALL_SECRET_KEY", None)
    env["IOCWALL_DATA_DIR"] = str(data_dir)
    env.update(CHEAP_ARGON2_ENV)
    env["IOCWALL_RECORD"] = "1" if record else "0"
    env["IOCWALL_GATEWAY_RTSP_PORT"] = "0"  # its embedded gateway on any free port
    env["IOCWALL_GATEWAY_PTZ_PORT"] = "0"
    env.setdefault("IOCWALL_DISK_ALERT_PERCENT", "100")  # the machine's disk is not the test's
    env.update(env_overrides or {})
    log_path = data_dir / "server.log"
    for _attempt in range(3):
        port = free_port()
        cmd = [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning"]
        if demo:
            cmd.append("--demo")
        if not tls:
            cmd.append("--insecure-loopback")
        if lab_manifest is not None:
            cmd += ["--lab-manifest", str(lab_manifest)]
        with open(log_path, "ab") as log_file:
            process = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                       preexec_fn=_die_with_parent)
        base_url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break  # died (port taken?): try another port
            try:
                with urllib.request.urlopen(f"{base_url}/api/v1/health", timeout=1,
                                            context=_site_context(data_dir, tls)) as reply:
                    if reply.status == 200:
                        return base_url, process
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        else:
            stop_test_server(process)
            raise TestServerError(f"backend did not answer /health in {timeout} s; see {log_path}")
    raise TestServerError(f"backend exited at start; see {log_path}")


def _site_context(data_dir: Path, tls: bool) -> ssl.SSLContext | None:
    """A context trusting the site CA (once the server has made it), None for plain HTTP."""
    ca = data_dir / "tls" / "ca.crt"
    if not tls:
        return None
    if not ca.exists():
        raise urllib.error.URLError("the site CA is not written yet")
    return ssl.create_default_context(cafile=str(ca))


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies, even by a crash, so a
    crashed run leaves no backend behind (Linux; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_test_server(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate the child and wait for it (kill if it does not stop)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
