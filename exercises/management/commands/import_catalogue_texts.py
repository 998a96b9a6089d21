from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.languages import is_offered
from exercises.catalogue.exchange import import_catalog, place_label, read_catalog
from exercises.models import CatalogueTranslation, ReviewStatus


class Command(BaseCommand):
    help = (
        "Store the translations of a PO file (as export_catalogue_texts writes it) for every "
        "catalogue text they translate. Entries commented 'reviewed by <name> on <date>' are "
        "stored reviewed; any other is machine-assisted, not reviewed. A translation the "
        "database holds is replaced only while it is still an earlier file's words, not "
        "reviewed; one an editor changed or reviewed is kept and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", required=True, help="An offered code, e.g. fr.")
        parser.add_argument(
            "--overwrite-edited",
            action="store_true",
            help="Replace translations an editor changed or reviewed too (listed without it).",
        )

    def handle(self, *args, **options):
        language = options["language"]
        if not is_offered(language):
            raise CommandError(f"--language: {language} is not in LANGUAGES.")
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file.")
        result = import_catalog(
            read_catalog(options["file"], language),
            language,
            overwrite_edited=options["overwrite_edited"],
        )
        self.stdout.write(
            ", ".join(
                f"{result.counts[outcome]} {outcome}"
                for outcome in ("added", "replaced", "unchanged", "kept", "unmatched")
            )
        )
        if result.kept:
            self.stdout.write(
                f"kept {len(result.kept)} edited {_plural('translation', len(result.kept))} "
                "(replaced only with --overwrite-edited):"
            )
            for row in result.kept:
                self.stdout.write(
                    f"  {place_label(row.content_type_id, row.object_id, row.field)}"
                    f" ({_whose(row)}): {row.text}"
                )


def _whose(translation: CatalogueTranslation) -> str:
    if translation.status == ReviewStatus.REVIEWED:
        return f"reviewed by {translation.reviewer or 'an editor'}"
    return "edited"


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 else f"{noun}s"
