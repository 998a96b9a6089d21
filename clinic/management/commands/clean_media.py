from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone


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


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, through its own listing (a folder or a bucket alike)."""
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield f"{prefix}{name}"
    for child in folders:
        yield from stored_names(storage, f"{prefix}{child}")


def unreferenced_files(storage: Storage, min_age: timedelta) -> list[str]:
    """Files no row refers to, older than `min_age` (a younger one may belong to a write
    whose transaction has not committed yet)."""
    referenced = referenced_names()
    newest = timezone.now() - min_age
    return sorted(
        name
        for name in stored_names(storage)
        if name not in referenced and storage.get_modified_time(name) <= newest
    )


class Command(BaseCommand):
    help = (
        "List the stored files (handouts, logos) that no row refers to: left by a crash or a "
        "failed write, or by a row deleted outside the service. Dry run unless --delete. "
        "Works on the media folder and on object storage alike (STORAGE_URL)."
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
        try:
            files = unreferenced_files(
                default_storage, timedelta(minutes=options["min_age_minutes"])
            )
        except FileNotFoundError:
            self.stdout.write("No media folder yet: nothing is stored.")
            return
        for name in files:
            if options["delete"]:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "Removed" if options["delete"] else "Would remove (dry run; --delete removes)"
        self.stdout.write(f"{verb} {len(files)} file(s) no row refers to.")
