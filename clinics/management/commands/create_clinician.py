from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clinics.roles import CATALOGUE_EDITOR, CLINIC_ADMIN, CLINICIAN, ROLE_SLUGS
from clinics.services import create_or_update_clinician

ROLE_OPTIONS = {"clinician": CLINICIAN, "editor": CATALOGUE_EDITOR, "clinic-admin": CLINIC_ADMIN}


class Command(BaseCommand):
    help = (
        "Create or update a user who works at a clinic (the clinic is created if needed). "
        "The roles given replace the user's roles; with none, a new user is a clinician and "
        "an existing one keeps theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--clinic", required=True, help="The clinic's name.")
        parser.add_argument("--password", help="Set this password (left unchanged if omitted).")
        parser.add_argument(
            "--role",
            action="append",
            choices=sorted(ROLE_OPTIONS),
            default=[],
            help="A role; repeat for several. A clinic admin is also a clinician.",
        )
        parser.add_argument("--editor", action="store_true", help="Same as --role editor.")
        parser.add_argument(
            "--clinic-admin", action="store_true", help="Same as --role clinic-admin."
        )
        parser.add_argument("--display-name", default="")
        parser.add_argument("--profession", default="")

    def handle(self, *args, **options):
        chosen = set(options["role"])
        chosen |= {"editor"} if options["editor"] else set()
        chosen |= {"clinic-admin"} if options["clinic_admin"] else set()
        try:
            profile, created = create_or_update_clinician(
                username=options["username"],
                clinic_name=options["clinic"],
                password=options["password"],
                roles={ROLE_OPTIONS[role] for role in chosen} if chosen else None,
                display_name=options["display_name"],
                profession=options["profession"],
            )
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        verb = "Created" if created else "Updated"
        roles = ", ".join(sorted(ROLE_SLUGS[group.name] for group in profile.user.groups.all()))
        self.stdout.write(f"{verb} {profile.user.username} at {profile.clinic.name} ({roles}).")
