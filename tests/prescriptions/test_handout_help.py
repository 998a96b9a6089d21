"""Where the handout sends the patient, and rules that never contradict each other: read back
from the PDF of the default catalogue's words."""

import datetime
import hashlib
import io
import math
import unicodedata
import zoneinfo
from dataclasses import replace

import pypdf
import pytest
from django.utils import formats, timezone, translation
from reportlab.pdfbase.pdfmetrics import stringWidth

from clinics.models import Clinic
from exercises.catalogue.loader import load_catalogue
from exercises.models import Condition, Exercise
from prescriptions.handouts.content import Handout, build_handout
from prescriptions.handouts.layout import Paragraph, markup
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.styles import handout_styles
from prescriptions.selectors import prescriptions_with_handout_content
from prescriptions.services import revise_prescription, void_prescription
from tests import factories
from tests.prescriptions.handout_fixtures import prescription_fixture, read_handout
from tests.prescriptions.handout_helpers import flat, pdf_pages, pdf_text
from tests.prescriptions.support import committed, issue_and_commit

pytestmark = pytest.mark.django_db

PRESCRIPTIONS = "/api/v1/prescriptions/"
STRETCHES = ["supine-hamstring-stretch", "wall-hamstring-stretch", "seated-towel-stretch"]
STRENGTH = ["glute-bridge", "bird-dog"]
GENERAL_NERVE_RULE = "Stop at once if you feel sharp or shooting pain, numbness, tingling"
NERVE_RULE_FOR_SCIATICA = "Some numbness, tingling or leg pain may be usual for you."
TENDON_RULE = "Keep it at or below the score we agreed with you"
KEEP_ACTIVE = "Keep active."


@pytest.fixture
def catalogue(db):
    load_catalogue()


def handout_text(prescription, **options) -> str:
    row = prescriptions_with_handout_content().get(pk=prescription.pk)
    return flat(pdf_text(render_handout(build_handout(row), **options)))


def programme(clinic, condition_slugs=(), exercises=STRETCHES + STRENGTH, **fields):
    patient = factories.PatientFactory(
        clinic=clinic, conditions=list(Condition.objects.filter(slug__in=condition_slugs))
    )
    return factories.PrescriptionFactory(
        patient=patient,
        items=[Exercise.objects.get(slug=slug) for slug in exercises],
        **fields,
    )


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


# Three tiers, each to its own door --------------------------------------------------------


def test_same_day_signs_out_of_hours_go_to_the_countrys_urgent_line_never_the_emergency_number(
    catalogue, clinic
):
    text = handout_text(programme(clinic))

    same_day = between(text, "Call us the same day", "Your goal")
    assert "Call us on 020 7946 0000 today" in same_day
    assert "When we are closed: call NHS 111." in same_day
    assert "999" not in same_day
    emergency = between(text, "Emergency: get help at once", "Call us the same day")
    assert "Go to an emergency department now, or call 999" in emergency


def test_a_country_not_in_the_table_gets_the_doctors_out_of_hours_service(catalogue, clinic):
    clinic.country = "FR"
    clinic.emergency_number = "112"
    clinic.save()

    text = handout_text(programme(clinic))

    assert "When we are closed: call your doctor's out-of-hours service." in text
    assert "112" not in between(text, "Call us the same day", "Your goal")


def test_the_clinics_own_out_of_hours_text_wins_over_the_countrys_default(catalogue, clinic):
    clinic.out_of_hours = "Call 0161 555 0199 (evenings and weekends)."
    clinic.save()

    text = handout_text(programme(clinic))

    assert "When we are closed: Call 0161 555 0199 (evenings and weekends)." in text
    assert "NHS 111" not in text


def test_signs_sit_in_the_tier_the_sources_give_them(catalogue, clinic):
    text = handout_text(programme(clinic))

    emergency = between(text, "Emergency: get help at once", "Call us the same day")
    same_day = between(text, "Call us the same day", "When we are closed")
    routine = between(text, "Contact us within a week", "Your exercise log")
    assert "Numb skin, or pins and needles, around your bottom, genitals or back passage." in (
        emergency
    )
    assert "Not being able to feel the toilet paper when you wipe." in emergency
    assert "A leg getting weaker or too weak to stand or walk on, or a dragging foot." in same_day
    assert "Symptoms that are severe, or that worry you." in same_day
    assert "weak" not in routine
    assert "severe" not in routine


def test_the_routine_tier_after_the_exercises_says_within_what_time(catalogue, clinic):
    text = handout_text(programme(clinic))

    routine = between(text, "Contact us within a week", "Your exercise log")
    assert "Call us on 020 7946 0000 within a week if you have any of these." in routine
    assert "Or tell us at your next visit, if it is sooner." in routine
    assert text.index("1. ") < text.index("Contact us within a week")


# Stop rules that never contradict each other ----------------------------------------------

CONDITION_SETS = [
    (),
    ("sciatica",),
    ("disc-injury",),
    ("high-hamstring-tendinopathy",),
    ("sciatica", "disc-injury"),
    ("sciatica", "high-hamstring-tendinopathy"),
    ("disc-injury", "high-hamstring-tendinopathy"),
    ("sciatica", "disc-injury", "high-hamstring-tendinopathy"),
]


@pytest.mark.parametrize("conditions", CONDITION_SETS, ids="+".join)
def test_no_handout_prints_the_general_nerve_rule_beside_a_condition_rule(
    catalogue, clinic, conditions
):
    text = handout_text(programme(clinic, conditions))

    if "new or worse" in text:
        assert GENERAL_NERVE_RULE not in text
        assert "Shooting pain, numbness, pins and needles" not in text
    if "sciatica" in conditions:
        # With a disc injury too, their combined wording prints instead.
        assert (NERVE_RULE_FOR_SCIATICA in text) is ("disc-injury" not in conditions)
        assert GENERAL_NERVE_RULE not in text
    if "high-hamstring-tendinopathy" in conditions:
        assert TENDON_RULE in text
        assert "It should settle by the next morning." in text
    else:
        assert TENDON_RULE not in text
    if not conditions:
        assert GENERAL_NERVE_RULE in text


@pytest.mark.parametrize("order", [("sciatica", "disc-injury"), ("disc-injury", "sciatica")])
def test_sciatica_with_a_disc_injury_prints_the_rule_for_both_whatever_the_order(
    catalogue, clinic, order
):
    patient = factories.PatientFactory(clinic=clinic)
    for slug in order:
        patient.conditions.add(Condition.objects.get(slug=slug))
    prescription = factories.PrescriptionFactory(
        patient=patient, items=[Exercise.objects.get(slug=slug) for slug in STRETCHES]
    )

    text = handout_text(prescription)

    assert "Some back pain, leg pain, numbness or tingling may be usual for you." in text
    assert "Stop if any of them is new or worse than usual." in text
    assert NERVE_RULE_FOR_SCIATICA not in text
    assert "Stop if back pain, leg pain, numbness or tingling is new or worse" not in text


# The log: every pain that matters ---------------------------------------------------------


def test_a_patient_with_sciatica_and_a_disc_injury_logs_leg_pain_and_back_pain(catalogue, clinic):
    text = handout_text(programme(clinic, ("disc-injury", "sciatica")))

    log = text[text.index("Your exercise log") :]
    assert "Leg pain 0–10" in log
    assert "Back pain 0–10" in log
    assert log.index("Leg pain 0–10") < log.index("Back pain 0–10")


def test_a_disc_injury_logs_the_leg_pain_its_rules_speak_of(clinic):
    """The second review: the disc sheet says "Stop if back pain, leg pain ... is new or
    worse" and lists new leg pain under Contact us, but logged "Back pain" alone."""
    sheet = flat(
        pdf_text(
            render_handout(read_handout(prescription_fixture("disc-injury-acknowledged", clinic)))
        )
    )

    log = sheet[sheet.index("Your exercise log") :]
    assert "leg pain" in sheet[: sheet.index("Your exercise log")]
    assert log.index("Back pain 0–10") < log.index("Leg pain 0–10")


def test_a_tendinopathy_log_scores_the_tendon_the_next_morning_as_its_rule_reads_it(clinic):
    """The second review (N5): the tendon rule reads the pain the next morning, but the log
    asked for an evening score, so nothing showed whether the pain had settled."""
    sheet = flat(
        pdf_text(
            render_handout(read_handout(prescription_fixture("hamstring-tendinopathy", clinic)))
        )
    )

    rules, log = sheet.split("Your exercise log", 1)
    assert "worse the next morning" in rules
    assert "Tendon pain next morning 0–10" in log
    assert (
        "Each morning when you get up, score your pain from 0 (none) to 10 (the worst) in the "
        "box of the day before." in log
    )
    assert "Each evening" not in log


def test_an_evening_pain_beside_a_next_morning_one_says_when_to_score_each(catalogue, clinic):
    log = handout_text(programme(clinic, ("sciatica", "high-hamstring-tendinopathy")))
    log = log[log.index("Your exercise log") :]

    assert "Leg pain 0–10" in log
    assert "Tendon pain next morning 0–10" in log
    assert (
        "Each evening, score your pain from 0 (none) to 10 (the worst). Score a row marked "
        "next morning when you get up, in the box of the day before." in log
    )


def _text_spans(pdf: bytes) -> list[tuple[str, float, float]]:
    """(text, left, right) of each run of text on the pages, as printed."""
    spans = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:

        def visit(text, cm, tm, font, size):
            if text.strip() and font:
                left = cm[4] + tm[4] * cm[0]
                font_name = font["/BaseFont"].split("+")[-1]
                width = stringWidth(text, font_name, size * tm[0] * cm[0])
                spans.append((text.strip(), left, left + width))

        page.extract_text(visitor_text=visit)
    return spans


@pytest.mark.parametrize("large_print", [False, True])
def test_a_long_pain_label_stays_inside_its_column(catalogue, clinic, large_print):
    """The patient writes the score in the day's box: the label must not run into it."""
    prescription = prescription_fixture("hamstring-tendinopathy", clinic)
    row = prescriptions_with_handout_content().get(pk=prescription.pk)
    spans = _text_spans(render_handout(build_handout(row), large_print=large_print))

    whole = "Tendon pain next morning 0–10"
    label = [
        span
        for span in spans
        if len(span[0]) > 8 and (whole.startswith(span[0]) or whole.endswith(span[0]))
    ]
    first_day = [span for span in spans if span[0].startswith("Mon")]
    assert label and first_day
    assert max(right for _text, _left, right in label) < min(
        left for _text, left, _right in first_day
    )


def test_the_log_holds_two_pain_rows_at_most(catalogue, clinic):
    three = ("sciatica", "disc-injury", "high-hamstring-tendinopathy")

    log = handout_text(programme(clinic, three)).split("Your exercise log", 1)[1]

    assert "Leg pain 0–10" in log and "Back pain 0–10" in log
    assert "Tendon pain" not in log


# How long, and keep active ----------------------------------------------------------------


def test_without_a_review_date_the_handout_says_how_long_to_keep_going(catalogue, clinic):
    start = datetime.date(2027, 3, 1)
    prescription = programme(clinic, review_date=None, start_date=start)

    text = handout_text(prescription)

    assert (
        "How long: Keep going for 2 weeks, until 14 March. Then call us to say how you are." in text
    )
    assert "Week 2: 8 March to 14 March" in text


def test_a_programme_starting_another_day_says_when_to_start_and_how_long_under_it(
    catalogue, clinic
):
    """The log and "How long" count from the start date: a sheet given today for a programme
    that starts later must say when to begin, with how long straight under it (not after the
    help panel), and its own date must not read as the start."""
    today = timezone.localtime(timezone=zoneinfo.ZoneInfo(clinic.timezone)).date()
    start = today + datetime.timedelta(days=10)
    row = prescriptions_with_handout_content().get(
        pk=programme(clinic, review_date=None, start_date=start).pk
    )

    lines = [line.strip() for line in pdf_pages(render_handout(build_handout(row)))[0].splitlines()]

    start_line = lines.index(f"Start on: {start.day} {start:%B} {start.year}")
    assert lines[start_line + 1].startswith("How long: Keep going for 2 weeks")
    assert any(f"Given on: {today.day} {today:%B} {today.year}" in line for line in lines)
    assert not any(line.startswith("Date:") for line in lines)


@pytest.mark.parametrize(("language", "label"), [("es", "Fecha de entrega:"), ("ar", "التسليم")])
def test_the_sheets_date_is_labelled_as_the_day_it_was_given_in_each_language(
    catalogue, clinic, language, label
):
    row = prescriptions_with_handout_content().get(pk=programme(clinic).pk)

    first_page = pdf_pages(render_handout(build_handout(row, language, also=language)))[0]

    assert label in unicodedata.normalize("NFKC", first_page)


def test_a_programme_starting_today_needs_no_start_line(catalogue, clinic):
    today = timezone.localtime(timezone=zoneinfo.ZoneInfo(clinic.timezone)).date()

    text = handout_text(programme(clinic, review_date=None, start_date=today))

    assert "Start on:" not in text


def test_with_a_review_date_the_review_says_it(catalogue, clinic):
    text = handout_text(programme(clinic))

    assert "Your next review: 15 January 2027" in text
    assert "Keep going for" not in text


@pytest.mark.parametrize(
    ("conditions", "printed"),
    [
        (("sciatica",), True),
        (("disc-injury",), True),
        (("high-hamstring-tendinopathy",), False),
        ((), False),
    ],
)
def test_keep_active_prints_for_back_pain_and_sciatica_only(catalogue, clinic, conditions, printed):
    text = handout_text(programme(clinic, conditions))

    assert (KEEP_ACTIVE in text) is printed


# Revisions say so -------------------------------------------------------------------------


@pytest.fixture
def revised(catalogue, clinic, therapist):
    first = issue_and_commit(programme(clinic, ("sciatica",), exercises=STRETCHES))
    revision = revise_prescription(prescription=first, clinician=therapist)
    revision = issue_and_commit(revision)
    first.refresh_from_db()
    return first, revision


def download(as_therapist, prescription, **query):
    response = as_therapist.get(f"{PRESCRIPTIONS}{prescription.pk}/handout/", query)
    assert response.status_code == 200
    return response.getvalue()


def test_a_revision_says_which_sheet_it_replaces_and_keeps_the_programmes_number(
    revised, as_therapist
):
    first, revision = revised

    pages = [flat(page) for page in pdf_pages(download(as_therapist, revision))]

    replaces = f"This sheet replaces the one dated {first.snapshot['date']} (version 1)."
    assert flat(replaces) in pages[0]
    assert "What changed: The exercises and how much to do are the same as before." in pages[0]
    assert all(f"Prescription {first.pk}, version 2" in page for page in pages)
    assert not any(f"Prescription {revision.pk}," in page for page in pages)
    first_pages = [flat(page) for page in pdf_pages(download(as_therapist, first))]
    assert all(f"Prescription {first.pk}, version 1" in page for page in first_pages)


def test_a_revisions_first_page_says_in_brief_what_changed(catalogue, clinic, therapist):
    first = issue_and_commit(programme(clinic, ("sciatica",), exercises=STRETCHES))
    revision = revise_prescription(prescription=first, clinician=therapist)
    revision.items.filter(order=0).update(hold_seconds=20, reps=2)
    revision.items.filter(order=2).delete()

    pages = [
        flat(page)
        for page in pdf_pages(
            render_handout(build_handout(prescriptions_with_handout_content().get(pk=revision.pk)))
        )
    ]

    names = [card["name"] for card in first.snapshot["exercises"]]
    assert f"What changed: Stopped: {names[2]}. {names[0]}: new amount. Now: " in pages[0]


def test_a_revisions_new_amount_says_the_dose_now_and_before_on_lines_of_their_own(clinic):
    """The second review: "New amount: Lying hamstring stretch (straight leg)." did not say
    what the new amount is. Only the dose sentences that changed print, now and before; the
    third review: on one line after another they read as one dose, so each has its own."""
    revision = prescription_fixture("revision", clinic)
    name = revision.snapshot["exercises"][0]["name"]

    first_page = pdf_pages(render_handout(read_handout(revision)))[0].splitlines()

    at = first_page.index("What changed:")
    assert first_page[at + 1 : at + 4] == [
        f"{name}: new amount.",
        "Now: Hold for 20 seconds. Do this 2 times on each leg.",
        "Before: Hold for 30 seconds. Do this 3 times on each leg.",
    ]


@pytest.mark.parametrize(
    "options", [{"paper": "letter"}, {"paper": "a4", "large_print": True}], ids=["letter", "large"]
)
def test_what_changed_never_breaks_across_pages_and_page_1_points_to_it(clinic, options):
    """The third review: letter's page 1 ended "Before: Hold", the old dose cut in half; large
    print's page 1 did not say where what changed had gone."""
    revision = prescription_fixture("revision", clinic)

    pages = pdf_pages(render_handout(read_handout(revision), **options))

    holding = [number for number, page in enumerate(pages, 1) if "What changed:\n" in page]
    assert len(holding) == 1
    assert "Before: Hold for 30 seconds. Do this 3 times on each leg." in flat(
        pages[holding[0] - 1]
    )
    assert f"What changed: page {holding[0]}" in flat(pages[0])
    assert holding[0] > 1


def test_page_1_says_what_changed_where_it_fits_and_points_nowhere(clinic):
    revision = prescription_fixture("revision", clinic)

    pages = [flat(page) for page in pdf_pages(render_handout(read_handout(revision)))]

    assert "Before: Hold for 30 seconds. Do this 3 times on each leg." in pages[0]
    assert "What changed: page" not in " ".join(pages)


def test_in_large_print_what_changed_follows_the_same_day_panel_rather_than_shrink_page_1(
    clinic,
):
    revision = prescription_fixture("revision", clinic)

    pages = [
        flat(page) for page in pdf_pages(render_handout(read_handout(revision), large_print=True))
    ]

    assert "This sheet replaces the one dated" in pages[0]
    assert "What changed: Lying hamstring stretch (straight leg): new amount." in pages[1]
    assert pages[1].index("When we are closed") < pages[1].index("What changed:")


def test_a_revision_in_spanish_gives_the_new_amount_in_whole_spanish_sentences(
    catalogue, clinic, therapist
):
    first = programme(clinic, ("sciatica",), exercises=STRETCHES)
    first.patient.preferred_language = "es"
    first.patient.save(update_fields=["preferred_language"])
    first = issue_and_commit(first)
    revision = revise_prescription(prescription=first, clinician=therapist)
    revision.items.filter(order=0).update(hold_seconds=20)

    changes = build_handout(prescriptions_with_handout_content().get(pk=revision.pk)).changes

    assert changes.splitlines()[0].endswith(": nueva pauta.")
    assert changes.splitlines()[1:] == [
        "Ahora: Mantén la posición durante 20 segundos.",
        "Antes: Mantén la posición durante 30 segundos.",
    ]


def test_a_revision_in_another_language_than_the_sheet_before_stops_nothing(revised):
    """Version 1 printed in English; its revision, printed in Spanish with the same exercises
    and doses, must not read as every exercise stopped and started again."""
    _first, revision = revised

    changes = build_handout(prescriptions_with_handout_content().get(pk=revision.pk), "es").changes

    assert changes == "Los ejercicios y cuánto hacer son los mismos que antes."


def test_a_revision_in_another_language_says_the_date_replaced_in_its_own(revised):
    """Version 1's snapshot holds its date in English words; the Spanish revision says it in
    Spanish, as the clinic's calendar has it."""
    first, revision = revised
    issued_on = timezone.localtime(
        first.issued_at, timezone=zoneinfo.ZoneInfo(first.clinic.timezone)
    ).date()

    replaces = build_handout(
        prescriptions_with_handout_content().get(pk=revision.pk), "es"
    ).replaces

    with translation.override("es"):
        spanish_date = formats.date_format(issued_on, "j \\d\\e F \\d\\e Y")
    # No-break spaces keep a date and "versión 1" whole on a line; a reader sees spaces.
    assert (
        replaces.replace("\xa0", " ") == f"Esta hoja sustituye a la del {spanish_date} (versión 1)."
    )
    assert first.snapshot["date"] not in replaces


def test_a_dose_worded_otherwise_since_the_sheet_before_is_not_a_new_amount(
    catalogue, clinic, therapist
):
    """The version before printed its doses in words since reworded (a newer release): the
    revision compares the doses themselves, and gives a changed one now and before in today's
    words."""
    first = programme(clinic, ("sciatica",), exercises=STRETCHES)
    first = issue_and_commit(first)
    snapshot = first.snapshot
    for card in snapshot["exercises"]:
        card["dose"] = "Hold it half a minute, three goes a leg, twice daily."
    type(first).objects.filter(pk=first.pk).update(snapshot=snapshot)
    revision = revise_prescription(prescription=first, clinician=therapist)
    unchanged = build_handout(prescriptions_with_handout_content().get(pk=revision.pk)).changes
    revision.items.filter(order=0).update(hold_seconds=20)

    changed = build_handout(prescriptions_with_handout_content().get(pk=revision.pk)).changes

    assert unchanged == "The exercises and how much to do are the same as before."
    assert changed.splitlines() == [
        f"{snapshot['exercises'][0]['name']}: new amount.",
        "Now: Hold for 20 seconds.",
        "Before: Hold for 30 seconds.",
    ]
    assert "half a minute" not in changed


def test_a_bilingual_revision_says_what_changed_in_both_languages(revised, therapist):
    """The carer reading the second language checks what stopped and what changed too."""
    _first, issued_revision = revised
    draft = revise_prescription(prescription=issued_revision, clinician=therapist)
    draft.items.filter(order=0).update(hold_seconds=15)
    handout = build_handout(prescriptions_with_handout_content().get(pk=draft.pk), "es", also="en")

    text = flat(" ".join(pdf_pages(render_handout(handout))))

    assert f"Qué ha cambiado: {handout.changes.splitlines()[0]}" in text
    assert f"English: What changed: {handout.also.changes.splitlines()[0]}" in text


def test_a_superseded_sheet_downloaded_again_says_by_what_and_when(revised, as_therapist):
    first, revision = revised
    with first.handout_pdf.open("rb") as stored:
        stored_before = stored.read()

    pages = [flat(page) for page in pdf_pages(download(as_therapist, first, large_print=1))]
    pdf = download(as_therapist, first)

    replaced_on = formats.date_format(revision.issued_at.date(), "j F Y")
    notice = f"Do not use this sheet: version 2 replaced it on {replaced_on}."
    assert notice in flat(pdf_text(pdf))
    assert notice in pages[0]
    assert all(f"Fingerprint {first.fingerprint[:12]}" in page for page in pages)
    with first.handout_pdf.open("rb") as stored:
        assert stored.read() == stored_before
    assert hashlib.sha256(stored_before).hexdigest() == first.handout_sha256


def test_a_voided_sheet_downloaded_again_says_when_it_was_withdrawn(
    catalogue, clinic, as_therapist
):
    issued = issue_and_commit(programme(clinic, exercises=STRETCHES))
    with committed():
        voided = void_prescription(prescription=issued, reason="Wrong patient.")

    text = flat(pdf_text(download(as_therapist, voided)))

    on = formats.date_format(voided.voided_at.date(), "j F Y")
    assert f"Do not use this sheet: it was withdrawn on {on}. Ask us for your current one." in text
    assert "Wrong patient" not in text


def test_a_first_version_says_it_replaces_nothing(catalogue, clinic):
    text = handout_text(programme(clinic))

    assert "This sheet replaces" not in text
    assert "Do not use this sheet" not in text


def test_a_snapshot_issued_before_pain_rows_and_programme_numbers_still_prints(catalogue, clinic):
    prescription = programme(clinic, ("sciatica",), exercises=STRETCHES)
    row = prescriptions_with_handout_content().get(pk=prescription.pk)
    older = build_handout(row).to_dict()
    for key in ("how_long", "programme_number", "replaces", "changes"):
        del older[key]
    older["log"]["pain_label"] = older["log"].pop("pain_labels")[0]

    text = flat(pdf_text(render_handout(Handout.from_dict(older))))

    assert "Leg pain 0–10" in text
    assert f"Prescription {prescription.pk}, version 1" in text
    assert "This sheet replaces" not in text


def test_an_emergency_number_saved_before_the_admin_refused_it_is_not_printed(catalogue, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(out_of_hours="Call 999")

    text = handout_text(programme(clinic))

    same_day = between(text, "Call us the same day", "Your goal")
    assert "When we are closed: call NHS 111." in same_day
    assert "999" not in same_day


def test_the_fixtures_read_a_superseded_sheet_with_its_notice_as_a_download_does(clinic):
    """The ten reviewed handouts are read as a download gives them: version 1 of the revision
    fixture, superseded, carries its "replaced" notice."""
    revision = prescription_fixture("revision", clinic)

    first = read_handout(revision.supersedes)

    replaced_on = formats.date_format(revision.issued_at.date(), "j F Y")
    # The date's spaces do not break ("7 December / 2026").
    assert (
        flat(first.withdrawn) == f"Do not use this sheet: version 2 replaced it on {replaced_on}."
    )
    assert read_handout(revision).withdrawn == ""


@pytest.mark.parametrize("options", [{"paper": "a4"}, {"paper": "letter"}, {"large_print": True}])
def test_a_replaced_sheet_is_stamped_in_plain_words_on_every_page(clinic, options):
    """Most patients do not know "superseded" (third review, R7)."""
    revision = prescription_fixture("revision", clinic)

    pages = pdf_pages(render_handout(read_handout(revision.supersedes), **options))

    assert all("REPLACED: DO NOT USE" in page for page in pages)
    assert not any("SUPERSEDED" in page.upper() for page in pages)


@pytest.mark.parametrize("options", [{"paper": "a4"}, {"large_print": True}])
def test_a_withdrawn_sheet_is_stamped_in_plain_words_on_every_page(clinic, options):
    """Page 1 says "it was withdrawn"; the stamp says the same, not "VOIDED"."""
    voided = replace(read_handout(prescription_fixture("issued", clinic)), status="voided")

    pages = pdf_pages(render_handout(voided, **options))

    assert all("WITHDRAWN: DO NOT USE" in page for page in pages)
    assert not any("VOIDED" in page.upper() for page in pages)


@pytest.mark.parametrize(("language", "stamp"), [("es", "SUSTITUIDA: NO LA USES")])
def test_the_replaced_stamp_is_translated(clinic, language, stamp):
    revision = prescription_fixture("revision", clinic)
    first = replace(read_handout(revision.supersedes), language=language)

    pages = pdf_pages(render_handout(first))

    assert all(stamp in page for page in pages)


def printed_lines_of(text: str, width: float) -> list[str]:
    """The lines a handout paragraph of `text` breaks into at `width`."""
    paragraph = Paragraph(markup(text), handout_styles(large_print=True).body)
    paragraph.wrap(width, 10_000)
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [" ".join(words) for _extra_space, words in lines]
    return ["".join(fragment.text for fragment in line.words) for line in lines]


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_a_phone_number_never_breaks_across_lines(clinic, language):
    """Spanish large print once printed "020 7946 / 0000": in every frame, however narrow,
    a line holds the whole number or none of it."""
    sciatica = prescriptions_with_handout_content().get(
        pk=prescription_fixture("sciatica-stretches", clinic).pk
    )
    groups = clinic.phone.split()
    assert len(groups) == 3
    body = handout_styles(large_print=True).body
    # The narrowest frame the number and the stop or colon after it fit in (a longer word is
    # split anywhere).
    narrowest = math.ceil(stringWidth(f"{clinic.phone}:", body.fontName, body.fontSize)) + 2
    with translation.override(language):
        handout = build_handout(sciatica, language, also=language)
        routine = next(section for section in handout.guidance if groups[1] in section.intro)
        texts = (handout.help.same_day_action, routine.intro, handout.clinic_contact)
        lines = [
            line.replace("\u00a0", " ")
            for text in texts
            for width in range(narrowest, 420, 3)
            for line in printed_lines_of(text, width)
        ]

    for line in lines:
        if any(group in line for group in groups):
            assert clinic.phone in line


def test_a_spanish_large_print_revision_points_to_what_changed_and_says_cards_go_on(clinic):
    revision = prescription_fixture("revision", clinic)
    handout = build_handout(prescriptions_with_handout_content().get(pk=revision.pk), "es")

    pages = [flat(page) for page in pdf_pages(render_handout(handout, large_print=True))]

    holding = next(n for n, page in enumerate(pages, 1) if ": nueva pauta. Ahora:" in page)
    assert f"Qué ha cambiado: página {holding}" in pages[0]
    assert holding > 1
    assert any("Sigue en la página siguiente" in page for page in pages)
