"""A clinic network's load on the cluster of tests/cluster.py (two gunicorns behind nginx,
PgBouncer, Redis, SeaweedFS): `python -m benchmarks.cluster_load`.

Each therapist (one thread, own token) waits a think time (exponential, mean --think seconds),
then makes one request of the clinic mix (docs/performance.md): 80% reads (a prescription or
the patient list), 10% exercise searches, 5% patient creates (with an Idempotency-Key), 3%
issues (a new prescription, read, issued), 2% handout downloads. Every request goes through
nginx. Printed per phase: requests a second, p95 per request type, 5xx, and creates lost or
doubled (each created patient is looked for again at the end).
"""

import argparse
import json
import math
import random
import threading
import time
import uuid
from collections import Counter, defaultdict

from tests.clinic_load import sign_in
from tests.cluster import cluster
from tests.live import call

MIX = (("read", 80), ("search", 10), ("create", 5), ("issue", 3), ("download", 2))
SEARCH_WORDS = ("stretch", "squat", "shoulder", "bridge", "calf", "knee", "hip", "plank")


class Phase:
    def __init__(self, port: int, tokens: list[str], think: float, seconds: float):
        self.port, self.tokens, self.think, self.seconds = port, tokens, think, seconds
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.created: list[str] = []

    def timed(self, kind: str, method: str, path: str, token: str, body=None, **headers):
        started = time.perf_counter()
        status, payload = call(self.port, method, path, token, body, headers=headers or None)
        took = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(took)
            self.statuses[status] += 1
        return status, payload

    def new_patient(self, token: str, kind: str = "create") -> dict:
        identifier = f"NET-{uuid.uuid4().hex[:12]}"
        body = {
            "given_name": "Network",
            "family_name": "Patient",
            "date_of_birth": "1970-01-01",
            "identifier": identifier,
        }
        _, patient = self.timed(
            kind, "POST", "/api/v1/patients/", token, body, **{"Idempotency-Key": identifier}
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

    def therapist(self, token: str, exercise_ids: list[int], until: float) -> None:
        patient = self.new_patient(token, kind="setup")
        issued = self.issue(token, patient["id"], exercise_ids)
        kinds, weights = zip(*MIX, strict=True)
        while True:
            if self.think:
                time.sleep(random.expovariate(1 / self.think))
            if time.monotonic() >= until:
                return
            kind = random.choices(kinds, weights)[0]
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
        started = time.monotonic()
        until = started + self.seconds
        threads = [
            threading.Thread(target=self.therapist, args=(token, exercise_ids, until))
            for token in self.tokens
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        found = Counter(
            call(self.port, "GET", f"/api/v1/patients/?search={identifier}", self.tokens[0])[1][
                "count"
            ]
            for identifier in self.created
        )
        measured = {kind: times for kind, times in self.latencies.items() if kind != "setup"}
        requests = sum(len(times) for times in measured.values())
        return {
            "therapists": len(self.tokens),
            "think_s": self.think,
            "seconds": round(elapsed, 1),
            "requests": requests,
            "req_per_s": round(requests / elapsed, 1),
            "5xx": sum(n for status, n in self.statuses.items() if status >= 500),
            "statuses": dict(sorted(self.statuses.items())),
            "p95_ms": {kind: round(p95(times) * 1000, 1) for kind, times in measured.items()},
            "creates_lost": found[0],
            "creates_doubled": sum(n for count, n in found.items() if count > 1),
        }


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    args = parser.parse_args()
    with cluster(therapists=max(args.therapists, args.saturation)) as parts:
        tokens = [sign_in(parts.balancer, username) for username in parts.usernames]
        phases = [(args.therapists, args.think, args.seconds)]
        if args.saturation:
            phases.append((args.saturation, 0.0, args.saturation_seconds))
        for therapists, think, seconds in phases:
            result = Phase(parts.balancer, tokens[:therapists], think, seconds).run()
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
