"""The control endpoint's ``POST /probe``: a sealed password opened, the probe run under a deadline.

Body: ``{"host": "10.0.0.5", "port": 80 | null, "username": "...", "sealed_password": "<box
sealed to this gateway's key, base64>" | null, "rtsp_url": "rtsp://10.0.0.5:554/..." | null}``
(``port`` null: a camera without ONVIF, only ``rtsp_url`` is verified; a URL with user info is
refused: the password travels sealed, never in a URL). Answer: the probe's JSON
(:meth:`gateway.probe.ProbeResult.to_json`, or ``{"ok": false, "failure", "step", "detail"
[, "partial"]}``).

Each probe runs on a thread of its own, never on the GLib main loop nor under a lock the
relay's revocations take, so a camera that answers slowly cannot hold a revocation up; at most
:data:`MAX_CONCURRENT` run at once (the others are refused at once: busy), and each ends by
:data:`DEADLINE_S` (each network wait is bounded by what is left of it).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from common.vocabulary import ProbeFailure
from gateway.probe import ProbeError, ProbeRequest, Verify, probe

log = logging.getLogger("iocwall.gateway.probe")

DEADLINE_S = 25.0
MAX_CONCURRENT = 2
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:]{2,45}")


class ProbeBadRequest(ValueError):
    """The body is not a probe request (the message names the field)."""


class ProbeBusy(RuntimeError):
    """Too many probes at once."""


def parse_probe(body: Any, open_sealed: Callable[[bytes], bytes] | None) -> ProbeRequest:
    if not isinstance(body, dict):
        raise ProbeBadRequest("body: not an object")
    unknown = set(body) - {"host", "port", "username", "sealed_password", "rtsp_url"}
    if unknown:
        raise ProbeBadRequest(f"{sorted(unknown)[0]}: unknown field")
    host = body.get("host")
    if not isinstance(host, str) or not _HOST.fullmatch(host):
        raise ProbeBadRequest("host: not a host name or address")
    port = body.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool)
                             or not 1 <= port <= 65535):
        raise ProbeBadRequest("port: not a port number")
    username = body.get("username") or ""
    if not isinstance(username, str) or len(username) > 128:
        raise ProbeBadRequest("username: not a string")
    rtsp_url = body.get("rtsp_url")
    if rtsp_url is not None:
        if not isinstance(rtsp_url, str) or len(rtsp_url) > 2048:
            raise ProbeBadRequest("rtsp_url: not a string")
        parts = urlsplit(rtsp_url)
        if parts.scheme.lower() not in ("rtsp", "rtsps") or not parts.hostname:
            raise ProbeBadRequest("rtsp_url: not an rtsp:// URL")
        if parts.username is not None or parts.password is not None:
            raise ProbeBadRequest("rtsp_url: user info in the URL (send the password sealed)")
        if parts.hostname != host.lower():
            raise ProbeBadRequest("rtsp_url: another host than host")
    if port is None and rtsp_url is None:
        raise ProbeBadRequest("port: give the ONVIF port, or an rtsp_url")
    password = open_password(body.get("sealed_password"), open_sealed, ProbeBadRequest)
    return ProbeRequest(host=host, port=port, username=username, password=password,
                        rtsp_url=rtsp_url)


def open_password(sealed: Any, open_sealed: Callable[[bytes], bytes] | None,
                  refused: type[ValueError]) -> str:
    """The password of a request's ``sealed_password`` (base64 of a box sealed to this
    gateway's key; None: no password), or ``refused`` naming the field."""
    if sealed is None:
        return ""
    if open_sealed is None:
        raise refused("sealed_password: this gateway has no key to open it")
    try:
        box = base64.b64decode(str(sealed), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise refused("sealed_password: not base64") from exc
    try:
        return open_sealed(box).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise refused("sealed_password: not sealed to this gateway's key") from exc


def without_secret(answer: dict[str, Any], password: str) -> dict[str, Any]:
    """``answer`` with the password masked in every string: a camera may echo it (a stream URI
    with ``?password=`` in its query, a fault's text), and the answer goes to the backend, its
    audit and the administrator's screen."""
    if not password:
        return answer
    echoed = False

    def clean(value: Any) -> Any:
        nonlocal echoed
        if isinstance(value, str) and password in value:
            echoed = True
            return value.replace(password, "***")
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    cleaned: dict[str, Any] = clean(answer)
    if echoed:
        log.warning("the camera echoed its password in the probe's answer; masked")
    return cleaned


class Prober:
    """Runs probes for the control endpoint (see the module's docstring)."""

    def __init__(self, open_sealed: Callable[[bytes], bytes] | None, verify: Verify | None,
                 deadline_s: float = DEADLINE_S) -> None:
        self._open_sealed = open_sealed
        self._verify = verify
        self._deadline_s = deadline_s
        self._slots = threading.BoundedSemaphore(MAX_CONCURRENT)

    def run(self, body: Any) -> dict[str, Any]:
        """The probe's answer; :class:`ProbeBadRequest`, :class:`ProbeBusy`."""
        request = parse_probe(body, self._open_sealed)
        if not self._slots.acquire(blocking=False):
            raise ProbeBusy(f"{MAX_CONCURRENT} probes are running: try again shortly")
        answer: dict[str, Any] = {}
        started = time.monotonic()
        deadline = started + self._deadline_s

        def work() -> None:
            try:
                answer.update(probe(request, deadline, self._verify).to_json())
            except ProbeError as err:
                answer.update(err.to_json())
            finally:
                self._slots.release()

        worker = threading.Thread(target=work, name=f"probe-{request.host}", daemon=True)
        worker.start()
        worker.join(self._deadline_s + 2.0)
        if not answer:  # the probe's own waits should have ended it: answer anyway
            answer = {"ok": False, "failure": str(ProbeFailure.TIMEOUT), "step": "probe",
                      "detail": f"no answer within {self._deadline_s:.0f} s"}
        answer = without_secret(answer, request.password)
        log.info("probe of %s port %s: %s in %.1f s", request.host, request.port,
                 "ok" if answer.get("ok") else f"{answer.get('failure')} at {answer.get('step')}",
                 time.monotonic() - started)
        return answer
