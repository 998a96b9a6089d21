"""Throughput under gunicorn on loopback, the server started as scripts/serve starts it
(tests/live.py: gunicorn.conf.py's workers, timeout and access log).

The load generator is a small Python client: a thread pool of http.client connections (one
request per connection, as gunicorn's sync workers close each), bounded both in time and in
request count. It runs on the same machine as the server, so it takes some of the CPU; the
bare Django view under the same server, workers and client is the yardstick, and the table
reports each endpoint's throughput as a fraction of it.
"""

import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.stats import summary
from tests.live import ServeGunicorn, get


def request(port: int, path: str, headers: dict) -> tuple[int, int]:
    status, body = get(port, path, headers)
    return status, len(body)


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
    """targets: key -> (path, headers). One gunicorn serves all of them, one after another,
    `settings["rounds"]` times over.

    The server runs with this process's environment (the phase's settings module, database,
    media and cache folder), so it shares the cache and its throttle counts with the phase."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "WEB_CONCURRENCY": str(settings["workers"])}
    rounds = []
    with ServeGunicorn(env, log_dir / f"gunicorn-{os.getpid()}.log") as server:
        for _ in range(settings["rounds"]):
            rounds.append(
                {
                    key: hammer(
                        server.port,
                        path,
                        headers,
                        duration=settings["duration"],
                        max_requests=settings["max_requests"],
                        concurrency=settings["concurrency"],
                        warmup=settings["warmup"],
                    )
                    for key, (path, headers) in targets.items()
                }
            )
    return {key: combined(key, path, rounds) for key, (path, _) in targets.items()}


def combined(key: str, path: str, rounds: list[dict]) -> dict:
    """One target over the rounds. Its ratio to the bare view is the median of each round's
    own ratio: the bare view runs seconds before the target in every round, so a drift of the
    machine's speed over the run (tens of percent on a shared 2-core machine) moves both
    sides of each ratio alike."""
    results = [round_[key] for round_ in rounds]
    ratios = [
        result["rps"] / round_["bare"]["rps"]
        for result, round_ in zip(results, rounds, strict=True)
        if "bare" in round_ and result["rps"] and round_["bare"]["rps"]
    ]
    return {
        "path": path,
        "requests": sum(result["requests"] for result in results),
        "errors": sum(result["errors"] for result in results),
        "error_statuses": sorted(
            {status for result in results for status in result["error_statuses"]}
        ),
        "rps": statistics.median(result["rps"] or 0 for result in results),
        "bare_ratio": statistics.median(ratios) if ratios else None,
        "bare_ratios": ratios,
        "latency": {
            "median": statistics.median(result["latency"]["median"] or 0 for result in results),
            "p95": statistics.median(result["latency"]["p95"] or 0 for result in results),
        },
        "rounds": results,
    }
