import re
import zoneinfo

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty


class LinesField(serializers.ListField):
    """A list of one-line strings, stored as text with one item per line (easy to edit in the admin)."""

    default_error_messages = {"newline": _("An item cannot contain a line break.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=500))
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [line for line in (value or "").splitlines() if line.strip()]

    def run_validation(self, data=empty):
        # The list's own validators (max_length counts items) see the list, not the joined text.
        items = super().run_validation(data)
        if any("\n" in item or "\r" in item for item in items):
            self.fail("newline")
        return "\n".join(items)


def optional_choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A choice that may be left empty. Its schema is a string that is one of the choices (a
    pattern, beside which drf-spectacular adds the empty string for allow_blank): with
    ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE off, drf-spectacular drops "" from an enum, so an enum
    would promise a value the API answers as "" (a schema violation the API fuzzer found)."""
    values = "|".join(re.escape(str(value)) for value, _label in choices)
    schema = {"type": "string", "pattern": f"^({values})$"}
    field_class = extend_schema_field(schema)(
        type("OptionalChoiceField", (serializers.ChoiceField,), {})
    )
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("required", False)
    return field_class(choices=choices, **kwargs)


@extend_schema_field({"type": "string", "description": "An email address, or empty."})
class OptionalEmailField(serializers.EmailField):
    """An email that may be blank: the schema must not promise an address format for ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "description": "A web address, or empty."})
class OptionalURLField(serializers.URLField):
    """A URL that may be blank: the schema must not promise a URI format for ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 64,
        "example": "Europe/London",
        "description": "An IANA time-zone name, e.g. Europe/London or America/New_York.",
    }
)
class TimeZoneField(serializers.CharField):
    """A time zone as a string checked against the IANA database: as an enum of the host's
    600 names it made client generators fail on duplicate keys."""

    default_error_messages = {"unknown": _("Not an IANA time-zone name, e.g. Europe/London.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        name = super().to_internal_value(data)
        if name not in zoneinfo.available_timezones():
            self.fail("unknown")
        return name


def primary_key_of(model, value):
    """The primary key of `model` that `value` (from a request body) names, as a lookup would
    read it; TypeError or ValueError when it names none: 2.5, 2.0 or true name no record,
    though int() would make one of them (and a lookup takes the int)."""
    if isinstance(value, bool | float):
        raise TypeError
    return model._meta.pk.get_prep_value(value)


class IntegerKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record named by its primary key in a body: an integer or its digits, never a number
    with a fraction or a boolean (400 "incorrect_type" naming the field)."""

    def to_internal_value(self, data):
        try:
            primary_key_of(self.get_queryset().model, data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class SlugKeyRelatedField(serializers.SlugRelatedField):
    """A record named by its slug in a body. An empty string names no record: 400 "blank"
    naming the field, where DRF's related fields read it as null and would clear the link."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "blank": _("This field may not be blank."),
    }

    def run_validation(self, data=empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)
