from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from clinic.admin_versions import OPENED_VERSION, OpenedVersionAdminMixin, OpenedVersionForm
from clinics.models import CLINIC_CONTACT_FIELDS, Clinic, ClinicianProfile
from clinics.roles import clinic_admin_may_manage, is_clinic_admin
from clinics.selectors import scoped_to_clinic

User = get_user_model()


class OwnClinicAdminMixin:
    """A clinic's staff see their own clinic's rows only; a superuser sees every clinic."""

    clinic_lookup = "clinic"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scoped_to_clinic(queryset, request.user, self.clinic_lookup)


@admin.register(Clinic)
class ClinicAdmin(OpenedVersionAdminMixin, admin.ModelAdmin):
    # Versioned: a kept form must not silently overwrite what handouts print (the emergency
    # number) after someone else changed it.
    list_display = ["name", "phone", "country", "emergency_number", "paper_size", "language"]
    search_fields = ["name"]
    readonly_fields = ["out_of_hours_printed"]
    fieldsets = [
        (None, {"fields": ["name", "logo"]}),
        (
            _("Contact (printed on every handout)"),
            {
                "fields": [
                    *CLINIC_CONTACT_FIELDS,
                    "out_of_hours_printed",
                ]
            },
        ),
        (
            _("Handouts"),
            {"fields": ["paper_size", "timezone", "language", "unreviewed_translations_alone"]},
        ),
        (_("Searching"), {"fields": ["date_order"]}),
    ]

    @admin.display(description=_("handouts print"))
    def out_of_hours_printed(self, clinic):
        return _("When we are closed: %(help)s.") % {"help": clinic.out_of_hours_advice}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        clinic = self.get_object(request, unquote(object_id))
        if request.method == "GET" and clinic is not None and not clinic.out_of_hours.strip():
            messages.warning(
                request,
                _(
                    "Set the clinic's own out-of-hours help. Until then, handouts tell patients "
                    'with a same-day sign: "When we are closed: %(help)s."'
                )
                % {"help": clinic.out_of_hours_advice},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        return scoped_to_clinic(super().get_queryset(request), request.user, "pk")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ClinicianProfileInline(admin.StackedInline):
    model = ClinicianProfile
    can_delete = False
    fields = ["clinic", "display_name", "profession", "registration_number"]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["clinic"]


admin.site.unregister(User)


class StaffChangeForm(OpenedVersionForm, UserChangeForm):
    """The user change form with the version it opened: a kept form must not re-activate a
    user a superuser deactivated meanwhile, nor overwrite their names or email."""


@admin.register(User)
class StaffAdmin(OpenedVersionAdminMixin, UserAdmin):
    """Clinic administrators manage their clinic's clinicians: names, deactivation, passwords.

    A user with a wider role (editor, administrator, superuser) is shown read-only to them and
    every change to it, the password form included, answers 403 (clinic_admin_may_manage).
    """

    form = StaffChangeForm
    inlines = [ClinicianProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active", "groups"]
    limited_fieldsets = [
        (None, {"fields": ["username", "password", OPENED_VERSION]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["is_active", "last_login"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scoped_to_clinic(queryset, request.user, "clinician__clinic").filter(
            is_superuser=False
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets  # the add form (UserAdmin's add_form) opens no version
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)  # the full form, with the version
        return self.limited_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["username", "last_login"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if not (is_clinic_admin(request.user) and super().has_change_permission(request, obj)):
            return False
        return obj is None or clinic_admin_may_manage(request.user, obj)
