"""A request asks several roles of its user; the user's groups are read once, and a change
made through the user shows at once."""

import pytest
from django.contrib.auth.models import Group

from clinics.roles import CLINIC_ADMIN, is_clinic_admin, is_clinician, user_roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_roles_are_read_once_per_user_object(django_assert_num_queries):
    user = factories.clinician()
    with django_assert_num_queries(1):
        assert is_clinician(user)
        assert not is_clinic_admin(user)
        assert user_roles(user) == ["clinician"]


def test_a_group_change_through_the_user_shows_at_once():
    user = factories.clinician()
    assert not is_clinic_admin(user)
    user.groups.add(Group.objects.get(name=CLINIC_ADMIN))
    assert is_clinic_admin(user)
    user.groups.clear()
    assert not is_clinician(user)
    assert user_roles(user) == []
