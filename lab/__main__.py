"""``python -m lab``: run the simulated cameras until SIGINT/SIGTERM (see docs/contracts.md)."""

from __future__ import annotations

import argparse
import faulthandler
import json
import logging
import signal
import sys
import threading
from pathlib import Path

from lab.cameras import MAX_CAMERAS
from lab.clips import ClipError
from lab.core import Lab, LabError, default_data_dir
from lab.traits import CameraTraits

log = logging.getLogger("iocwall.lab")
SHUTDOWN_DEADLINE_S = 20.0  # then the stacks and exit 1 (supervisors wait 30 s before SIGKILL)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m lab", description=__doc__)
    p.add_argument("--cameras", type=int, default=8, help=f"1..{MAX_CAMERAS} (default 8)")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="default: IOCWALL_DATA_DIR or the user data dir")
    p.add_argument("--rtsp-port", type=int, default=8554, help="0 = any free port")
    p.add_argument("--onvif-base-port", type=int, default=8800,
                   help="camera i's ONVIF port is base + i; 0 = any free ports")
    p.add_argument("--control-port", type=int, default=8790, help="HTTP controls; 0 = any")
    p.add_argument("--clip-seconds", type=int, default=20, help="length of the looped clips")
    p.add_argument("--gop", type=int, default=1, metavar="SECONDS",
                   help="seconds between key frames, every camera (default 1)")
    p.add_argument("--join-mid-gop", action="store_true",
                   help="a new session starts where the camera is, not on a key frame")
    p.add_argument("--traits", type=_traits, default={}, metavar="JSON",
                   help='real cameras\' traits by index, e.g. \'{"1": {"transport": "udp", '
                        '"codec": "h265", "profile": "main", "fps": 5, "size": [3840, 2160], '
                        '"audio": "pcma", "auth": "both"}}\' (lab/traits.py)')
    return p.parse_args(argv)


def _traits(text: str) -> dict[int, CameraTraits]:
    try:
        data = json.loads(text)
        return {int(index): CameraTraits.from_json(fields) for index, fields in data.items()}
    except (ValueError, TypeError, AttributeError) as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("signal %d: shutting down", signum)
        # A supervisor waits a bounded time before SIGKILL: past the deadline, say where the
        # shutdown is stuck (every thread's stack on stderr) and end with code 1 instead.
        faulthandler.dump_traceback_later(SHUTDOWN_DEADLINE_S, exit=True)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    data_dir = args.data_dir or default_data_dir()
    try:
        lab = Lab.start(cameras=args.cameras, data_dir=data_dir, rtsp_port=args.rtsp_port,
                        onvif_base_port=args.onvif_base_port, control_port=args.control_port,
                        clip_seconds=args.clip_seconds, gop_seconds=args.gop,
                        key_frame_on_connect=not args.join_mid_gop, traits=args.traits)
    except (LabError, ClipError, OSError, ValueError) as err:
        log.error("lab did not start: %s", err)
        return 1
    with lab:
        for cam in lab.cameras:
            print(cam.summary(), flush=True)
        print(f"manifest (with credentials, mode 0600): {lab.manifest_path}", flush=True)
        print(f"controls: http://127.0.0.1:{lab.control_port}/cameras/<index>/"
              "freeze|unfreeze|stop|start|clock-skew?seconds=N|drop-onvif?on=1|password "
              '(body {"password": "..."})', flush=True)
        while not stop.wait(1.0):
            if lab._rtsp.proc.poll() is not None:  # noqa: SLF001 - our own child
                log.error("RTSP server exited unexpectedly (code %s)", lab._rtsp.proc.returncode)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
