"""`manage.py generate_dataset` under benchmarks.settings, and `python -m benchmarks
generate-dataset` (which runs this command): see benchmarks.dataset."""

import time

from django.core.management.base import BaseCommand

from benchmarks.dataset.generate import generate


class Command(BaseCommand):
    help = (
        "Load a generated clinic-network data set in bulk (COPY on PostgreSQL) for benchmarks. "
        "Deterministic; re-running truncates and reloads the generated data; refuses a database "
        "with data of clinics it did not generate. Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 = 100,000 patients, 500,000 prescriptions, 3,000,000 items (default).",
        )
        parser.add_argument("--clinics", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--maintenance-work-mem",
            default="1GB",
            help="PostgreSQL memory for each index build during the load (default 1GB).",
        )

    def handle(self, *args, scale, clinics, seed, maintenance_work_mem, **options):
        started = time.monotonic()

        def log(message: str) -> None:
            self.stderr.write(f"[{time.monotonic() - started:7.1f}s] {message}")

        generate(
            scale=scale,
            clinics=clinics,
            seed=seed,
            maintenance_work_mem=maintenance_work_mem,
            log=log,
        )
        self.stdout.write(f"generate_dataset finished in {time.monotonic() - started:.1f}s")
