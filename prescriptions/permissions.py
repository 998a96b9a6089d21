from rest_framework.permissions import SAFE_METHODS, BasePermission

from clinics.roles import CLINIC_ADMIN, has_role
from clinics.selectors import clinic_of


class WorksAtClinic(BasePermission):
    """Clinic-scoped endpoints: a signed-in user who works at a clinic (or a superuser)."""

    message = "Only a clinic's staff can use this endpoint."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or clinic_of(user)))


def can_change_template(user, template) -> bool:
    return template.created_by_id == user.pk or has_role(user, CLINIC_ADMIN)


class TemplateAuthorOrClinicAdmin(BasePermission):
    """Any clinician uses the clinic's templates; their author or a clinic administrator changes them."""

    message = "Only the template's author or a clinic administrator can change it."

    def has_object_permission(self, request, view, template):
        if request.method in SAFE_METHODS or view.action == "prescribe":
            return True
        return can_change_template(request.user, template)
