"""Delivering a handout: the one way the API, the admin and the benchmark answer a download.

Authorisation and the audit entry stay with the caller (the viewset's permissions and access
audit, the admin's own-clinic check and record_access); this decides which bytes are answered.
"""

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, HttpResponseBase

from prescriptions.handouts.issue import handout_filename, rendered_handout, stored_handout
from prescriptions.models import Prescription


def deliver_handout(
    prescription: Prescription,
    *,
    whole: QuerySet[Prescription],
    paper: str | None = None,
    language: str | None = None,
    also: str | None = None,
    large_print: bool = False,
) -> HttpResponseBase:
    """The handout PDF a user asked for, as a response with its Content-Disposition.

    `prescription` is the download's first, light read (selectors.prescriptions_for_handout:
    its stored file, `issued_paper` and `issued_language`): an issued one in its default options
    (its paper and language) streams the stored file from the storage in blocks, never read
    whole into memory, and makes no content query. Otherwise (a draft, another paper or
    language, large print) it is read once more through `whole` (a queryset with the handout's
    content prefetched, scoped by the caller) and rendered."""
    # A second language asked for by name is checked against the snapshot: rendered.
    stored = (
        None
        if also is not None
        else stored_handout(
            prescription,
            # The light read annotates it (the snapshot itself is not read).
            issued_paper=getattr(prescription, "issued_paper", None),
            issued_language=getattr(prescription, "issued_language", None),
            paper=paper,
            language=language,
            large_print=large_print,
        )
    )
    response: HttpResponseBase
    if stored is None:
        prescription = whole.get(pk=prescription.pk)
        pdf = rendered_handout(
            prescription, paper=paper, large_print=large_print, language=language, also=also
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        handle, size = stored
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Length"] = size
    response["Content-Disposition"] = handout_filename(prescription)
    return response
