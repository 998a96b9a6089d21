import datetime

import pytest

from prescriptions.models import Patient
from tests import factories
from tests.prescriptions.support import error_detail, errors

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [f"{p['given_name']} {p['family_name']}" for p in response.json()["results"]]


def test_create_answers_201_with_location_of_the_saved_patient(as_therapist, clinic):
    factories.ConditionFactory(slug="sciatica", name="Sciatica")
    factories.ConditionFactory(slug="knee-oa", name="Knee osteoarthritis")
    sent = {
        "given_name": "Анна",
        "family_name": "Иванова",
        "date_of_birth": "1984-11-30",
        "identifier": "RX-1",
        "conditions": ["sciatica", "knee-oa"],
        "preferred_language": "en",
        "email": "anna@example.org",
        "phone": "+44 20 7946 0101",
        "address": "2 Mill Lane\nRiverside",
        "notes": "Works night shifts.",
    }

    response = as_therapist.post(PATIENTS, sent, format="json")

    assert response.status_code == 201, response.content
    patient = Patient.objects.get(identifier="RX-1")
    assert patient.clinic == clinic
    assert response["Location"] == f"http://testserver{PATIENTS}{patient.pk}/"
    shown = as_therapist.get(response["Location"]).json()
    assert {name: shown[name] for name in sent if name != "conditions"} == {
        name: value for name, value in sent.items() if name != "conditions"
    }
    assert sorted(shown["conditions"]) == ["knee-oa", "sciatica"]
    assert shown["archived"] is False


@pytest.mark.parametrize(
    ("given_name", "family_name", "search"),
    [
        ("Анна", "Иванова", "иванова"),
        ("Σοφία", "Παπαδοπούλου", "ΣΟΦΙΑ"),
        ("Zoë", "Łukasiewicz", "ZOE"),
    ],
)
def test_names_in_any_script_are_kept_and_found(as_therapist, given_name, family_name, search):
    response = as_therapist.post(
        PATIENTS,
        {
            "given_name": given_name,
            "family_name": family_name,
            "date_of_birth": "1990-01-01",
            "identifier": "ANY-1",
        },
        format="json",
    )
    assert response.status_code == 201, response.content

    assert names(as_therapist.get(PATIENTS, {"search": search})) == [f"{given_name} {family_name}"]


@pytest.fixture
def three_patients(clinic):
    return {
        "zoe": factories.PatientFactory(
            clinic=clinic, given_name="Zoë", family_name="Łukasiewicz", identifier="MRN-777"
        ),
        "adam": factories.PatientFactory(
            clinic=clinic,
            given_name="Adam",
            family_name="Smith",
            identifier="MRN-123",
            date_of_birth=datetime.date(1955, 6, 1),
        ),
        "renee": factories.PatientFactory(
            clinic=clinic,
            given_name="Renée",
            family_name="Zoellner",
            identifier="B-9",
            date_of_birth=datetime.date(2001, 12, 24),
        ),
    }


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("zoe", ["Zoë Łukasiewicz", "Renée Zoellner"]),
        ("Zoë", ["Zoë Łukasiewicz", "Renée Zoellner"]),
        ("lukasiewicz", ["Zoë Łukasiewicz"]),
        ("ŁUKASIEWICZ", ["Zoë Łukasiewicz"]),
        ("renee", ["Renée Zoellner"]),
        ("zoe lukas", ["Zoë Łukasiewicz"]),
        ("MRN-123", ["Adam Smith"]),
        ("mrn-", ["Zoë Łukasiewicz", "Adam Smith"]),
        ("1955-06-01", ["Adam Smith"]),
        ("smith 1955-06-01", ["Adam Smith"]),
        ("smith 2001-12-24", []),
        ("nobody", []),
    ],
)
def test_search_by_name_identifier_or_birth_date_ignores_case_and_accents(
    as_therapist, three_patients, search, found
):
    assert sorted(names(as_therapist.get(PATIENTS, {"search": search}))) == sorted(found)


def test_filter_by_condition(as_therapist, clinic):
    sciatica = factories.ConditionFactory(slug="sciatica")
    knee = factories.ConditionFactory(slug="knee-oa", name="Knee osteoarthritis")
    factories.PatientFactory(clinic=clinic, given_name="Sci", conditions=[sciatica])
    factories.PatientFactory(clinic=clinic, given_name="Both", conditions=[sciatica, knee])
    factories.PatientFactory(clinic=clinic, given_name="None")

    found = names(as_therapist.get(PATIENTS, {"condition": "sciatica"}))

    assert sorted(name.split()[0] for name in found) == ["Both", "Sci"]


def test_archived_patients_leave_the_list_and_show_only_when_asked(as_therapist, clinic):
    kept = factories.PatientFactory(clinic=clinic, given_name="Kept")
    leaving = factories.PatientFactory(clinic=clinic, given_name="Leaving")

    response = as_therapist.post(f"{PATIENTS}{leaving.pk}/archive/")

    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert response.json()["archived_at"]
    assert [p["id"] for p in as_therapist.get(PATIENTS).json()["results"]] == [kept.pk]
    assert [
        p["id"] for p in as_therapist.get(PATIENTS, {"archived": "true"}).json()["results"]
    ] == [leaving.pk]
    assert [
        p["id"] for p in as_therapist.get(PATIENTS, {"archived": "false"}).json()["results"]
    ] == [kept.pk]
    assert as_therapist.get(f"{PATIENTS}{leaving.pk}/").json()["archived"] is True


def test_unarchive_brings_the_patient_back(as_therapist, patient):
    as_therapist.post(f"{PATIENTS}{patient.pk}/archive/")

    response = as_therapist.post(f"{PATIENTS}{patient.pk}/unarchive/")

    assert response.status_code == 200
    assert response.json()["archived"] is False
    assert response.json()["archived_at"] is None
    assert [p["id"] for p in as_therapist.get(PATIENTS).json()["results"]] == [patient.pk]


def test_delete_answers_409_pointing_to_archive(as_therapist, patient):
    response = as_therapist.delete(f"{PATIENTS}{patient.pk}/")

    assert errors(response, 409) == [(None, "archive_instead")]
    assert "archive" in error_detail(response).lower()
    assert Patient.objects.filter(pk=patient.pk).exists()


def new_patient(identifier: str) -> dict:
    return {
        "given_name": "Maria",
        "family_name": "García",
        "date_of_birth": "1962-04-05",
        "identifier": identifier,
    }


def test_duplicate_identifier_in_the_clinic_is_400_on_identifier(as_therapist, patient):
    before = Patient.objects.count()

    response = as_therapist.post(PATIENTS, new_patient(patient.identifier), format="json")

    assert errors(response, 400) == [("identifier", "unique")]
    assert Patient.objects.count() == before


def test_same_identifier_at_another_clinic_is_fine(as_therapist, other_clinic):
    factories.PatientFactory(clinic=other_clinic, identifier="MRN-1")

    response = as_therapist.post(PATIENTS, new_patient("MRN-1"), format="json")

    assert response.status_code == 201, response.content


def test_changing_identifier_to_a_colleagues_patients_is_400(as_therapist, clinic, patient):
    other = factories.PatientFactory(clinic=clinic, identifier="MRN-2")

    response = as_therapist.patch(
        f"{PATIENTS}{other.pk}/", {"identifier": patient.identifier}, format="json"
    )

    assert errors(response, 400) == [("identifier", "unique")]
    other.refresh_from_db()
    assert other.identifier == "MRN-2"


def test_update_changes_fields_and_conditions(as_therapist, patient):
    factories.ConditionFactory(slug="sciatica")
    factories.ConditionFactory(slug="knee-oa", name="Knee osteoarthritis")

    response = as_therapist.patch(
        f"{PATIENTS}{patient.pk}/",
        {"family_name": "Nowak", "conditions": ["knee-oa"], "phone": "0700 900 123"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["family_name"] == "Nowak"
    assert response.json()["conditions"] == ["knee-oa"]
    shown = as_therapist.get(f"{PATIENTS}{patient.pk}/").json()
    assert (shown["family_name"], shown["conditions"], shown["phone"]) == (
        "Nowak",
        ["knee-oa"],
        "0700 900 123",
    )
    assert names(as_therapist.get(PATIENTS, {"search": "nowak"})) == ["Zoë Nowak"]


def test_put_replaces_the_patient(as_therapist, patient):
    response = as_therapist.put(
        f"{PATIENTS}{patient.pk}/",
        {**new_patient(patient.identifier), "conditions": []},
        format="json",
    )

    assert response.status_code == 200, response.content
    patient.refresh_from_db()
    assert (patient.given_name, patient.family_name) == ("Maria", "García")


@pytest.mark.parametrize(
    ("change", "attr", "code"),
    [
        ({"given_name": "x" * 151}, "given_name", "max_length"),
        ({"notes": "x" * 5001}, "notes", "max_length"),
        ({"date_of_birth": "30/11/1984"}, "date_of_birth", "invalid"),
        ({"date_of_birth": 1984}, "date_of_birth", "invalid"),
        ({"conditions": ["no-such-condition"]}, "conditions", "does_not_exist"),
        ({"conditions": "sciatica"}, "conditions", "not_a_list"),
        ({"email": "not an email"}, "email", "invalid"),
        ({"preferred_language": "xx"}, "preferred_language", "invalid_choice"),
        ({"identifier": ""}, "identifier", "blank"),
    ],
)
def test_invalid_patient_is_400_on_the_field_and_saves_nothing(as_therapist, change, attr, code):
    response = as_therapist.post(PATIENTS, {**new_patient("NEW-1"), **change}, format="json")

    assert errors(response, 400) == [(attr, code)]
    assert not Patient.objects.exists()


def test_malformed_json_is_400(as_therapist):
    response = as_therapist.generic(
        "POST", PATIENTS, '{"given_name": "Ann",', content_type="application/json"
    )

    assert errors(response, 400, "client_error") == [(None, "parse_error")]


def test_colleagues_share_the_clinics_patients(as_colleague, patient):
    assert as_colleague.get(f"{PATIENTS}{patient.pk}/").status_code == 200
    response = as_colleague.patch(f"{PATIENTS}{patient.pk}/", {"notes": "Seen"}, format="json")
    assert response.status_code == 200


def test_another_clinics_patients_are_not_listed(as_other_clinic, patient):
    assert as_other_clinic.get(PATIENTS).json()["count"] == 0
    assert as_other_clinic.get(PATIENTS, {"search": "zoe"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("put", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "archive/"),
        ("post", "unarchive/"),
    ],
)
def test_another_clinics_patient_answers_404(as_other_clinic, patient, method, suffix):
    # A GET sends no body (its data would be query parameters, which a detail refuses).
    body = None if method == "get" else {**new_patient("STOLEN"), "notes": "changed"}
    response = getattr(as_other_clinic, method)(
        f"{PATIENTS}{patient.pk}/{suffix}", body, format="json"
    )

    assert errors(response, 404) == [(None, "not_found")]
    patient.refresh_from_db()
    assert (patient.identifier, patient.notes, patient.archived_at) == ("MRN-00100", "", None)


def test_superuser_sees_every_clinics_patients(as_superuser, patient, other_clinic):
    elsewhere = factories.PatientFactory(clinic=other_clinic)

    listed = {p["id"] for p in as_superuser.get(PATIENTS).json()["results"]}

    assert listed == {patient.pk, elsewhere.pk}
    assert as_superuser.get(f"{PATIENTS}{elsewhere.pk}/").status_code == 200


def test_signed_out_is_401_and_a_user_without_a_clinic_is_403(api, patient):
    assert errors(api.get(PATIENTS), 401) == [(None, "not_authenticated")]
    api.force_authenticate(factories.UserFactory())
    assert errors(api.get(PATIENTS), 403) == [(None, "permission_denied")]
    assert errors(api.get(f"{PATIENTS}{patient.pk}/"), 403) == [(None, "permission_denied")]


# Queries for one page of the list: the signed-in user's clinic profile, its clinic, their roles,
# the count, the page of patients, their conditions (one prefetch) and the audit trail's access
# entries.
PATIENT_LIST_QUERIES = 7


@pytest.mark.parametrize("patients", [3, 30])
def test_patient_list_query_count_does_not_grow(
    client_for, therapist, clinic, django_assert_num_queries, patients
):
    sciatica = factories.ConditionFactory(slug="sciatica")
    knee = factories.ConditionFactory(slug="knee-oa", name="Knee osteoarthritis")
    factories.PatientFactory.create_batch(patients, clinic=clinic, conditions=[sciatica, knee])
    api = client_for(therapist)

    with django_assert_num_queries(PATIENT_LIST_QUERIES):
        response = api.get(PATIENTS)

    assert len(response.json()["results"]) == min(patients, 20)
    assert all(p["conditions"] == ["knee-oa", "sciatica"] for p in response.json()["results"])
