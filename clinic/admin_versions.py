"""Admin change forms carry the version of the record they opened and refuse a save over a
newer one, so two editors cannot overwrite each other.

The version follows the project's ETag policy (clinic.etags): a record with a row version is
at its ETag (a prescription's covers its warnings, so a caution that appeared since the page
was opened refuses the save too); any other record is at `stored_version`, a digest of its row,
its many-to-many links and its inlines' rows. On a POST the row is locked before the form is
checked, inside the admin's transaction, so the check and the save see the same version.
"""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.admin import GenericInlineModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import _get_foreign_key
from django.utils.translation import gettext_lazy as _

from clinic.etags import current_etag, stored_version

OPENED_VERSION = "opened_version"


class OpenedVersionForm(forms.ModelForm):
    """The base of every versioned change form: `opened_version` is the version the page was
    opened at; `current_version` (set by OpenedVersionAdminMixin.get_form) the stored one."""

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    current_version = None
    stale_message = _(
        "Someone changed this record after you opened it. Nothing was saved: reload the page "
        "to see their changes, then make yours again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[OPENED_VERSION].initial = self.current_version

    def clean(self):
        cleaned_data = super().clean()
        opened = cleaned_data.get(OPENED_VERSION)
        if self.current_version is not None and opened != self.current_version:
            raise ValidationError(self.stale_message, code="stale")
        return cleaned_data


# For the type checker the mixin is the admin it is mixed into.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


class OpenedVersionAdminMixin(_ModelAdmin):
    """For a ModelAdmin: its change form opens at the record's version and refuses a stale
    save with a form error. An admin with its own form bases it on OpenedVersionForm."""

    form = OpenedVersionForm

    def record_version(self, request, record) -> str:
        """The record's version as clinic.etags defines it; override where the tag covers
        more than the row (a prescription's warnings)."""
        if getattr(record, "etag_version", None) is not None and not record.etag_shows:
            return current_etag(record)
        return stored_version(record, self._inline_rows(record))

    def _inline_rows(self, record) -> list:
        rows = []
        for inline in self.inlines:
            if issubclass(inline, GenericInlineModelAdmin):
                rows.append(
                    inline.model._default_manager.filter(
                        **{
                            # django-stubs leave out these two class attributes.
                            inline.ct_field: ContentType.objects.get_for_model(record),  # type: ignore[attr-defined]
                            inline.ct_fk_field: record.pk,  # type: ignore[attr-defined]
                        }
                    ).order_by("pk")
                )
                continue
            foreign_key = _get_foreign_key(type(record), inline.model, fk_name=inline.fk_name)
            if foreign_key is None:
                raise TypeError(f"{inline.model.__name__} has no key to {type(record).__name__}")
            rows.append(
                inline.model._default_manager.filter(**{foreign_key.name: record}).order_by("pk")
            )
        return rows

    def get_object(self, request, object_id, from_field=None):
        record = super().get_object(request, object_id, from_field)
        if (
            record is not None
            and request.method == "POST"
            and transaction.get_connection().in_atomic_block
        ):
            # Held until the admin's transaction ends: nobody saves between check and save.
            list(
                type(record)
                ._base_manager.select_for_update()
                .filter(pk=record.pk)
                .values_list("pk", flat=True)
            )
            record = super().get_object(request, object_id, from_field)
        return record

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_version = None if obj is None else self.record_version(request, obj)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if OPENED_VERSION in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], OPENED_VERSION]}), *rest]
