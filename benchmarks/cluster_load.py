"""A clinic network's load on the cluster of tests/cluster.py (one or two gunicorns of 2
workers behind nginx, PgBouncer, Redis, SeaweedFS): `python -m benchmarks.cluster_load`.

Each therapist (one thread, own token) first creates a patient and issues a prescription (not
measured), then waits a think time (exponential, mean --think seconds) and makes one request of
the clinic mix (docs/performance.md): 80% reads (a prescription or the patient list), 10%
exercise searches, 5% patient creates (with an Idempotency-Key), 3% issues (a new prescription,
read, issued), 2% handout downloads. Every request goes through nginx. Printed per phase:
requests a second, p95 per request type, 5xx, creates lost or doubled (each created patient is
looked for again at the end), and the app servers' CPU milliseconds per action of the mix (their
gunicorn processes' user and system time, from /proc, over the phase; an issue is one action of
three requests).

`--cpu-per-type S` then runs each request type alone for S seconds without think time: its CPU
milliseconds per action are what docs/operations.md sizes a deployment from.
"""

import argparse
import json
import math
import os
import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.clinic_load import sign_in
from tests.cluster import cluster
from tests.live import ServeGunicorn, call

MIX = (("read", 80), ("search", 10), ("create", 5), ("issue", 3), ("download", 2))
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(servers: list[ServeGunicorn]) -> float:
    """User and system CPU time the app servers' gunicorn processes (masters and workers) have
    used so far: /proc/<pid>/stat's utime and stime."""
    ticks = 0
    for server in servers:
        assert server.process is not None
        for pid in (server.process.pid, *server.worker_pids()):
            # The fields after the command name, which is in parentheses and may hold spaces.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / TICKS_PER_SECOND


SEARCH_WORDS = ("stretch", "squat", "shoulder", "bridge", "calf", "knee", "hip", "plank")


class Phase:
    def __init__(
        self,
        port: int,
        servers: list[ServeGunicorn],
        tokens: list[str],
        think: float,
        seconds: float,
        mix: tuple = MIX,
    ):
        self.port, self.servers, self.tokens = port, servers, tokens
        self.think, self.seconds, self.mix = think, seconds, mix
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.actions: Counter = Counter()  # an issue is three requests: create, read, issue
        self.created: list[str] = []

    def timed(self, kind: str, method: str, path: str, token: str, body=None, **headers):
        started = time.perf_counter()
        status, payload = call(self.port, method, path, token, body, headers=headers or None)
        took = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(took)
            self.statuses[status] += 1
        return status, payload

    def new_patient(self, token: str) -> dict:
        identifier = f"NET-{uuid.uuid4().hex[:12]}"
        body = {
            "given_name": "Network",
            "family_name": "Patient",
            "date_of_birth": "1970-01-01",
            "identifier": identifier,
        }
        _, patient = self.timed(
            "create", "POST", "/api/v1/patients/", token, body, **{"Idempotency-Key": identifier}
        )
        with self.lock:
            self.created.append(identifier)
        return patient

    def issue(self, token: str, patient_id: int, exercise_ids: list[int]) -> str:
        items = [{"exercise": pk} for pk in exercise_ids]
        _, prescription = self.timed(
            "create",
            "POST",
            "/api/v1/prescriptions/",
            token,
            {"patient": patient_id, "items": items},
        )
        path = f"/api/v1/prescriptions/{prescription['id']}/"
        read: dict = {}
        call(self.port, "GET", path, token, answer_headers=read)
        self.timed("issue", "POST", f"{path}issue/", token, **{"If-Match": read.get("ETag", "")})
        return path

    def first_patient(self, token: str, exercise_ids: list[int]) -> tuple[dict, str]:
        """A therapist's patient and issued prescription before the phase: what reads,
        downloads and issues work on."""
        patient = self.new_patient(token)
        return patient, self.issue(token, patient["id"], exercise_ids)

    def therapist(
        self, token: str, exercise_ids: list[int], first: tuple[dict, str], until: float
    ) -> None:
        patient, issued = first
        kinds, weights = zip(*self.mix, strict=True)
        while True:
            if self.think:
                # Not past the phase's end: a long last think would stretch its seconds.
                left = max(0.0, until - time.monotonic())
                time.sleep(min(random.expovariate(1 / self.think), left))
            if time.monotonic() >= until:
                return
            kind = random.choices(kinds, weights)[0]
            with self.lock:
                self.actions[kind] += 1
            if kind == "read":
                path = random.choice([issued, "/api/v1/patients/"])
                self.timed("read", "GET", path, token)
            elif kind == "search":
                word = random.choice(SEARCH_WORDS)
                self.timed("search", "GET", f"/api/v1/exercises/?search={word}", token)
            elif kind == "create":
                patient = self.new_patient(token)
            elif kind == "issue":
                issued = self.issue(token, patient["id"], exercise_ids)
            else:
                self.timed("download", "GET", f"{issued}handout/", token)

    def run(self) -> dict:
        _, page = call(self.port, "GET", "/api/v1/exercises/?page_size=3", self.tokens[0])
        exercise_ids = [row["id"] for row in page["results"]]
        with ThreadPoolExecutor(8) as pool:
            firsts = list(
                pool.map(lambda token: self.first_patient(token, exercise_ids), self.tokens)
            )
        self.latencies.clear()
        self.statuses.clear()
        cpu_before = cpu_seconds(self.servers)
        started = time.monotonic()
        until = started + self.seconds
        threads = [
            threading.Thread(target=self.therapist, args=(token, exercise_ids, first, until))
            for token, first in zip(self.tokens, firsts, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        cpu = cpu_seconds(self.servers) - cpu_before
        requests = sum(len(times) for times in self.latencies.values())
        statuses = dict(sorted(self.statuses.items()))
        found = Counter(
            call(self.port, "GET", f"/api/v1/patients/?search={identifier}", self.tokens[0])[1][
                "count"
            ]
            for identifier in self.created
        )
        return {
            "servers": len(self.servers),
            "therapists": len(self.tokens),
            "think_s": self.think,
            "mix": dict(self.mix),
            "seconds": round(elapsed, 1),
            "requests": requests,
            "req_per_s": round(requests / elapsed, 1),
            "5xx": sum(n for status, n in statuses.items() if status >= 500),
            "statuses": statuses,
            "p95_ms": {kind: round(p95(times) * 1000, 1) for kind, times in self.latencies.items()},
            "requests_by_type": {kind: len(times) for kind, times in self.latencies.items()},
            "actions": dict(self.actions),
            "app_cpu_ms_per_action": round(cpu * 1000 / sum(self.actions.values()), 1),
            "creates_lost": found[0],
            "creates_doubled": sum(n for count, n in found.items() if count > 1),
        }


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, choices=(1, 2), default=2)
    parser.add_argument("--therapists", type=int, default=50)
    parser.add_argument("--think", type=float, default=6.0, help="mean think time, seconds")
    parser.add_argument("--seconds", type=float, default=240)
    parser.add_argument(
        "--saturation",
        type=int,
        default=0,
        help="then this many therapists with no think time, to find the saturation point",
    )
    parser.add_argument("--saturation-seconds", type=float, default=60)
    parser.add_argument(
        "--cpu-per-type",
        type=float,
        default=0,
        metavar="SECONDS",
        help="then each request type alone for SECONDS, without think time",
    )
    parser.add_argument("--cpu-therapists", type=int, default=8)
    args = parser.parse_args()
    everyone = max(args.therapists, args.saturation, args.cpu_therapists)
    with cluster(therapists=everyone, servers=args.servers) as parts:
        tokens = [sign_in(parts.balancer, username) for username in parts.usernames]
        phases: list[tuple[int, float, float, tuple]] = []
        if args.seconds:
            phases.append((args.therapists, args.think, args.seconds, MIX))
        if args.saturation:
            phases.append((args.saturation, 0.0, args.saturation_seconds, MIX))
        if args.cpu_per_type:
            phases += [
                (args.cpu_therapists, 0.0, args.cpu_per_type, ((kind, 1),)) for kind, _ in MIX
            ]
        for therapists, think, seconds, mix in phases:
            phase = Phase(parts.balancer, parts.servers, tokens[:therapists], think, seconds, mix)
            print(json.dumps(phase.run()), flush=True)


if __name__ == "__main__":
    main()
