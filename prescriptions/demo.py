"""The demo clinic that `scripts/serve` sets up: users to sign in with and the starter templates."""

from django.contrib.auth import get_user_model
from django.db import transaction

from clinics.models import Clinic
from clinics.roles import CATALOGUE_EDITOR, CLINIC_ADMIN, CLINICIAN
from clinics.services import create_or_update_clinician
from exercises.catalogue.loader import read_catalogue
from exercises.models import Exercise
from prescriptions.models import ProgrammeTemplate
from prescriptions.services import save_template

DEMO_CLINIC = "Demo Physiotherapy Clinic"
DEMO_USERS = (
    # username, password, display name, profession, roles
    ("therapist", "demo-therapist-2026", "Alex Morgan", "Physiotherapist", {CLINICIAN}),
    ("editor", "demo-editor-2026", "Sam Lee", "Clinical lead", {CATALOGUE_EDITOR}),
    ("clinicadmin", "demo-admin-2026", "Jo Patel", "Practice manager", {CLINIC_ADMIN}),
)


@transaction.atomic
def ensure_demo_clinic() -> list[tuple[str, str, bool]]:
    """Creates what is missing and changes nothing that exists. Returns (user, password, created)."""
    clinic, _ = Clinic.objects.get_or_create(
        name=DEMO_CLINIC,
        defaults={
            "address": "1 Example Street, Exampletown",
            "phone": "01234 567890",
            "email": "reception@example.org",
            "country": "GB",
            "emergency_number": "999",
        },
    )
    users = []
    for username, password, display_name, profession, roles in DEMO_USERS:
        exists = get_user_model().objects.filter(username=username).exists()
        if not exists:
            create_or_update_clinician(
                username=username,
                clinic_name=clinic.name,
                password=password,
                roles=roles,
                display_name=display_name,
                profession=profession,
            )
        users.append((username, password, not exists))
    author = clinic.staff.select_related("user").first()
    for entry in read_catalogue().get("templates", []):
        if ProgrammeTemplate.objects.filter(clinic=clinic, name=entry["name"]).exists():
            continue
        items = [
            {
                "exercise": Exercise.objects.get(slug=item["exercise"]),
                "notes": item.get("notes", ""),
            }
            for item in entry["items"]
        ]
        save_template(
            template=ProgrammeTemplate(clinic=clinic, created_by=author.user if author else None),
            data={"name": entry["name"], "notes": entry.get("notes", ""), "items": items},
        )
    return users
