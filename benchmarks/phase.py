"""One database's part of a benchmark run, in its own process (Django configures itself once per
process): `python -m benchmarks.phase CONFIG.json`. The orchestrator (`python -m benchmarks`)
writes the config, sets DATABASE_URL and reads the results file this writes.
"""

import json
import os
import sys
import time
from pathlib import Path


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["DATABASE_URL"] = config["database_url"]
    os.environ["MEDIA_ROOT"] = config["media_root"]
    os.environ["CACHE_DIR"] = config["cache_dir"]
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from benchmarks import inprocess, subjects

    results: dict = {"label": config["label"], "vendor": connection.vendor}
    if config.get("generate"):
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        results["migrate_seconds"] = time.monotonic() - started
        started = time.monotonic()
        call_command("generate_dataset", scale=config["generate"]["scale"], verbosity=1)
        results["generate_seconds"] = time.monotonic() - started
    results["data"] = _data_counts()

    made = [subjects.make_subject(role) for role in config["roles"]]
    try:
        if "handout" in config["parts"]:
            results["handout"] = _handout(made[0], config["handout"])
        if "requests" in config["parts"]:
            results["requests"] = {}
            for subject in made:
                results["requests"][subject.role] = {
                    "subject": subject.describe(),
                    "cases": inprocess.run_all(
                        subject, config["requests"]["iterations"], config["requests"]["warmup"]
                    ),
                }
        if "load" in config["parts"]:
            results["load"] = _load(made[0], config["load"], Path(config["log_dir"]))
    finally:
        for subject in made:
            subjects.cleanup(subject)
    Path(config["results_path"]).write_text(json.dumps(results, indent=1, default=str))


def _data_counts() -> dict:
    from exercises.models import Exercise
    from prescriptions.models import Patient, Prescription, PrescriptionItem

    return {
        "exercises": Exercise.objects.count(),
        "patients": Patient.objects.count(),
        "prescriptions": Prescription.objects.count(),
        "items": PrescriptionItem.objects.count(),
    }


def _handout(subject, settings: dict) -> dict:
    from knox.models import AuthToken

    from benchmarks import handout, inprocess
    from prescriptions.handouts.content import build_handout
    from prescriptions.selectors import prescriptions_with_handout_content_for

    user = subject.user
    token_row, token = AuthToken.objects.create(user=user)
    server = inprocess.Server(token)
    out = {}
    try:
        for count in (10, 40):
            pk = subject.prescription_ids[count]
            prescription = prescriptions_with_handout_content_for(user).get(pk=pk)
            document = build_handout(prescription)
            download = inprocess.Case(
                f"handout_{count}", "draft handout", "GET", f"/api/v1/prescriptions/{pk}/handout/"
            )
            out[str(count)] = handout.measure(
                document,
                settings["iterations"],
                settings["warmup"],
                download=lambda case=download: inprocess.body_of(server, case),
            )
    finally:
        token_row.delete()
    return out


def _load(subject, settings: dict, log_dir: Path) -> dict:
    from knox.models import AuthToken

    from benchmarks import load

    instance, token = AuthToken.objects.create(user=subject.user)
    auth = {"Authorization": f"Token {token}"}
    ids = subject.prescription_ids
    targets = {
        "bare": ("/__bench__/bare", {}),
        "healthz": ("/healthz", {}),
        "exercise_list_20": ("/api/v1/exercises/?page_size=20", auth),
        "prescription_detail_10": (f"/api/v1/prescriptions/{ids[10]}/", auth),
        "handout_issued_10": (f"/api/v1/prescriptions/{subject.issued_id}/handout/", auth),
        "guaranteed_download_10": (f"/__bench__/guaranteed-download/{subject.issued_id}", auth),
        "handout_10": (f"/api/v1/prescriptions/{ids[10]}/handout/", auth),
    }
    try:
        return {
            "settings": settings,
            "targets": load.run(targets, settings=settings, log_dir=log_dir),
        }
    finally:
        instance.delete()


if __name__ == "__main__":
    main(sys.argv[1])
