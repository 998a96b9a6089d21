"""Freezing a handout at issue: the snapshot, its fingerprint and the stored PDF."""

import hashlib
import json
import urllib.parse
from typing import BinaryIO, cast

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clinic.errors import StorageUnavailable
from clinic.file_storage import STORAGE_ERRORS, StreamingStorage, failure_reason
from clinic.languages import is_offered
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
    handout = build_handout(prescription, draft_language(prescription, None))
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


def _not_offered(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="invalid_choice")})


def draft_language(prescription: Prescription, requested: str | None) -> str:
    """The language a draft's handout prints in: `?lang=` when asked, else the patient's
    preferred language. A language not offered is an error at the field that named it."""
    if requested is not None:
        return offered_language("lang", requested)
    preferred = prescription.patient.preferred_language
    if not is_offered(preferred):
        raise _not_offered(
            "preferred_language",
            _("The patient's language, %(code)s, is no longer offered here: choose another.")
            % {"code": preferred},
        )
    return preferred


def offered_language(field: str, code: str) -> str:
    """`code`, named by the query parameter `field`, when it is a language offered here."""
    if not is_offered(code):
        raise _not_offered(field, _("%(code)s is not a language offered here.") % {"code": code})
    return code


def check_frozen_language(frozen: str, requested: str | None) -> None:
    """An issued handout prints only in the language frozen in its snapshot."""
    if requested not in (None, frozen):
        raise _not_offered(
            "lang",
            _("This handout was issued in %(frozen)s; it prints only in it.") % {"frozen": frozen},
        )


def check_frozen_second_language(snapshot: dict, requested: str | None) -> None:
    """An issued bilingual handout prints its second language as frozen; a sheet issued in one
    language has none to add."""
    frozen = (snapshot.get("also") or {}).get("language")
    if requested not in (None, frozen):
        raise _not_offered(
            "also",
            _("This handout was issued without %(code)s; it prints only as issued.")
            % {"code": requested},
        )


def stored_handout(
    prescription: Prescription,
    *,
    issued_paper: str | None,
    issued_language: str | None,
    paper: str | None,
    language: str | None,
    large_print: bool,
) -> tuple[BinaryIO, int] | None:
    """The stored PDF of an issued handout, opened, and its size, when it is what was asked
    for: the paper size and language it was issued in (`issued_paper`, `issued_language`, its
    snapshot's) and not large print; otherwise None. The caller reads it in blocks and closes
    it."""
    default_options = (
        paper in (None, issued_paper) and language in (None, issued_language) and not large_print
    )
    if not (default_options and prescription.status == "issued" and prescription.handout_pdf):
        return None
    try:
        return cast(StreamingStorage, default_storage).open_stream(prescription.handout_pdf.name)
    except STORAGE_ERRORS as error:
        raise StorageUnavailable(
            _(
                "The stored handout could not be read: the file storage is missing it or does not answer (%(reason)s)."
            )
            % {"reason": failure_reason(error)},
            code="media_unreadable",
        ) from None


def rendered_handout(
    prescription: Prescription,
    *,
    paper: str | None,
    large_print: bool,
    language: str | None = None,
    also: str | None = None,
) -> bytes:
    """The PDF rendered now: a draft from today's records, an issued one from its snapshot,
    never from today's catalogue. A draft prints in `language` or else the patient's; an issued
    one only in its frozen one.

    A superseded or voided one renders from its snapshot too, marked, with a first-page notice
    of by what and when it was replaced: the notice is not part of the snapshot, so the footer
    keeps the fingerprint of what was issued, and the stored file is never rewritten."""
    handout = handout_now(prescription, language, also)
    fingerprint = "" if reads_todays_records(prescription) else prescription.fingerprint
    return render_handout(handout, paper=paper, large_print=large_print, fingerprint=fingerprint)


def handout_now(
    prescription: Prescription, language: str | None = None, also: str | None = None
) -> Handout:
    """The handout `rendered_handout` prints: a draft's from today's records (bilingual with
    `also`), an issued one's from its snapshot with the status it has now and, once replaced,
    the notice saying so."""
    if reads_todays_records(prescription):
        # A draft saved before the dates were bounded: refused by field, not an overflow.
        check_dates(prescription.start_date, prescription.review_date)
        return build_handout(
            prescription,
            draft_language(prescription, language),
            offered_language("also", also) if also is not None else None,
        )
    frozen = (prescription.snapshot or {})["language"]
    check_frozen_language(frozen, language)
    check_frozen_second_language(prescription.snapshot or {}, also)
    return Handout.from_dict(
        {
            **(prescription.snapshot or {}),
            "status": prescription.status,
            "withdrawn": withdrawn_notice(prescription),
        }
    )


def handout_filename(prescription: Prescription) -> str:
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
