"""Who may do what: one machine-readable table for the API and the admin.

The tests are parametrised from it (every cell) and `docs/permissions.md` is generated from
it (`python manage.py permissions_doc`). A cell is ALLOWED or the status that answers.
Placeholders in paths name objects of the user's own clinic ({patient}, {prescription},
{template} written by a colleague, {exercise}, {clinic}; users of the clinic: {colleague} a
clinician, {editor} a catalogue editor, {fellow_admin} another clinic administrator) or of
another clinic ({other_patient}).
"""

from dataclasses import dataclass

ALLOWED = "allowed"
ROLES = ("anonymous", "clinician", "catalogue-editor", "clinic-admin", "superuser")
ROLE_DESCRIPTIONS = {
    "anonymous": "not signed in",
    "clinician": "prescribes for the patients of their clinic",
    "catalogue-editor": "edits the shared exercise catalogue and its safety content",
    "clinic-admin": (
        "a clinician who also manages the clinic's profile and templates, and its clinicians "
        "(passwords, deactivation, names); never a user with a wider role (an editor, another "
        "administrator, a superuser), whom only a superuser manages"
    ),
    "superuser": "runs the installation; sees every clinic",
}


@dataclass(frozen=True)
class Rule:
    surface: str  # "api" or "admin"
    method: str
    path: str
    outcomes: tuple  # one per ROLES entry

    def expected(self, role: str):
        return self.outcomes[ROLES.index(role)]


A = ALLOWED
# anonymous, clinician, catalogue-editor, clinic-admin, superuser
EVERYONE_SIGNED_IN = (401, A, A, A, A)
EDITORS = (401, 403, A, 403, A)
CLINIC_STAFF = (401, A, 403, A, A)
ADMIN_EVERYONE = (302, A, A, A, A)
ADMIN_EDITORS = (302, 403, A, 403, A)
ADMIN_CLINIC_STAFF = (302, A, 403, A, A)
ADMIN_CLINIC_ADMINS = (302, 403, 403, A, A)
ADMIN_SUPERUSERS = (302, 403, 403, 403, A)

MATRIX = (
    Rule("api", "GET", "/api/v1/me/", EVERYONE_SIGNED_IN),
    Rule("api", "GET", "/api/v1/exercises/", EVERYONE_SIGNED_IN),
    Rule("api", "GET", "/api/v1/exercises/{exercise}/", EVERYONE_SIGNED_IN),
    Rule("api", "POST", "/api/v1/exercises/", EDITORS),
    Rule("api", "PATCH", "/api/v1/exercises/{exercise}/", EDITORS),
    Rule("api", "POST", "/api/v1/exercises/{exercise}/publish/", EDITORS),
    Rule("api", "POST", "/api/v1/exercises/{exercise}/archive/", EDITORS),
    Rule("api", "GET", "/api/v1/conditions/", EVERYONE_SIGNED_IN),
    Rule("api", "POST", "/api/v1/conditions/", EDITORS),
    Rule("api", "GET", "/api/v1/assessments/", EVERYONE_SIGNED_IN),
    Rule("api", "POST", "/api/v1/assessments/", EDITORS),
    Rule("api", "GET", "/api/v1/safety-notes/", EVERYONE_SIGNED_IN),
    Rule("api", "POST", "/api/v1/safety-notes/", EDITORS),
    Rule("api", "GET", "/api/v1/patients/", CLINIC_STAFF),
    Rule("api", "POST", "/api/v1/patients/", (401, A, 403, A, 403)),
    Rule("api", "GET", "/api/v1/patients/{patient}/", CLINIC_STAFF),
    Rule("api", "PATCH", "/api/v1/patients/{patient}/", CLINIC_STAFF),
    Rule("api", "GET", "/api/v1/patients/{other_patient}/", (401, 404, 403, 404, A)),
    Rule("api", "DELETE", "/api/v1/patients/{patient}/", (401, 409, 403, 409, 409)),
    Rule("api", "GET", "/api/v1/prescriptions/", CLINIC_STAFF),
    Rule("api", "POST", "/api/v1/prescriptions/", (401, A, 403, A, 403)),
    Rule("api", "GET", "/api/v1/prescriptions/{prescription}/", CLINIC_STAFF),
    Rule("api", "GET", "/api/v1/prescriptions/{prescription}/handout/", CLINIC_STAFF),
    Rule("api", "GET", "/api/v1/templates/", CLINIC_STAFF),
    Rule("api", "PATCH", "/api/v1/templates/{template}/", (401, 403, 403, A, A)),
    Rule("api", "DELETE", "/api/v1/templates/{template}/", (401, 403, 403, A, A)),
    Rule("admin", "GET", "/admin/", ADMIN_EVERYONE),
    Rule("admin", "GET", "/admin/exercises/exercise/", ADMIN_EVERYONE),
    Rule("admin", "GET", "/admin/exercises/exercise/add/", ADMIN_EDITORS),
    Rule("admin", "GET", "/admin/exercises/safetynote/add/", ADMIN_EDITORS),
    Rule("admin", "GET", "/admin/prescriptions/patient/", ADMIN_CLINIC_STAFF),
    Rule("admin", "GET", "/admin/prescriptions/patient/add/", (302, A, 403, A, 403)),
    Rule("admin", "GET", "/admin/prescriptions/patient/{patient}/change/", ADMIN_CLINIC_STAFF),
    Rule(
        "admin",
        "GET",
        "/admin/prescriptions/patient/{other_patient}/change/",
        (302, 302, 403, 302, A),
    ),
    Rule("admin", "GET", "/admin/prescriptions/prescription/", ADMIN_CLINIC_STAFF),
    Rule(
        "admin",
        "GET",
        "/admin/prescriptions/prescription/new/?patient={patient}",
        ADMIN_CLINIC_STAFF,
    ),
    Rule(
        "admin",
        "GET",
        "/admin/prescriptions/prescription/{prescription}/workspace/",
        ADMIN_CLINIC_STAFF,
    ),
    Rule(
        "admin",
        "GET",
        "/admin/prescriptions/prescription/{prescription}/handout/",
        ADMIN_CLINIC_STAFF,
    ),
    Rule("admin", "GET", "/admin/prescriptions/programmetemplate/", ADMIN_CLINIC_STAFF),
    Rule("admin", "GET", "/admin/clinics/clinic/{clinic}/change/", ADMIN_CLINIC_STAFF),
    Rule("admin", "GET", "/admin/auth/user/", ADMIN_CLINIC_ADMINS),
    Rule("admin", "GET", "/admin/auditlog/logentry/", ADMIN_CLINIC_ADMINS),
    Rule("admin", "GET", "/admin/auth/user/{colleague}/change/", ADMIN_CLINIC_ADMINS),
    Rule("admin", "POST", "/admin/auth/user/{colleague}/change/", ADMIN_CLINIC_ADMINS),
    Rule("admin", "POST", "/admin/auth/user/{colleague}/password/", ADMIN_CLINIC_ADMINS),
    Rule("admin", "GET", "/admin/auth/user/{editor}/change/", ADMIN_CLINIC_ADMINS),
    Rule("admin", "POST", "/admin/auth/user/{editor}/change/", ADMIN_SUPERUSERS),
    Rule("admin", "POST", "/admin/auth/user/{editor}/password/", ADMIN_SUPERUSERS),
    Rule("admin", "POST", "/admin/auth/user/{fellow_admin}/change/", ADMIN_SUPERUSERS),
    Rule("admin", "POST", "/admin/auth/user/{fellow_admin}/password/", ADMIN_SUPERUSERS),
)


def markdown() -> str:
    lines = [
        "# Permissions",
        "",
        "Generated from `clinics/permission_matrix.py` by `python manage.py permissions_doc`;",
        "a test fails when this file is stale. A cell is *allowed* or the status that answers",
        "(302: the admin sends the visitor to its sign-in page or, for another clinic's",
        'record, back with a "doesn\'t exist" message).',
        "",
        "| role | who |",
        "| --- | --- |",
        *[f"| {role} | {ROLE_DESCRIPTIONS[role]} |" for role in ROLES],
        "",
        "| surface | method | path | " + " | ".join(ROLES) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in ROLES) + " |",
    ]
    for rule in MATRIX:
        cells = " | ".join(str(outcome) for outcome in rule.outcomes)
        lines.append(f"| {rule.surface} | {rule.method} | `{rule.path}` | {cells} |")
    return "\n".join(lines) + "\n"
