"""Typo-tolerant search of the catalogue: "hamstrng", "strech" and "bird dog" find their
exercises. Matching happens in Python over the catalogue's words (read once per catalogue
version, `cached_lists`), so SQLite and PostgreSQL answer the same; the database only filters
by the matching ids and sorts by the rank."""

import re
from enum import IntEnum

from django.db.models import Case, IntegerField, QuerySet, Value, When
from rapidfuzz import fuzz, process

from exercises.cached_lists import read_once_per_version
from exercises.models import Exercise

# A typed word of this many letters or more may differ from a catalogue word by a letter or
# two; a shorter one must begin a word ("ham", "dog"): short words lie too close to one
# another ("leg", "log") to tell a typo from another word.
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_SCORE = 85  # rapidfuzz's ratio, 0-100: "strech"/"stretch" 92, "hamstrng" 94


class SearchRank(IntEnum):
    """Better matches first; alphabetical within a rank."""

    EXACT_NAME = 0
    NAME_STARTS_WITH = 1
    NAME_CONTAINS = 2
    NAME_WORDS = 3  # every typed word, or a near spelling of it, is in the name
    ELSEWHERE = 4  # in the summary or target muscles, as typed or nearly


def words_of(text: str) -> str:
    """Lower-case words joined by single spaces: "Bird-dog" and "bird dog" read the same."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _read_index() -> list[tuple[int, str, str]]:
    rows = Exercise.objects.values_list("pk", "name", "summary", "target_muscles")
    return [
        (pk, words_of(name), words_of(f"{summary} {muscles}"))
        for pk, name, summary, muscles in rows
    ]


def _catalogue_index() -> list[tuple[int, str, str]]:
    """(id, name's words, other words) of every exercise; visibility is the queryset's."""
    return read_once_per_version("search-index", (), _read_index)


def _near_words(typed: str, vocabulary: list[str]) -> set[str]:
    """The catalogue's words a typed word stands for: those it begins, and near spellings."""
    near = {word for word in vocabulary if word.startswith(typed)}
    if len(typed) >= FUZZY_MIN_LENGTH:
        matches = process.extract(
            typed, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=None
        )
        near.update(word for word, _score, _index in matches)
    return near


def ranked_matches(term: str) -> dict[int, SearchRank]:
    """Exercise id -> rank, for every exercise the term finds."""
    typed = words_of(term)
    if not typed:
        return {}
    index = _catalogue_index()
    vocabulary = sorted({word for _, name, other in index for word in f"{name} {other}".split()})
    near = [_near_words(word, vocabulary) for word in typed.split()]

    def has_every_word(words: set[str]) -> bool:
        return all(words & candidates for candidates in near)

    ranks = {}
    for pk, name, other in index:
        name_words = set(name.split())
        if name == typed:
            ranks[pk] = SearchRank.EXACT_NAME
        elif name.startswith(typed):
            ranks[pk] = SearchRank.NAME_STARTS_WITH
        elif typed in name:
            ranks[pk] = SearchRank.NAME_CONTAINS
        elif has_every_word(name_words):
            ranks[pk] = SearchRank.NAME_WORDS
        elif typed in other or has_every_word(name_words | set(other.split())):
            ranks[pk] = SearchRank.ELSEWHERE
    return ranks


def search_exercises(queryset: QuerySet[Exercise], term: str) -> QuerySet[Exercise]:
    """The exercises the term finds, annotated with `search_rank` (the API's list sorts by it
    unless `?ordering=` asks otherwise)."""
    ranks = ranked_matches(term)
    by_rank = {}
    for pk, rank in ranks.items():
        by_rank.setdefault(rank, []).append(pk)
    return queryset.filter(pk__in=list(ranks)).annotate(
        search_rank=Case(
            *(When(pk__in=pks, then=Value(int(rank))) for rank, pks in sorted(by_rank.items())),
            default=Value(int(SearchRank.ELSEWHERE)),
            output_field=IntegerField(),
        )
    )
