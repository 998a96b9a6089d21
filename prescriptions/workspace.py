"""The prescribing workspace's forms: how a programme row's boxes read, the rows checked by the
prescribing rules, the prescription's own fields, and what the page's script is told. Plain
Django forms, shared by the workspace's views (prescriptions.workspace_views) and the
templates' admin. (Its picker reads the public exercise list: `exercises/api`.)"""

from collections.abc import Sequence
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.widgets import Script
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from exercises.dose import DOSE_BOUNDS, DOSE_FIELD_NAMES, DOSE_LABELS
from exercises.models import BodyRegion, Category, Equipment, Exercise, Position
from exercises.wording import exercise_dose_sentence
from prescriptions import services
from prescriptions.dosing import parse_dose_entry
from prescriptions.models import Prescription, PrescriptionItem
from prescriptions.rules import date_errors


class DoseEntryField(forms.CharField):
    """A dose box: text with a numeric keypad, not a number input. A number input hands the
    page an empty string for anything it cannot parse ("5e"), which would save as "not used",
    and its value turns with the mouse wheel. What was typed is read by `parse_dose_entry`."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4})

    def __init__(self, dose_field: str, **kwargs):
        kwargs.setdefault("label", DOSE_LABELS[dose_field])
        super().__init__(required=False, **kwargs)
        self.dose_field = dose_field

    def to_python(self, value):
        return parse_dose_entry(self.dose_field, "" if value is None else str(value))


DOSE_NUMBER_NAMES = tuple(bound.name for bound in DOSE_BOUNDS)


def row_formfield(db_field, **kwargs) -> forms.Field:
    """A programme row's form field: the dose numbers read as typed (the workspace's rows, the
    templates' rows and the live check alike), the order hidden (the script writes it from the
    rows' order), the notes one line high, every other field as its model makes it."""
    if db_field.name in DOSE_NUMBER_NAMES:
        return DoseEntryField(db_field.name, help_text=db_field.help_text)
    if db_field.name == "order":
        kwargs["widget"] = forms.HiddenInput
    if isinstance(db_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 1, "cols": 40})
    field = db_field.formfield(**kwargs)
    if db_field.name in DOSE_LABELS:
        field.label = DOSE_LABELS[db_field.name]
    return field


def _given_or_none(value):
    """A blank side arrives as "", a blank number as None; a rest of 0 is a value."""
    return None if value in (None, "") else value


def item_from_row(cleaned: dict) -> dict:
    """A programme row's cleaned data as a service item. The page shows the exercise's defaults
    filled in and sends every dose field, so an emptied field means "not used" (resolve_dose)."""
    item = {"exercise": cleaned["exercise"], "notes": cleaned.get("notes", "")}
    for name in ("acknowledge_contraindication", "contraindication_reason"):
        if name in cleaned:
            item[name] = cleaned[name]
    item.update({name: _given_or_none(cleaned.get(name)) for name in DOSE_FIELD_NAMES})
    return item


class ItemFormSet(forms.BaseInlineFormSet):
    """Checks the items with the prescribing rules and shows each error on its row and field.
    `issuing` (set per request): "Save and issue" checks them as issuing does."""

    issuing = False

    def kept_forms(self):
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("exercise")
        ]
        return sorted(kept, key=lambda form: form.cleaned_data.get("order") or 0)

    def items(self) -> list[dict]:
        return [item_from_row(form.cleaned_data) for form in self.kept_forms()]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        # A template has no patient: its items are checked against no conditions.
        patient = self.instance.patient if getattr(self.instance, "patient_id", None) else None
        try:
            services.validate_items_for(
                patient, [item_from_row(form.cleaned_data) for form in kept], issuing=self.issuing
            )
        except ValidationError as error:
            for path_, messages_ in error.message_dict.items():
                parts = path_.split(".")
                if len(parts) == 3 and parts[0] == "items":
                    form = kept[int(parts[1])]
                    field = parts[2] if parts[2] in form.fields else None
                    form.add_error(field, messages_)
                else:
                    raise ValidationError(messages_) from None


PROGRAMME_FIELDS = ["order", "exercise", *DOSE_FIELD_NAMES, "notes"]

# jquery.init.js is listed first so that Django's media merge loads the script after it: the
# script needs django.jQuery, which jquery.init.js defines. The script is an ES module: it
# imports its parts (prescriptions/workspace/) itself.
WORKSPACE_SCRIPTS: list = [
    "admin/js/jquery.init.js",
    Script("prescriptions/workspace.js", type="module"),
]
WORKSPACE_STYLES: dict[str, Sequence[str]] = {"all": ["prescriptions/admin.css"]}


def _prescription_row_formfield(db_field, **kwargs) -> forms.Field:
    if db_field.name == "exercise":
        # The admin's search box for the exercise, answered by the catalogue's admin.
        kwargs["widget"] = AutocompleteSelect(db_field, admin.site)
    return row_formfield(db_field, **kwargs)


# The factory is typed for its base class, not the one it is given.
PrescriptionItemFormSet = cast(
    type[ItemFormSet],
    forms.inlineformset_factory(
        Prescription,
        PrescriptionItem,
        formset=ItemFormSet,
        fields=[*PROGRAMME_FIELDS, "acknowledge_contraindication", "contraindication_reason"],
        formfield_callback=_prescription_row_formfield,
        extra=0,
        can_delete=True,
    ),
)


STALE_MESSAGE = _(
    "This prescription changed after you opened it (someone saved it, or a new caution or "
    "condition applies to it). Nothing was saved or issued: reload the page to see it as it "
    "is now."
)


OTHER_USER_MESSAGE = _(
    "This page was opened by another user. Nothing was saved: open the prescription again "
    "to work on it under your own name."
)


PRESCRIPTION_FIELDS = ["notes", "start_date", "review_date", "agreed_pain_score"]


class PrescriptionForm(forms.ModelForm):
    """The prescription's own fields (its patient is fixed before the page opens).
    `opened_version` is the ETag the page was opened at (warnings included), so a save over a
    newer version is refused. `opened_by` is the user who opened the page: after a session
    ended and someone else signed in, their save would put the first user's work under their
    name, so it is refused."""

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_by = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Prescription
        fields = PRESCRIPTION_FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "start_date": AdminDateWidget,
            "review_date": AdminDateWidget,
            # Text with a numeric keypad, as the dose boxes: a number input would hand the page
            # an empty value for "3a", saving the default score instead of an error.
            "agreed_pain_score": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "size": 3}
            ),
        }

    def __init__(self, *args, signed_in_user_pk: int, current_version: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in_user_pk = signed_in_user_pk
        self.current_version = current_version
        self.fields["opened_by"].initial = signed_in_user_pk
        self.fields["opened_version"].initial = current_version

    def clean(self):
        # Refused for the whole form (the fields are hidden, so an error at them would not
        # show). An empty `opened_by`: a post that is not from the workspace page.
        opened_by = self.cleaned_data.get("opened_by")
        if opened_by is not None and opened_by != self.signed_in_user_pk:
            raise ValidationError(OTHER_USER_MESSAGE, code="other_user")
        if (
            self.current_version is not None
            and self.cleaned_data.get("opened_version") != self.current_version
        ):
            raise ValidationError(STALE_MESSAGE, code="stale")
        cleaned_data = super().clean()
        errors = date_errors(cleaned_data.get("start_date"), cleaned_data.get("review_date"))
        for name, error in errors.items():
            self.add_error(name, error)
        return cleaned_data

    def prescription_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PRESCRIPTION_FIELDS}


def used_dose_fields_of_rows(formsets) -> dict[str, list[str]]:
    """The dose fields each exercise on the page's rows uses (its declaration), by exercise
    id: a row shows those and tucks the others behind "More"."""
    named = {
        str(form["exercise"].value())
        for formset in formsets
        for form in formset.forms
        if "exercise" in form.fields
    }
    ids = [int(value) for value in named if value.isascii() and value.isdigit()]
    return {
        str(exercise.pk): sorted(exercise.dose_fields_used())
        for exercise in Exercise.objects.filter(pk__in=ids)
    }


def workspace_config(request, *, formsets=(), patient=None) -> dict:
    """What the workspace's script needs, from Python: the dose vocabulary and its URLs.
    `unsaved`: the page shows a refused save's data, which leaving would lose."""
    return {
        "usedDoseFields": used_dose_fields_of_rows(formsets),
        "doseFields": list(DOSE_FIELD_NAMES),
        "doseLabels": {name: str(label) for name, label in DOSE_LABELS.items()},
        # The public API, with the admin's session (and its CSRF token).
        "checkUrl": reverse("prescription-check"),
        "meUrl": reverse("me"),
        "exerciseListUrl": reverse("exercise-list"),
        "patientConditions": [c.slug for c in patient.conditions.all()] if patient else [],
        "loginUrl": reverse("admin:login"),
        "csrfCookieName": settings.CSRF_COOKIE_NAME,
        "patient": patient.pk if patient else None,
        "user": request.user.pk,
        "unsaved": request.method == "POST",
    }


def programme_summary(prescription: Prescription) -> list[tuple[str, str]]:
    """(exercise name, dose in plain words) for each item, as an issued prescription shows."""
    return [
        (
            item.exercise.name,
            exercise_dose_sentence(
                item.exercise, {name: getattr(item, name) for name in DOSE_FIELD_NAMES}
            ),
        )
        for item in prescription.items.select_related("exercise__body_region")
    ]


def picker_filters() -> dict:
    """The choices of the picker's filters."""
    return {
        "categories": Category.choices,
        "positions": Position.choices,
        "equipment": list(Equipment.objects.values_list("slug", "name")),
        "body_regions": list(BodyRegion.objects.values_list("slug", "name")),
    }
