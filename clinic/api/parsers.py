"""Request parsing: what the database cannot store is refused at the border, naming its field.

- Text with NUL characters: PostgreSQL cannot store or even compare it, so such a value would
  fail deep in a lookup (a slug, a filter) instead of answering 400.
- Integers outside 64 bits: no column holds them; SQLite and PostgreSQL both fail on them.
- JSON nested deeper than MAX_JSON_DEPTH: no request of ours nests more than a few levels, and
  a deep one exhausts Python's recursion while parsing (a 2 KB body did).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError

NUL_MESSAGE = _("Text cannot contain NUL characters.")
INTEGER_RANGE_MESSAGE = _("Ensure this value is a whole number between %(min)s and %(max)s.")
DEPTH_MESSAGE = _("JSON parse error - nested more than %(depth)s levels deep.")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_JSON_DEPTH = 32


def _leaves(value, path="", depth=0):
    """(path, value) of every scalar in parsed JSON; ParseError when nested too deeply."""
    if depth > MAX_JSON_DEPTH:
        raise ParseError(DEPTH_MESSAGE % {"depth": MAX_JSON_DEPTH})
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}.{index}" if path else str(index), depth + 1)
    else:
        yield path or "non_field_errors", value


def out_of_range(value) -> bool:
    """A whole number no 64-bit column can hold (an int, or a filter's whole Decimal)."""
    if isinstance(value, bool) or not hasattr(value, "__int__"):
        return False
    try:
        whole = int(value)
    except (ValueError, OverflowError):  # NaN, infinity
        return True
    return whole == value and not INT64_MIN <= whole <= INT64_MAX


def refuse_unstorable_values(data) -> None:
    """400 naming each field whose value holds a NUL character or a too-large integer."""
    errors = {}
    for path, value in _leaves(data):
        if isinstance(value, str) and "\x00" in value:
            errors[path] = [ErrorDetail(str(NUL_MESSAGE), code="null_characters_not_allowed")]
        elif out_of_range(value):
            message = INTEGER_RANGE_MESSAGE % {"min": INT64_MIN, "max": INT64_MAX}
            errors[path] = [ErrorDetail(message, code="out_of_range")]
    if errors:
        raise ValidationError(errors)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(DEPTH_MESSAGE % {"depth": MAX_JSON_DEPTH}) from None
        refuse_unstorable_values(data)
        return data
