"""Cameras with real cameras' traits, through the media gateway into the wall.

    .venv/bin/python -m bench.bench_traits [--seconds 10]

One lab (``lab.traits.CameraTraits``: one camera per trait) and a media gateway before it (GOP
keeper on, every camera's transport "auto"). For each row, one after the other, a fresh wall
client process (``bench.wall_client``: the wall's ``VideoService`` into one tile, under this
bench's own Xvfb at 1920×1080) plays the camera's stream through a gateway session, as the first
viewer of an idle camera (the gateway connects upstream when the tile opens; the lab's cameras
do not start a GOP for a new client, so that first viewer waits for the camera's key frame):
- **first picture**: play → the tile's first LIVE (a picture on screen), seconds;
- **time to live**: play → the first moment the tile shows the camera's own pace (its fps
  within 10 % of the camera's, polled every 0.25 s), seconds;
- **fps**: the tile's own rate (new decoded pictures a second, as it shows it) beside the
  camera's, sampled every second over ``--seconds`` once live (median; min);
- **stalls**: STALLED or OFFLINE states seen while measuring;
- **CPU**: the client process and the gateway over the same ``--seconds``, % of one core.
The baseline row is the lab's default camera (H.264 baseline, 25 fps, 360p, no audio, TCP),
measured the same way in the same run. Audio rows play unmuted (the tile receives and decodes
the camera's audio: G.711 is transcoded to AAC for libvlc). The report starts with the load.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.bench_gateway import Site, gateway_config, load
from bench.bench_wall import REPO, ClientProcess, Stream, measure_cpu
from gateway.process import GatewayProcess

CAMERAS = 14  # PTZ cameras (0, 3, 6, 9, 12) are left alone: live-encoded, no traits


@dataclass(frozen=True)
class Row:
    label: str
    index: int
    stream: str
    fps: int  # the camera's
    unmute: bool = False


def rows() -> list[Row]:
    return [
        Row("baseline: H.264 baseline 25 fps 360p, TCP", 1, "sub", 25),
        Row("UDP only (TCP refused 461)", 2, "sub", 25),
        Row("H.265, parameter sets only in the SDP", 4, "sub", 25),
        Row("H.264 high, B-frames, G.711 A-law unmuted", 5, "sub", 25, unmute=True),
        Row("5 fps 2560×1440 (main)", 7, "main", 5),
        Row("5 fps 3840×2160 (main)", 8, "main", 5),
        Row("GOP 12 s, first viewer of the idle camera", 10, "sub", 25),
        Row("H.264, parameter sets only in the SDP, G.711 µ-law unmuted", 11, "sub", 25,
            unmute=True),
        Row("H.264 main, AAC unmuted, Digest qop=auth", 13, "sub", 25, unmute=True),
    ]


def traits() -> dict[int, Any]:
    from lab.traits import CameraTraits

    return {
        2: CameraTraits(transport="udp"),
        4: CameraTraits(codec="h265", profile="main", parameter_sets="out-of-band"),
        5: CameraTraits(profile="high", audio="pcma"),
        7: CameraTraits(fps=5, size=(2560, 1440), profile="high"),
        8: CameraTraits(fps=5, size=(3840, 2160), profile="main"),
        10: CameraTraits(gop_seconds=12),
        11: CameraTraits(parameter_sets="out-of-band", audio="pcmu"),
        13: CameraTraits(profile="main", audio="aac", auth="digest-qop"),
    }


def measure(site: Site, row: Row, seconds: float, log_path: Path) -> dict[str, Any]:
    cam = site.lab.cameras[row.index]
    client = ClientProcess("vlc", 1, log_path)
    gateway = psutil.Process(site.gateway.pid)
    try:
        if not client.wait_for(lambda e: e["ev"] == "ready", 30):
            raise RuntimeError("the wall client did not start")
        url = site.gateway_url(cam, row.stream)
        played, live = client.play_until_live([Stream(url, row.label)], [0], timeout=60)
        if 0 not in live:
            return {"row": row, "first": None}
        paced = _time_to_pace(client, row.fps, played[0])
        if row.unmute:
            client.send({"cmd": "unmute", "slot": 0})
            client.wait_for(lambda e: e.get("ev") == "state" and e.get("state") == "live"
                            and e["t"] > live[0], 30)
        client.wait_for(lambda e: False, 2.0)  # settle past the kept GOP's burst
        seen_from = len(client.history)
        rates: list[float] = []
        cpu_client = cpu_gateway = 0.0
        for _ in range(int(seconds)):
            c, g = measure_cpu([client.psutil], 1.0, also=[gateway])
            cpu_client += c / int(seconds)
            cpu_gateway += g / int(seconds)
            rates.append(_slot_fps(client))
        stalls = [e for e in client.history[seen_from:]
                  if e.get("ev") == "state" and e.get("state") in ("stalled", "offline")]
        return {"row": row, "first": live[0] - played[0], "paced": paced, "fps": rates,
                "stalls": len(stalls),
                "cpu_client": cpu_client, "cpu_gateway": cpu_gateway}
    finally:
        client.close()


def _slot_fps(client: ClientProcess) -> float:
    """The tile's fps as it shows it now."""
    client.send({"cmd": "stats"})
    got: dict[str, Any] = {}

    def stats(event: dict[str, Any]) -> bool:
        if event["ev"] == "stats":
            got.update(event["slots"].get("0", {}))
            return True
        return False

    client.wait_for(stats, 5)
    return float(got.get("fps", 0.0))


def _time_to_pace(client: ClientProcess, fps: int, played: float,
                  timeout: float = 30.0) -> float | None:
    """Seconds from play until the tile's fps is within 10 % of the camera's (None: not in
    ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if abs(_slot_fps(client) - fps) <= 0.1 * fps:
            return time.monotonic() - played
        client.wait_for(lambda _e: False, 0.25)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "iocwall-bench-traits")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from lab.testing import start_test_lab
    from tests.xvfb import start_xvfb

    print(f"start: {load()}", flush=True)
    xvfb = start_xvfb(1920, 1080)
    os.environ["DISPLAY"] = xvfb.display
    results = []
    try:
        key = Ed25519PrivateKey.generate()
        # each camera's encoder runs on its own clock: a first viewer waits for its key frame
        with start_test_lab(args.data_dir, cameras=CAMERAS, traits=traits(),
                            key_frame_on_connect=False) as lab:
            config = gateway_config(lab, key)
            for entry in config["cameras"]:
                entry["transport"] = "auto"
            with GatewayProcess(config) as gateway:
                site = Site(lab, gateway, key)
                log_path = (Path(tempfile.gettempdir())
                            / f"bench-traits-{secrets.token_hex(4)}.log")
                for row in rows():
                    result = measure(site, row, args.seconds, log_path)
                    results.append(result)
                    print(_line(result), flush=True)
    finally:
        xvfb.stop()
    print(f"\nend: {load()}\n")
    print("| camera | first picture s | time to live s | shown fps median (min) | camera fps | "
          "stalls | client CPU % | gateway CPU % |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        print(_line(result))
    return 0


def _line(result: dict[str, Any]) -> str:
    row: Row = result["row"]
    if result["first"] is None:
        return f"| {row.label} | no picture in 60 s | – | – | {row.fps} | – | – | – |"
    rates = result["fps"]
    paced = "not in 30 s" if result["paced"] is None else f"{result['paced']:.2f}"
    return (f"| {row.label} | {result['first']:.2f} | {paced} | {statistics.median(rates):.1f} "
            f"({min(rates):.1f}) | {row.fps} | {result['stalls']} | "
            f"{result['cpu_client']:.1f} | {result['cpu_gateway']:.1f} |")


if __name__ == "__main__":
    raise SystemExit(main())
