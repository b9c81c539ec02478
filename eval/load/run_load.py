"""Load figures: start `sosei serve` with N workers on loopback, drive it with locust (eval/load/locustfile.py)
and sample every worker's memory meanwhile; write throughput, p50/p95 per route, errors and memory as JSON.

    .venv/bin/python eval/load/run_load.py --workers 2 --users 50 --seconds 60 > eval/load/results-2w.json

Rate limits are switched off for the run: all 50 clients share one address, and the point is capacity.
The server uses the data directory's index (`sosei ingest` first) with the configured store.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen, workers: int, timeout: float = 600) -> float:
    """Seconds until /readyz answered 200 from every worker (each process in the tree is asked in turn)."""
    started = time.monotonic()
    ready = 0
    while ready < workers * 3:  # several answers in a row: the workers share the socket
        if server.poll() is not None:
            raise SystemExit("the server exited while starting")
        if time.monotonic() - started > timeout:
            raise SystemExit("the server did not become ready")
        try:
            ready = ready + 1 if httpx.get(f"{base}/readyz", timeout=5).status_code == 200 else 0
        except httpx.TransportError:
            ready = 0
        time.sleep(0.3 if ready else 1.0)
    return time.monotonic() - started


def workers_of(root: psutil.Process) -> list[psutil.Process]:
    """The server's worker processes (not multiprocessing's resource tracker)."""
    found = []
    for child in root.children(recursive=True):
        try:
            if "resource_tracker" not in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


class MemorySampler(threading.Thread):
    """Peak resident memory of each worker (and the whole tree) every half second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_per_process: dict[int, int] = {}
        self.peak_total = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            with_children = [self.root, *workers_of(self.root)]
            total = 0
            for process in with_children:
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.peak_per_process[process.pid] = max(rss, self.peak_per_process.get(process.pid, 0))
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SOSEI_RATE_LIMITS_ENABLED": "false"}
    server = subprocess.Popen(
        [str(BIN / "sosei"), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        cold_start = wait_ready(base, server, args.workers)
        sampler = MemorySampler(server.pid)
        idle = {p.pid: p.memory_info().rss for p in [sampler.root, *workers_of(sampler.root)]}
        sampler.start()
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
                 "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
                 "--csv", f"{out}/run", "--only-summary", "--stop-timeout", "30"],
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            with Path(f"{out}/run_stats.csv").open(encoding="utf-8") as stats:
                rows = list(csv.DictReader(stats))
        sampler.stop.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=60)

    routes = {}
    for row in rows:
        routes[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "per_second": round(float(row["Requests/s"]), 2),
            "p50_ms": float(row["50%"]),  # chat: time to the first byte of the stream
            "p95_ms": float(row["95%"]),
            "max_ms": float(row["Max Response Time"]),
        }
    mib = 1024 * 1024
    # With one worker uvicorn serves from its main process; with several, each worker is a child of it.
    served_by_children = len(sampler.peak_per_process) > 1
    workers = {
        pid: rss
        for pid, rss in sampler.peak_per_process.items()
        if pid != server.pid or not served_by_children
    }
    result = {
        "workers": args.workers,
        "users": args.users,
        "seconds": args.seconds,
        "cold_start_s": round(cold_start, 1),
        "routes": routes,
        "memory_mib": {
            "idle_per_worker": sorted(
                round(v / mib) for pid, v in idle.items() if pid != server.pid or not served_by_children
            ),
            "peak_per_worker": sorted(round(v / mib) for v in workers.values()),
            "peak_total": round(sampler.peak_total / mib),
        },
    }
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
