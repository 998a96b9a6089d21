from django.core.management.base import BaseCommand

from clinic.idempotency import remove_expired


class Command(BaseCommand):
    help = "Deletes expired Idempotency-Key answers (kept 24 hours). Run it daily, e.g. from cron."

    def handle(self, *args, **options):
        self.stdout.write(f"Removed {remove_expired()} expired idempotency keys.")
