from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from clinics.roles import is_catalogue_editor


class IsCatalogueEditorOrReadOnly(BasePermission):
    """Every signed-in user reads the catalogue; only catalogue editors change it."""

    message = _("Only catalogue editors can change the catalogue.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_catalogue_editor(request.user)
