"""A printed date is one thing: it never breaks across lines ("2 de marzo de / 1970"), however
narrow its column, as a phone number never does. Read back from the PDF with pypdf."""

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from prescriptions.handouts.content import build_handout
from prescriptions.handouts.styles import handout_styles
from prescriptions.selectors import prescriptions_with_handout_content
from tests.prescriptions.handout_fixtures import sciatica_stretches
from tests.prescriptions.handout_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("large_print", [False, True])
def test_a_spanish_date_of_birth_stays_on_one_line_in_a_narrow_column(clinic, large_print):
    sciatica = prescriptions_with_handout_content().get(pk=sciatica_stretches(clinic).pk)
    handout = build_handout(sciatica, "es")
    styles = handout_styles(large_print)

    # From a column just wider than the date to one a little narrower than the whole line:
    # each breaks the line at a different word.
    for ems in range(13, 22):
        column = styles.body.fontSize * ems
        buffer = io.BytesIO()
        page = (column + 20, A4[1])
        SimpleDocTemplate(buffer, pagesize=page, leftMargin=10, rightMargin=10).build(
            [Paragraph(f"Fecha de nacimiento: {handout.patient_birth_date}", styles.body)]
        )

        lines = [
            line.replace("\xa0", " ").strip() for line in pdf_text(buffer.getvalue()).splitlines()
        ]
        assert "2 de marzo de 1970" in " / ".join(lines), (ems, lines)
