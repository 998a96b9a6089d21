"""API tokens (django-rest-knox) sent the way clients expect."""

from knox.auth import TokenAuthentication
from rest_framework.authentication import get_authorization_header

BEARER = "Bearer"
KNOX_PREFIX = "Token"


class BearerOrTokenAuthentication(TokenAuthentication):
    """Knox tokens as `Authorization: Bearer <key>` (what every generated client sends) or
    `Authorization: Token <key>` (knox's own prefix, which earlier clients use).

    Knox accepts the single prefix `authenticate_header` names, so it names the one this
    request used; a request without credentials is told to use Bearer.
    """

    def authenticate_header(self, request):
        scheme = get_authorization_header(request).split()[:1]
        return (
            KNOX_PREFIX if scheme and scheme[0].lower() == KNOX_PREFIX.lower().encode() else BEARER
        )
