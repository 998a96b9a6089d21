"""The audit trail in the admin: read-only, filterable by patient, user, action and date.

It lives with the patients its entries are about (the patient filter reads them), above the
shared infrastructure that writes the entries; prescriptions/admin.py registers it."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clinics.roles import is_clinic_admin
from clinics.selectors import scoped_to_clinic
from prescriptions.selectors import patients_for


class IdFilter(admin.SimpleListFilter):
    """Entries whose `lookup` is the chosen id; a value that is not an id matches nothing."""

    lookup: str

    def queryset(self, request, queryset):
        value = str(self.value() or "")
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{self.lookup: int(value)})


class PatientFilter(IdFilter):
    title = _("patient")
    parameter_name = "patient"

    def lookups(self, request, model_admin):
        return [(p.pk, str(p)) for p in patients_for(request.user)[:200]]

    lookup = "additional_data__patient_id"


class ActorFilter(IdFilter):
    """The users whose entries the viewer may read: their own clinic's staff (all for a
    superuser); never other clinics' usernames."""

    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        users = scoped_to_clinic(
            get_user_model().objects.order_by("username"), request.user, "clinician__clinic"
        )
        return [(user.pk, user.get_username()) for user in users[:200]]

    lookup = "actor_id"


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditTrailAdmin(LogEntryAdmin):
    list_filter = ["action", PatientFilter, ActorFilter, "timestamp"]

    def get_queryset(self, request):
        return scoped_to_clinic(
            super().get_queryset(request), request.user, "additional_data__clinic_id"
        )

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or is_clinic_admin(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)
