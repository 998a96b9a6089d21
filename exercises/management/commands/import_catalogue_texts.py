from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.languages import is_offered
from exercises.catalogue.exchange import import_catalog, read_catalog


class Command(BaseCommand):
    help = (
        "Store the translations of a PO file (as export_catalogue_texts writes it) for every "
        "catalogue text they translate. Entries commented 'reviewed by <name> on <date>' are "
        "stored reviewed; any other is machine-assisted, not reviewed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", required=True, help="An offered code, e.g. fr.")
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Keep translations the database already holds instead of replacing them.",
        )

    def handle(self, *args, **options):
        language = options["language"]
        if not is_offered(language):
            raise CommandError(f"--language: {language} is not in LANGUAGES.")
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file.")
        counts = import_catalog(
            read_catalog(options["file"], language),
            language,
            replace=not options["keep_existing"],
        )
        self.stdout.write(
            ", ".join(
                f"{counts[outcome]} {outcome}"
                for outcome in ("added", "replaced", "unchanged", "kept", "unmatched")
            )
        )
