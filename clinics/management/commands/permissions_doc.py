from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from clinics.permission_matrix import markdown

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Write docs/permissions.md from the permission matrix."

    def handle(self, *args, **options):
        DOC.write_text(markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC}.")
