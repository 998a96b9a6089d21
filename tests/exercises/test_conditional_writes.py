"""Catalogue records answer an ETag and honour If-Match: a change from a stale read is 412
and changes nothing, so two editors cannot overwrite each other."""

import pytest
from rest_framework.test import APIClient

from exercises.models import Condition, Exercise, SafetyNote, Status
from tests import factories
from tests.prescriptions.support import errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_second_editor(clinic):
    client = APIClient()
    client.force_authenticate(factories.editor(clinic))
    return client


def records():
    """(url, a change as a PATCH body, how to read the changed value back)."""
    note = factories.SafetyNoteFactory(text="Stop if it hurts.")
    condition = factories.CautionFactory(exercise=factories.ExerciseFactory()).condition
    exercise = factories.ExerciseFactory(name="Wall slide", status=Status.PUBLISHED)
    assessment = factories.AssessmentFactory()
    return [
        (f"/api/v1/safety-notes/{note.pk}/", "text", lambda: SafetyNote.objects.get().text),
        (f"/api/v1/conditions/{condition.pk}/", "name", lambda: Condition.objects.get().name),
        (
            f"/api/v1/exercises/{exercise.pk}/",
            "summary",
            lambda: Exercise.objects.get(pk=exercise.pk).summary,
        ),
        (
            f"/api/v1/assessments/{assessment.pk}/",
            "name",
            lambda: type(assessment).objects.get().name,
        ),
    ]


def test_a_change_from_a_read_another_editor_changed_since_is_412(as_editor, as_second_editor):
    for url, field, stored in records():
        read = as_editor.get(url)
        assert read.status_code == 200 and read["ETag"], url
        theirs = as_second_editor.patch(url, {field: "Theirs"}, format="json")
        assert theirs.status_code == 200, theirs.content

        mine = as_editor.patch(url, {field: "Mine"}, format="json", HTTP_IF_MATCH=read["ETag"])

        assert errors(mine, 412) == [(None, "precondition_failed")], url
        assert stored() == "Theirs"


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_an_if_match_that_names_no_current_version_is_412(as_editor, method):
    note = factories.SafetyNoteFactory(text="Stop if it hurts.")
    url = f"/api/v1/safety-notes/{note.pk}/"
    body = as_editor.get(url).json() | {"text": "Changed"}

    response = getattr(as_editor, method)(url, body, format="json", HTTP_IF_MATCH='"stale"')

    assert errors(response, 412) == [(None, "precondition_failed")]
    assert SafetyNote.objects.get().text == "Stop if it hurts."


def test_a_change_with_the_current_etag_applies_and_answers_the_next(as_editor):
    for url, field, stored in records():
        etag = as_editor.get(url)["ETag"]

        changed = as_editor.patch(url, {field: "Mine"}, format="json", HTTP_IF_MATCH=etag)

        assert changed.status_code == 200, (url, changed.content)
        assert stored() == "Mine"
        assert changed["ETag"] not in ("", etag)
        assert as_editor.get(url)["ETag"] == changed["ETag"]


@pytest.mark.parametrize("action", ["publish", "archive"])
def test_publishing_or_archiving_from_a_stale_read_is_412(as_editor, action):
    exercise = factories.ExerciseFactory(status=Status.DRAFT)
    url = f"/api/v1/exercises/{exercise.pk}/"

    response = as_editor.post(f"{url}{action}/", HTTP_IF_MATCH='"stale"')

    assert errors(response, 412) == [(None, "precondition_failed")]
    assert Exercise.objects.get(pk=exercise.pk).status == Status.DRAFT
    fresh = as_editor.post(f"{url}archive/", HTTP_IF_MATCH=as_editor.get(url)["ETag"])
    assert fresh.status_code == 200


def test_without_if_match_a_catalogue_change_still_applies(as_editor):
    note = factories.SafetyNoteFactory(text="Stop if it hurts.")
    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/", {"text": "Changed"}, format="json"
    )
    assert response.status_code == 200
    assert SafetyNote.objects.get().text == "Changed"
