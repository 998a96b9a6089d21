"""Roles are Django groups with exactly the permissions each needs, ensured after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CLINICIAN = "Clinicians"
CATALOGUE_EDITOR = "Catalogue editors"
CLINIC_ADMIN = "Clinic administrators"

ROLE_SLUGS = {
    CLINICIAN: "clinician",
    CATALOGUE_EDITOR: "catalogue-editor",
    CLINIC_ADMIN: "clinic-admin",
}

_CATALOGUE_MODELS = [
    "exercise",
    "exercisestep",
    "illustration",
    "equipment",
    "bodyregion",
    "tag",
    "condition",
    "caution",
    "assessment",
    "safetynote",
    "deletedcataloguerecord",
    "safetynotevariant",
    "source",
    "glossaryterm",
    "cataloguetranslation",
]
_VIEW_CATALOGUE = [("exercises", f"view_{model}") for model in _CATALOGUE_MODELS]
_CHANGE_CATALOGUE = [
    ("exercises", f"{action}_{model}")
    for model in _CATALOGUE_MODELS
    for action in ("add", "change", "delete", "view")
]
_PRESCRIBING = [
    ("prescriptions", f"{action}_{model}")
    for model in (
        "patient",
        "prescription",
        "prescriptionitem",
        "programmetemplate",
        "templateitem",
    )
    for action in ("add", "change", "view")
] + [
    ("prescriptions", "delete_prescription"),
    ("prescriptions", "delete_prescriptionitem"),
    ("prescriptions", "delete_templateitem"),
    ("clinics", "view_clinic"),
]
_CLINIC_ADMINISTRATION = [
    ("clinics", "change_clinic"),
    ("clinics", "view_clinicianprofile"),
    ("clinics", "change_clinicianprofile"),
    ("auth", "view_user"),
    ("auth", "change_user"),
    ("prescriptions", "delete_programmetemplate"),
]

ROLE_PERMISSIONS = {
    CLINICIAN: _VIEW_CATALOGUE + _PRESCRIBING,
    CATALOGUE_EDITOR: _CHANGE_CATALOGUE,
    CLINIC_ADMIN: _CLINIC_ADMINISTRATION,
}


def ensure_roles() -> None:
    """Creates the role groups and sets their permissions; safe to run any number of times."""
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        query = Q(pk__in=[])
        for app_label, codename in codenames:
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))


ROLE_NAMES_ATTRIBUTE = "_role_group_names"


def _group_names(user) -> frozenset[str]:
    """The names of the user's groups, read once per user object: a request's permission
    classes and views ask several roles of the same user. As with Django's own permission
    cache, a change made through this user object (`user.groups.add/remove/set/clear`) clears
    it (clinics.apps); any other change shows on the next request's user."""
    names = getattr(user, ROLE_NAMES_ATTRIBUTE, None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, ROLE_NAMES_ATTRIBUTE, names)
    return names


def forget_group_names(user) -> None:
    user.__dict__.pop(ROLE_NAMES_ATTRIBUTE, None)


def user_roles(user) -> list[str]:
    roles = [ROLE_SLUGS[name] for name in _group_names(user) if name in ROLE_SLUGS]
    if user.is_superuser:
        roles.append("superuser")
    return sorted(roles)


def _has_role(user, group_name: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or group_name in _group_names(user)


# The one check per role that the API's permission classes and the admin both ask. The groups
# hold exactly the model permissions of ROLE_PERMISSIONS (ensure_roles), so asking the group
# and asking the admin's model permissions agree; the group costs one query, not two.


def is_clinician(user) -> bool:
    return _has_role(user, CLINICIAN)


def is_catalogue_editor(user) -> bool:
    return _has_role(user, CATALOGUE_EDITOR)


def is_clinic_admin(user) -> bool:
    return _has_role(user, CLINIC_ADMIN)


def clinic_admin_may_manage(admin_user, user) -> bool:
    """Whether a clinic administrator may change `user` (password, active flag, names).

    Only the clinicians of the administrator's own clinic: a user holding any role wider than
    the clinic (catalogue editor, clinic administrator, superuser, a permission given directly)
    is managed by a superuser, else one clinic's administrator could take over the account that
    edits the safety content printed on every clinic's handouts.
    """
    if user.is_superuser or user.user_permissions.exists():
        return False
    if not _group_names(user) <= {CLINICIAN}:
        return False
    profile = getattr(user, "clinician", None)
    own_profile = getattr(admin_user, "clinician", None)
    return (
        profile is not None
        and own_profile is not None
        and profile.clinic_id == own_profile.clinic_id
    )
