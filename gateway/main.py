"""The gateway process: read the configuration, start relay and control, run until told to stop.

Two ways to run: a child of the backend (configuration on the first line of stdin; EOF on stdin
later ends it, so it never outlives its parent), or a service on a machine near its cameras
(``--config FILE``; stdin means nothing, SIGTERM ends it: systemd's
``installer/iocwall-gateway.service``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import ssl
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from common.stream_tokens import trusted_keys_digest
from gateway.config import (
    CameraTable,
    ConfigError,
    GatewayConfig,
    onvif_targets,
    read_config_file,
    token_keys_of,
)
from gateway.events import Events

log = logging.getLogger("iocwall.gateway")


class TrustedTokenKeys:
    """``verify(message, signature) -> bool`` over the trusted Ed25519 keys (PyNaCl); a
    retired key only until its end (``until``, Unix seconds). ``replace`` swaps the set while
    the gateway runs (``PUT /token-keys``: the backend rotated its key)."""

    def __init__(self, keys: tuple[tuple[bytes, float | None], ...],
                 clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._keys: list[tuple[Any, float | None]] = []
        self.replace(keys)

    def replace(self, keys: tuple[tuple[bytes, float | None], ...]) -> None:
        from nacl.signing import VerifyKey

        self._keys = [(VerifyKey(key), until) for key, until in keys]
        self.digest = trusted_keys_digest(keys)

    def __call__(self, message: bytes, signature: bytes) -> bool:
        from nacl.exceptions import BadSignatureError

        if len(signature) != 64:
            return False
        now = self._clock()
        for key, until in self._keys:
            if until is not None and now >= until:
                continue
            try:
                key.verify(message, signature)
            except BadSignatureError:
                continue
            return True
        return False


def make_verifier(keys: tuple[bytes, ...], until: Mapping[bytes, float] | None = None,
                  clock: Callable[[], float] = time.time) -> TrustedTokenKeys:
    """The verifier over ``keys``, each trusted until ``until[key]`` when given."""
    ends = until or {}
    return TrustedTokenKeys(tuple((key, ends.get(key)) for key in keys), clock)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python3 -m gateway", description="The iocwall media gateway. Without --config it "
        "reads its configuration from the first line of stdin and ends at EOF on stdin.")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="read the configuration (JSON) from FILE, which only its owner may "
                        "read or write; stdin is not read, SIGTERM ends the gateway")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args = parse_args(argv)
    events = Events()
    config_file: Path | None = args.config
    # a child orphaned before it began has nobody to serve; a service's parent is init
    if config_file is None and os.getppid() == 1:
        return 0
    # GStreamer's own debug log can print RTSP requests, Basic credentials included.
    for name in ("GST_DEBUG", "GST_DEBUG_FILE", "GST_TRACERS"):
        os.environ.pop(name, None)
    public_key: str | None = None
    try:
        if config_file is None:
            first = sys.stdin.readline()
            if not first:
                return 0
        else:
            first = read_config_file(config_file)
        data = json.loads(first)
        key_file = GatewayConfig.key_file_of(data)
        open_sealed = reseal = None
        if key_file is not None:
            from gateway.keys import load_or_create_key, opener, public_key_text, resealer

            key = load_or_create_key(key_file)
            public_key, open_sealed, reseal = public_key_text(key), opener(key), resealer(key)
            del key
        config = GatewayConfig.from_json(data, open_sealed)
        del data
    except (ConfigError, ValueError, OSError) as err:
        message = str(err) if isinstance(err, (ConfigError, OSError)) \
            else "configuration is not JSON"
        failed: dict[str, Any] = {"event": "ready", "ok": False, "error": message}
        if public_key is not None:
            failed["public_key"] = public_key  # a password sealed to an old key: seal again
        events.emit(failed)
        log.error("gateway not started: %s", message)
        return 2
    del first

    from gateway.relay import Relay, on_main_loop  # first: it names the GStreamer versions

    from gi.repository import GLib, Gst  # isort: skip

    from gateway.access import Gate, Revocation
    from gateway.control import ControlServer
    from gateway.previews import parse_preview
    from gateway.probe_stream import verify_stream
    from gateway.probing import Prober
    from gateway.ptz import Holders, PtzBroker, PtzServer
    from gateway.served import server_context

    Gst.init(None)
    verify = make_verifier(config.token_keys, config.token_keys_until)
    gate = Gate(verify, config.max_token_lifetime_s, time.time)
    tls_files = (str(config.tls_cert_file), str(config.tls_key_file)) if config.tls else None
    try:
        relay = Relay(config.cameras, gate, events, config.rtsp_address, config.rtsp_port,
                      config.preview_lifetime_s, tls_files)
        tls = server_context(*tls_files) if tls_files is not None else None
    except (OSError, ssl.SSLError) as err:
        events.emit({"event": "ready", "ok": False, "error": str(err)})
        log.error("gateway not started: %s", err)
        return 2
    version = [config.cameras_version]

    holders = Holders()
    broker = PtzBroker(dict(config.ptz_cameras), verify, config.max_token_lifetime_s, holders,
                       events.emit, revoked=gate.revoked_claims, secure=config.tls)
    replacing = threading.Lock()  # two tables at once would leave a mix of both

    def replace_cameras(entries: Any, ptz_entries: Any, new_version: str) -> dict[str, int]:
        # both read before either is applied: a mistake in one changes nothing
        table = CameraTable.from_config(entries, open_sealed)  # ConfigError names the field
        targets = onvif_targets(ptz_entries, open_sealed)
        with replacing:
            result: dict[str, int] = on_main_loop(lambda: relay.replace_cameras(table))
            result.update(broker.replace_targets(targets))
            version[0] = new_version
        return result

    def revoke(revocation: Revocation) -> int:
        cut = on_main_loop(lambda: relay.revoke(revocation))
        broker.revoke(revocation.user_id, revocation.camera_id)
        return int(cut)

    def preview(body: Any) -> dict[str, Any]:
        upstream = parse_preview(body, open_sealed)  # PreviewBadRequest names the field
        preview_id = on_main_loop(lambda: relay.add_preview(upstream))
        return {"preview_id": preview_id, "expires_in_s": config.preview_lifetime_s}

    def stats() -> dict[str, Any]:
        return {**on_main_loop(relay.stats), "ptz_holders": holders.count()}

    try:
        rtsp_port = relay.attach()
        ptz = PtzServer(config.ptz_address, config.ptz_port, broker, tls)
        control = ControlServer(
            config.control_address, config.control_port, config.control_secret,
            stats=stats,
            revoke=revoke,
            set_holder=broker.set_holder,
            replace_cameras=replace_cameras, reseal=reseal,
            cameras_version=lambda: version[0], public_key=public_key,
            token_keys_digest=lambda: verify.digest,
            replace_token_keys=lambda keys: verify.replace(token_keys_of(keys)),
            prober=Prober(open_sealed, verify_stream), preview=preview, tls=tls)
    except OSError as err:
        events.emit({"event": "ready", "ok": False, "error": str(err)})
        log.error("gateway not started: %s", err)
        return 2
    control.start()
    ptz.start()
    loop = GLib.MainLoop()
    GLib.timeout_add_seconds(2, relay.cleanup_sessions)
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, lambda *_: (loop.quit(), False)[1])

    def wait_for_eof() -> None:
        for _line in sys.stdin:
            pass  # nothing is read after the configuration; EOF is the parent letting go
        GLib.idle_add(loop.quit)

    if config_file is None:
        threading.Thread(target=wait_for_eof, name="stdin", daemon=True).start()
    log.info("gateway ready: %d camera stream(s), RTSP%s %s:%d, control %s:%d, PTZ for %d "
             "camera(s) on %s:%d%s", len(config.cameras), "S" if config.tls else "",
             config.rtsp_address, rtsp_port,
             config.control_address, control.port, len(config.ptz_cameras),
             config.ptz_address, ptz.port,
             f", configured by {config_file}" if config_file is not None else "")
    ready: dict[str, Any] = {"event": "ready", "ok": True, "rtsp_port": rtsp_port,
                             "control_port": control.port, "ptz_port": ptz.port,
                             "pid": os.getpid(), "tls": config.tls}
    if public_key is not None:
        ready["public_key"] = public_key
    events.emit(ready)
    loop.run()
    log.info("gateway stopping")
    control.close()
    ptz.close()
    relay.close_all()
    return 0
