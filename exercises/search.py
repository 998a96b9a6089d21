"""Typo-tolerant search of the catalogue: "hamstrng", "strech" and "bird dog" find their
exercises. Matching happens in Python over the catalogue's words (read once per catalogue
version, `cached_lists`), so SQLite and PostgreSQL answer the same; the database only filters
by the matching ids and sorts by the rank."""

import re
from dataclasses import dataclass
from enum import IntEnum

from django.db.models import Case, IntegerField, QuerySet, Value, When
from rapidfuzz import fuzz, process

from exercises.cached_lists import catalogue_version, read_once_per_version
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


@dataclass(frozen=True)
class CatalogueWords:
    """The catalogue as the search reads it: each exercise's name and other words, the
    vocabulary, and which exercises hold each word (in the name; anywhere)."""

    entries: tuple[tuple[int, str, str], ...]  # (id, name's words, summary's and muscles')
    vocabulary: tuple[str, ...]
    named_by: dict[str, frozenset[int]]
    held_by: dict[str, frozenset[int]]


def _read_words() -> CatalogueWords:
    rows = Exercise.objects.values_list("pk", "name", "summary", "target_muscles")
    entries = tuple(
        (pk, words_of(name), words_of(f"{summary} {muscles}"))
        for pk, name, summary, muscles in rows
    )
    named_by: dict[str, set[int]] = {}
    held_by: dict[str, set[int]] = {}
    for pk, name, other in entries:
        for word in name.split():
            named_by.setdefault(word, set()).add(pk)
            held_by.setdefault(word, set()).add(pk)
        for word in other.split():
            held_by.setdefault(word, set()).add(pk)
    return CatalogueWords(
        entries=entries,
        vocabulary=tuple(sorted(held_by)),
        named_by={word: frozenset(pks) for word, pks in named_by.items()},
        held_by={word: frozenset(pks) for word, pks in held_by.items()},
    )


# This process's copy for the current catalogue version: read from the shared cache (or the
# database) once per version, not unpickled on every search.
_this_process: dict[str, CatalogueWords] = {}


def _catalogue_words() -> CatalogueWords:
    """The words of every exercise; which are shown is the queryset's business."""
    version = catalogue_version()
    words = _this_process.get(version)
    if words is None:
        words = read_once_per_version("search-words", (), _read_words)
        _this_process.clear()
        _this_process[version] = words
    return words


def _near_words(typed: str, vocabulary: tuple[str, ...]) -> set[str]:
    """The catalogue's words a typed word stands for: those it begins, and near spellings."""
    near = {word for word in vocabulary if word.startswith(typed)}
    if len(typed) >= FUZZY_MIN_LENGTH:
        matches = process.extract(
            typed, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=None
        )
        near.update(word for word, _score, _index in matches)
    return near


def _with_every_word(near: list[set[str]], holders: dict[str, frozenset[int]]) -> set[int]:
    """The exercises holding, for each typed word, one of the words it stands for."""
    found = None
    for candidates in near:
        holding = set().union(*(holders.get(word, ()) for word in candidates))
        found = holding if found is None else found & holding
    return found or set()


def ranked_matches(term: str) -> dict[int, SearchRank]:
    """Exercise id -> rank, for every exercise the term finds."""
    typed = words_of(term)
    if not typed:
        return {}
    words = _catalogue_words()
    near = [_near_words(word, words.vocabulary) for word in typed.split()]
    in_name = _with_every_word(near, words.named_by)
    anywhere = _with_every_word(near, words.held_by)
    ranks = {}
    for pk, name, other in words.entries:
        if name == typed:
            ranks[pk] = SearchRank.EXACT_NAME
        elif name.startswith(typed):
            ranks[pk] = SearchRank.NAME_STARTS_WITH
        elif typed in name:
            ranks[pk] = SearchRank.NAME_CONTAINS
        elif pk in in_name:
            ranks[pk] = SearchRank.NAME_WORDS
        elif pk in anywhere or typed in other:
            ranks[pk] = SearchRank.ELSEWHERE
    return ranks


def search_exercises(queryset: QuerySet[Exercise], term: str) -> QuerySet[Exercise]:
    """The exercises the term finds, annotated with `search_rank` (the API's list sorts by it
    unless `?ordering=` asks otherwise)."""
    ranks = ranked_matches(term)
    by_rank: dict[int, list[int]] = {}
    for pk, rank in ranks.items():
        by_rank.setdefault(rank, []).append(pk)
    return queryset.filter(pk__in=list(ranks)).annotate(
        search_rank=Case(
            *(When(pk__in=pks, then=Value(int(rank))) for rank, pks in sorted(by_rank.items())),
            default=Value(int(SearchRank.ELSEWHERE)),
            output_field=IntegerField(),
        )
    )
