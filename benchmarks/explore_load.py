"""Load benchmark of ``initlab explore`` (not a test): N simulated browser sessions on loopback.

Starts one real server (``initlab explore --no-browser --port 0``, its own process, as a teacher
would run it), then N WebSocket clients in this process. Each configures the course's network
(2-10-5-1 ReLU/sigmoid on circles) with 4 initializers, asks for the session's top speed and
plays; every client pauses and resumes at random moments. It reports per client the training
updates per second (iterations of all 4 models, from the frames' iteration counter) and frames
per second, and over all pauses the delay from sending ``pause`` to receiving the frame that says
the session stopped (p50, p99).

    python benchmarks/explore_load.py --clients 1 10 30 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect

SETTINGS = {
    "dataset": "circles",
    "layers": "auto,10,5,auto",
    "activation": "relu",
    "inits": "zeros,random,he,glorot_normal",
    "lr": 0.01,
    "seed": 3,
}
CLI = "import sys; from initlab.cli import main; sys.argv[0] = 'initlab'; main()"


@dataclass
class ClientResult:
    updates: int = 0
    frames: int = 0
    running_seconds: float = 0.0
    pauses: list[float] = field(default_factory=list)


async def client(url: str, origin: str, seconds: float, seed: int) -> ClientResult:
    rng = random.Random(seed)
    result = ClientResult()
    async with connect(url, origin=origin, max_size=None) as ws:
        await ws.send(json.dumps({"type": "configure", "settings": SETTINGS}))
        await ws.send(json.dumps({"type": "speed", "updates_per_second": 10**6}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "frame":
                break
        iteration = message["iteration"]
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            played = time.monotonic()
            await ws.send(json.dumps({"type": "play"}))
            run_for = rng.uniform(0.5, 2.0)
            while time.monotonic() - played < run_for:
                try:
                    message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.2))
                except TimeoutError:
                    continue
                if message["type"] == "frame" and message["running"]:
                    result.frames += 1
            sent = time.monotonic()
            await ws.send(json.dumps({"type": "pause"}))
            while True:
                message = json.loads(await ws.recv())
                if message["type"] != "frame":
                    continue
                if not message["running"]:
                    result.pauses.append(time.monotonic() - sent)
                    break
                result.frames += 1
            result.updates += message["iteration"] - iteration
            result.running_seconds += sent - played
            iteration = message["iteration"]
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run(n: int, url: str, origin: str, seconds: float) -> dict:
    results = await asyncio.gather(*(client(url, origin, seconds, i) for i in range(n)))
    ups = [r.updates / r.running_seconds for r in results if r.running_seconds > 0]
    fps = [r.frames / r.running_seconds for r in results if r.running_seconds > 0]
    pauses = [p for r in results for p in r.pauses]
    return {
        "clients": n,
        "updates_per_s_per_client_median": statistics.median(ups),
        "updates_per_s_per_client_min": min(ups),
        "frames_per_s_per_client_median": statistics.median(fps),
        "pause_p50_ms": 1000 * percentile(pauses, 0.50),
        "pause_p99_ms": 1000 * percentile(pauses, 0.99),
        "pauses": len(pauses),
    }


def cpu() -> str:
    """``2 cores, AMD EPYC ...`` from /proc/cpuinfo where there is one."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-c", CLI, "explore", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        page = re.search(r"http://\S+", line).group(0)
        origin = page.split("/?")[0]
        url = origin.replace("http://", "ws://") + "/ws?" + page.split("?", 1)[1]
        time.sleep(3.0)  # the server warms up (imports, compiled kernel) before the first client
        rows = [asyncio.run(run(n, url, origin, args.seconds)) for n in args.clients]
    finally:
        server.terminate()
        server.wait(30)
    machine = f"{time.strftime('%Y-%m-%d')}, {cpu()}, Python {platform.python_version()}"
    print(f"initlab explore load, {args.seconds:g} s per run; {machine}")
    print(
        "| clients | updates/s per client (median, min) | frames/s per client | pause p50 / p99 |"
    )
    print("|---|---|---|---|")
    for r in rows:
        speed = (
            f"{r['updates_per_s_per_client_median']:,.0f}, {r['updates_per_s_per_client_min']:,.0f}"
        )
        fps = f"{r['frames_per_s_per_client_median']:.1f}"
        pause = f"{r['pause_p50_ms']:.0f} ms / {r['pause_p99_ms']:.0f} ms"
        print(f"| {r['clients']} | {speed} | {fps} | {pause} |")
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"machine": machine, "seconds": args.seconds, "rows": rows}, file, indent=2)


if __name__ == "__main__":
    main()
