import unicodedata


def search_key(text: str) -> str:
    """Case- and accent-free form for search, identical on SQLite and PostgreSQL: "Zoë" -> "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ł", "l")
