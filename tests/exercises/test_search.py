"""The picker's search on the public exercise list: typos forgiven, best matches first, and
the filters the picker needs (safe for several conditions at once)."""

import pytest

from tests import factories

NAMES_AND_SUMMARIES = {
    "Bird-dog": "Reach one arm and the opposite leg out from hands and knees.",
    "Lying hamstring stretch": "Lift one straight leg while lying on your back.",
    "Seated hamstring stretch": "Reach towards your toes, sitting on a chair.",
    "Hamstring curl": "Bend your knee against a band.",
    "Calf stretch": "Lean into a wall with one heel down.",
    "Dead bug": "Lie on your back and lower an arm and the opposite leg.",
    "Hamstring": "A plain name, to show that the exact name comes first.",
}


@pytest.fixture
def catalogue(db):
    return {
        name: factories.ExerciseFactory(name=name, slug=f"ex-{index}", summary=summary)
        for index, (name, summary) in enumerate(NAMES_AND_SUMMARIES.items())
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [exercise["name"] for exercise in response.json()["results"]]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("hamstrng", "Lying hamstring stretch"),
        ("strech", "Calf stretch"),
        ("bird dog", "Bird-dog"),
        ("BIRD-DOG", "Bird-dog"),
        ("hamstring strech", "Seated hamstring stretch"),
    ],
)
def test_a_misspelt_or_differently_written_name_finds_its_exercise(
    as_therapist, catalogue, typed, found
):
    assert found in names(as_therapist.get("/api/v1/exercises/", {"search": typed}))


def test_the_exact_name_comes_first_then_names_starting_with_it_then_the_rest(
    as_therapist, catalogue
):
    assert names(as_therapist.get("/api/v1/exercises/", {"search": "hamstring"})) == [
        "Hamstring",
        "Hamstring curl",
        "Lying hamstring stretch",
        "Seated hamstring stretch",
    ]


def test_a_typo_still_ranks_the_names_above_the_summaries(as_therapist, catalogue):
    found = names(as_therapist.get("/api/v1/exercises/", {"search": "oposite"}))
    assert found == ["Bird-dog", "Dead bug"]


def test_an_ordering_asked_for_replaces_the_rank(as_therapist, catalogue):
    found = names(
        as_therapist.get("/api/v1/exercises/", {"search": "hamstring", "ordering": "-name"})
    )
    assert found == [
        "Seated hamstring stretch",
        "Lying hamstring stretch",
        "Hamstring curl",
        "Hamstring",
    ]


@pytest.mark.parametrize("typed", ["leg press", "xyzzy", "log"])
def test_a_word_the_catalogue_does_not_hold_finds_nothing_rather_than_anything(
    as_therapist, catalogue, typed
):
    assert names(as_therapist.get("/api/v1/exercises/", {"search": typed})) == []


def test_an_edit_in_the_catalogue_is_found_at_once(as_therapist, catalogue):
    assert names(as_therapist.get("/api/v1/exercises/", {"search": "plank"})) == []
    factories.ExerciseFactory(name="Side plank", slug="side-plank")
    assert names(as_therapist.get("/api/v1/exercises/", {"search": "plank"})) == ["Side plank"]


def test_safe_for_several_conditions_hides_what_any_of_them_rules_out(as_therapist, catalogue):
    sciatica = factories.ConditionFactory(slug="sciatica", name="Sciatica")
    knee = factories.ConditionFactory(slug="knee-replacement", name="Knee replacement")
    factories.CautionFactory(
        condition=sciatica,
        exercise=catalogue["Lying hamstring stretch"],
        severity="contraindication",
    )
    factories.CautionFactory(
        condition=knee, exercise=catalogue["Hamstring curl"], severity="contraindication"
    )
    factories.CautionFactory(condition=knee, exercise=catalogue["Hamstring"], severity="warning")
    url = "/api/v1/exercises/?search=hamstring&condition_safe="
    assert names(as_therapist.get(url + "sciatica")) == [
        "Hamstring",
        "Hamstring curl",
        "Seated hamstring stretch",
    ]
    assert names(as_therapist.get(url + "sciatica,knee-replacement")) == [
        "Hamstring",
        "Seated hamstring stretch",
    ]


def test_an_unknown_condition_among_several_is_named(as_therapist, catalogue):
    factories.ConditionFactory(slug="sciatica")
    response = as_therapist.get("/api/v1/exercises/?condition_safe=sciatica,gout,zz")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid_choice",
            "detail": "Unknown condition: gout, zz.",
            "attr": "condition_safe",
        }
    ]


def test_a_search_too_long_to_be_a_name_is_refused_at_the_field(as_therapist, catalogue):
    response = as_therapist.get("/api/v1/exercises/", {"search": "stretch " * 20})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "search"
