"""Out-of-hours help: the per-country default a handout prints until the clinic sets its own,
and the rule that keeps an emergency number out of it (the same-day tier must never send a
patient to emergency services: the emergency tier does that, for its own signs)."""

import re
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext

DEFAULTS_FILE = Path(__file__).with_name("out_of_hours.yaml")
# Emergency numbers common enough that a clinic might type one by habit, whatever its own.
COMMON_EMERGENCY_NUMBERS = frozenset({"112", "911", "999", "000"})
# A phone number as typed: digits, possibly grouped by spaces, dots or dashes.
_NUMBER = re.compile(r"\d(?:[\d .\-]*\d)?")


@cache
def _table() -> dict:
    with open(DEFAULTS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def default_out_of_hours(country: str) -> str:
    """The table's advice for this country, or the general fallback, in the active language
    (a Spanish or Arabic handout must not print it in English). The table's texts are
    translated in locale/<code>/LC_MESSAGES/django.po like the code's messages; makemessages
    does not read YAML, so they are kept there by hand (a test checks each is translated)."""
    table = _table()
    return gettext(table["countries"].get((country or "").upper(), table["fallback"]))


def names_only_emergency_numbers(text: str, emergency_number: str) -> bool:
    """True when the text gives numbers and every one of them is an emergency number (the
    clinic's own, 112, 911, 999 or 000): "Call 999" is refused, "Call 111, or 999 if ..."
    is not, since it gives a non-emergency number too."""
    numbers = [re.sub(r"\D", "", found) for found in _NUMBER.findall(text)]
    emergency = COMMON_EMERGENCY_NUMBERS | {re.sub(r"\D", "", emergency_number or "")} - {""}
    return bool(numbers) and all(number in emergency for number in numbers)
