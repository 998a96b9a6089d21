"""Authentication that also names the actor of the request's audit entries."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication

from clinic.audit import set_audit_actor


class _NamesAuditActor:
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            set_audit_actor(result[0])
        return result


class TokenAuthentication(_NamesAuditActor, KnoxTokenAuthentication):
    """Knox tokens (hashed at rest, expiring, revocable): `Authorization: Token <key>`."""


class SessionAuthentication(_NamesAuditActor, DRFSessionAuthentication):
    """The admin's session, for the browsable API."""


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, from POST /api/v1/auth/token/. Expires; revocable.",
        }


class SessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
