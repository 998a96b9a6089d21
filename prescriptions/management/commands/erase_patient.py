from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from prescriptions.data_protection import erase_patient
from prescriptions.models import Patient


class Command(BaseCommand):
    help = (
        "Erase a patient's identifying data (superusers only). The clinical record's structure "
        "and the audit trail stay; the erasure itself is recorded with who and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--reason", required=True)
        parser.add_argument("--by", required=True, help="Username of the superuser who erases.")

    def handle(self, *args, **options):
        if not options["reason"].strip():
            raise CommandError("Give a reason.")
        patient = Patient.objects.filter(pk=options["patient_id"]).first()
        if patient is None:
            raise CommandError(f"No patient with id {options['patient_id']}.")
        user = get_user_model().objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"No user {options['by']!r}.")
        try:
            report = erase_patient(patient=patient, reason=options["reason"], erased_by=user)
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        self.stdout.write(f"Erased patient {patient.pk}:")
        for label, count in report.items():
            self.stdout.write(f"  {label}: {count}")
