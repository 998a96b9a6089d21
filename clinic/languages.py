"""The languages offered, read from settings each time (tests and deployments change them)."""

from django.conf import settings

# The query parameter that chooses an API answer's language (clinic.middleware), on every
# operation.
QUERY_PARAMETER = "lang"


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of each language offered: a callable, so a migration holds no list."""
    return list(settings.LANGUAGES)


def is_offered(code: str) -> bool:
    return code in dict(settings.LANGUAGES)
