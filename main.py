"""iocwall — the video wall of the Đồng Hới IOC.

``python main.py`` shows the login dialog; ``python main.py --demo`` starts the camera lab and a demo
backend when none answers, logs in as the demo duty operator (``--user NAME``: another demo user)
and fills the 2×2 wall.
This file only reads the command line; ``shell/`` builds and runs the client.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.demo import DEMO_USER
from app.settings import DEFAULT_SERVER_URL, LANGUAGES


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="iocwall", description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="start the lab and a demo backend if none answers; log in as "
                             f"{DEMO_USER}; fill the wall")
    parser.add_argument("--user", metavar="NAME",
                        help="with --demo: log in as this demo user (every demo password is "
                             "'demo'); otherwise: the user name the login dialog starts with. "
                             "A password is never taken from the command line")
    parser.add_argument("--server", help=f"backend URL (default: last used, {DEFAULT_SERVER_URL})")
    parser.add_argument("--ca-file", type=Path, metavar="FILE",
                        help="the site's certificate authority (ca.crt from the administrator): "
                             "trusted for the server from now on, without the fingerprint "
                             "question")
    parser.add_argument("--lang", choices=LANGUAGES, help="UI language for this run")
    parser.add_argument("--lab-cameras", type=int, help="demo: number of lab cameras")
    parser.add_argument("--lab-rtsp-port", type=int, help="demo: the lab's RTSP port")
    parser.add_argument("--lab-onvif-base-port", type=int, help="demo: first ONVIF port")
    parser.add_argument("--lab-control-port", type=int, help="demo: the lab's control port")
    parser.add_argument("--self-check", action="store_true",
                        help="check that Qt, libvlc, PyAV and ONVIF load and that a stream URL "
                             "read from standard input plays in a tile; exit 0 when all pass")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_check:  # the URL comes on stdin: a camera password never on the command line
        from shell.run import self_check

        url = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.readline().strip()
        return self_check(url or None)
    from shell.run import run  # after parsing: --help answers without loading Qt and libvlc

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
