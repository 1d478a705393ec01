"""The gateway process: read the configuration, start relay and control, run until told to stop."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from gateway.config import CameraTable, ConfigError, GatewayConfig
from gateway.events import Events

log = logging.getLogger("iocwall.gateway")


def make_verifier(keys: tuple[bytes, ...]) -> Any:
    """``verify(message, signature) -> bool`` over the trusted Ed25519 keys (PyNaCl)."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    verify_keys = [VerifyKey(key) for key in keys]

    def verify(message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        for key in verify_keys:
            try:
                key.verify(message, signature)
            except BadSignatureError:
                continue
            return True
        return False

    return verify


def main() -> int:
    os.umask(0o077)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    events = Events()
    if os.getppid() == 1:
        return 0  # orphaned before we began: nobody to serve
    # GStreamer's own debug log can print RTSP requests, Basic credentials included.
    for name in ("GST_DEBUG", "GST_DEBUG_FILE", "GST_TRACERS"):
        os.environ.pop(name, None)
    first = sys.stdin.readline()
    if not first:
        return 0
    public_key: str | None = None
    try:
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
    from gateway.ptz import Holders, PtzBroker, PtzServer

    Gst.init(None)
    verify = make_verifier(config.token_keys)
    gate = Gate(verify, config.max_token_lifetime_s, time.time)
    relay = Relay(config.cameras, gate, events, config.rtsp_address, config.rtsp_port)
    version = [config.cameras_version]

    def replace_cameras(entries: Any, new_version: str) -> dict[str, int]:
        table = CameraTable.from_config(entries, open_sealed)  # ConfigError names the field
        result: dict[str, int] = on_main_loop(lambda: relay.replace_cameras(table))
        version[0] = new_version
        return result

    holders = Holders()
    broker = PtzBroker(dict(config.ptz_cameras), verify, config.max_token_lifetime_s, holders,
                       events.emit, revoked=gate.revoked_claims)

    def revoke(revocation: Revocation) -> int:
        cut = on_main_loop(lambda: relay.revoke(revocation))
        broker.revoke(revocation.user_id, revocation.camera_id)
        return int(cut)

    def stats() -> dict[str, Any]:
        return {**on_main_loop(relay.stats), "ptz_holders": holders.count()}

    try:
        rtsp_port = relay.attach()
        ptz = PtzServer(config.ptz_address, config.ptz_port, broker)
        control = ControlServer(
            config.control_address, config.control_port, config.control_secret,
            stats=stats,
            revoke=revoke,
            set_holder=broker.set_holder,
            replace_cameras=replace_cameras, reseal=reseal,
            cameras_version=lambda: version[0], public_key=public_key)
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

    threading.Thread(target=wait_for_eof, name="stdin", daemon=True).start()
    log.info("gateway ready: %d camera stream(s), RTSP %s:%d, control %s:%d, PTZ for %d "
             "camera(s) on %s:%d", len(config.cameras), config.rtsp_address, rtsp_port,
             config.control_address, control.port, len(config.ptz_cameras),
             config.ptz_address, ptz.port)
    ready: dict[str, Any] = {"event": "ready", "ok": True, "rtsp_port": rtsp_port,
                             "control_port": control.port, "ptz_port": ptz.port,
                             "pid": os.getpid()}
    if public_key is not None:
        ready["public_key"] = public_key
    events.emit(ready)
    loop.run()
    log.info("gateway stopping")
    control.close()
    ptz.close()
    relay.close_all()
    return 0
