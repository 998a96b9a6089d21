from django.contrib.auth import get_user_model
from rest_framework import serializers

from clinic.api.fields import OptionalEmailField, OptionalURLField, TimeZoneField
from clinics.models import CLINIC_CONTACT_FIELDS, Clinic, ClinicianProfile
from clinics.roles import user_roles


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")
    expiry = serializers.DateTimeField(allow_null=True)


class ClinicSerializer(serializers.ModelSerializer):
    email = OptionalEmailField(read_only=True)
    website = OptionalURLField(read_only=True)
    logo = serializers.ImageField(read_only=True, allow_null=True)
    timezone = TimeZoneField(read_only=True)

    class Meta:
        model = Clinic
        fields = [
            "id",
            "name",
            *CLINIC_CONTACT_FIELDS,
            "logo",
            "paper_size",
            "timezone",
            "language",
        ]
        read_only_fields = fields


class ClinicianProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ClinicianProfile
        fields = ["name", "display_name", "profession", "registration_number"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    email = OptionalEmailField(read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    user = UserSerializer(source="*")
    clinic = ClinicSerializer(source="clinician.clinic", allow_null=True, default=None)
    clinician = ClinicianProfileSerializer(allow_null=True, default=None)
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[str]:
        return user_roles(user)
