"""The parent's side of the gateway: start it, hand it its configuration, read its events.

Runs in any Python (the backend's venv, a test): standard library only. The child is Debian's
``/usr/bin/python3 -m gateway`` (the interpreter with ``gi`` and ``nacl``); the configuration,
camera passwords and control secret included, goes down its stdin, never on its command line or
in its environment. The child gets a minimal environment of its own (not the parent's, which may
hold the backend's database URL). It exits when its stdin reaches EOF, so it cannot outlive this
object's process. A gateway given a configuration file instead (``--config``, as systemd runs one
on another machine) ignores its stdin and ends at SIGTERM: :meth:`GatewayProcess.stop` sends it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("iocwall.gateway")

SYSTEM_PYTHON = "/usr/bin/python3"
ROOT = Path(__file__).resolve().parent.parent
PASSED_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "XDG_CACHE_HOME", "TZ")


class GatewayError(RuntimeError):
    """The gateway did not start or a control call failed (never carries a secret).
    ``public_key``: what a gateway that refused its configuration reported (a password sealed
    to a key it no longer has), else None."""

    def __init__(self, message: str, public_key: str | None = None) -> None:
        super().__init__(message)
        self.public_key = public_key


def gateway_public_key(key_file: Path, timeout: float = 30.0) -> str:
    """The public half (base64) of the gateway key pair in ``key_file``, which the gateway
    creates if missing (``python3 -m gateway keygen``): the backend seals to it before the
    gateway first runs, and never reads the private half."""
    env = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    env["PYTHONPATH"] = str(ROOT)
    try:
        done = subprocess.run([SYSTEM_PYTHON, "-m", "gateway", "keygen", "--key-file",
                               str(key_file)], capture_output=True, text=True, env=env,
                              cwd=str(ROOT), timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GatewayError(f"gateway keygen did not run: {err}") from err
    key = done.stdout.strip()
    if done.returncode != 0 or not key:
        raise GatewayError(f"gateway keygen failed: {done.stderr.strip()[-300:]}")
    return key


class GatewayProcess:
    """A running gateway child. ``events`` holds every stdout line received, in order."""

    def __init__(self, config: dict[str, Any], ready_timeout: float = 30.0,
                 cwd: Path | None = None,
                 on_event: Callable[[dict[str, Any]], None] | None = None,
                 keep_events: int | None = None, config_file: Path | None = None) -> None:
        """``on_event(event)`` is called on the reader thread for each stdout event as it
        arrives (a supervisor forwarding sessions to the audit log); ``keep_events`` bounds
        ``events`` to the newest that many (a long-lived gateway), None keeps them all.
        ``config_file``: the gateway reads its configuration from there (``config`` is what
        the file holds: the control secret is read from it) and nothing goes down its stdin,
        which is closed once it is ready."""
        self.config_file = config_file
        self.secret = str(config["control"]["secret"])
        self.control_address = str(config["control"].get("address", "127.0.0.1"))
        # a gateway with a certificate answers control calls over HTTPS only: checked against
        # the site CA its configuration names (``"tls": {"ca_file"}``), never the system's
        tls = config.get("tls")
        self.scheme = "https" if tls else "http"
        self.tls_context = ssl.create_default_context(cafile=str(tls["ca_file"])) if tls \
            else None
        self.events: list[dict[str, Any]] = []
        self._on_event = on_event
        self._keep_events = keep_events
        self.stderr_lines: list[str] = []
        self._cond = threading.Condition()
        self._eof = False
        env = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
        env["PYTHONPATH"] = str(ROOT)
        command = [SYSTEM_PYTHON, "-m", "gateway"]
        if config_file is not None:
            command += ["--config", str(config_file)]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", close_fds=True, env=env,
            cwd=str(cwd or ROOT))
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        self.stdin: IO[str] = self.proc.stdin
        self.pid = self.proc.pid
        threading.Thread(target=self._read_events, args=(self.proc.stdout,),
                         name="gateway-events", daemon=True).start()
        threading.Thread(target=self._read_stderr, args=(self.proc.stderr,),
                         name="gateway-stderr", daemon=True).start()
        if config_file is None:
            self.stdin.write(json.dumps(config) + "\n")
            self.stdin.flush()
        ready = self.wait_for(lambda e: e.get("event") == "ready", ready_timeout)
        # the gateway's X25519 public key (base64), with a "key_file" in the configuration
        self.public_key: str | None = ready.get("public_key") if ready else None
        if ready is None or not ready.get("ok"):
            self.stop()
            reason = ready.get("error") if ready else f"no answer within {ready_timeout:.0f} s"
            raise GatewayError(f"gateway did not start: {reason}", self.public_key)
        self.rtsp_port = int(ready["rtsp_port"])
        self.control_port = int(ready["control_port"])
        self.ptz_port = int(ready["ptz_port"])
        if config_file is not None:
            self.stdin.close()  # it must go on: a service's stdin is nothing to it

    def _read_events(self, stream: IO[str]) -> None:
        for line in stream:
            try:
                event = json.loads(line)
            except ValueError:
                log.warning("gateway: not an event line: %.80s", line)
                continue
            with self._cond:
                self.events.append(event)
                if self._keep_events is not None and len(self.events) > self._keep_events:
                    del self.events[:len(self.events) - self._keep_events]
                self._cond.notify_all()
            if self._on_event is not None:
                self._on_event(event)
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _read_stderr(self, stream: IO[str]) -> None:
        for line in stream:
            line = line.rstrip()
            if line:
                with self._cond:
                    self.stderr_lines.append(line)
                log.info("gateway child: %s", line)

    def wait_for(self, match: Callable[[dict[str, Any]], bool],
                 timeout: float) -> dict[str, Any] | None:
        """The first event (received so far or within ``timeout``) that ``match`` accepts."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events:
                    if match(event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    return None
                self._cond.wait(left)

    # -- control endpoint ------------------------------------------------------------------------
    def control(self, method: str, path: str, body: Any = None,
                timeout: float = 10.0) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.scheme}://{self.control_address}:{self.control_port}{path}", data=data,
            method=method, headers={"Authorization": f"Bearer {self.secret}",
                                    "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout,  # noqa: S310
                                        context=self.tls_context) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def _ok(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self.control(method, path, body)
        if status != 200:
            raise GatewayError(f"{method} {path}: {status} {answer}")
        return answer

    def stats(self) -> dict[str, Any]:
        return dict(self._ok("GET", "/stats"))

    def health(self) -> bool:
        return bool(self._ok("GET", "/health").get("ok"))

    def revoke(self, *, session_ids: list[str] | None = None, user_id: int | None = None,
               camera_id: int | None = None) -> int:
        body: dict[str, Any] = {}
        if session_ids is not None:
            body["session_ids"] = session_ids
        if user_id is not None:
            body["user_id"] = user_id
        if camera_id is not None:
            body["camera_id"] = camera_id
        return int(self._ok("POST", "/revoke", body)["cut"])

    def replace_cameras(self, cameras: list[dict[str, Any]], version: str,
                        ptz_cameras: list[dict[str, Any]] | None = None) -> dict[str, int]:
        """Serve exactly these camera streams, and broker PTZ for exactly these cameras, from
        now on (``PUT /cameras``)."""
        return dict(self._ok("PUT", "/cameras", {"cameras": cameras,
                                                 "ptz_cameras": ptz_cameras or [],
                                                 "version": version}))

    def reseal(self, sealed: str, to_public_key: str) -> str:
        """A secret sealed to this gateway, sealed to another gateway's key instead."""
        return str(self._ok("POST", "/reseal", {"sealed": sealed, "to": to_public_key})["sealed"])

    def set_ptz_holder(self, camera_id: int, holder: dict[str, Any] | None) -> None:
        """``holder``: ``{"user_id", "username", "full_name", "until"}``, None: nobody."""
        self._ok("POST", "/ptz/holder", {"camera_id": camera_id, **(holder or {})})

    # -- end -------------------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait(self, timeout: float) -> int | None:
        """The exit code once it ended within ``timeout``, else None."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """SIGKILL, as a crash would end it (tests of a restart)."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        """EOF on its stdin (SIGTERM for a gateway with a configuration file), then harder."""
        try:
            self.stdin.close()  # EOF: the child quits its main loop
        except BrokenPipeError:
            pass
        if self.config_file is not None and self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            log.warning("gateway did not stop; terminating pid %d", self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(3)

    def __enter__(self) -> GatewayProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
