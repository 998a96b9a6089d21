"""The admin's home page for clinicians: "New prescription" asks for the patient there, then
goes straight into their new prescription (or "New patient" with what was typed, then on to
theirs). Registered on the site by prescriptions.admin."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode

from clinic.audit import record_list_access
from clinics.models import DateOrder
from clinics.roles import is_clinician
from clinics.selectors import clinic_of
from prescriptions import selectors
from prescriptions.filters import patients_matching
from prescriptions.models import Patient
from prescriptions.patient_finder import (
    DISPLAY_FORMATS,
    QUERY_MAX_LENGTH,
    new_patient_initial,
    search_text,
)
from prescriptions.workspace_views import new_prescription_url

FINDER_RESULTS = 20
# After a new patient is saved from the finder, the admin goes on to their new prescription.
THEN_PRESCRIBE = {"then": "prescribe"}


def patient_finder(request) -> dict | None:
    """The home page's "New prescription": the patients the typed text finds (each one a link
    into their new prescription), or the error of a date that cannot be read, and "New patient"
    with what was typed. For clinicians of a clinic only."""
    clinic = clinic_of(request.user)
    if clinic is None or not is_clinician(request.user):
        return None
    query = request.GET.get("patient", "").strip()[:QUERY_MAX_LENGTH]
    panel = {
        "query": query,
        "date_example": DateOrder(clinic.date_order).label,
        "date_format": DISPLAY_FORMATS[DateOrder(clinic.date_order)],
    }
    if not query:
        return panel
    try:
        text = search_text(query, clinic.date_order)
        initial = new_patient_initial(query, clinic.date_order)
    except ValidationError as error:
        return {**panel, "error": error.messages[0]}
    patients = list(
        patients_matching(
            selectors.patients_for(request.user).filter(archived_at__isnull=True), text
        )[:FINDER_RESULTS]
    )
    record_list_access(Patient, patients, event="find", search_term=query)
    return {
        **panel,
        "searched": True,
        "found": [(patient, new_prescription_url(patient)) for patient in patients],
        "more": len(patients) == FINDER_RESULTS,
        "new_patient_url": reverse("admin:prescriptions_patient_add")
        + "?"
        + urlencode({**initial, **THEN_PRESCRIBE}),
    }
