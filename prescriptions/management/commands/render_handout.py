from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinics.models import PaperSize
from prescriptions.handouts.issue import rendered_handout
from prescriptions.selectors import prescriptions_with_handout_content


class Command(BaseCommand):
    help = "Write a prescription's handout PDF to a file."

    def add_arguments(self, parser):
        parser.add_argument("prescription_id", type=int)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--paper", choices=PaperSize.values)
        parser.add_argument("--large-print", action="store_true")

    def handle(self, *args, **options):
        prescription = (
            prescriptions_with_handout_content().filter(pk=options["prescription_id"]).first()
        )
        if prescription is None:
            raise CommandError(f"No prescription with id {options['prescription_id']}.")
        pdf = rendered_handout(
            prescription, paper=options["paper"], large_print=options["large_print"]
        )
        options["output"].write_bytes(pdf)
        self.stdout.write(f"Wrote {len(pdf)} bytes to {options['output']}.")
