"""Entity tags, the project's one policy: which version of a record a reader holds.

An ETag covers everything the record's representation shows, so a client that holds it has
seen what a change would act on:

- A patient or a prescription is tagged by its row version (`record.etag_version`, changed
  by every write of its row) plus a digest of what its representation shows that other rows
  decide (`record.etag_shows`: a prescription's warnings, which a new condition of its patient
  or a new caution in the catalogue changes; its items with their exercises' names, which an
  editor's rename changes; its clinician's name; the revision that replaced it), as shown in
  the response's language. Its
  services compare `If-Match` under the row locks of what the tag covers (`require_current`).
- Any other record (catalogue records, templates) is tagged by a digest of its whole
  representation; the API compares `If-Match` under its row lock before the write
  (clinic.api.mixins.RecordResponsesMixin).
- The admin's change forms carry the version they opened: the ETag of a patient or a
  prescription, `stored_version` (the row and its child rows) of any other record, and refuse
  a save over a newer one (clinic.admin_versions).

`If-Match` is optional on changes, except where a stale view harms a patient (issuing a
prescription): there it is required and must name a tag, not `*` (428 without it).
"""

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.http import parse_etags

from clinic.errors import PreconditionRequired, StalePrecondition

WEAK_PREFIX = "W/"
ANY = "*"


def digest(data) -> str:
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def content_etag(content: bytes) -> str:
    """The tag of a file the API answers as it is (a picture): a digest of its bytes."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def representation_etag(data) -> str:
    """The tag of a record without a row version: a digest of what the client reads."""
    return f'"{digest(data)}"'


def versioned_etag(version: str, shown: dict | None = None) -> str:
    """`"<version>"`, plus `-<digest>` of `shown`: what the representation shows beyond its row."""
    return f'"{version}-{digest(shown)[:16]}"' if shown else f'"{version}"'


def etag_of(record, data) -> str:
    """The tag of `record` as `data` (its representation) shows it."""
    version = getattr(record, "etag_version", None)
    if version is None:
        return representation_etag(data)
    return versioned_etag(version, {name: data[name] for name in record.etag_shows})


def current_etag(record, shown: dict | None = None) -> str:
    """The tag of a versioned record, as a write sees it: `shown` holds the values of
    `record.etag_shows` computed by the caller (under the locks of the rows they come from)."""
    missing = set(record.etag_shows) - set(shown or {})
    if missing:
        raise ValueError(f"the tag of {type(record).__name__} needs {sorted(missing)}")
    return versioned_etag(record.etag_version, shown)


def if_match_holds(current: str, if_match: str | None) -> bool:
    """No If-Match always holds; otherwise the strong comparison of RFC 9110 (W/ never matches)."""
    return if_match is None or bool({ANY, current} & set(parse_etags(if_match)))


def if_none_match_holds(current: str, if_none_match: str) -> bool:
    """True when the client's copy is current: the weak comparison GET uses."""
    tags = {tag.removeprefix(WEAK_PREFIX) for tag in parse_etags(if_none_match)}
    return bool({ANY, current.removeprefix(WEAK_PREFIX)} & tags)


def require_if_match(if_match: str | None) -> None:
    """For changes that must name the version the client saw: a tag, not `*` (HTTP 428)."""
    if not if_match or not (set(parse_etags(if_match)) - {ANY}):
        raise PreconditionRequired()


def require_tag(current: str, if_match: str | None) -> None:
    if not if_match_holds(current, if_match):
        raise StalePrecondition()


def require_current(record, if_match: str | None, shown: Callable[[], dict] | None = None) -> None:
    """Call with the record read under its row lock, inside the write's transaction; `shown`
    computes the values of `record.etag_shows` (from rows locked too), only when needed."""
    if if_match is not None:
        require_tag(current_etag(record, shown() if shown else None), if_match)


def _row_values(row) -> dict:
    return {field.attname: field.value_to_string(row) for field in row._meta.concrete_fields}


def stored_version(record, related_rows=()) -> str:
    """The version of a record without a row version, as stored: a digest of its row, its
    many-to-many links and the rows of each queryset in `related_rows` (its child rows)."""
    return digest(
        {
            "row": _row_values(record),
            "links": {
                field.name: sorted(getattr(record, field.name).values_list("pk", flat=True))
                for field in record._meta.many_to_many
            },
            "related": [[_row_values(row) for row in rows] for rows in related_rows],
        }
    )
