from pathlib import Path

from django.core.management.base import BaseCommand

from exercises.catalogue.loader import DEFAULT_CATALOGUE, load_catalogue


class Command(BaseCommand):
    help = (
        "Load the default exercise catalogue. Safe to re-run: adds what is missing, updates "
        "records nobody edited, never overwrites an editor's changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_CATALOGUE)

    def handle(self, *args, **options):
        report = load_catalogue(options["file"])
        for line in report.lines():
            self.stdout.write(line)
