"""The languages offered, read from settings each time (tests and deployments change them)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

# The query parameter that chooses an API answer's language (clinic.middleware), on every
# operation.
QUERY_PARAMETER = "lang"


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of each language offered: a callable, so a migration holds no list."""
    return list(settings.LANGUAGES)


def is_offered(code: str) -> bool:
    return code in dict(settings.LANGUAGES)


def asks_an_offered_language(request) -> bool:
    """Whether the request names a language offered here: by `?lang=` (the middleware refuses
    any other) or among its `Accept-Language` preferences."""
    if QUERY_PARAMETER in request.GET:
        return True
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            translation.get_supported_language_variant(code)
        except LookupError:
            continue
        return True
    return False


def answer_in_clinic_language(request, user) -> None:
    """A reader whose request names no offered language reads the answer in their clinic's
    language rather than LANGUAGE_CODE (a Spanish clinic's browser set to French gets
    Spanish). Called once the API knows who the reader is."""
    if asks_an_offered_language(request):
        return  # a browser's usual case: no clinic to read
    profile = getattr(user, "clinician", None)
    clinic_language = profile.clinic.language if profile else None
    if clinic_language and is_offered(clinic_language):
        translation.activate(clinic_language)
        request.LANGUAGE_CODE = clinic_language
