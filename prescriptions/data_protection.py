"""A patient's right of access (export everything held) and erasure (anonymise, keep structure).

Erasure reaches three circles (docs/security.md, "Erasure and export"):
- rows linked to the patient (their record, prescriptions and items, templates saved from their
  prescriptions, the audit and admin history of those, stored API answers that showed them, the
  list reads that showed them): every word of every name they have had is masked, and every
  record number, contact detail and address fragment;
- other rows of the patient's clinic: only a whole name they have had (as a phrase), a record
  number or another whole contact detail (clinicians type patients' names into template names
  and notes; a template called "Gentle start" is not about a patient called Gentle);
- another clinic's rows: never touched.
"""

import datetime
import itertools
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from clinic.audit import search_digest
from clinic.idempotency import stored_answers_for_patient
from clinic.models import StoredAnswer
from exercises.dose import DOSE_FIELD_NAMES
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)

logger = logging.getLogger(__name__)

ERASED_NAME = "Erased"
IDENTIFYING_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "identifier",
    "email",
    "phone",
    "address",
    "notes",
)
TEXT_FIELDS = tuple(name for name in IDENTIFYING_FIELDS if name != "date_of_birth")
# A list entry keeps a keyed digest of the search typed; erasure overwrites it with this.
ERASED_DIGEST = "erased"


# What is held ----------------------------------------------------------------------------


def _audit_entries(patient: Patient):
    return LogEntry.objects.filter(additional_data__patient_id=patient.pk).order_by(
        "timestamp", "pk"
    )


def _as_text(field: str):
    """A subquery's integer key as text: Django's admin log keeps object ids as text."""
    return Cast(field, output_field=TextField())


def _admin_log_entries(patient: Patient):
    """Django's admin history of the patient, their prescriptions and their derived templates."""
    return AdminLogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Patient), object_id=str(patient.pk))
        | Q(
            content_type=ContentType.objects.get_for_model(Prescription),
            object_id__in=patient.prescriptions.values(text_pk=_as_text("pk")),
        )
        | Q(
            content_type=ContentType.objects.get_for_model(ProgrammeTemplate),
            object_id__in=patient.derived_templates.values(text_pk=_as_text("pk")),
        )
    )


def _list_reads(model, ids: set[int]):
    """Access entries of list pages, searches and autocompletes of `model` that named one of
    `ids`. Read in Python: JSON array containment is not portable between the databases."""
    if not ids:
        return
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        action=LogEntry.Action.ACCESS,
        object_pk="",
    ).order_by("pk")
    for entry in entries.iterator(chunk_size=2000):
        listed = (entry.additional_data or {}).get("object_ids") or []
        if ids.intersection(listed):
            yield entry


def _reads_showing(patient: Patient):
    """Every list read that showed the patient: their row in a patient list or autocomplete,
    or one of their prescriptions (which shows their name) in a prescription list."""
    yield from _list_reads(Patient, {patient.pk})
    yield from _list_reads(Prescription, set(patient.prescriptions.values_list("pk", flat=True)))


def patient_record(patient: Patient) -> dict:
    prescriptions = patient.prescriptions.prefetch_related("items__exercise").order_by("created_at")
    return {
        "exported_at": timezone.now(),
        "patient": {
            "id": patient.pk,
            "clinic": patient.clinic.name,
            **{name: getattr(patient, name) for name in IDENTIFYING_FIELDS},
            "preferred_language": patient.preferred_language,
            "conditions": [condition.slug for condition in patient.conditions.all()],
            "archived_at": patient.archived_at,
            "created_at": patient.created_at,
        },
        "prescriptions": [
            {
                "id": rx.pk,
                "version": rx.version,
                "status": rx.status,
                "notes": rx.notes,
                "start_date": rx.start_date,
                "review_date": rx.review_date,
                "agreed_pain_score": rx.agreed_pain_score,
                "issued_at": rx.issued_at,
                "voided_at": rx.voided_at,
                "void_reason": rx.void_reason,
                "fingerprint": rx.fingerprint,
                "items": [
                    {
                        "exercise": item.exercise.name,
                        "notes": item.notes,
                        **{name: getattr(item, name) for name in DOSE_FIELD_NAMES},
                        "acknowledge_contraindication": item.acknowledge_contraindication,
                        "contraindication_reason": item.contraindication_reason,
                    }
                    for item in rx.items.all()
                ],
                "handout_text": rx.snapshot,
            }
            for rx in prescriptions
        ],
        # Templates saved from the patient's prescriptions: they copy its notes and doses.
        "derived_templates": [
            {
                "id": template.pk,
                "name": template.name,
                "notes": template.notes,
                "created_at": template.created_at,
                "items": [
                    {
                        "exercise": item.exercise.name,
                        "notes": item.notes,
                        **{name: getattr(item, name) for name in DOSE_FIELD_NAMES},
                    }
                    for item in template.items.all()
                ],
            }
            for template in patient.derived_templates.prefetch_related("items__exercise")
        ],
        "audit_trail": [
            {
                "timestamp": entry.timestamp,
                "action": entry.get_action_display(),
                "object": entry.object_repr,
                "actor": entry.actor.get_username() if entry.actor else None,
                "address": entry.remote_addr,
                "changes": entry.changes,
                "details": entry.additional_data,
            }
            for entry in _audit_entries(patient).select_related("actor")
        ],
        # Lists, searches and pickers that showed the patient (other records listed with them
        # are left out: they are other patients' data).
        "reads_that_listed_the_patient": [
            {
                "timestamp": entry.timestamp,
                "event": (entry.additional_data or {}).get("event"),
                "records": entry.object_repr,
                "actor": entry.actor_email,
                "address": entry.remote_addr,
                "searched": "search_sha256" in (entry.additional_data or {}),
            }
            for entry in _reads_showing(patient)
        ],
        "stored_api_answers": stored_answers_for_patient(patient.pk),
        # What erasure would mask: every name and number held, past ones included.
        "names_and_numbers_held": sorted(identifying_values(patient)),
        "admin_history": [
            {
                "timestamp": entry.action_time,
                "action": entry.get_action_flag_display(),
                "object": entry.object_repr,
                "actor": entry.user.get_username(),
                "change": entry.get_change_message(),
            }
            for entry in _admin_log_entries(patient).select_related("user").order_by("pk")
        ],
    }


def export_patient(patient: Patient, output: Path) -> list[str]:
    """Writes a zip: record.json plus every stored handout PDF. Returns the names written."""
    names = ["record.json"]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "record.json",
            json.dumps(
                patient_record(patient), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
            ),
        )
        for rx in patient.prescriptions.exclude(handout_pdf=""):
            name = f"handouts/prescription-{rx.pk}-v{rx.version}.pdf"
            with rx.handout_pdf.open("rb") as pdf:
                archive.writestr(name, pdf.read())
            names.append(name)
    return names


# What is masked --------------------------------------------------------------------------


def _phrase_pattern(words: tuple[str, ...]) -> str:
    """The words in order, any whitespace between them, neither end inside a longer word."""
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"


# Letters that Python's case-insensitive matching equates with a letter outside ASCII (Kelvin
# sign, long s, dotless and dotted i), which a database's LIKE would not.
_UNSAFE_ANCHOR_LETTERS = "iks"


def _anchor(words: tuple[str, ...]) -> str | None:
    """The longest run of plain ASCII letters and digits in a term: every text the term's
    pattern matches contains it in some case, also as JSON text with escaped accents (SQLite
    keeps é as \\u00e9), and SQLite's LIKE and PostgreSQL's UPPER() ignore its case alike."""
    runs = [
        run
        for word in words
        for run in re.split(rf"[^a-zA-Z0-9]|[{_UNSAFE_ANCHOR_LETTERS}]", word, flags=re.IGNORECASE)
    ]
    longest = max(runs, key=len, default="")
    return longest if len(longest) >= 3 else None


class Scrubber:
    """Masks terms wherever they appear in a text: whole words only, case-insensitively, a
    term of several words as a phrase (any run of spaces or line breaks between its words).

    "Ann" goes from "Call Ann", not from "Annual"; "Ann Gentle" goes, "gentle start" stays.
    """

    MASK = "[erased]"

    def __init__(self, terms: set[str]):
        words_of = {tuple(term.split()) for term in terms}
        phrases = sorted(
            (words for words in words_of if words and len(" ".join(words)) >= 2),
            key=lambda words: len(" ".join(words)),
            reverse=True,
        )
        self.pattern = (
            re.compile("|".join(_phrase_pattern(words) for words in phrases), re.IGNORECASE)
            if phrases
            else None
        )
        self.anchors = [_anchor(words) for words in phrases]

    def may_mention(self, *fields: str) -> Q | None:
        """Rows whose `fields` may hold a term: a superset the masking then decides, so a
        clinic's other rows are not all read. None (read them all) when a term has no anchor."""
        if None in self.anchors:
            return None
        query = Q(pk__in=[])
        for anchor in set(self.anchors):
            for field in fields:
                query |= Q(**{f"{field}__icontains": anchor})
        return query

    def text(self, value: str) -> str:
        return self.pattern.sub(self.MASK, value) if self.pattern and value else value

    def json(self, value):
        """The same structure with every string (keys too) masked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.json(item) for key, item in value.items()}
        return value


@dataclass(frozen=True)
class HeldValues:
    """Every value of each identifying text field the patient has had, field by field."""

    by_field: dict[str, frozenset[str]]

    def of(self, *fields: str) -> set[str]:
        return {value for field in fields for value in self.by_field.get(field, ())}

    def address_fragments(self) -> set[str]:
        """Each line and comma-separated part of each address: "12 Mill Lane" is typed into
        a note without the town."""
        return {
            fragment.strip()
            for address in self.of("address")
            for fragment in re.split(r"[\n,;]", address)
            if fragment.strip()
        }

    def full_names(self) -> set[str]:
        """Every given name with every family name the patient has had, in both orders (a
        renamed patient's old given name with their old family name is a name they had)."""
        names = set()
        for given, family in itertools.product(self.of("given_name"), self.of("family_name")):
            names |= {f"{given} {family}", f"{family} {given}", f"{family}, {given}"}
        return names

    def linked_terms(self) -> set[str]:
        """For rows linked to the patient: every word of every name, each whole value, and the
        date of birth as written in an API answer."""
        words = {word for name in self.of("given_name", "family_name") for word in name.split()}
        return words | self.of(*IDENTIFYING_FIELDS) | self.full_names() | self.address_fragments()

    def clinic_terms(self) -> set[str]:
        """For the rest of the clinic: whole names as phrases, record numbers, contact details,
        addresses and the address fragments that hold a number (a street line, a postcode;
        a town alone names no one)."""
        numbered = {fragment for fragment in self.address_fragments() if re.search(r"\d", fragment)}
        return self.full_names() | self.of("identifier", "email", "phone", "address") | numbered


def held_values(patient: Patient) -> HeldValues:
    """Today's values and the before and after of each change in the audit trail (a renamed
    patient's old names)."""
    values = {field: {str(getattr(patient, field))} for field in IDENTIFYING_FIELDS}
    for changes in (
        _audit_entries(patient)
        .filter(content_type=ContentType.objects.get_for_model(Patient), object_id=patient.pk)
        .values_list("changes", flat=True)
    ):
        for field, change in (changes or {}).items():
            if field in IDENTIFYING_FIELDS and isinstance(change, list):
                values[field].update(value for value in change if isinstance(value, str))
    return HeldValues(
        {
            field: frozenset(v for v in found if v and v.strip() and v != "None")
            for field, found in values.items()
        }
    )


def identifying_values(patient: Patient) -> set[str]:
    """Every whole identifying value held: the names, numbers and details erasure masks."""
    held = held_values(patient)
    return held.of(*TEXT_FIELDS) | {patient.full_name, str(patient)}


def _mentioning(queryset, scrubber: Scrubber, fields):
    may_mention = scrubber.may_mention(*fields)
    return queryset if may_mention is None else queryset.filter(may_mention)


def _scrub_rows(queryset, scrubber: Scrubber, text_fields=(), json_fields=()) -> int:
    """Masks `text_fields` and `json_fields` of each row; saves only rows that changed."""
    changed = 0
    fields = (*text_fields, *json_fields)
    for row in _mentioning(queryset, scrubber, fields).iterator(chunk_size=2000):
        before = {name: getattr(row, name) for name in fields}
        after = {
            **{name: scrubber.text(before[name]) for name in text_fields},
            **{name: scrubber.json(before[name]) for name in json_fields},
        }
        if after != before:
            type(row).objects.filter(pk=row.pk).update(**after)
            changed += 1
    return changed


@dataclass(frozen=True)
class Reach:
    """The patient, what erasure masks in each circle, and which rows are linked to them."""

    patient: Patient
    linked: Scrubber
    clinic: Scrubber
    clinic_digests: frozenset[str]
    prescription_ids: frozenset[int]
    template_ids: frozenset[int]
    # Whose rows the clinic's rule leaves alone: the patient (their rows are linked) and any
    # namesake, another patient of the clinic with one of the same whole names, whose own
    # rows (labels, snapshots, notes) name them, not the patient erased.
    set_apart: frozenset[int]

    @property
    def clinic_id(self) -> int:
        return self.patient.clinic_id


def _namesakes(patient: Patient, held: HeldValues) -> set[int]:
    names = held.of("given_name")
    candidates = Patient.objects.filter(clinic=patient.clinic_id).exclude(pk=patient.pk)
    query = Q(pk__in=[])
    for given, family in itertools.product(names, held.of("family_name")):
        query |= Q(given_name__iexact=given.strip(), family_name__iexact=family.strip())
    return set(candidates.filter(query).values_list("pk", flat=True))


def _reach(patient: Patient) -> Reach:
    held = held_values(patient)
    return Reach(
        patient=patient,
        linked=Scrubber(held.linked_terms()),
        clinic=Scrubber(held.clinic_terms()),
        clinic_digests=frozenset(search_digest(term) for term in held.clinic_terms()),
        prescription_ids=frozenset(patient.prescriptions.values_list("pk", flat=True)),
        template_ids=frozenset(patient.derived_templates.values_list("pk", flat=True)),
        set_apart=frozenset({patient.pk, *_namesakes(patient, held)}),
    )


# The steps: each erases one place and answers how many rows or files it changed ------------


def _erase_patient_row(reach: Reach) -> int:
    patient = reach.patient
    patient.given_name = ERASED_NAME
    patient.family_name = f"patient {patient.pk}"
    patient.date_of_birth = datetime.date(1900, 1, 1)
    patient.identifier = f"erased-{patient.pk}"
    patient.email = patient.phone = patient.address = patient.notes = ""
    with disable_auditlog():
        # The one erasure entry stands for this change; its diff would hold the names.
        patient.save()
    return 1


def _erase_stored_handouts(reach: Reach) -> int:
    deleted = 0
    for rx in reach.patient.prescriptions.exclude(handout_pdf=""):
        rx.handout_pdf.storage.delete(rx.handout_pdf.name)
        deleted += 1
    reach.patient.prescriptions.update(handout_pdf="", handout_sha256="")
    return deleted


def _erase_prescriptions(reach: Reach) -> int:
    patient = reach.patient
    for rx in patient.prescriptions.filter(snapshot__isnull=False):
        Prescription.objects.filter(pk=rx.pk).update(
            snapshot={
                **(rx.snapshot or {}),
                "patient_name": patient.full_name,
                "patient_birth_date": "",
            }
        )
    fields = {"text_fields": ["notes", "void_reason"], "json_fields": ["snapshot"]}
    others = Prescription.objects.filter(clinic=reach.clinic_id).exclude(
        patient__in=reach.set_apart
    )
    return _scrub_rows(patient.prescriptions.all(), reach.linked, **fields) + _scrub_rows(
        others, reach.clinic, **fields
    )


def _erase_prescription_items(reach: Reach) -> int:
    fields = ["notes", "contraindication_reason"]
    items = PrescriptionItem.objects.filter(prescription__clinic=reach.clinic_id)
    return _scrub_rows(
        items.filter(prescription__patient=reach.patient), reach.linked, fields
    ) + _scrub_rows(items.exclude(prescription__patient__in=reach.set_apart), reach.clinic, fields)


def _other_patients(reach: Reach) -> int:
    """Other patients' notes can name this one ("referred by her husband, John Gentle")."""
    others = Patient.objects.filter(clinic=reach.clinic_id).exclude(pk__in=reach.set_apart)
    return _scrub_rows(others, reach.clinic, ["notes"])


def _masked_template_name(template: ProgrammeTemplate, scrubber: Scrubber) -> str:
    """The masked name, kept unique in the clinic: two templates named after the patient
    would both become "Plan for [erased]"."""
    name = scrubber.text(template.name)[: ProgrammeTemplate._meta.get_field("name").max_length]
    if name == template.name:
        return name
    taken = ProgrammeTemplate.objects.filter(clinic=template.clinic_id, name=name).exclude(
        pk=template.pk
    )
    return f"{name[:180]} (template {template.pk})" if taken.exists() else name


def _erase_templates(reach: Reach) -> int:
    """Templates saved from the patient's prescriptions lose every word of the names; the
    clinic's other templates only a whole name ("Gentle start" is not about Ms Gentle)."""
    changed = 0
    templates = ProgrammeTemplate.objects.filter(clinic=reach.clinic_id).exclude(
        source_patient__in=reach.set_apart - {reach.patient.pk}
    )
    for template in templates.iterator():  # a clinic's templates: a few hundred at most
        scrubber = reach.linked if template.pk in reach.template_ids else reach.clinic
        name, notes = _masked_template_name(template, scrubber), scrubber.text(template.notes)
        if (name, notes) != (template.name, template.notes):
            ProgrammeTemplate.objects.filter(pk=template.pk).update(name=name, notes=notes)
            changed += 1
    return changed


def _erase_template_items(reach: Reach) -> int:
    items = TemplateItem.objects.filter(template__clinic=reach.clinic_id).exclude(
        template__source_patient__in=reach.set_apart - {reach.patient.pk}
    )
    derived = Q(template__in=reach.template_ids)
    return _scrub_rows(items.filter(derived), reach.linked, ["notes"]) + _scrub_rows(
        items.exclude(derived), reach.clinic, ["notes"]
    )


AUDIT_TEXT_FIELDS = (
    "object_repr",
    "changes_text",
    "changes",
    "additional_data",
    "serialized_data",
)


def _masked_entry(entry: LogEntry, scrubber: Scrubber, *, whole_identifying_diffs: bool) -> dict:
    changes = entry.changes
    if whole_identifying_diffs and changes:
        # Dates of birth and addresses are not names: every identifying diff goes whole.
        changes = {
            field: ["(erased)", "(erased)"] if field in IDENTIFYING_FIELDS else change
            for field, change in changes.items()
        }
    return {
        "object_repr": scrubber.text(entry.object_repr),
        "changes_text": scrubber.text(entry.changes_text),
        "changes": scrubber.json(changes),
        "additional_data": scrubber.json(entry.additional_data),
        "serialized_data": scrubber.json(entry.serialized_data),
    }


def _erase_audit_entries(entries, scrubber: Scrubber, *, patient: Patient | None = None) -> int:
    """Masks each entry; the diffs of `patient`'s own record go whole."""
    patient_type = ContentType.objects.get_for_model(Patient)
    if patient is None:
        # The patient's own diffs go whole even where no name is in them (a date of birth).
        entries = _mentioning(entries, scrubber, AUDIT_TEXT_FIELDS)
    changed = 0
    for entry in entries.order_by("pk").iterator(chunk_size=2000):
        own_record = (
            patient is not None
            and entry.content_type_id == patient_type.pk
            and entry.object_id == patient.pk
        )
        after = _masked_entry(entry, scrubber, whole_identifying_diffs=own_record)
        if any(getattr(entry, name) != value for name, value in after.items()):
            LogEntry.objects.filter(pk=entry.pk).update(**after)
            changed += 1
    return changed


def _erase_audit_trail(reach: Reach) -> int:
    """The entries of the patient's records and derived templates lose every name word; the
    clinic's other entries (other patients', its templates') only whole names."""
    template_type = ContentType.objects.get_for_model(ProgrammeTemplate)
    linked = Q(additional_data__patient_id=reach.patient.pk) | Q(
        content_type=template_type, object_id__in=reach.template_ids
    )
    clinic = Q(additional_data__clinic_id=reach.clinic_id) | Q(
        content_type=template_type,
        object_id__in=ProgrammeTemplate.objects.filter(clinic=reach.clinic_id).values("pk"),
    )
    linked_entries = LogEntry.objects.filter(linked)
    # Not exclude(linked): an entry without the JSON key would compare as NULL and drop out.
    set_apart = LogEntry.objects.filter(additional_data__patient_id__in=reach.set_apart)
    others = (
        LogEntry.objects.filter(clinic)
        .exclude(pk__in=linked_entries.values("pk"))
        .exclude(pk__in=set_apart.values("pk"))
    )
    return _erase_audit_entries(
        linked_entries, reach.linked, patient=reach.patient
    ) + _erase_audit_entries(others, reach.clinic)


def _erase_search_digests(reach: Reach) -> int:
    """A search's keyed digest re-identifies a search for the patient's name to whoever holds
    the secret key: it goes from every list read that showed the patient, and from the
    clinic's searches for one of their whole names or numbers that found no one."""
    changed = 0
    showed = {entry.pk for entry in _reads_showing(reach.patient)}
    searches = LogEntry.objects.filter(
        Q(pk__in=showed)
        | (
            (Q(additional_data__clinic_id=reach.clinic_id) | Q(additional_data__clinic_id=None))
            & Q(additional_data__search_sha256__in=reach.clinic_digests)
        ),
        additional_data__has_key="search_sha256",
    )
    for entry in searches.iterator(chunk_size=2000):
        LogEntry.objects.filter(pk=entry.pk).update(
            additional_data={**entry.additional_data, "search_sha256": ERASED_DIGEST}
        )
        changed += 1
    return changed


def _erase_admin_log(reach: Reach) -> int:
    """Django's own admin history: each entry's label is the object's name when it was saved.
    The clinic's other entries: those of its records and those its staff wrote."""
    fields = ["object_repr", "change_message"]
    linked = _admin_log_entries(reach.patient)
    clinic_records = (
        (Patient, Patient.objects.filter(clinic=reach.clinic_id)),
        (Prescription, Prescription.objects.filter(clinic=reach.clinic_id)),
        (ProgrammeTemplate, ProgrammeTemplate.objects.filter(clinic=reach.clinic_id)),
    )
    clinic = Q(user__clinician__clinic=reach.clinic_id)
    for model, records in clinic_records:
        clinic |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=records.values(text_pk=_as_text("pk")),
        )
    set_apart = AdminLogEntry.objects.none()
    for namesake in Patient.objects.filter(pk__in=reach.set_apart - {reach.patient.pk}):
        set_apart |= _admin_log_entries(namesake)
    others = (
        AdminLogEntry.objects.filter(clinic)
        .exclude(pk__in=linked.values("pk"))
        .exclude(pk__in=set_apart.values("pk"))
    )
    return _scrub_rows(linked, reach.linked, fields) + _scrub_rows(others, reach.clinic, fields)


def _masked_answer(stored: StoredAnswer, scrubber: Scrubber) -> dict:
    body = scrubber.json(json.loads(stored.body)) if stored.body else stored.body
    return {
        "body": json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
        if stored.body
        else stored.body,
        "headers": scrubber.json(stored.headers),
    }


def _erase_stored_answers(reach: Reach) -> int:
    """Answers kept for Idempotency-Key retries are masked, not deleted: a retry after the
    erasure replays the masked answer instead of creating the record again, name and all."""
    changed = 0
    linked = StoredAnswer.objects.filter(patient_id=reach.patient.pk)
    others = StoredAnswer.objects.filter(user__clinician__clinic=reach.clinic_id).exclude(
        patient_id__in=reach.set_apart
    )
    for answers, scrubber in ((linked, reach.linked), (others, reach.clinic)):
        for stored in _mentioning(answers, scrubber, ["body"]).iterator(chunk_size=500):
            after = _masked_answer(stored, scrubber)
            if after != {"body": stored.body, "headers": stored.headers}:
                StoredAnswer.objects.filter(pk=stored.pk).update(**after)
                changed += 1
    return changed


# Each step erases one place the patient's data is kept and answers how many rows or files it
# changed; `erase_patient` runs them in order and reports each. A new place (a new table
# that copies patient data) adds its step here.
ERASURE_STEPS = (
    ("patient record", _erase_patient_row),
    ("stored handouts deleted", _erase_stored_handouts),
    ("prescriptions masked", _erase_prescriptions),
    ("prescription items masked", _erase_prescription_items),
    ("other patients' notes masked", _other_patients),
    ("templates masked", _erase_templates),
    ("template items masked", _erase_template_items),
    ("audit entries masked", _erase_audit_trail),
    ("search digests removed", _erase_search_digests),
    ("admin log entries masked", _erase_admin_log),
    ("stored API answers masked", _erase_stored_answers),
)


def clear_freed_pages() -> None:
    """SQLite: write the erasure's pages back into the database file and empty the write-ahead
    log, which still holds the pages as they were before (with the names). The file's own
    freed space is zeroed as rows change (PRAGMA secure_delete, clinic/settings/base.py).
    PostgreSQL keeps old row versions until VACUUM: docs/security.md."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = cursor.fetchone()[0]
    if busy:
        logger.warning(
            "The write-ahead log could not be emptied (another connection was writing or "
            "reading): it keeps erased values until the next checkpoint."
        )


def erase_patient(*, patient: Patient, reason: str, erased_by) -> dict[str, int]:
    """Anonymises the patient and masks every name and record number they have had wherever
    it is kept (see ERASURE_STEPS and the module's docstring for the reach); deletes their
    stored handouts. The clinical structure (prescriptions, items) and the audit entries stay,
    and a new entry records who erased the record and why. Answers how many rows or files
    each step changed."""
    if not erased_by.is_superuser:
        raise PermissionDenied("Only a superuser can erase a patient.")
    if _audit_entries(patient).filter(additional_data__event="erasure").exists():
        # A second run would take "Erased" and "(erased)" for names and mask the masks.
        raise ValidationError("This patient was already erased.")
    with transaction.atomic():
        reach = _reach(patient)
        report = {label: step(reach) for label, step in ERASURE_STEPS}
        LogEntry.objects.log_create(
            patient,
            action=LogEntry.Action.UPDATE,
            changes={"erasure": ["", reason]},
            force_log=True,
            actor=erased_by,
            additional_data={
                **patient.get_additional_data(),
                "event": "erasure",
                "reason": reason,
            },
        )
    # Runs at once, or when a caller's own transaction commits.
    transaction.on_commit(clear_freed_pages)
    return report
