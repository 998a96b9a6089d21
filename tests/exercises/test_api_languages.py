"""The catalogue's reads are in the reader's language (`Accept-Language`, or `?lang=`): each
patient text in its translation, the ones with none named in `untranslated_fields`; the
cached lists and the ETags are the answer's language's."""

import pytest

from exercises.catalogue.exchange import read_catalog
from exercises.catalogue.loader import DEFAULT_TRANSLATIONS, load_catalogue
from exercises.models import Exercise
from exercises.translations import translate
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "supine-hamstring-stretch"


@pytest.fixture
def shipped_exercise():
    load_catalogue()
    return Exercise.objects.get(slug=SLUG)


def shipped(language: str) -> dict[str, str]:
    """The shipped translations into `language`, by their English original."""
    catalog = read_catalog(DEFAULT_TRANSLATIONS / f"{language}.po", language)
    return {message.id: message.string for message in catalog if message.id}


def detail(client, exercise, **language):
    return client.get(f"/api/v1/exercises/{exercise.pk}/", **language)


@pytest.mark.parametrize(
    ("language", "request_language"),
    [("es", {"HTTP_ACCEPT_LANGUAGE": "es"}), ("ar", {"data": {"lang": "ar"}})],
)
def test_an_exercise_reads_in_the_shipped_translation(
    as_therapist, shipped_exercise, language, request_language
):
    english = detail(as_therapist, shipped_exercise, HTTP_ACCEPT_LANGUAGE="en").json()

    response = detail(as_therapist, shipped_exercise, **request_language)

    body = response.json()
    translations = shipped(language)
    assert response["Content-Language"] == language
    assert body["name"] == translations[shipped_exercise.name]
    assert body["steps"] == [translations[step] for step in english["steps"]]
    assert body["cues"] == translations[shipped_exercise.cues].splitlines()
    assert body["untranslated_fields"] == []
    assert [caution["text"] for caution in body["cautions"]] == [
        translations[caution["text"]] for caution in english["cautions"]
    ]


def test_an_english_read_is_the_catalogue_itself(as_therapist, shipped_exercise):
    body = detail(as_therapist, shipped_exercise, HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["name"] == "Lying hamstring stretch (straight leg)"
    assert body["steps"] == [step.text for step in shipped_exercise.steps.all()]
    assert body["untranslated_fields"] == []


def test_texts_without_a_translation_of_their_current_wording_are_named(as_therapist):
    exercise = factories.ExerciseFactory(name="Knee hug", steps=["Lie down.", "Hug one knee."])
    translate(exercise, "name", "es", "Abrazo de rodilla")
    translate(exercise.steps.get(text="Lie down."), "text", "es", "Túmbate.")
    translate(exercise.steps.get(text="Hug one knee."), "text", "es", "Abraza una rodilla.")
    step = exercise.steps.get(text="Hug one knee.")
    step.text = "Hug one knee to your chest."
    step.save()

    body = detail(as_therapist, exercise, HTTP_ACCEPT_LANGUAGE="es").json()

    assert body["name"] == "Abrazo de rodilla"
    assert body["steps"] == ["Túmbate.", "Hug one knee to your chest."]
    assert "steps.1" in body["untranslated_fields"]
    assert "steps.0" not in body["untranslated_fields"]


def test_each_language_has_its_own_etag(as_therapist, shipped_exercise):
    english = detail(as_therapist, shipped_exercise, HTTP_ACCEPT_LANGUAGE="en")
    spanish = detail(as_therapist, shipped_exercise, HTTP_ACCEPT_LANGUAGE="es")
    arabic = detail(as_therapist, shipped_exercise, HTTP_ACCEPT_LANGUAGE="ar")

    assert len({english["ETag"], spanish["ETag"], arabic["ETag"]}) == 3
    # A Spanish reader holding the English answer gets the Spanish one, not a 304.
    again = detail(
        as_therapist,
        shipped_exercise,
        HTTP_ACCEPT_LANGUAGE="es",
        HTTP_IF_NONE_MATCH=english["ETag"],
    )
    assert again.status_code == 200
    assert again.json()["name"] == spanish.json()["name"]


def test_a_cached_english_list_is_never_served_to_a_spanish_reader(as_therapist, shipped_exercise):
    url = "/api/v1/exercises/?search=lying hamstring&page_size=100"
    english = as_therapist.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"]

    spanish = as_therapist.get(url, HTTP_ACCEPT_LANGUAGE="es").json()["results"]

    translations = shipped("es")
    assert shipped_exercise.name in [exercise["name"] for exercise in english]
    assert translations[shipped_exercise.name] in [exercise["name"] for exercise in spanish]
    assert shipped_exercise.name not in [exercise["name"] for exercise in spanish]


def test_conditions_read_in_the_readers_language(as_therapist):
    load_catalogue()
    translations = shipped("es")

    results = as_therapist.get("/api/v1/conditions/", {"lang": "es"}).json()["results"]

    sciatica = next(condition for condition in results if condition["slug"] == "sciatica")
    english = next(
        condition
        for condition in as_therapist.get("/api/v1/conditions/", {"lang": "en"}).json()["results"]
        if condition["slug"] == "sciatica"
    )
    assert sciatica["name"] == translations[english["name"]]
    assert sciatica["pain_label"] == translations[english["pain_label"]]
    assert sciatica["untranslated_fields"] == []
    assert [caution["text"] for caution in sciatica["cautions"]] == [
        translations[caution["text"]] for caution in english["cautions"]
    ]


def error_fields(response) -> set[str]:
    return {error["attr"] for error in response.json()["errors"]}


def test_an_editor_writes_the_catalogue_texts_in_english_only(as_editor):
    exercise = factories.ExerciseFactory(name="Knee hug", steps=["Lie down."])
    translate(exercise, "name", "es", "Abrazo de rodilla")
    url = f"/api/v1/exercises/{exercise.pk}/"
    read_in_spanish = as_editor.get(url, HTTP_ACCEPT_LANGUAGE="es").json()

    sent_back = as_editor.patch(
        url,
        {"name": read_in_spanish["name"], "steps": read_in_spanish["steps"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert sent_back.status_code == 400
    assert error_fields(sent_back) == {"name", "steps"}
    exercise.refresh_from_db()
    assert exercise.name == "Knee hug"
    # Other fields change in any language; the texts with ?lang=en.
    assert (
        as_editor.patch(url, {"difficulty": 3}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    ).status_code == 200
    renamed = as_editor.patch(f"{url}?lang=en", {"name": "Knee to chest"}, format="json")
    assert renamed.json()["name"] == "Knee to chest"


def test_a_conditions_texts_and_cautions_are_written_in_english_only(as_editor):
    condition = factories.ConditionFactory(name="Sciatica")

    response = as_editor.patch(
        f"/api/v1/conditions/{condition.pk}/?lang=es",
        {"name": "Ciática", "cautions": []},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == {"name", "cautions"}
    condition.refresh_from_db()
    assert condition.name == "Sciatica"


def test_a_new_translation_shows_in_the_next_read_of_a_cached_list(as_therapist):
    exercise = factories.ExerciseFactory(name="Knee hug")
    before = as_therapist.get("/api/v1/exercises/?lang=es").json()["results"]

    translate(exercise, "name", "es", "Abrazo de rodilla")

    after = as_therapist.get("/api/v1/exercises/?lang=es").json()["results"]
    assert [(entry["name"], entry["untranslated_fields"]) for entry in before] == [
        ("Knee hug", ["name"])
    ]
    assert [(entry["name"], entry["untranslated_fields"]) for entry in after] == [
        ("Abrazo de rodilla", [])
    ]


def test_safety_notes_read_in_the_readers_language_with_their_condition_wordings(as_therapist):
    load_catalogue()
    translations = shipped("es")
    url = "/api/v1/safety-notes/?page_size=100"
    english = {note["slug"]: note for note in as_therapist.get(f"{url}&lang=en").json()["results"]}

    response = as_therapist.get(url, HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "es"
    notes = {note["slug"]: note for note in response.json()["results"]}
    assert notes.keys() == english.keys()
    for slug, note in notes.items():
        assert note["text"] == translations[english[slug]["text"]]
        assert note["untranslated_fields"] == []
        assert [variant["text"] for variant in note["variants"]] == [
            translations[variant["text"]] for variant in english[slug]["variants"]
        ]
    # The English list, cached first, is never the Spanish answer.
    assert english["stop-signs"]["text"] != notes["stop-signs"]["text"]


def test_a_safety_note_edited_since_its_translation_reads_in_english_named(as_editor):
    note = factories.SafetyNoteFactory(tier="emergency", text="You cannot pass urine.")
    translate(note, "text", "es", "No puedes orinar.")
    url = f"/api/v1/safety-notes/{note.pk}/"
    spanish = as_editor.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert (spanish.json()["text"], spanish.json()["untranslated_fields"]) == (
        "No puedes orinar.",
        [],
    )

    edited = as_editor.patch(
        f"{url}?lang=en",
        {"text": "You cannot pass urine at all."},
        format="json",
        HTTP_IF_MATCH=as_editor.get(f"{url}?lang=en")["ETag"],
    )
    assert edited.status_code == 200, edited.json()
    again = as_editor.get(url, HTTP_ACCEPT_LANGUAGE="es")

    assert (again.json()["text"], again.json()["untranslated_fields"]) == (
        "You cannot pass urine at all.",
        ["text"],
    )
    assert again["ETag"] != spanish["ETag"]


def test_a_safety_notes_text_is_written_in_english_only(as_editor):
    note = factories.SafetyNoteFactory(tier="emergency", text="You cannot pass urine.")

    response = as_editor.patch(
        f"/api/v1/safety-notes/{note.pk}/?lang=es", {"text": "No puedes orinar."}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"text"}
    note.refresh_from_db()
    assert note.text == "You cannot pass urine."
