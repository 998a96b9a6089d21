import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prescriptions.data_protection import export_patient
from prescriptions.models import Patient


class Command(BaseCommand):
    help = "Export everything held about one patient (record, prescriptions, audit, handouts) as a zip."

    def add_arguments(self, parser):
        parser.add_argument("patient_id", type=int)
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, **options):
        patient = Patient.objects.filter(pk=options["patient_id"]).first()
        if patient is None:
            raise CommandError(f"No patient with id {options['patient_id']}.")
        # The archive holds the patient's record: readable by this user only, also when it
        # replaces an older file.
        os.close(os.open(options["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(options["output"], 0o600)
        names = export_patient(patient, options["output"])
        self.stdout.write(f"Wrote {options['output']}: {', '.join(names)}")
