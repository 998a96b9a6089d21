"""Every admin change form carries the version it opened: two people who opened the same
record cannot overwrite each other, and a prescription whose warnings changed since the page
was opened is not saved over."""

import pytest
from django.db.models.fields.files import FieldFile
from django.test import Client

from clinics.roles import ensure_roles
from exercises.models import Condition, Exercise, SafetyNote
from prescriptions.models import Patient, ProgrammeTemplate
from tests import factories

pytestmark = pytest.mark.django_db

REFUSED = "Someone changed this record after you opened it. Nothing was saved"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def posted_back(page, **changes) -> dict:
    """What a browser posts from an admin change page or the prescribing workspace: every
    field as the page shows it (the hidden opened version included), with `changes`."""
    context = page.context
    if "adminform" in context:
        form = context["adminform"].form
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
    else:
        form, formsets = context["form"], [context["formset"]]
    forms = [form]
    for formset in formsets:
        forms += [formset.management_form, *formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            data[field.html_name] = "on" if value is True else value
    return {**data, **changes}


def both_open_then_both_save(url, first, second, field, values):
    """Two people open the same change page; the second saves first; then the first saves."""
    first_page, second_page = first.get(url), second.get(url)
    assert first_page.status_code == second_page.status_code == 200
    saved = second.post(url, posted_back(second_page, **{field: values[1]}))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    return first.post(url, posted_back(first_page, **{field: values[0]}))


@pytest.fixture
def editors(clinic):
    ensure_roles()
    return signed_in(factories.editor(clinic)), signed_in(factories.editor(clinic))


@pytest.fixture
def therapists(clinic):
    return signed_in(factories.clinician(clinic)), signed_in(factories.clinician(clinic))


@pytest.mark.parametrize(
    ("model", "make", "field"),
    [
        (
            Condition,
            lambda: (
                factories.CautionFactory(
                    exercise=factories.ExerciseFactory(),
                    condition=factories.ConditionFactory(slug="disc-injury", name="Disc injury"),
                ).condition
            ),
            "name",
        ),
        (SafetyNote, factories.SafetyNoteFactory, "text"),
        (Exercise, lambda: factories.ExerciseFactory(name="Wall slide"), "summary"),
    ],
)
def test_a_catalogue_save_over_another_editors_newer_save_is_refused(editors, model, make, field):
    record = make()
    url = f"/admin/exercises/{model._meta.model_name}/{record.pk}/change/"

    refused = both_open_then_both_save(url, *editors, field, ["Mine", "Theirs"])

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert getattr(model.objects.get(pk=record.pk), field) == "Theirs"


def test_an_unchanged_catalogue_record_saves(editors):
    note = factories.SafetyNoteFactory()
    url = f"/admin/exercises/safetynote/{note.pk}/change/"
    first, _ = editors

    saved = first.post(url, posted_back(first.get(url), text="Stop if it hurts."))

    assert saved.status_code == 302
    assert SafetyNote.objects.get(pk=note.pk).text == "Stop if it hurts."


def test_a_changed_caution_row_refuses_a_save_of_its_condition(editors):
    caution = factories.CautionFactory(exercise=factories.ExerciseFactory())
    url = f"/admin/exercises/condition/{caution.condition_id}/change/"
    first, _ = editors
    page = first.get(url)
    caution.text = "Stop at once."
    caution.save()

    refused = first.post(url, posted_back(page, name="Renamed"))

    assert REFUSED in refused.content.decode()
    assert Condition.objects.get(pk=caution.condition_id).name == "Sciatica"


def test_a_template_save_over_the_clinic_admins_newer_save_is_refused(clinic):
    author = factories.clinician(clinic)
    template = factories.TemplateFactory(clinic=clinic, name="Starter", created_by=author)
    factories.TemplateItemFactory(template=template)
    url = f"/admin/prescriptions/programmetemplate/{template.pk}/change/"
    admin = signed_in(factories.clinic_admin(clinic))

    refused = both_open_then_both_save(url, signed_in(author), admin, "notes", ["Mine", "Theirs"])

    assert REFUSED in refused.content.decode()
    assert ProgrammeTemplate.objects.get(pk=template.pk).notes == "Theirs"


def test_a_patient_save_over_a_colleagues_newer_save_is_refused(clinic, therapists):
    patient = factories.PatientFactory(clinic=clinic)
    url = f"/admin/prescriptions/patient/{patient.pk}/change/"

    refused = both_open_then_both_save(url, *therapists, "notes", ["Mine", "Theirs"])

    assert REFUSED in refused.content.decode()
    assert Patient.objects.get(pk=patient.pk).notes == "Theirs"


def test_a_prescription_whose_patient_gained_a_condition_since_it_was_opened_is_not_saved(
    clinic, therapists
):
    exercise = factories.ExerciseFactory()
    disc = factories.ConditionFactory(slug="disc-injury", name="Disc injury")
    factories.CautionFactory(exercise=exercise, condition=disc)
    draft = factories.PrescriptionFactory(patient__clinic=clinic, items=[exercise], notes="")
    url = f"/admin/prescriptions/prescription/{draft.pk}/workspace/"
    first, _ = therapists
    page = first.get(url)
    draft.patient.conditions.add(disc)

    refused = first.post(url, posted_back(page, notes="Walk daily.", _issue="1"))

    assert refused.status_code == 200
    assert "This prescription changed after you opened it" in refused.content.decode()
    draft.refresh_from_db()
    assert (draft.notes, draft.status) == ("", "draft")
