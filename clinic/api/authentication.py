"""API tokens (django-rest-knox) sent the way clients expect, checked in one read."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, get_authorization_header

from clinic.languages import answer_in_clinic_language

BEARER = "Bearer"
KNOX_PREFIX = "Token"


def tokens_with_user(token_key: str):
    """The tokens with this key prefix, each with what every request asks of its user: the
    user, their clinician profile and clinic (their roles are read when first asked)."""
    return (
        get_token_model()
        .objects.filter(token_key=token_key)
        .select_related("user__clinician__clinic")
    )


class ClinicLanguageMixin:
    """For an authentication class: once the reader is known, an answer whose request names
    no offered language is in their clinic's language (clinic.languages)."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            answer_in_clinic_language(request, authenticated[0])
        return authenticated


class ClinicLanguageSessionAuthentication(ClinicLanguageMixin, SessionAuthentication):
    pass


class BearerOrTokenAuthentication(ClinicLanguageMixin, TokenAuthentication):
    """Knox tokens as `Authorization: Bearer <key>` (what every generated client sends) or
    `Authorization: Token <key>` (knox's own prefix, which earlier clients use).

    Knox accepts the single prefix `authenticate_header` names, so it names the one this
    request used; a request without credentials is told to use Bearer.

    Knox reads every token the user holds on every request, to delete the expired ones; here a
    request reads only the tokens sharing its key prefix (one, in practice) with the user's
    profile, clinic and roles. An expired token is refused and deleted when presented; the
    user's other expired tokens are deleted when they next sign in (`purge_expired_tokens`).
    """

    def authenticate_header(self, request):
        scheme = get_authorization_header(request).split()[:1]
        return (
            KNOX_PREFIX if scheme and scheme[0].lower() == KNOX_PREFIX.lower().encode() else BEARER
        )

    def authenticate_credentials(self, token):
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            raise invalid from None  # a key is hexadecimal; any other byte names no token
        for auth_token in tokens_with_user(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise invalid from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise invalid

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True


def purge_expired_tokens(user) -> int:
    """Deletes the user's expired tokens; returns how many."""
    deleted, _ = get_token_model().objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return deleted
