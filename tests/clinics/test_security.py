"""Sign-in lockout, idle sessions, token revocation, client addresses and secrets in logs."""

import datetime
import logging

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from clinic.net import client_ip
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in(api, username, password, address="10.0.0.1"):
    return api.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_account_at_that_address(api, therapist):
    for _ in range(4):
        assert sign_in(api, therapist.username, "wrong").status_code == 401
    assert sign_in(api, therapist.username, "wrong").status_code == 429
    response = sign_in(api, therapist.username, factories.PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert response.json()["errors"][0]["code"] == "locked_out"
    assert response.json()["type"] == "client_error"


def test_colleagues_at_the_same_address_can_still_sign_in(api, therapist, clinic):
    colleague = factories.clinician(clinic)
    for _ in range(6):
        sign_in(api, therapist.username, "wrong")
    assert sign_in(api, colleague.username, factories.PASSWORD).status_code == 200


def test_the_same_account_from_another_address_can_still_sign_in(api, therapist):
    for _ in range(6):
        sign_in(api, therapist.username, "wrong", address="10.0.0.1")
    assert (
        sign_in(api, therapist.username, factories.PASSWORD, address="10.0.0.2").status_code == 200
    )


def test_admin_login_lockout_shows_a_clear_page(client, therapist):
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": therapist.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
        )
    response = client.post(
        "/admin/login/",
        {"username": therapist.username, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert response["Retry-After"] == str(15 * 60)


@pytest.mark.parametrize(("minutes", "still_signed_in"), [(10, True), (16, False)])
def test_admin_session_ends_after_15_idle_minutes(
    client, therapist, monkeypatch, minutes, still_signed_in
):
    client.force_login(therapist)
    assert client.get("/admin/").status_code == 200
    later = timezone.now() + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr("clinic.middleware.timezone.now", lambda: later)
    response = client.get("/admin/")
    assert (response.status_code == 200) is still_signed_in
    if not still_signed_in:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_idle_window_slides_with_each_request(client, therapist, monkeypatch):
    client.force_login(therapist)
    start = timezone.now()
    for minutes in (10, 20, 30):
        moment = start + datetime.timedelta(minutes=minutes)
        monkeypatch.setattr("clinic.middleware.timezone.now", lambda moment=moment: moment)
        assert client.get("/admin/").status_code == 200


def test_deactivating_a_user_revokes_all_tokens(api, therapist):
    token = sign_in(api, therapist.username, factories.PASSWORD).json()["token"]
    therapist.is_active = False
    therapist.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401
    assert therapist.auth_token_set.count() == 0


def test_clinic_admin_can_deactivate_and_reset_a_clinician_in_the_admin(client, clinic, therapist):
    client.force_login(factories.clinic_admin(clinic))
    change = client.get(f"/admin/auth/user/{therapist.pk}/change/")
    assert change.status_code == 200
    assert b"is_superuser" not in change.content
    reset = client.post(
        f"/admin/auth/user/{therapist.pk}/password/",
        {"password1": "a-new-long-passphrase-1", "password2": "a-new-long-passphrase-1"},
    )
    assert reset.status_code == 302
    therapist.refresh_from_db()
    assert therapist.check_password("a-new-long-passphrase-1")


def test_clinic_admin_cannot_see_another_clinics_staff(client, clinic, other_clinic_user):
    client.force_login(factories.clinic_admin(clinic))
    assert client.get(f"/admin/auth/user/{other_clinic_user.pk}/change/").status_code == 302
    assert other_clinic_user.username.encode() not in client.get("/admin/auth/user/").content


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.1.1.1"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "", "10.1.1.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_tokens_and_passwords_never_reach_the_logs(api, therapist, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(api, therapist.username, "wrong-password-xyz")
    token = sign_in(api, therapist.username, factories.PASSWORD).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    api.get("/api/v1/nope/")
    api.get("/api/v1/me/")
    logged = caplog.text
    assert "wrong-password-xyz" not in logged
    assert factories.PASSWORD not in logged
    assert token not in logged
    assert token[:8] not in logged


def test_api_rate_limit_answers_429_with_retry_after(api, therapist, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": None})
    api.force_authenticate(therapist)
    statuses = [api.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/me/")
    assert response.json()["errors"][0]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
