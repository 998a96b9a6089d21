"""Every cell of the permission matrix, for the API and the admin."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from clinics.permission_matrix import ALLOWED, MATRIX, ROLES, markdown
from clinics.roles import CATALOGUE_EDITOR, CLINIC_ADMIN, CLINICIAN
from tests import factories

pytestmark = pytest.mark.django_db

WRITE_BODIES = {"POST": {}, "PATCH": {}, "PUT": {}, "DELETE": None}


@pytest.fixture
def world(clinic):
    other_clinic = factories.ClinicFactory(name="Elsewhere Clinic")
    exercise = factories.ExerciseFactory()
    patient = factories.PatientFactory(clinic=clinic)
    colleague = factories.clinician(clinic)
    return {
        "clinic": clinic.pk,
        "exercise": exercise.pk,
        "patient": patient.pk,
        "other_patient": factories.PatientFactory(clinic=other_clinic).pk,
        "prescription": factories.PrescriptionFactory(patient=patient, items=[exercise]).pk,
        "template": factories.TemplateFactory(clinic=clinic, created_by=colleague).pk,
        "colleague": colleague.pk,
        "editor": factories.ClinicianFactory(
            clinic=clinic, user=factories.UserFactory(roles=[CATALOGUE_EDITOR])
        ).user.pk,
        "fellow_admin": factories.clinic_admin(clinic).pk,
    }


def user_for(role: str, clinic):
    if role == "anonymous":
        return None
    if role == "superuser":
        return get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    groups = {
        "clinician": [CLINICIAN],
        "catalogue-editor": [CATALOGUE_EDITOR],
        "clinic-admin": [CLINICIAN, CLINIC_ADMIN],
    }[role]
    return factories.ClinicianFactory(clinic=clinic, user=factories.UserFactory(roles=groups)).user


def cells():
    for rule in MATRIX:
        for role in ROLES:
            yield pytest.param(rule, role, id=f"{rule.surface} {rule.method} {rule.path} as {role}")


@pytest.mark.parametrize(("rule", "role"), list(cells()))
def test_cell(rule, role, world, clinic, api, client):
    user = user_for(role, clinic)
    path = rule.path.format(**world)
    if rule.surface == "api":
        if user:
            api.force_authenticate(user)
        response = api.generic(
            rule.method,
            path,
            "{}" if rule.method in ("POST", "PATCH", "PUT") else "",
            content_type="application/json",
        )
    else:
        if user:
            client.force_login(user)
        response = client.generic(rule.method, path)
    expected = rule.expected(role)
    if expected == ALLOWED:
        assert response.status_code not in (401, 403, 404, 302), response.content[:300]
        assert response.status_code < 500
    else:
        assert response.status_code == expected, response.content[:300]


def test_permissions_doc_is_current():
    doc = Path(settings.BASE_DIR) / "docs" / "permissions.md"
    assert doc.read_text(encoding="utf-8") == markdown(), "run: python manage.py permissions_doc"
