"""The clinic's country and out-of-hours help, set in the admin: an emergency number is refused
there, and until the clinic's own text is set the admin says what handouts print instead."""

import pytest
import yaml
from django.utils import translation

from clinic.admin_versions import OPENED_VERSION
from clinics.models import Clinic
from clinics.out_of_hours import DEFAULTS_FILE, default_out_of_hours
from tests import factories
from tests.clinic.translations_support import shipped_catalog
from tests.clinics.test_logo_uploads import opened_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, clinic):
    client.force_login(factories.clinic_admin(clinic))
    return client


def change_url(clinic) -> str:
    return f"/admin/clinics/clinic/{clinic.pk}/change/"


def post_contact(client, clinic, **changes):
    data = {
        OPENED_VERSION: opened_version(client, change_url(clinic)),
        "name": clinic.name,
        "phone": clinic.phone,
        "email": clinic.email,
        "country": clinic.country,
        "emergency_number": clinic.emergency_number,
        "out_of_hours": clinic.out_of_hours,
        "paper_size": "a4",
        "timezone": "UTC",
        "language": "en",
        "date_order": "DMY",
        **changes,
    }
    return client.post(change_url(clinic), data)


@pytest.mark.parametrize(
    ("text", "emergency_number"),
    [
        ("999", "999"),
        ("Call 999.", "999"),
        ("call 112", "999"),
        ("Ring 911 or 112", "999"),
        ("000", "000"),
        ("Call 1 1 8", "118"),
    ],
)
def test_an_emergency_number_as_out_of_hours_help_is_refused_at_the_field(
    admin_client, clinic, text, emergency_number
):
    clinic.emergency_number = emergency_number
    clinic.save()

    response = post_contact(admin_client, clinic, out_of_hours=text)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["out_of_hours"]
    assert "not an emergency number" in errors["out_of_hours"][0]
    assert Clinic.objects.get(pk=clinic.pk).out_of_hours == ""


@pytest.mark.parametrize(
    "text", ["call NHS 111", "Call 0161 555 0199 (evenings and weekends)", "Call 111, or 999"]
)
def test_urgent_advice_with_its_own_number_is_saved(admin_client, clinic, text):
    response = post_contact(admin_client, clinic, out_of_hours=text)

    assert response.status_code == 302
    assert Clinic.objects.get(pk=clinic.pk).out_of_hours == text


def test_the_country_is_set_in_the_admin_as_its_two_letter_code(admin_client, clinic):
    assert post_contact(admin_client, clinic, country="ie").status_code == 302
    assert Clinic.objects.get(pk=clinic.pk).country == "IE"

    response = post_contact(admin_client, clinic, country="Ireland")

    assert list(response.context["adminform"].form.errors) == ["country"]
    assert Clinic.objects.get(pk=clinic.pk).country == "IE"


def test_the_admin_warns_until_the_clinics_own_out_of_hours_text_is_set(admin_client, clinic):
    clinic.country = "NZ"
    clinic.save()

    page = admin_client.get(change_url(clinic)).content.decode()

    assert "Set the clinic&#x27;s own out-of-hours help" in page
    assert "When we are closed: call Healthline on 0800 611 116." in page

    post_contact(admin_client, clinic, out_of_hours="Call 09 555 0100 after 6 pm")
    page = admin_client.get(change_url(clinic)).content.decode()

    assert "Set the clinic&#x27;s own out-of-hours help" not in page
    assert "When we are closed: Call 09 555 0100 after 6 pm." in page


def test_the_clinic_api_record_shows_the_country_and_stays_read_only(as_therapist, clinic):
    record = as_therapist.get("/api/v1/me/")

    assert record.status_code == 200
    assert record.json()["clinic"]["country"] == "GB"
    response = as_therapist.patch("/api/v1/me/", {"clinic": {"out_of_hours": "999"}}, format="json")
    assert response.status_code == 405
    assert Clinic.objects.get(pk=clinic.pk).out_of_hours == ""


@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_country_default_prints_in_the_handout_s_language(language):
    catalog = shipped_catalog(language)
    table = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    for advice in [table["fallback"], *table["countries"].values()]:
        message = catalog.get(advice)
        assert message and message.string, advice
        assert "machine-assisted, not reviewed" in message.user_comments
    with translation.override("es"):
        assert default_out_of_hours("GB") == "llama al NHS 111"
