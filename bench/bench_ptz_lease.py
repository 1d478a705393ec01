"""PTZ lease acquire latency over real HTTP, beside the /health round trip of the same run.

    .venv/bin/python -m bench.bench_ptz_lease [--rounds 300]

Starts the backend as a uvicorn child on loopback (``server.testing.start_test_server``, demo
organisation, SQLite in a temporary data dir) and, over one keep-alive connection, times:
- ``GET /health`` (no auth, no database): the floor of a request;
- a fresh acquire (``POST .../ptz/lease`` right after a ``DELETE``): lock, grant, audit row;
- a renewal by the holder (``POST`` again): lock, no audit row.
Target: acquire p95 ≤ 20 ms on loopback.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests

from server.testing import start_test_server, stop_test_server


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _timed(call: object) -> float:
    start = time.perf_counter()
    reply = call()  # type: ignore[operator]
    elapsed = (time.perf_counter() - start) * 1000.0
    if reply.status_code >= 300:
        raise RuntimeError(f"{reply.request.method} {reply.url}: {reply.status_code} {reply.text}")
    return elapsed


def run(rounds: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="iocwall-bench-") as tmp:
        manifest = _manifest(Path(tmp))
        base_url, process = start_test_server(Path(tmp) / "data", manifest)
        try:
            api = f"{base_url}/api/v1"
            http = requests.Session()
            token = http.post(f"{api}/auth/login",
                              json={"username": "police.officer", "password": "demo"},
                              timeout=10).json()["access_token"]
            http.headers["Authorization"] = f"Bearer {token}"
            cameras = http.get(f"{api}/cameras", timeout=10).json()
            camera_id = next(c["id"] for c in cameras if "ptz" in c["actions"])
            lease = f"{api}/cameras/{camera_id}/ptz/lease"
            samples: dict[str, list[float]] = {"health": [], "acquire": [], "renew": []}
            for index in range(rounds + 20):
                health = _timed(lambda: http.get(f"{api}/health", timeout=10))
                acquire = _timed(lambda: http.post(lease, timeout=10))
                renew = _timed(lambda: http.post(lease, timeout=10))
                _timed(lambda: http.delete(lease, timeout=10))
                if index >= 20:  # warm-up: connection, caches, first SQLite pages
                    samples["health"].append(health)
                    samples["acquire"].append(acquire)
                    samples["renew"].append(renew)
            return samples
        finally:
            stop_test_server(process)


def _manifest(directory: Path) -> Path:
    """A lab manifest of 8 cameras (PTZ on every third), as the lab writes it."""
    import json

    cameras = []
    for index in range(8):
        n, ptz = index + 1, index % 3 == 0
        cameras.append({
            "index": index, "name": f"CAM-{n:02d} Bench {n}", "location": f"Bench {n}",
            "main_url": f"rtsp://127.0.0.1:8554/cam{n:02d}/main",
            "sub_url": f"rtsp://127.0.0.1:8554/cam{n:02d}/sub",
            "rtsp_username": "viewer", "rtsp_password": "bench", "ptz": ptz,
            "onvif_host": "127.0.0.1" if ptz else None,
            "onvif_port": 8800 + index if ptz else None,
            "onvif_username": "admin" if ptz else None,
            "onvif_password": "bench" if ptz else None,
        })
    path = directory / "lab.json"
    path.write_text(json.dumps({"cameras": cameras}), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args(argv)
    samples = run(args.rounds)
    health_p50 = statistics.median(samples["health"])
    print(f"PTZ lease bench, {args.rounds} rounds, uvicorn child on loopback, SQLite")
    print(f"{'request':<22}{'p50 ms':>9}{'p95 ms':>9}{'p50 / health':>14}")
    for name, label in (("health", "GET /health"), ("acquire", "POST lease (acquire)"),
                        ("renew", "POST lease (renew)")):
        p50 = statistics.median(samples[name])
        p95 = _percentile(samples[name], 0.95)
        print(f"{label:<22}{p50:>9.2f}{p95:>9.2f}{p50 / health_p50:>13.1f}x")
    acquire_p95 = _percentile(samples["acquire"], 0.95)
    verdict = "met" if acquire_p95 <= 20.0 else "MISSED"
    print(f"target acquire p95 <= 20 ms: {verdict} ({acquire_p95:.2f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
