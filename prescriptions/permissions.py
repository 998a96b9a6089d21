from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from clinics.roles import is_clinic_admin, is_clinician
from clinics.selectors import clinic_of


class WorksAtClinic(BasePermission):
    """Clinic-scoped endpoints: a clinician of a clinic; a superuser reads every clinic.

    Creating needs a clinic to create in, so a superuser who works at none cannot.
    """

    message = _("Only a clinic's clinicians can use this endpoint.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        works_here = clinic_of(user) is not None and is_clinician(user)
        if getattr(view, "action", None) == "create":
            return works_here
        return user.is_superuser or works_here


def can_change_template(user, template) -> bool:
    return template.created_by_id == user.pk or is_clinic_admin(user)


class TemplateAuthorOrClinicAdmin(BasePermission):
    """Any clinician uses the clinic's templates; their author or a clinic administrator changes them."""

    message = _("Only the template's author or a clinic administrator can change it.")

    def has_object_permission(self, request, view, template):
        if request.method in SAFE_METHODS or view.action == "prescribe":
            return True
        return can_change_template(request.user, template)
