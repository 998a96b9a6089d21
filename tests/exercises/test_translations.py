"""The catalogue's texts in other languages are rows an editor sees and reviews beside the
original; editing the original outdates them."""

import pytest
from django.contrib.contenttypes.models import ContentType

from exercises.models import CatalogueTranslation, ExerciseStep
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


def test_an_editor_reviews_a_translation_beside_the_original_in_the_admin(clinic):
    exercise = factories.ExerciseFactory(name="Knee hug")
    translate(exercise, "name", "es", "Abrazo de rodillas")
    editor = factories.editor(clinic)
    browser = signed_in(editor)
    url = f"/admin/exercises/exercise/{exercise.pk}/change/"
    page = browser.get(url)
    assert "machine-assisted, not reviewed" in page.content.decode()
    (translations,) = [
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is CatalogueTranslation
    ]

    saved = browser.post(url, posted_back(page, **{f"{translations.prefix}-0-status": "reviewed"}))

    assert saved.status_code == 302
    reviewed = CatalogueTranslation.objects.get()
    assert reviewed.reviewer == editor.get_username()
    assert reviewed.reviewed_at is not None
    assert "reviewed" in browser.get(url).content.decode()


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
