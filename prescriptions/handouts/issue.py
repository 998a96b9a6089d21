"""Freezing a handout at issue: the snapshot, its fingerprint and the stored PDF."""

import hashlib
import json
import urllib.parse
from collections.abc import Callable
from typing import BinaryIO

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clinic.errors import StorageUnavailable
from clinic.file_storage import STORAGE_ERRORS, failure_reason
from prescriptions.handouts.content import Handout, build_handout, withdrawn_notice
from prescriptions.handouts.pdf import render_handout
from prescriptions.handouts.storage import handout_name
from prescriptions.models import Prescription
from prescriptions.rules import check_dates
from prescriptions.text import strip_accents


def fingerprint_of(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def freeze_handout(prescription: Prescription) -> bytes:
    """Sets what the handout prints, its fingerprint and the stored PDF's name and checksum;
    returns the PDF in the clinic's paper size.

    The caller stores the bytes under that name and saves the prescription in one transaction
    (`storage.stored_before_commit`).
    """
    handout = build_handout(prescription)
    prescription.snapshot = handout.to_dict()
    prescription.fingerprint = fingerprint_of(prescription.snapshot)
    pdf = render_handout(handout, fingerprint=prescription.fingerprint)
    prescription.handout_sha256 = hashlib.sha256(pdf).hexdigest()
    prescription.handout_pdf.name = handout_name(prescription.handout_sha256)
    return pdf


def reads_todays_records(prescription: Prescription) -> bool:
    """A draft's handout is built from the records as they are now (its items, exercises,
    cautions); an issued one only from its own row (snapshot, stored PDF)."""
    return prescription.snapshot is None


def stored_handout(
    prescription: Prescription, *, issued_paper: str | None, paper: str | None, large_print: bool
) -> tuple[BinaryIO, int] | None:
    """The stored PDF of an issued handout, opened, and its size, when it is what was asked
    for: the paper size it was issued on (`issued_paper`, its snapshot's) and not large print;
    otherwise None. The caller reads it in blocks and closes it."""
    default_options = paper in (None, issued_paper) and not large_print
    if not (default_options and prescription.status == "issued" and prescription.handout_pdf):
        return None
    try:
        return default_storage.open_stream(prescription.handout_pdf.name)
    except STORAGE_ERRORS as error:
        raise StorageUnavailable(
            _(
                "The stored handout could not be read: the file storage is missing it or does not answer (%(reason)s)."
            )
            % {"reason": failure_reason(error)},
            code="media_unreadable",
        ) from None


def handout_pdf(prescription: Prescription, *, paper: str | None, large_print: bool) -> bytes:
    """The PDF a user asked for. An issued prescription in its default options answers the
    stored bytes; any other option renders from its snapshot, never from today's catalogue.

    A superseded or voided one renders from its snapshot too, marked, with a first-page notice
    of by what and when it was replaced: the notice is not part of the snapshot, so the footer
    keeps the fingerprint of what was issued, and the stored file is never rewritten."""
    if reads_todays_records(prescription):
        # A draft saved before the dates were bounded: refused by field, not an overflow.
        check_dates(prescription.start_date, prescription.review_date)
        return render_handout(build_handout(prescription), paper=paper, large_print=large_print)
    handout = Handout.from_dict(
        {
            **prescription.snapshot,
            "status": prescription.status,
            "withdrawn": withdrawn_notice(prescription),
        }
    )
    stored = stored_handout(
        prescription, issued_paper=handout.paper, paper=paper, large_print=large_print
    )
    if stored is not None:
        with stored[0] as handle:
            return handle.read()
    return render_handout(
        handout, paper=paper, large_print=large_print, fingerprint=prescription.fingerprint
    )


def handout_response(
    prescription: Prescription,
    *,
    issued_paper: str | None,
    paper: str | None,
    large_print: bool,
    with_content: Callable[[], Prescription],
) -> HttpResponseBase:
    """A handout download, for the API and the admin alike. The stored PDF of an issued
    handout streams from the storage in blocks (never read whole into memory); any other
    option is rendered from the prescription that `with_content` reads with what rendering
    needs (only then, so a stored download makes no content queries)."""
    stored = stored_handout(
        prescription, issued_paper=issued_paper, paper=paper, large_print=large_print
    )
    if stored is None:
        prescription = with_content()
        pdf = handout_pdf(prescription, paper=paper, large_print=large_print)
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        handle, size = stored
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Length"] = size
    response["Content-Disposition"] = handout_filename(prescription)
    return response


def handout_filename(prescription) -> str:
    """Content-Disposition with an ASCII name and the RFC 6266 UTF-8 name for other scripts."""
    patient = prescription.patient
    day = (prescription.issued_at or prescription.created_at).date().isoformat()
    readable = f"handout {patient.given_name} {patient.family_name} {day}"
    ascii_name = slugify(strip_accents(readable).encode("ascii", "ignore").decode())
    utf8_name = "-".join(readable.split()) + ".pdf"
    return (
        f'attachment; filename="{ascii_name or "handout"}.pdf"; '
        f"filename*=UTF-8''{urllib.parse.quote(utf8_name)}"
    )
