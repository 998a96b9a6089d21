"""Therapists working at once against a real server: the mix of a clinic's busy morning.

Each therapist (one thread, own token) repeats a round: create a patient, prescribe three
exercises, read the prescription, issue it, download the issued handout, list the patients.
Every request's status and time is kept, and every patient the server said it created is
looked for again at the end, so a lost write shows as well as a 5xx. The suite runs a short
bounded load (tests/test_clinic_load.py); `python -m benchmarks.clinic_load` runs the longer
one for 1, 6 and 12 therapists on SQLite and PostgreSQL.
"""

import math
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.live import ROOT, call

# A throwaway database's users; unlike their usernames, as the password validators require.
PASSWORD = "quiet-harbour-lantern-2026"


@dataclass
class LoadResult:
    therapists: int
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    created_patients: list[int] = field(default_factory=list)
    lost_patients: list[int] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        """The 95th percentile (nearest rank) of the requests' times."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000

    def summary(self) -> dict:
        return {
            "therapists": self.therapists,
            "requests": self.requests,
            "5xx": self.server_errors,
            "lost_writes": len(self.lost_patients),
            "req_per_s": round(self.requests_per_second, 1),
            "p95_ms": round(self.p95_ms, 1),
            "statuses": dict(sorted(self.statuses.items())),
        }


class _Recorder:
    def __init__(self, result: LoadResult):
        self.result = result
        self.lock = threading.Lock()

    def __call__(self, port, method, path, token, body=None, expect=(200,), **headers):
        started = time.perf_counter()
        status, payload = call(port, method, path, token, body, **headers)
        took = time.perf_counter() - started
        with self.lock:
            self.result.statuses[status] += 1
            self.result.latencies.append(took)
            if status not in expect and len(self.result.failures) < 20:
                self.result.failures.append(f"{method} {path} -> {status} {str(payload)[:200]}")
        return status, payload


def sign_in(port: int, username: str) -> str:
    status, body = call(
        port, "POST", "/api/v1/auth/token/", body={"username": username, "password": PASSWORD}
    )
    if status != 200:
        raise RuntimeError(f"sign-in of {username} answered {status}: {body}")
    return body["token"]


def therapist_rounds(port, token, exercise_ids, rounds, number, record, created, lock):
    for round_number in range(rounds):
        status, patient = record(
            port,
            "POST",
            "/api/v1/patients/",
            token,
            {
                "given_name": f"Load{number}",
                "family_name": f"Round{round_number}",
                "date_of_birth": "1970-01-01",
                "identifier": f"LOAD-{number}-{round_number}-{time.time_ns()}",
            },
            expect=(201,),
        )
        if status != 201:
            continue
        with lock:
            created.append(patient["id"])
        items = [{"exercise": pk} for pk in exercise_ids[:3]]
        status, prescription = record(
            port,
            "POST",
            "/api/v1/prescriptions/",
            token,
            {"patient": patient["id"], "items": items},
            expect=(201,),
        )
        if status != 201:
            continue
        path = f"/api/v1/prescriptions/{prescription['id']}/"
        read = {}
        record(port, "GET", path, token, answer_headers=read)
        # Issuing names the version read (If-Match is required there).
        status, _ = record(
            port, "POST", f"{path}issue/", token, headers={"If-Match": read.get("ETag", "")}
        )
        if status == 200:
            record(port, "GET", f"{path}handout/", token)
        record(port, "GET", "/api/v1/patients/", token)


def run_load(port: int, tokens: list[str], rounds: int) -> LoadResult:
    """All therapists at once, `rounds` rounds each; then every created patient is read back."""
    result = LoadResult(therapists=len(tokens))
    status, page = call(port, "GET", "/api/v1/exercises/?page_size=5", tokens[0])
    if status != 200:
        raise RuntimeError(f"exercise list answered {status}")
    exercise_ids = [exercise["id"] for exercise in page["results"]]
    record = _Recorder(result)
    lock = threading.Lock()
    started = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        futures = [
            pool.submit(
                therapist_rounds,
                port,
                token,
                exercise_ids,
                rounds,
                number,
                record,
                result.created_patients,
                lock,
            )
            for number, token in enumerate(tokens)
        ]
        for future in futures:
            future.result()
    result.seconds = time.perf_counter() - started
    for pk in result.created_patients:
        status, _ = call(port, "GET", f"/api/v1/patients/{pk}/", tokens[0])
        if status != 200:
            result.lost_patients.append(pk)
    return result


def serve_environment(database_url: str, var_dir: Path) -> dict:
    """What scripts/serve sets, with the database and media of this run."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.base",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(var_dir / "media"),
        "CACHE_DIR": str(var_dir / "cache"),
        "SECRET_KEY": "load-test-" + "x" * 50,
        "FORCE_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "THROTTLE_USER_RATE": "100000/hour",
        "THROTTLE_LOGIN_RATE": "1000/minute",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str, root: Path = ROOT) -> str:
    """A management command's output, run in the checkout `root`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare_clinic(env: dict, therapists: int) -> list[str]:
    """Migrates, loads the catalogue and makes one clinic with `therapists` clinicians."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_catalogue")
    usernames = [f"load-therapist-{n}" for n in range(therapists)]
    manage(
        env,
        "shell",
        "-c",
        "from clinics.services import create_or_update_clinician\n"
        f"for username in {usernames!r}:\n"
        "    create_or_update_clinician(username=username, clinic_name='Load Test Clinic',"
        f" password={PASSWORD!r})",
    )
    return usernames
