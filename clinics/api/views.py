from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api.authentication import BEARER, BearerOrTokenAuthentication, purge_expired_tokens
from clinic.api.schema import ClientErrorResponseSerializer
from clinics.api.serializers import CredentialsSerializer, MeSerializer, TokenSerializer
from clinics.services import end_sessions


class ObtainTokenView(APIView):
    """Exchange a username and password for an expiring API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "login"

    def get_authenticate_header(self, request):
        # Wrong credentials answer 401 (not 403), telling the client which scheme to use.
        return BEARER

    @extend_schema(
        operation_id="auth_token_create",
        summary="Sign in: exchange a username and password for an API token",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, 401: ClientErrorResponseSerializer},
        examples=[
            OpenApiExample(
                "Sign in",
                value={"username": "therapist", "password": "demo-therapist-2026"},
                request_only=True,
            )
        ],
        auth=[],
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # django-axes counts failures per account and address; once locked out, its
        # middleware answers 429 (clinic.lockout) whatever this view returns.
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Unable to sign in with these credentials."))
        # As the admin's sign-in does: django-axes resets the failure count on this signal,
        # and Django records the last sign-in.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        purge_expired_tokens(user)
        instance, token = AuthToken.objects.create(user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(APIView):
    """Revoke the token that signs this request."""

    authentication_classes = [BearerOrTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        summary="Sign out: revoke this token",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the signed-in user and end their admin sessions."""

    authentication_classes = [BearerOrTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout_all",
        summary="Sign out everywhere: revoke every token of yours",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        request.user.auth_token_set.all().delete()
        end_sessions(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveAPIView):
    """The signed-in user, their clinic and their roles."""

    serializer_class = MeSerializer

    @extend_schema(operation_id="me_retrieve", summary="Read the signed-in user")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return self.request.user
