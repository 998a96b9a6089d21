"""A clinician sees only published exercises anywhere in the admin, as in the API (issue 26:
the admin's list, change page and caution autocomplete showed drafts)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_exercise(db):
    return factories.ExerciseFactory(name="Unreviewed nerve glide", status="draft")


def autocomplete(client, term):
    return client.get(
        "/admin/autocomplete/",
        {"app_label": "exercises", "model_name": "caution", "field_name": "exercise", "term": term},
    )


def test_a_clinician_sees_no_draft_in_the_exercise_list(client, therapist, draft_exercise):
    published = factories.ExerciseFactory(name="Published calf raise")
    client.force_login(therapist)

    page = client.get("/admin/exercises/exercise/").content.decode()

    assert published.name in page
    assert draft_exercise.name not in page


def test_a_clinician_cannot_open_a_draft(client, therapist, draft_exercise):
    client.force_login(therapist)
    response = client.get(f"/admin/exercises/exercise/{draft_exercise.pk}/change/")
    assert response.status_code == 302  # the admin's "doesn't exist", as for any unknown id


def test_the_caution_autocomplete_offers_a_clinician_no_draft(client, therapist, draft_exercise):
    client.force_login(therapist)
    response = autocomplete(client, "nerve")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_conditions_cautions_show_a_clinician_no_draft(client, therapist, draft_exercise):
    caution = factories.CautionFactory(exercise=draft_exercise, text="Stop if it tingles.")
    client.force_login(therapist)
    page = client.get(f"/admin/exercises/condition/{caution.condition_id}/change/")
    assert page.status_code == 200
    assert draft_exercise.name not in page.content.decode()


def test_the_editor_still_sees_and_finds_drafts(client, catalogue_editor, draft_exercise):
    client.force_login(catalogue_editor)
    assert draft_exercise.name in client.get("/admin/exercises/exercise/").content.decode()
    assert client.get(f"/admin/exercises/exercise/{draft_exercise.pk}/change/").status_code == 200
    results = autocomplete(client, "nerve").json()["results"]
    assert [result["text"] for result in results] == [draft_exercise.name]
