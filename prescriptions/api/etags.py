"""A prescription's ETag as a read shows it (clinic.etags): beside its row version, what its
representation shows from other rows. Here, beside the serializer, so the tag is computed by the
read's own code; the services (issue and the other If-Match writes) and the admin ask it."""

from clinic.etags import current_etag
from prescriptions.api.serializers import PrescriptionSerializer
from prescriptions.models import Prescription


def shown_beyond_row(prescription: Prescription) -> dict:
    """What a prescription's representation shows that its row version does not count
    (`Prescription.etag_shows`), exactly as a read shows it, in the active language: its
    warnings, its items with their exercises' names (catalogue text an editor can change),
    its clinician's name and the revision that replaced it. Read from `prescriptions_with_details`."""
    # Computed by the read's own serializer, so the tag cannot drift from what a read shows.
    data = PrescriptionSerializer(prescription).data
    return {name: data[name] for name in prescription.etag_shows}


def prescription_etag(prescription: Prescription) -> str:
    """The ETag a read of the prescription answers now (clinic.etags)."""
    return current_etag(prescription, shown_beyond_row(prescription))
