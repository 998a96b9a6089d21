"""In-process request timing: DRF's APIClient with force_authenticate, the real middleware,
views, serializers and database; no network and no server.

Each request authenticates a user object freshly read from the database (outside the timing),
so what a real request loads about its user (profile, clinic, roles) is in the time and in the
query count. Queries are counted on the warm-up requests; the timed requests run without the
query log, which would slow them down.
"""

import time
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from benchmarks.subjects import BENCHMARK_REASON, EXERCISE_SEARCH, PATIENT_SEARCH, Subject
from prescriptions.models import Prescription


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    method: str
    path: str
    body: dict | None = None
    status: int = 200


def cases(subject: Subject) -> list[Case]:
    ids = subject.prescription_ids
    create_body = {
        "patient": subject.patient_id,
        "notes": "Benchmark: created by the create case.",
        "items": [
            {
                "exercise": exercise_id,
                "acknowledge_contraindication": True,
                "contraindication_reason": BENCHMARK_REASON,
            }
            for exercise_id in subject.exercise_ids[:10]
        ],
    }
    api = "/api/v1"
    return [
        Case(
            "exercise_list_20", "exercise list, page of 20", "GET", f"{api}/exercises/?page_size=20"
        ),
        Case(
            "exercise_list_100",
            "exercise list, page of 100",
            "GET",
            f"{api}/exercises/?page_size=100",
        ),
        Case(
            "exercise_search",
            f"exercise search ({EXERCISE_SEARCH!r})",
            "GET",
            f"{api}/exercises/?search={EXERCISE_SEARCH}",
        ),
        Case("patient_list", "patient list", "GET", f"{api}/patients/"),
        Case(
            "patient_search",
            f"patient search ({PATIENT_SEARCH!r})",
            "GET",
            f"{api}/patients/?search={PATIENT_SEARCH}",
        ),
        Case(
            "patient_search_record",
            "patient search, record number ('gNN-0001')",
            "GET",
            f"{api}/patients/?search={subject.record_search}",
        ),
        Case("prescription_list", "prescription list", "GET", f"{api}/prescriptions/"),
        Case(
            "prescription_detail_3",
            "prescription detail, 3 items",
            "GET",
            f"{api}/prescriptions/{ids[3]}/",
        ),
        Case(
            "prescription_detail_30",
            "prescription detail, 30 items",
            "GET",
            f"{api}/prescriptions/{ids[30]}/",
        ),
        Case(
            "prescription_create_10",
            "prescription create, 10 items",
            "POST",
            f"{api}/prescriptions/",
            create_body,
            201,
        ),
        Case(
            "handout_download_10",
            "handout download, 10 items (draft: rendered)",
            "GET",
            f"{api}/prescriptions/{ids[10]}/handout/",
        ),
        Case(
            "handout_download_issued_10",
            "handout download, 10 items (issued: stored bytes)",
            "GET",
            f"{api}/prescriptions/{subject.issued_id}/handout/",
        ),
    ]


def run_case(case: Case, subject: Subject, iterations: int, warmup: int) -> dict:
    client = APIClient()
    samples, cpu, query_counts = [], [], []
    results = None
    for index in range(warmup + iterations):
        client.force_authenticate(subject.user)
        counting = index < warmup
        capture = CaptureQueriesContext(connection) if counting else None
        if capture is not None:
            capture.__enter__()
        cpu_started = time.process_time()
        started = time.perf_counter()
        response = client.generic(
            case.method,
            case.path,
            data=None if case.body is None else _json(case.body),
            content_type="application/json",
        )
        elapsed = time.perf_counter() - started
        cpu_elapsed = time.process_time() - cpu_started
        if capture is not None:
            capture.__exit__(None, None, None)
            query_counts.append(len(capture.captured_queries))
        if response.status_code != case.status:
            raise RuntimeError(
                f"{case.label}: {case.method} {case.path} answered {response.status_code}: "
                f"{response.content[:500]!r}"
            )
        if case.method == "POST":
            subject.created.append(response.json()["id"])
        elif response["Content-Type"].startswith("application/json"):
            results = response.json().get("count", results)
        if not counting:
            samples.append(elapsed)
            cpu.append(cpu_elapsed)
    # The first request of a case may fill caches (content types, URL resolver); the last
    # warm-up request is the steady state.
    return {
        "samples": samples,
        "cpu": cpu,
        "queries": query_counts[-1] if query_counts else None,
        "results": results,
    }


def _json(body: dict) -> str:
    import json

    return json.dumps(body)


def run_all(subject: Subject, iterations: int, warmup: int, only: set[str] | None = None) -> dict:
    results = {}
    for case in cases(subject):
        if only and case.key not in only:
            continue
        result = run_case(case, subject, iterations, warmup)
        results[case.key] = {"label": case.label, **result}
    Prescription.objects.filter(pk__in=subject.created).exclude(
        pk__in=subject.prescription_ids.values()
    ).delete()
    subject.created = list(subject.prescription_ids.values())
    return results
