"""Issues per second on SQLite with concurrent therapists, through gunicorn as shipped.

    python -m benchmarks.issue_throughput [--therapists 6] [--drafts 6] [--items 10]
        [--checkout FOLDER] [--rounds 1]

`--checkout` serves another commit's tree (`git archive COMMIT | tar -x -C FOLDER`) with this
same client, to compare a change with the commit before it on the same machine.

A throwaway SQLite database gets one clinic, one therapist per client and `--drafts` drafts of
`--items` exercises each (tests/factories.py: a dev install). gunicorn (gunicorn.conf.py, its
WEB_CONCURRENCY workers, default 2) serves it; each therapist, in a thread of its own, reads each
of its drafts (for the ETag) and issues it with If-Match. Printed: issues, seconds, issues per
second, statuses. SQLite lets one transaction write at a time, so how long an issue holds the
write lock (the PDF's render inside it or not) decides how many issues a second it takes.
"""

import argparse
import http.client
import json
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from tests.clinic_load import manage
from tests.live import ROOT, ServeGunicorn

SETUP = """
import json
from knox.models import AuthToken
from tests import factories
therapists, drafts, items = {therapists}, {drafts}, {items}
clinic = factories.ClinicFactory()
exercises = [factories.ExerciseFactory() for _ in range(items)]
plan = []
for _ in range(therapists):
    user = factories.clinician(clinic)
    token = AuthToken.objects.create(user=user)[1]
    ids = [
        factories.PrescriptionFactory(patient__clinic=clinic, clinician=user, items=exercises).pk
        for _ in range(drafts)
    ]
    plan.append({{"token": token, "drafts": ids}})
print(json.dumps(plan))
"""


def call(port: int, method: str, path: str, headers: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(method, path, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def therapist(port: int, token: str, drafts: list[int], statuses: Counter) -> None:
    auth = {"Authorization": f"Token {token}"}
    for pk in drafts:
        _status, headers = call(port, "GET", f"/api/v1/prescriptions/{pk}/", auth)
        status, _headers = call(
            port,
            "POST",
            f"/api/v1/prescriptions/{pk}/issue/",
            {**auth, "If-Match": headers["ETag"]},
        )
        statuses[status] += 1


def measure(checkout: Path, therapists: int, drafts: int, items: int) -> str:
    folder = Path(tempfile.mkdtemp(prefix="bench-issue-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_DIR": str(folder / "cache"),
    }
    manage(env, "migrate", "--noinput", "-v0", root=checkout)
    setup = SETUP.format(therapists=therapists, drafts=drafts, items=items)
    plan = json.loads(manage(env, "shell", "-v0", "-c", setup, root=checkout).splitlines()[-1])
    statuses: Counter = Counter()
    with ServeGunicorn(env, folder / "gunicorn.log", root=checkout) as server:
        threads = [
            threading.Thread(
                target=therapist, args=(server.port, t["token"], t["drafts"], statuses)
            )
            for t in plan
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
    shutil.rmtree(folder, ignore_errors=True)
    issues = sum(statuses.values())
    return (
        f"{issues} issues by {therapists} therapists ({items} items each) in {seconds:.1f} s: "
        f"{issues / seconds:.2f} issues/s; statuses {dict(statuses)}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--therapists", type=int, default=6)
    parser.add_argument("--drafts", type=int, default=6)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the tree to serve")
    parser.add_argument("--rounds", type=int, default=1)
    options = parser.parse_args()
    for _ in range(options.rounds):
        result = measure(options.checkout, options.therapists, options.drafts, options.items)
        print(f"{options.checkout}: {result}", flush=True)


if __name__ == "__main__":
    main()
