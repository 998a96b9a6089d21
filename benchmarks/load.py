"""Throughput under gunicorn on loopback.

The load generator is a small Python client: a thread pool of http.client connections (one
request per connection, as gunicorn's sync workers close each), bounded both in time and in
request count. It runs on the same machine as the server, so it takes some of the CPU; the
bare Django view under the same server, workers and client is the yardstick, and the table
reports each endpoint's throughput as a fraction of it.
"""

import http.client
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.pg import free_port
from benchmarks.stats import summary

ROOT = Path(__file__).resolve().parent.parent


class Gunicorn:
    def __init__(self, env: dict, workers: int, log_dir: Path):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = open(self.log_dir / f"gunicorn-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "clinic.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_dir}")
            try:
                status, _ = request(self.port, "/healthz", {})
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request(port: int, path: str, headers: dict) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def hammer(
    port: int,
    path: str,
    headers: dict,
    *,
    duration: float,
    max_requests: int,
    concurrency: int,
    warmup: int,
) -> dict:
    """Requests `path` from `concurrency` threads until `duration` seconds or `max_requests`."""
    for _ in range(warmup):
        status, _ = request(port, path, headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status} during warm-up")
    lock = threading.Lock()
    issued = [0]
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    deadline = started + duration

    def worker():
        while True:
            with lock:
                if issued[0] >= max_requests or time.perf_counter() >= deadline:
                    return
                issued[0] += 1
            begun = time.perf_counter()
            status, _ = request(port, path, headers)
            took = time.perf_counter() - begun
            with lock:
                latencies.append(took)
                if status != 200:
                    errors.append(status)

    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else None,
        "latency": summary(latencies),
    }


def run(targets: dict[str, tuple[str, dict]], *, settings: dict, log_dir: Path) -> dict:
    """targets: key -> (path, headers). One gunicorn serves all of them, one after another."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    results = {}
    with Gunicorn(env, settings["workers"], log_dir) as server:
        for key, (path, headers) in targets.items():
            results[key] = hammer(
                server.port,
                path,
                headers,
                duration=settings["duration"],
                max_requests=settings["max_requests"],
                concurrency=settings["concurrency"],
                warmup=settings["warmup"],
            )
            results[key]["path"] = path
    return results
