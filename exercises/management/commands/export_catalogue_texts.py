from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.languages import is_offered
from exercises.catalogue.exchange import export_catalog, write_catalog


class Command(BaseCommand):
    help = (
        "Write the catalogue's patient-facing texts and their translations into one language "
        "as a PO file for translators (empty msgstr: not translated yet)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", required=True, help="An offered code, e.g. fr.")
        parser.add_argument("--output", type=Path, required=True, help="The .po file to write.")

    def handle(self, *args, **options):
        language = options["language"]
        if not is_offered(language):
            raise CommandError(f"--language: {language} is not in LANGUAGES.")
        catalog = export_catalog(language)
        write_catalog(catalog, options["output"])
        translated = sum(1 for message in catalog if message.id and message.string)
        self.stdout.write(
            f"{options['output']}: {len(catalog)} texts, {translated} translated into {language}"
        )
