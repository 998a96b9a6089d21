"""The PDF handout, read back as a patient would read it."""

import hashlib
import io
import json
import re
import unicodedata

import pypdf
import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.models import Exercise, SafetyNote
from prescriptions.handouts.content import Handout
from prescriptions.handouts.pdf import render_handout
from prescriptions.selectors import prescriptions_with_handout_content
from prescriptions.services import issue_prescription
from tests import factories
from tests.prescriptions.handout_helpers import (
    flat,
    font_sizes,
    pdf_pages,
    pdf_text,
    plain_handout,
)
from tests.prescriptions.support import issue_and_commit

pytestmark = pytest.mark.django_db

SCIATICA_CAUTION = "Holding still can irritate the nerve. Keep it gentle."


@pytest.fixture
def sciatica():
    return factories.ConditionFactory(slug="sciatica", name="Sciatica")


@pytest.fixture
def safety_content(sciatica):
    notes = {
        "precaution": "Aim for a gentle pull, never sharp pain.",
        "contact-clinic": "New leg pain that spreads below the knee.",
        "urgent": "Back pain with a fever.",
        "emergency": "Numbness around your bottom or genitals.",
    }
    for tier, text in notes.items():
        factories.SafetyNoteFactory(tier=tier, text=text)
    return notes


@pytest.fixture
def prescription(clinic, sciatica, safety_content):
    static_hold = factories.TagFactory(slug="static-hold")
    factories.CautionFactory(condition=sciatica, tag=static_hold, text=SCIATICA_CAUTION)
    exercises = [
        factories.ExerciseFactory(name="Lying hamstring stretch", tags=[static_hold]),
        factories.ExerciseFactory(
            name="Glute bridge",
            category="strengthening",
            default_hold_seconds=None,
            default_reps=10,
            default_sets=2,
            default_rest_seconds=30,
            default_days_per_week=3,
            default_side=None,
            advised_min_hold_seconds=None,
            advised_max_hold_seconds=None,
        ),
    ]
    patient = factories.PatientFactory(clinic=clinic, conditions=[sciatica])
    return factories.PrescriptionFactory(patient=patient, items=exercises)


def download(api, prescription, **params):
    return api.get(f"/api/v1/prescriptions/{prescription.pk}/handout/", params)


def test_handout_shows_what_the_patient_needs_in_order(as_therapist, prescription, clinic):
    response = download(as_therapist, prescription)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    expected_in_order = [
        clinic.name,
        "Zoë Łukasiewicz-Núñez",
        "2 March 1970",
        prescription.clinician.clinician.name,
        "Physiotherapist",
        "15 January 2027",
        "When to get help",
        "call 999",
        "Numbness around your bottom",
        "Call us on 020 7946 0000 today",
        "Back pain with a fever",
        "When we are closed: call NHS 111.",
        prescription.notes,
        "Aim for a gentle pull",
        "1. Lying hamstring stretch",
        "Starting position: Lie on your back with both legs straight.",
        "1. Lift one leg slowly, keeping it straight.",
        "Hold for 30 seconds. Do this 3 times on each leg. Once a day, every day.",
        SCIATICA_CAUTION,
        "2. Glute bridge",
        "Do 10 repetitions. Do 2 sets. Rest for 30 seconds between sets. Once a day, 3 days a week.",
        "Contact us",
        "New leg pain",
        "Your exercise log",
        "Pain 0–10",
    ]
    positions = [text.find(fragment) for fragment in expected_in_order]
    assert -1 not in positions, [
        f for f, p in zip(expected_in_order, positions, strict=True) if p < 0
    ]
    assert positions == sorted(positions)


def test_caution_is_printed_only_beside_the_exercise_it_applies_to(as_therapist, prescription):
    text = flat(pdf_text(download(as_therapist, prescription).content))
    stretch = text.index("1. Lying hamstring stretch")
    bridge = text.index("2. Glute bridge")
    assert text.count(SCIATICA_CAUTION) == 1
    assert stretch < text.index(SCIATICA_CAUTION) < bridge


def test_no_caution_for_a_patient_without_the_condition(as_therapist, prescription):
    prescription.patient.conditions.clear()
    text = flat(pdf_text(download(as_therapist, prescription).content))
    assert SCIATICA_CAUTION not in text


def test_condition_specific_wording_of_a_safety_note(as_therapist, prescription, sciatica):
    note = SafetyNote.objects.get(tier="contact-clinic")
    note.variants.create(condition=sciatica, text="New, spreading or worsening leg pain.")
    text = flat(pdf_text(download(as_therapist, prescription).content))
    assert "New, spreading or worsening leg pain." in text
    assert "New leg pain that spreads below the knee." not in text


def test_every_page_is_numbered_and_carries_the_footer(as_therapist, prescription):
    Exercise.objects.update(summary="x")
    pages = pdf_pages(download(as_therapist, prescription).content)
    total = len(pages)
    assert total >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert f"Prescription {prescription.pk}, version 1" in page
        assert "DRAFT" in page


def test_issued_handout_has_fingerprint_on_every_page_and_no_draft_mark(as_therapist, prescription):
    issued = issue_and_commit(prescription)
    pages = pdf_pages(download(as_therapist, issued).getvalue())
    for page in pages:
        assert f"Fingerprint {issued.fingerprint[:12]}" in page
        assert "DRAFT" not in page
        assert "Issued " in page


def test_issued_default_download_is_exactly_the_stored_pdf(as_therapist, prescription):
    issued = issue_and_commit(prescription)
    body = download(as_therapist, issued).getvalue()
    assert hashlib.sha256(body).hexdigest() == issued.handout_sha256
    assert (
        issued.fingerprint
        == hashlib.sha256(
            json.dumps(
                issued.snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")
            ).encode()
        ).hexdigest()
    )


def test_same_snapshot_renders_the_same_bytes(prescription):
    issued = issue_prescription(prescription=prescription)
    handout = Handout.from_dict(issued.snapshot)
    first = render_handout(handout, fingerprint=issued.fingerprint)
    second = render_handout(handout, fingerprint=issued.fingerprint)
    assert first == second
    assert hashlib.sha256(first).hexdigest() == issued.handout_sha256


def test_other_options_render_from_the_snapshot_with_the_same_fingerprint(
    as_therapist, prescription
):
    issued = issue_prescription(prescription=prescription)
    Exercise.objects.filter(name="Glute bridge").update(name="Renamed bridge")
    for params in ({"paper": "letter"}, {"large_print": "1"}, {"large_print": "true"}):
        text = flat(pdf_text(download(as_therapist, issued, **params).content))
        assert "Glute bridge" in text
        assert "Renamed bridge" not in text
        assert f"Fingerprint {issued.fingerprint[:12]}" in text


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_sizes(as_therapist, prescription, paper, size):
    pdf = download(as_therapist, prescription, paper=paper).content
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_default_paper_is_the_clinics(as_therapist, prescription, clinic):
    clinic.paper_size = "letter"
    clinic.save()
    pdf = download(as_therapist, prescription).content
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(float(box.width)) == 612


def test_unknown_paper_is_a_400_on_paper(as_therapist, prescription):
    response = download(as_therapist, prescription, paper="a5")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["attr"] == "paper"


def test_body_text_sizes(as_therapist, prescription):
    normal = font_sizes(download(as_therapist, prescription).content)
    large = font_sizes(download(as_therapist, prescription, large_print="1").content)
    assert 11 in normal
    assert min(size for size in normal if size > 10) >= 11
    assert 16 in large
    assert min(size for size in large if size > 10) >= 15


def test_pdf_even_when_json_is_asked_for(as_therapist, prescription):
    response = as_therapist.get(
        f"/api/v1/prescriptions/{prescription.pk}/handout/", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_filename_from_patient_and_date(as_therapist, prescription):
    header = download(as_therapist, prescription)["Content-Disposition"]
    day = prescription.created_at.date().isoformat()
    assert f'filename="handout-zoe-lukasiewicz-nunez-{day}.pdf"' in header
    assert "filename*=UTF-8''handout-Zo%C3%AB-%C5%81ukasiewicz-N%C3%BA%C3%B1ez-" in header


def test_cyrillic_and_greek_names_print(as_therapist, prescription):
    prescription.patient.given_name = "Анна"
    prescription.patient.family_name = "Παπαδοπούλου"
    prescription.patient.save()
    text = pdf_text(download(as_therapist, prescription).content)
    assert "Анна Παπαδοπούλου" in text


@pytest.mark.parametrize(
    "hostile",
    [
        "<b>bold</b> & more",
        "<font size=90>huge</font>",
        '<img src="/etc/passwd"/>',
        "<para>unclosed",
        "&amp; &lt; &#0;",
    ],
)
def test_markup_in_notes_prints_literally(as_therapist, prescription, hostile):
    prescription.notes = hostile
    prescription.save()
    item = prescription.items.first()
    item.notes = hostile
    item.save()
    response = download(as_therapist, prescription)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert text.count(hostile) == 2
    assert 90 not in font_sizes(response.content)


def test_sixty_exercises_paginate_and_each_stays_whole(as_therapist, clinic):
    exercises = [factories.ExerciseFactory(name=f"Exercise number {n}") for n in range(60)]
    prescription = factories.PrescriptionFactory(patient__clinic=clinic, items=exercises)
    pages = pdf_pages(download(as_therapist, prescription).content)
    assert len(pages) > 5
    text = flat("\n".join(pages))
    for n in range(60):
        assert f"{n + 1}. Exercise number {n}" in text
    for page in pages:
        # An exercise is kept together: each heading on a page has its dose on that page too.
        days = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
        log = f"Your exercise log|Week \\d+:|{days} \\d+ {days} \\d+"
        exercise_part = re.split(f"Contact us|{log}", flat(page))[0]
        headings = re.findall(r"\d+\. Exercise number \d+", exercise_part)
        assert len(headings) == exercise_part.count("How much:")


def test_metadata(as_therapist, prescription, clinic):
    reader = pypdf.PdfReader(io.BytesIO(download(as_therapist, prescription).content))
    assert reader.metadata.title == "Home exercise programme for Zoë Łukasiewicz-Núñez"
    assert reader.metadata.author == clinic.name
    assert reader.metadata.subject == "Home exercise programme"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_every_font_that_prints_text_is_embedded(as_therapist, prescription):
    used = {}
    for page in pypdf.PdfReader(io.BytesIO(download(as_therapist, prescription).content)).pages:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: (
                used.setdefault(font["/BaseFont"], font) if text.strip() and font else None
            )
        )
    assert used
    for name, font in used.items():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        assert "DejaVuSans" in name
        assert "/FontFile2" in descendant["/FontDescriptor"], name


def test_unprintable_name_is_reported_in_warnings_and_still_renders(as_therapist, prescription):
    prescription.patient.given_name = "李小龍"
    prescription.patient.save()
    body = as_therapist.get(f"/api/v1/prescriptions/{prescription.pk}/").json()
    codes = [w["code"] for w in body["warnings"]]
    assert "unprintable_characters" in codes
    message = next(w for w in body["warnings"] if w["code"] == "unprintable_characters")["message"]
    assert "patient's name" in message
    assert download(as_therapist, prescription).status_code == 200


def test_another_clinics_handout_is_404_json(api, prescription, other_clinic_user):
    api.force_authenticate(other_clinic_user)
    response = download(api, prescription)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_layout_never_touches_the_database(django_assert_num_queries):
    handout = plain_handout()
    with django_assert_num_queries(0):
        pdf = render_handout(handout)
    assert "Careful." in pdf_text(pdf)


@pytest.mark.parametrize("size", [3, 30])
def test_content_is_built_in_a_constant_number_of_queries(clinic, size, django_assert_num_queries):
    from prescriptions.handouts.content import build_handout

    # Prescription with clinic, patient and clinician; patient's conditions; items; then the
    # catalogue's part, read once per catalogue version: the exercises with their regions, the
    # steps, the pictures, the cautions for the patient's conditions, the safety notes and
    # their variants, the glossary. 10 the first time, 3 once the catalogue's part is cached.
    tag = factories.TagFactory()
    exercises = factories.ExerciseFactory.create_batch(size, tags=[tag])
    sciatica = factories.ConditionFactory()
    factories.CautionFactory(condition=sciatica, tag=tag, text="Tagged: ease off if it tingles.")
    factories.CautionFactory(condition=sciatica, exercise=exercises[-1], text="Own: go gently.")
    factories.SafetyNoteFactory()
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, patient__conditions=[sciatica], items=exercises
    )
    with django_assert_num_queries(10):
        loaded = prescriptions_with_handout_content().get(pk=prescription.pk)
        handout = build_handout(loaded)
    assert len(handout.exercises) == size
    with django_assert_num_queries(3):
        again = build_handout(prescriptions_with_handout_content().get(pk=prescription.pk))
    assert again == handout
    text = pdf_text(render_handout(handout))
    assert "Tagged: ease off if it tingles." in text
    assert "Own: go gently." in text


def test_render_handout_command(tmp_path, prescription):
    output = tmp_path / "sheet.pdf"
    call_command(
        "render_handout", prescription.pk, "-o", str(output), "--paper", "letter", "--large-print"
    )
    reader = pypdf.PdfReader(output)
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "Zoë Łukasiewicz-Núñez" in pdf_text(output.read_bytes())


printable_text = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "N", "P", "Zs", "S"],
            exclude_characters="\u00a0",
        ).filter(lambda c: c.isprintable()),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: unicodedata.normalize("NFC", s).strip())
    # NFC splits a few letters (e.g. U+FB2A) into a letter and a combining mark, which the
    # PDF prints but pypdf reads back in another order: a reading artefact, not a print fault.
    .filter(lambda s: s and not any(unicodedata.combining(c) for c in s))
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=printable_text, name=printable_text)
def test_any_unicode_note_and_name_render_without_crashing(note, name):
    from prescriptions.handouts.styles import unprintable_characters

    handout = plain_handout(patient_name=name, notes=note, status="issued")
    text = flat(pdf_text(render_handout(handout)))
    for value in (note, name):
        if not unprintable_characters(value):
            assert flat(value) in text


def test_an_edited_safety_note_prints_on_the_next_handout(clinic):
    """The programme's safety notes are read once per catalogue version: an editor's change
    prints on the very next handout."""
    from prescriptions.handouts.content import build_handout

    note = factories.SafetyNoteFactory(text="Warm up first.")
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    assert "Warm up first." in pdf_text(render_handout(build_handout(prescription)))
    note.text = "Warm up for five minutes first."
    note.save()
    assert "Warm up for five minutes first." in pdf_text(
        render_handout(build_handout(prescriptions_with_handout_content().get(pk=prescription.pk)))
    )


def test_a_snapshot_of_the_first_format_still_prints_with_its_pain_row(prescription):
    """Issued before the help panel and the log weeks: safety tiers, cautions per card."""
    current = issue_prescription(prescription=prescription).snapshot
    first_format = {
        key: value
        for key, value in current.items()
        if key not in ("help", "shared_boxes", "guidance", "log")
    }
    first_format["safety"] = []
    first_format["exercises"] = [
        {**card, "cautions": [{"text": text} for text in card["take_care"]]}
        for card in current["exercises"]
    ]

    handout = Handout.from_dict(first_format)

    assert handout.log.pain_labels == ("Pain 0–10",)
    assert "Pain 0–10" in pdf_text(render_handout(handout))
