"""PTZ latency on loopback, straight to the camera and through the media gateway's PTZ broker,
beside the raw SOAP round trip, all measured in the same run.

    .venv/bin/python -m bench.bench_ptz [--rounds 200]

Starts a 4-camera lab (in this process: its ONVIF endpoints run on a thread, so one
``time.perf_counter`` clock times both ends) and the backend (``start_test_server`` with the
lab's manifest; its embedded gateway brokers PTZ), logs in as ioc.operator and, on a plain
asyncio loop, with two sessions on one lease — "direct" (the camera's own address and
password, what the client had before the broker) and "gateway" (the product's way: the PTZ
token of the lease at the gateway, which checks it and the holder, re-signs and forwards) —
each round alternating the two:
- raw SOAP: ``Stop`` through onvif-zeep-async, send → reply;
- input event → the lab receiving the SOAP request: ``PtzSession.a_move`` (lease check,
  throttle, ContinuousMove) until the lab's request hook fires, one move per throttle window;
- Stop after release: ``PtzSession.a_stop`` → the lab receiving ``Stop``;
- lease acquire: ``LeaseApi.acquire`` right after a release (grant + audit row + the holder
  told to the gateway + a PTZ token).
Targets: input → device p95 ≤ 30 ms direct, ≤ 10 ms through the gateway; lease acquire p95
≤ 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.backend import BackendClient
from app.messages import MessageBridge
from app.ops import Ops
from app.ptz.base import PtzError, PtzErrorKind, Velocity
from app.ptz.lease import LeaseApi, PtzLease
from app.ptz.onvif_controller import OnvifPtzController
from app.ptz.session import PtzSession
from lab.testing import start_test_lab
from server.testing import start_test_server, stop_test_server

CAM = 0
WAYS = ("direct", "gateway")


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def line(name: str, samples: list[float]) -> str:
    return (f"{name:<42} n={len(samples):4d}  p50 {statistics.median(samples):6.2f} ms  "
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
    lease = PtzLease(api, camera_id)
    ops = Ops(MessageBridge())
    direct = OnvifPtzController(cam.onvif_host, cam.onvif_port, cam.onvif_username,
                                cam.onvif_password, label=cam.name)
    for _ in range(300):  # the backend's gateway is starting: up within seconds
        try:
            access = await lease.access()
            break
        except PtzError as err:
            if err.kind is not PtzErrorKind.UNREACHABLE:
                raise
            await asyncio.sleep(0.1)
    else:
        raise RuntimeError("the backend's gateway never brokered PTZ")
    via = OnvifPtzController(access.host, access.port, access.token, access.token,
                             label=f"{cam.name} via gateway", credentials=lease.credentials)
    controllers = {"direct": direct, "gateway": via}
    sessions = {}
    for way, controller in controllers.items():
        await controller.connect()
        sessions[way] = PtzSession(controller, lease, ops)
    out: dict[str, list[float]] = {f"{m} {w}": [] for m in ("raw", "input", "stop")
                                   for w in WAYS}
    out["lease"] = []

    async def arrival(action: str) -> float:
        while not got.is_set():
            await asyncio.sleep(0.0005)
        return arrived[action]

    for i in range(rounds):
        for way in WAYS:
            controller, session = controllers[way], sessions[way]
            start = time.perf_counter()
            await controller.stop()
            out[f"raw {way}"].append((time.perf_counter() - start) * 1000)

            wanted[0], _ = "ContinuousMove", got.clear()
            start = time.perf_counter()
            await session.a_move(Velocity(pan=0.2 if i % 2 else -0.2))
            out[f"input {way}"].append((await arrival("ContinuousMove") - start) * 1000)
            await session.mover.drain()

            wanted[0], _ = "Stop", got.clear()
            start = time.perf_counter()
            await session.a_stop()
            out[f"stop {way}"].append((await arrival("Stop") - start) * 1000)
            await asyncio.sleep(0.11)  # the next move must not be coalesced: one per window

    await lease.release()
    for _ in range(rounds):
        start = time.perf_counter()
        await api.acquire(camera_id)
        out["lease"].append((time.perf_counter() - start) * 1000)
        await api.release(camera_id)
    lab.on_onvif_request(CAM, None)
    for controller in controllers.values():
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
    for way in WAYS:
        print(line(f"raw SOAP round trip (Stop), {way}", out[f"raw {way}"]))
        print(line(f"input -> lab gets ContinuousMove, {way}", out[f"input {way}"]))
        print(line(f"release -> lab gets Stop, {way}", out[f"stop {way}"]))
    print(line("lease acquire (after release)", out["lease"]))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("targets: input p95 <= 30 ms direct, <= 10 ms through the gateway; "
          "lease acquire p95 <= 20 ms")


if __name__ == "__main__":
    main()
