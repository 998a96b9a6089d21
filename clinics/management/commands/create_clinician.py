from django.core.management.base import BaseCommand

from clinics.services import create_or_update_clinician


class Command(BaseCommand):
    help = "Create or update a user who works at a clinic (the clinic is created if needed)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--clinic", required=True, help="The clinic's name.")
        parser.add_argument("--password", help="Set this password (left unchanged if omitted).")
        parser.add_argument("--editor", action="store_true", help="Add the catalogue-editor role.")
        parser.add_argument(
            "--clinic-admin", action="store_true", help="Add the clinic-administrator role."
        )
        parser.add_argument("--display-name", default="")
        parser.add_argument("--profession", default="")

    def handle(self, *args, **options):
        profile, created = create_or_update_clinician(
            username=options["username"],
            clinic_name=options["clinic"],
            password=options["password"],
            editor=options["editor"],
            clinic_admin=options["clinic_admin"],
            display_name=options["display_name"],
            profession=options["profession"],
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {profile.user.username} at {profile.clinic.name}.")
