"""What a therapist types to find a patient (the admin home page's "New prescription"): words
of a name, a record number, or a date of birth in the clinic's order of typed dates.

A term made of digits and date separators is a date. It is read in the clinic's order
(`Clinic.date_order`: day first by default) with the year in full, or year first
(1970-03-02) whatever the clinic's order; a date that cannot be read so is an error that says
so, never a guess. The other terms are searched as the API's patient search reads them
(`prescriptions.filters.patients_matching`).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinics.models import DateOrder

QUERY_MAX_LENGTH = 100
DATE_LIKE = re.compile(r"^\d+(?:[./-]\d+)+$")
DATE_PARTS = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
EXAMPLES = {DateOrder.DAY_FIRST: "31/12/1970", DateOrder.MONTH_FIRST: "12/31/1970"}
# Dates shown in the order the clinic types them (Django's `date` filter's format).
DISPLAY_FORMATS = {DateOrder.DAY_FIRST: "d/m/Y", DateOrder.MONTH_FIRST: "m/d/Y"}


def read_typed_date(term: str, date_order: str) -> datetime.date:
    """`term` (date-like) as a date, or a ValidationError naming what to type."""
    year_first = YEAR_FIRST.match(term)
    in_order = DATE_PARTS.match(term)
    try:
        if year_first:
            year, month, day = map(int, year_first.groups())
            return datetime.date(year, month, day)
        if in_order:
            first, second, year = map(int, in_order.groups())
            day, month = (first, second) if date_order == DateOrder.DAY_FIRST else (second, first)
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise ValidationError(
        _(
            "“%(term)s” is not a date this clinic reads: type a date of birth as %(example)s or %(iso)s."
        )
        % {"term": term, "example": EXAMPLES[DateOrder(date_order)], "iso": "1970-12-31"},
        code="invalid_date",
    )


def search_text(query: str, date_order: str) -> str:
    """The query with each date written year first, as the patient search reads dates."""
    return " ".join(
        read_typed_date(term, date_order).isoformat() if DATE_LIKE.match(term) else term
        for term in query.split()
    )


def new_patient_initial(query: str, date_order: str) -> dict[str, str]:
    """A new patient's form filled in with what was typed: a date is the date of birth, a
    term with a digit the record number, words the name (the last one the family name)."""
    initial: dict[str, str] = {}
    words = []
    for term in query.split():
        if DATE_LIKE.match(term):
            initial["date_of_birth"] = read_typed_date(term, date_order).isoformat()
        elif any(character.isdigit() for character in term):
            initial["identifier"] = term
        else:
            words.append(term)
    if words:
        initial["family_name"] = words[-1]
    if len(words) > 1:
        initial["given_name"] = " ".join(words[:-1])
    return initial
