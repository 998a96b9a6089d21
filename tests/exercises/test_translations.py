"""The catalogue's texts in other languages are rows an editor sees and reviews beside the
original; editing the original outdates them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from exercises.models import CatalogueTranslation, ExerciseStep, GlossaryTerm
from exercises.translations import CatalogueTexts, review_label, translate
from tests import factories
from tests.clinic.test_admin_versions import posted_back, signed_in

pytestmark = pytest.mark.django_db


def test_a_translation_is_machine_assisted_until_someone_reviews_it():
    exercise = factories.ExerciseFactory(name="Knee hug")

    translation = translate(exercise, "name", "es", "Abrazo de rodillas")

    assert review_label(translation) == "machine-assisted, not reviewed"
    assert (translation.reviewer, translation.reviewed_at) == ("", None)


def test_editing_the_original_outdates_its_translation_and_the_sheet_prints_the_original():
    exercise = factories.ExerciseFactory(name="Knee hug")
    translation = translate(
        exercise, "name", "es", "Abrazo de rodillas", status="reviewed", reviewer="Dra. Ruiz"
    )
    assert review_label(translation) == "reviewed"
    assert CatalogueTexts.for_language("es").render("Knee hug").text == "Abrazo de rodillas"

    exercise.name = "Knee to chest"
    exercise.save()

    translation.refresh_from_db()
    assert review_label(translation) == "outdated: the original changed (not reviewed)"
    printed = CatalogueTexts.for_language("es").render("Knee to chest")
    assert (printed.text, printed.translated) == ("Knee to chest", False)


def first_translation_marked_reviewed(browser, url, page):
    """Posts a record's admin page back with its first translation marked reviewed."""
    (translations,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is CatalogueTranslation
    ]
    return browser.post(url, posted_back(page, **{f"{translations.prefix}-0-status": "reviewed"}))


def test_an_editor_reviews_a_translation_beside_the_original_in_the_admin(clinic):
    exercise = factories.ExerciseFactory(name="Knee hug")
    translate(exercise, "name", "es", "Abrazo de rodillas")
    editor = factories.editor(clinic)
    browser = signed_in(editor)
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    page = browser.get(url)
    assert "machine-assisted, not reviewed" in page.content.decode()

    saved = first_translation_marked_reviewed(browser, url, page)

    assert saved.status_code == 302
    reviewed = CatalogueTranslation.objects.get()
    assert reviewed.reviewer == editor.get_username()
    assert reviewed.reviewed_at is not None
    assert "reviewed" in browser.get(url).content.decode()


def test_an_editor_reviews_a_glossary_term_s_translations_beside_it_in_the_admin(clinic):
    term = GlossaryTerm.objects.create(
        slug="sciatic-nerve",
        term="sciatic nerve",
        explanation="(It runs from your lower back down the back of your leg.)",
    )
    translate(term, "term", "es", "nervio ciático")
    translate(term, "explanation", "es", "(Va de la parte baja de la espalda a la pierna.)")
    browser = signed_in(factories.editor(clinic))
    url = f"/admin/exercises/glossaryterm/{term.pk}/change/"
    page = browser.get(url)
    assert "nervio ciático" in page.content.decode()

    saved = first_translation_marked_reviewed(browser, url, page)

    assert saved.status_code == 302
    # The inline lists a record's translations by field: the explanation comes first.
    assert {row.field: review_label(row) for row in term.translations.all()} == {
        "explanation": "reviewed",
        "term": "machine-assisted, not reviewed",
    }


def test_a_translation_added_in_the_admin_names_only_the_record_s_own_texts(clinic):
    condition = factories.ConditionFactory(short_name="sciatica", pain_label="Leg pain")
    browser = signed_in(factories.editor(clinic))
    page = browser.get(f"/admin/exercises/condition/{condition.pk}/change/")

    (translations,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is CatalogueTranslation
    ]
    choices = dict(translations.empty_form.fields["field"].choices)
    assert list(choices) == ["name", "short_name", "pain_label", "second_pain_label"]


def test_a_translation_of_a_record_that_does_not_exist_is_refused_at_its_field(clinic):
    step = factories.ExerciseFactory().steps.first()
    browser = signed_in(factories.editor(clinic))
    step_type = ContentType.objects.get_for_model(ExerciseStep)
    form = {"content_type": step_type.pk, "field": "text", "language": "es", "text": "Túmbate."}
    form["status"] = "machine-assisted"

    refused = browser.post(
        "/admin/exercises/cataloguetranslation/add/", {**form, "object_id": step.pk + 1000}
    )
    added = browser.post(
        "/admin/exercises/cataloguetranslation/add/", {**form, "object_id": step.pk}
    )

    assert refused.status_code == 200
    assert "No exercise step has this id." in refused.content.decode()
    assert added.status_code == 302
    assert CatalogueTranslation.objects.get().original == step


AGREED = "Keep it at your score. {agreed score} Tell us if it is worse."


@pytest.mark.parametrize(
    "spanish",
    [
        "Que no pase de tu nota. Dínoslo si está peor.",
        "Que no pase de tu nota. {nota acordada} Dínoslo si está peor.",
        "{agreed score} Que no pase de tu nota. {agreed score}",
    ],
    ids=["marker lost", "marker translated", "marker twice"],
)
def test_a_translation_that_loses_the_agreed_score_marker_is_refused_at_its_text(spanish):
    note = factories.SafetyNoteFactory(text=AGREED)

    with pytest.raises(ValidationError) as refused:
        translate(note, "text", "es", spanish)

    assert list(refused.value.message_dict) == ["text"]
    assert not CatalogueTranslation.objects.exists()


def test_a_translation_may_move_the_marker_within_its_sentence_order():
    note = factories.SafetyNoteFactory(text=AGREED)
    moved = "Dínoslo si está peor. {agreed score} Que no pase de tu nota."

    assert translate(note, "text", "es", moved).text == moved


def test_the_admin_refuses_a_translation_without_the_marker_beside_the_original(clinic):
    note = factories.SafetyNoteFactory(text=AGREED)
    browser = signed_in(factories.editor(clinic))
    form = {
        "content_type": ContentType.objects.get_for_model(note).pk,
        "object_id": note.pk,
        "field": "text",
        "language": "es",
        "text": "Que no pase de tu nota.",
        "status": "machine-assisted",
    }

    refused = browser.post("/admin/exercises/cataloguetranslation/add/", form)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["text"] == [
        "Keep the original's markers, exactly as written: {agreed score}."
    ]
    assert not CatalogueTranslation.objects.exists()


def test_the_note_page_checks_its_translations_against_the_original_as_saved(clinic):
    """The note's own text and its translation change in one save: the translation is checked
    against the new original, not the stored one."""
    note = factories.SafetyNoteFactory(text="Keep it at your score.")
    translate(note, "text", "es", "Que no pase de tu nota.")
    browser = signed_in(factories.editor(clinic))
    url = f"/admin/exercises/safetynote/{note.pk}/change/"
    page = browser.get(url)
    (translations,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is CatalogueTranslation
    ]
    text_field = f"{translations.prefix}-0-text"

    lost = browser.post(url, posted_back(page, text=AGREED))
    kept = browser.post(
        url, posted_back(page, text=AGREED, **{text_field: "{agreed score} Que no pase."})
    )

    assert lost.status_code == 200
    (errors,) = [
        inline.formset.errors
        for inline in lost.context["inline_admin_formsets"]
        if inline.formset.model is CatalogueTranslation
    ]
    assert errors == [
        {"text": ["Keep the original's markers, exactly as written: {agreed score}."]}
    ]
    assert kept.status_code == 302
    note.refresh_from_db()
    assert note.text == AGREED
    assert CatalogueTranslation.objects.get().text == "{agreed score} Que no pase."
