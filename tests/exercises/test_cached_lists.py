"""Catalogue lists answer from the shared cache until an editor changes the catalogue; the
next request after any change (API, admin, loader, tags, equipment) sees it."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from exercises import cached_lists
from exercises.models import Exercise
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/exercises/"


def signed_in(user) -> APIClient:
    client = APIClient()
    _, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def names(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_a_repeated_list_reads_only_the_token(therapist, django_assert_num_queries):
    factories.ExerciseFactory.create_batch(3)
    client = signed_in(therapist)
    first = client.get(LIST).json()
    # The token with its user, profile and clinic; the user's roles. Nothing of the catalogue.
    with django_assert_num_queries(2):
        again = client.get(LIST)
    assert again.json() == first


def test_an_editors_api_change_shows_in_the_next_list(therapist, catalogue_editor):
    exercise = factories.ExerciseFactory(name="Towel stretch")
    reader, editor = signed_in(therapist), signed_in(catalogue_editor)
    assert names(reader) == ["Towel stretch"]
    etag = editor.get(f"{LIST}{exercise.pk}/")["ETag"]
    response = editor.patch(
        f"{LIST}{exercise.pk}/", {"name": "Strap stretch"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert names(reader) == ["Strap stretch"]


def test_a_saved_record_or_a_changed_tag_shows_in_the_next_list(therapist):
    exercise = factories.ExerciseFactory(name="Towel stretch")
    reader = signed_in(therapist)
    assert reader.get(LIST).json()["results"][0]["tags"] == []
    tag = factories.TagFactory()
    exercise.tags.add(tag)
    assert reader.get(LIST).json()["results"][0]["tags"] == [tag.slug]
    Exercise.objects.filter(pk=exercise.pk).first().save()  # as the admin's form saves
    exercise.name = "Seated stretch"
    exercise.save()
    assert names(reader) == ["Seated stretch"]
    exercise.delete()
    assert names(reader) == []


def test_editors_and_clinicians_get_their_own_lists(therapist, catalogue_editor):
    factories.ExerciseFactory(name="Published stretch")
    factories.ExerciseFactory(name="Draft stretch", status="draft")
    assert names(signed_in(therapist)) == ["Published stretch"]
    assert names(signed_in(catalogue_editor)) == ["Draft stretch", "Published stretch"]
    assert names(signed_in(therapist)) == ["Published stretch"]


def test_each_query_string_is_its_own_answer_and_bad_ones_are_never_kept(therapist):
    factories.ExerciseFactory(name="Towel stretch", difficulty=1)
    factories.ExerciseFactory(name="Bridge", category="strengthening", difficulty=2)
    reader = signed_in(therapist)
    assert names(reader, f"{LIST}?category=stretch") == ["Towel stretch"]
    assert names(reader, f"{LIST}?category=strengthening") == ["Bridge"]
    for _ in range(2):
        response = reader.get(f"{LIST}?category=nonsense")
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "category"


def test_a_write_replaces_the_version_again_when_it_commits(
    catalogue_editor, django_capture_on_commit_callbacks
):
    before = cached_lists.catalogue_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.ExerciseFactory()
        during = cached_lists.catalogue_version()
    assert during != before
    assert callbacks
    assert cached_lists.catalogue_version() not in (before, during)


def test_a_new_caution_shows_in_the_next_prescription_warnings(therapist):
    """The cautions that apply are read once per catalogue version: a caution an editor adds
    warns on the very next read of a prescription."""
    sciatica = factories.ConditionFactory()
    exercise = factories.ExerciseFactory(name="Towel stretch")
    patient = factories.PatientFactory(clinic=therapist.clinician.clinic, conditions=[sciatica])
    prescription = factories.PrescriptionFactory(
        patient=patient, clinician=therapist, items=[exercise]
    )
    reader = signed_in(therapist)
    url = f"/api/v1/prescriptions/{prescription.pk}/"

    def caution_codes():
        return [w["code"] for w in reader.get(url).json()["warnings"] if w["code"] == "caution"]

    assert caution_codes() == []
    assert caution_codes() == []
    factories.CautionFactory(condition=sciatica, exercise=exercise, text="Go gently.")
    assert caution_codes() == ["caution"]
