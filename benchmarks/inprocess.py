"""In-process request timing through Django's real WSGI handler, as a gunicorn worker runs it:
no network and no server, but nothing of a request left out.

Each timed request is a WSGI environ (built by `RequestFactory`, outside the timing) handed to
`django.core.handlers.wsgi.WSGIHandler`; the response iterable is consumed and closed, so the
`request_started` and `request_finished` signals fire as under gunicorn and
`close_old_connections` handles the database connection with the settings' persistent
connections and health checks, as in a worker. (Django's test client disconnects
`close_old_connections` from both signals and DRF's `force_authenticate` skips authentication;
neither is used here.) Requests carry `Authorization: Token <key>` of a real knox token made
for the subject's clinician (deleted at the end), so the token lookup and the user's loading
are in the time and the query count.

The connection is closed before each case, so its warm-up requests open one as a worker's first
request does; the subject's setup leaves nothing behind that a server would not have. Queries
are counted on the warm-up requests (`CaptureQueriesContext`); the timed requests run without
the query log, which would slow them down.
"""

import json
import time
from dataclasses import dataclass
from wsgiref.util import FileWrapper

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from benchmarks.subjects import BENCHMARK_REASON, EXERCISE_SEARCH, PATIENT_SEARCH, Subject
from prescriptions.models import Prescription

# What a client on loopback sends, as the load generator does.
HOST = "127.0.0.1"


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
            {"exercise": exercise_id}
            | (
                {"acknowledge_contraindication": True, "contraindication_reason": BENCHMARK_REASON}
                if exercise_id in subject.contraindicated_ids
                else {}
            )
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
        Case(
            "handout_download_issued_large_print_10",
            "handout download, 10 items (issued, large print: rendered from its snapshot)",
            "GET",
            f"{api}/prescriptions/{subject.issued_id}/handout/?large_print=true",
        ),
    ]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Server:
    """Django's WSGI application called as a WSGI server calls it."""

    def __init__(self, token: str):
        self.handler = WSGIHandler()
        self.factory = RequestFactory(headers={"Host": HOST, "Authorization": f"Token {token}"})

    def environ(self, case: Case) -> dict:
        request = self.factory.generic(
            case.method,
            case.path,
            data="" if case.body is None else json.dumps(case.body),
            content_type="application/json",
        )
        return {**request.environ, "wsgi.file_wrapper": FileWrapper, "REMOTE_ADDR": HOST}

    def __call__(self, environ: dict) -> Answer:
        started: list = []

        def start_response(status, headers, exc_info=None):
            started.append((int(status.split(" ", 1)[0]), dict(headers)))
            return lambda data: None

        response = self.handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            # Fires request_finished: close_old_connections, as the server does after each
            # request.
            response.close()
        status, headers = started[0]
        return Answer(status, headers, body)


def body_of(server: Server, case: Case) -> bytes:
    """One request of `case` through the server; its body (the case's status is required)."""
    answer = server(server.environ(case))
    if answer.status != case.status:
        raise RuntimeError(f"{case.label}: {case.path} answered {answer.status}")
    return answer.body


def run_case(case: Case, subject: Subject, server: Server, iterations: int, warmup: int) -> dict:
    samples, cpu, query_counts = [], [], []
    results = None
    # The case starts as a fresh worker does: no connection yet.
    connection.close()
    for index in range(warmup + iterations):
        environ = server.environ(case)
        counting = index < warmup
        capture = CaptureQueriesContext(connection) if counting else None
        if capture is not None:
            capture.__enter__()
        cpu_started = time.process_time()
        started = time.perf_counter()
        answer = server(environ)
        elapsed = time.perf_counter() - started
        cpu_elapsed = time.process_time() - cpu_started
        if capture is not None:
            capture.__exit__(None, None, None)
            query_counts.append(len(capture.captured_queries))
        if answer.status != case.status:
            raise RuntimeError(
                f"{case.label}: {case.method} {case.path} answered {answer.status}: "
                f"{answer.body[:500]!r}"
            )
        if case.method == "POST":
            subject.created.append(json.loads(answer.body)["id"])
        elif answer.headers.get("Content-Type", "").startswith("application/json"):
            results = json.loads(answer.body).get("count", results)
        if not counting:
            samples.append(elapsed)
            cpu.append(cpu_elapsed)
    # The first request of a case may fill caches (content types, URL resolver) and opens the
    # connection; the last warm-up request is the steady state.
    return {
        "samples": samples,
        "cpu": cpu,
        "queries": query_counts[-1] if query_counts else None,
        "results": results,
    }


def run_all(subject: Subject, iterations: int, warmup: int, only: set[str] | None = None) -> dict:
    token_row, token = AuthToken.objects.create(user=subject.user)
    server = Server(token)
    results = {}
    try:
        for case in cases(subject):
            if only and case.key not in only:
                continue
            result = run_case(case, subject, server, iterations, warmup)
            results[case.key] = {"label": case.label, **result}
    finally:
        token_row.delete()
        Prescription.objects.filter(pk__in=subject.created).exclude(
            pk__in=[*subject.prescription_ids.values(), subject.issued_id]
        ).delete()
        subject.created = [*subject.prescription_ids.values(), subject.issued_id]
    return results
