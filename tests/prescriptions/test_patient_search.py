"""Patient search finds a term anywhere in a patient's name or record number, on SQLite (LIKE)
and on PostgreSQL (a prefix of the words' suffixes, answered by an index) alike."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prescriptions.filters import PatientFilter
from prescriptions.models import Patient
from tests import factories

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"


@pytest.fixture
def patients(clinic):
    people = [
        ("Zoë", "Łukasiewicz-Núñez", "G01-000100"),
        ("Adam", "Smith", "G01-000199"),
        ("Renée", "Zoellner", "G01-001000"),
        ("Mary Ann", "O'Brien", "MRN-777"),
        ("Jan", "de Vries", r"A\B:*7"),
    ]
    return {
        identifier: factories.PatientFactory(
            clinic=clinic, given_name=given, family_name=family, identifier=identifier
        )
        for given, family, identifier in people
    }


def found(client, search: str) -> list[str]:
    response = client.get(PATIENTS, {"search": search})
    assert response.status_code == 200, response.content
    return sorted(patient["identifier"] for patient in response.json()["results"])


SEARCHES = [
    # a record number's start, middle, end and the whole of it, in any case
    ("g01-0001", ["G01-000100", "G01-000199"]),
    ("G01-000", ["G01-000100", "G01-000199"]),
    ("0001", ["G01-000100", "G01-000199"]),
    ("1-001", ["G01-001000"]),
    ("199", ["G01-000199"]),
    ("g01-000199", ["G01-000199"]),
    ("777", ["MRN-777"]),
    ("mrn-777", ["MRN-777"]),
    # names: a word's start, middle and end; several terms must all match
    ("nunez", ["G01-000100"]),
    ("ukasiewicz-nun", ["G01-000100"]),
    ("zoe", ["G01-000100", "G01-001000"]),
    ("ann", ["MRN-777"]),
    ("o'brien", ["MRN-777"]),
    ("zoe 0001", ["G01-000100"]),
    ("smith g01", ["G01-000199"]),
    ("smith 777", []),
    # one and two letters
    ("j", ["A\\B:*7"]),
    ("ez", ["G01-000100"]),
    # tsquery's operators and quoting are plain characters here
    ("a\\b:*", ["A\\B:*7"]),
    ("\\", ["A\\B:*7"]),
    ("\\b", ["A\\B:*7"]),
    (":*", ["A\\B:*7"]),
    ("'", ["MRN-777"]),
    ("!smith", []),
    ("smith|zoe", []),
    ("a&b", []),
    # longer than any patient's name and record number
    ("x" * 500, []),
]


@pytest.mark.parametrize(("search", "identifiers"), SEARCHES)
def test_search_finds_a_term_anywhere_in_a_name_or_record_number(
    as_therapist, patients, search, identifiers
):
    assert found(as_therapist, search) == identifiers


def test_every_part_of_every_record_number_finds_its_patient(as_therapist, patients):
    for identifier in ["G01-000199", "MRN-777"]:
        parts = {identifier[start:end] for start in range(10) for end in range(start + 1, 11)}
        for part in parts - {""}:
            assert identifier in found(as_therapist, part), part


def test_a_compatibility_character_that_decomposes_to_a_space_still_searches(as_therapist, clinic):
    # "¨" (U+00A8) decomposes to a space and a diaeresis: the search key "mary ann" spans two
    # words, which only the plain LIKE can find.
    factories.PatientFactory(clinic=clinic, given_name="Mary Ann", identifier="MA-1")
    assert found(as_therapist, "mary\N{DIAERESIS}ann") == ["MA-1"]


def test_a_record_number_search_with_a_birth_date(as_therapist, patients):
    patients["MRN-777"].date_of_birth = datetime.date(1955, 6, 1)
    patients["MRN-777"].save()

    assert found(as_therapist, "1955-06-01") == ["MRN-777"]
    assert found(as_therapist, "mrn 1955-06-01") == ["MRN-777"]
    assert found(as_therapist, "g01 1955-06-01") == []


@pytest.mark.postgres
def test_postgresql_answers_a_record_number_search_from_the_word_suffix_index(patients):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only; CI runs this on PostgreSQL")
    searched = PatientFilter({"search": "g01-0001"}, queryset=Patient.objects.all()).qs
    with connection.cursor() as cursor:
        # A handful of rows: without this the planner rightly reads the table instead.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = searched.explain()

    assert "patient_search_word_suffixes" in plan
    assert "patient_search_text_trgm" not in plan


@pytest.mark.postgres
def test_postgresql_sessions_price_random_reads_for_ssd_storage(db):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting; CI runs this on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


# The admin's search box, its prescription list and the prescription form's patient picker
# search as the API does.


@pytest.fixture
def admin_signed_in(client, therapist):
    client.force_login(therapist)
    return client


@pytest.mark.parametrize(("search", "identifiers"), SEARCHES)
def test_the_admin_search_box_finds_what_the_api_finds(
    admin_signed_in, patients, search, identifiers
):
    response = admin_signed_in.get("/admin/prescriptions/patient/", {"q": search})

    assert response.status_code == 200
    assert sorted(p.identifier for p in response.context["cl"].result_list) == identifiers


def test_the_admin_prescription_list_searches_its_patients(admin_signed_in, patients, therapist):
    wanted = factories.PrescriptionFactory(patient=patients["G01-000100"], clinician=therapist)
    factories.PrescriptionFactory(patient=patients["G01-000199"], clinician=therapist)

    response = admin_signed_in.get("/admin/prescriptions/prescription/", {"q": "nunez"})

    assert [rx.pk for rx in response.context["cl"].result_list] == [wanted.pk]


def test_the_patient_picker_finds_an_accented_name_without_its_accents(admin_signed_in, patients):
    response = admin_signed_in.get(
        "/admin/autocomplete/",
        {
            "app_label": "prescriptions",
            "model_name": "prescription",
            "field_name": "patient",
            "term": "lukasiewicz",
        },
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(patients["G01-000100"].pk)]


@pytest.mark.postgres
def test_postgresql_answers_the_admin_search_from_the_word_suffix_index(admin_signed_in, patients):
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only; CI runs this on PostgreSQL")
    with CaptureQueriesContext(connection) as queries:
        admin_signed_in.get("/admin/prescriptions/patient/", {"q": "g01-0001"})

    searched = [q["sql"] for q in queries if "prescriptions_patient" in q["sql"]]
    assert any("patient_search_word_suffixes" in sql for sql in searched)
    assert not any("UPPER(" in sql for sql in searched)
