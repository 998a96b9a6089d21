"""Delivering a handout: the one way the API, the admin and the benchmark answer a download.

Authorisation and the audit entry stay with the caller (the viewset's permissions and access
audit, the admin's own-clinic check and record_access); this decides which bytes are answered.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from prescriptions.handouts.issue import handout_filename, rendered_handout, stored_handout
from prescriptions.models import Prescription


@dataclass(frozen=True)
class DeliveredHandout:
    pdf: bytes
    # Content-Disposition: an attachment with an ASCII name and the RFC 6266 UTF-8 name.
    disposition: str


def deliver_handout(
    prescription: Prescription,
    *,
    whole: QuerySet[Prescription],
    paper: str | None = None,
    large_print: bool = False,
) -> DeliveredHandout:
    """The handout PDF a user asked for. `prescription` is the download's first, light read
    (selectors.prescriptions_for_handout: its stored file and `issued_paper`): an issued one in
    its default options answers the stored bytes from it. Otherwise (a draft, another paper,
    large print) it is read once more through `whole` (a queryset with the handout's content
    prefetched, scoped by the caller) and rendered."""
    pdf = stored_handout(
        prescription,
        # The light read annotates it (the snapshot itself is not read).
        issued_paper=getattr(prescription, "issued_paper", None),
        paper=paper,
        large_print=large_print,
    )
    if pdf is None:
        prescription = whole.get(pk=prescription.pk)
        pdf = rendered_handout(prescription, paper=paper, large_print=large_print)
    return DeliveredHandout(pdf=pdf, disposition=handout_filename(prescription))
