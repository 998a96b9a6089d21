import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models


def referenced_names() -> set[str]:
    """Every file name a row stores, in every file field of every model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .distinct()
                )
    return names


def unreferenced_files(root: Path, min_age_seconds: float) -> list[Path]:
    """Files under `root` no row refers to, older than `min_age_seconds` (a younger one may
    belong to a write still in progress)."""
    referenced = referenced_names()
    newest = time.time() - min_age_seconds
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.relative_to(root).as_posix() not in referenced
        and path.stat().st_mtime <= newest
    )


class Command(BaseCommand):
    help = (
        "List the stored files (handouts, logos) that no row refers to: left by a crash or a "
        "failed write, or by a row deleted outside the service. Dry run unless --delete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files listed.")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Leave younger files alone: a write may still be in progress (default 60).",
        )

    def handle(self, *args, **options):
        root = Path(settings.MEDIA_ROOT)
        if not root.is_dir():
            self.stdout.write(f"No media folder at {root}.")
            return
        files = unreferenced_files(root, options["min_age_minutes"] * 60)
        for path in files:
            if options["delete"]:
                path.unlink(missing_ok=True)
            self.stdout.write(str(path.relative_to(root)))
        verb = "Removed" if options["delete"] else "Would remove (dry run; --delete removes)"
        self.stdout.write(f"{verb} {len(files)} file(s) no row refers to.")
