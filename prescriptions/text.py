import unicodedata

# Latin letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)


def strip_accents(text: str) -> str:
    """ "Zoë Łukasiewicz" -> "Zoe Lukasiewicz"; other scripts are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_key(text: str) -> str:
    """Case- and accent-free form for search, identical on SQLite and PostgreSQL: "Zoë" -> "zoe"."""
    return strip_accents(text).casefold()
