"""Every admin list, with hostile query strings: 400 or ignored, never a 500."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = ["abc", "9223372036854775808", "1\x00"]
ALWAYS_TRIED = ["q", "o", "p", "e", "all", "_to_field", "_popup", "patient", "paper"]


def changelist_urls():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def filter_parameters(page: str) -> set[str]:
    """The query parameters the page's own filter and sort links use."""
    names = set()
    for href in re.findall(r'href="\?([^"]*)"', page):
        names.update(name for name, _ in parse_qsl(unescape(href), keep_blank_values=True))
    return names


@pytest.fixture
def users(clinic):
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    assert prescription.pk
    # The superuser sees every list; a clinic admin's are the same code, scoped.
    return [factories.superuser()]


@pytest.mark.parametrize("url", changelist_urls())
def test_every_admin_list_answers_hostile_query_strings_without_a_server_error(client, users, url):
    client.raise_request_exception = False
    for user in users:
        client.force_login(user)
        first = client.get(url)
        if first.status_code == 403:
            continue
        assert first.status_code == 200, url
        for name in sorted(filter_parameters(first.content.decode()) | set(ALWAYS_TRIED)):
            for value in HOSTILE_VALUES:
                response = client.get(f"{url}?{urlencode({name: value})}")
                assert response.status_code < 500, (user.username, url, name, value)


def test_an_admin_handout_with_an_unknown_paper_size_is_a_400(client, therapist, clinic):
    prescription = factories.PrescriptionFactory(
        patient__clinic=clinic, items=[factories.ExerciseFactory()]
    )
    client.force_login(therapist)
    url = reverse("admin:prescriptions_prescription_handout", args=[prescription.pk])
    assert client.get(url, {"paper": "xyz"}).status_code == 400
    assert client.get(url, {"paper": "a4"}).status_code == 200
