"""PTZ latency on loopback, beside the raw SOAP round trip measured in the same run.

    .venv/bin/python -m bench.bench_ptz [--rounds 200]

Starts a 4-camera lab (in this process: its ONVIF endpoints run on a thread, so one
``time.perf_counter`` clock times both ends) and the backend (``start_test_server`` with the
lab's manifest), logs in as ioc.operator and, on a plain asyncio loop:
- raw SOAP: ``Stop`` through onvif-zeep-async directly, send → reply;
- input event → the lab receiving the SOAP request: ``PtzSession.a_move`` (lease check,
  throttle, ContinuousMove) until the lab's request hook fires, one move per throttle window;
- Stop after release: ``PtzSession.a_stop`` → the lab receiving ``Stop``;
- lease acquire: ``LeaseApi.acquire`` right after a release (grant + audit row).
Targets: input → device p95 ≤ 30 ms; lease acquire p95 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.backend import BackendClient
from app.messages import MessageBridge
from app.ops import Ops
from app.ptz.base import Velocity
from app.ptz.lease import LeaseApi, PtzLease
from app.ptz.onvif_controller import OnvifPtzController
from app.ptz.session import PtzSession
from lab.testing import start_test_lab
from server.testing import start_test_server, stop_test_server

CAM = 0


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def line(name: str, samples: list[float]) -> str:
    return (f"{name:<34} n={len(samples):4d}  p50 {statistics.median(samples):6.2f} ms  "
            f"p95 {pct(samples, 0.95):6.2f} ms  max {max(samples):6.2f} ms")


async def measure(lab, server: str, rounds: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    cam = lab.cameras[CAM]
    arrived: dict[str, float] = {}
    got = threading.Event()
    wanted = [""]

    def hook(action: str) -> None:
        if action == wanted[0]:
            arrived[action] = time.perf_counter()
            got.set()

    lab.on_onvif_request(CAM, hook)
    backend = BackendClient(server)
    await asyncio.to_thread(backend.login, "ioc.operator", "demo")
    api = LeaseApi(backend)
    camera_id = next(c.id for c in await asyncio.to_thread(backend.cameras)
                     if c.name == cam.name)
    controller = OnvifPtzController(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                                    cam.onvif_password, label=cam.name)
    await controller.connect()
    session = PtzSession(controller, PtzLease(api, camera_id), Ops(MessageBridge()))
    out: dict[str, list[float]] = {"raw": [], "input": [], "stop": [], "lease": []}

    async def arrival(action: str) -> float:
        while not got.is_set():
            await asyncio.sleep(0.0005)
        return arrived[action]

    for i in range(rounds):
        start = time.perf_counter()
        await controller.stop()
        out["raw"].append((time.perf_counter() - start) * 1000)

        wanted[0], _ = "ContinuousMove", got.clear()
        start = time.perf_counter()
        await session.a_move(Velocity(pan=0.2 if i % 2 else -0.2))
        out["input"].append((await arrival("ContinuousMove") - start) * 1000)
        await session.mover.drain()

        wanted[0], _ = "Stop", got.clear()
        start = time.perf_counter()
        await session.a_stop()
        out["stop"].append((await arrival("Stop") - start) * 1000)
        await asyncio.sleep(0.11)  # the next move must not be coalesced: one per window

    await session.lease.release()
    for _ in range(rounds):
        start = time.perf_counter()
        await api.acquire(camera_id)
        out["lease"].append((time.perf_counter() - start) * 1000)
        await api.release(camera_id)
    lab.on_onvif_request(CAM, None)
    await controller.close()
    await api.close()
    backend.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    QCoreApplication([])  # PtzSession/PtzLease are QObjects (signals only; no event loop needed)
    with tempfile.TemporaryDirectory(prefix="iocwall-bench-ptz-") as tmp:
        with start_test_lab(Path(tmp) / "lab") as lab:
            server, process = start_test_server(Path(tmp) / "data", lab.manifest_path)
            try:
                out = asyncio.run(measure(lab, server, args.rounds))
            finally:
                stop_test_server(process)
    print(line("raw SOAP round trip (Stop)", out["raw"]))
    print(line("input -> lab receives ContinuousMove", out["input"]))
    print(line("release -> lab receives Stop", out["stop"]))
    print(line("lease acquire (after release)", out["lease"]))
    print("targets: input p95 <= 30 ms; lease acquire p95 <= 20 ms")


if __name__ == "__main__":
    main()
