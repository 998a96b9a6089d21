"""Request parsing: text with NUL characters is refused at the border, naming its field.

PostgreSQL cannot store or even compare text containing NUL, so such a value would fail deep
in a lookup (a slug, a filter) instead of answering 400.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

NUL_MESSAGE = _("Text cannot contain NUL characters.")


def _paths_with_nul(value, path=""):
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "non_field_errors"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _paths_with_nul(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths_with_nul(item, f"{path}.{index}" if path else str(index))


def refuse_nul_characters(data) -> None:
    paths = list(_paths_with_nul(data))
    if paths:
        raise ValidationError(
            {path: [NUL_MESSAGE] for path in paths}, code="null_characters_not_allowed"
        )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_nul_characters(data)
        return data
