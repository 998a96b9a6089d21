from django.core.management.base import BaseCommand

from prescriptions.demo import DEMO_CLINIC, ensure_demo_clinic


class Command(BaseCommand):
    help = (
        "Create the demo clinic, its users and starter templates if absent (changes nothing else)."
    )

    def handle(self, *args, **options):
        users = ensure_demo_clinic()
        self.stdout.write(f"Demo clinic: {DEMO_CLINIC}")
        for username, password, created in users:
            state = "created" if created else "already there, password unchanged"
            self.stdout.write(f"  user {username!r} / password {password!r} ({state})")
