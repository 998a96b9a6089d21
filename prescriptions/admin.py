"""Prescribing in the admin, for therapists who never touch the API: the same services and rules."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clinic.audit import AdminAccessAuditMixin, record_access
from clinic.errors import StateConflict, StorageUnavailable
from clinics.admin import OwnClinicAdminMixin
from clinics.selectors import clinic_of
from exercises.dose import DOSE_FIELD_NAMES
from prescriptions import selectors, services
from prescriptions.api.views import handout_filename
from prescriptions.handouts.issue import handout_pdf
from prescriptions.handouts.styles import PAPER_SIZES
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)
from prescriptions.permissions import can_change_template
from prescriptions.text import search_key
from prescriptions.warnings import prescription_warnings


def _item_data(cleaned: dict) -> dict:
    """An admin item row as a service item: all dose fields blank means "the catalogue default"."""
    item = {"exercise": cleaned["exercise"], "notes": cleaned.get("notes", "")}
    if "acknowledge_contraindication" in cleaned:
        item["acknowledge_contraindication"] = cleaned["acknowledge_contraindication"]
    doses = {name: cleaned.get(name) for name in DOSE_FIELD_NAMES}
    if any(value not in (None, "") for value in doses.values()):
        item.update({name: value or None for name, value in doses.items()})
    return item


def _warning_place(warning: dict) -> str:
    if warning["item"] is None:
        return ""
    return _("(exercise %(number)d)") % {"number": warning["item"] + 1}


class ItemFormSet(forms.BaseInlineFormSet):
    """Checks the items with the prescribing rules and shows each error on its row and field."""

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
        return [_item_data(form.cleaned_data) for form in self.kept_forms()]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        patient = getattr(self.instance, "patient", None) if self.instance.patient_id else None
        try:
            services.validate_items_for(patient, [_item_data(form.cleaned_data) for form in kept])
        except ValidationError as error:
            for path_, messages_ in error.message_dict.items():
                parts = path_.split(".")
                if len(parts) == 3 and parts[0] == "items":
                    form = kept[int(parts[1])]
                    field = parts[2] if parts[2] in form.fields else None
                    form.add_error(field, messages_)
                else:
                    raise ValidationError(messages_) from None


class ItemInlineBase(admin.TabularInline):
    formset = ItemFormSet
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})}
    }
    autocomplete_fields = ["exercise"]
    extra = 1
    fields = ["order", "exercise", *DOSE_FIELD_NAMES, "notes"]

    class Media:
        # jquery.init.js is listed first so that Django's media merge loads the script after
        # it: the script runs at once and needs django.jQuery, which jquery.init.js defines.
        js = ["admin/js/jquery.init.js", "prescriptions/item_defaults.js"]
        css = {"all": ["prescriptions/admin.css"]}


class PrescriptionItemInline(ItemInlineBase):
    model = PrescriptionItem
    fields = [*ItemInlineBase.fields, "acknowledge_contraindication"]
    verbose_name = _("exercise")
    verbose_name_plural = _("Exercises (pick one; its default dose fills in, then adjust)")


class TemplateItemInline(ItemInlineBase):
    model = TemplateItem


class PatientPrescriptionsInline(admin.TabularInline):
    model = Prescription
    fk_name = "patient"
    fields = ["link", "status", "version", "issued_at", "review_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("Prescriptions")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("prescription"))
    def link(self, prescription):
        url = reverse("admin:prescriptions_prescription_change", args=[prescription.pk])
        return format_html('<a href="{}">#{} v{}</a>', url, prescription.pk, prescription.version)


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("Active")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        return queryset


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [*services.PATIENT_FIELDS, "conditions"]

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"]
        if services.identifier_taken(self.clinic, identifier, exclude_pk=self.instance.pk):
            raise ValidationError(
                _("A patient with this record number already exists at this clinic.")
            )
        return identifier


@admin.register(Patient)
class PatientAdmin(AdminAccessAuditMixin, OwnClinicAdminMixin, admin.ModelAdmin):
    form = PatientForm
    list_display = ["family_name", "given_name", "identifier", "date_of_birth", "is_archived"]
    list_filter = [ArchivedFilter, "conditions"]
    search_fields = ["search_text", "identifier"]
    inlines = [PatientPrescriptionsInline]
    filter_horizontal = ["conditions"]
    actions = ["archive", "unarchive"]
    fieldsets = [
        (None, {"fields": ["given_name", "family_name", "date_of_birth", "identifier"]}),
        (_("Clinical"), {"fields": ["conditions", "notes"]}),
        (_("Contact"), {"fields": ["preferred_language", "email", "phone", "address"]}),
    ]

    @admin.display(boolean=True, description=_("archived"))
    def is_archived(self, patient):
        return patient.is_archived

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.clinic = obj.clinic if obj else clinic_of(request.user)
        return form

    def has_add_permission(self, request):
        return super().has_add_permission(request) and clinic_of(request.user) is not None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The conditions are saved by the service, with the patient: on "add", `obj` is not
        # the saved instance, and setting its many-to-many afterwards failed (a 500).
        data = {
            name: form.cleaned_data[name]
            for name in (*services.PATIENT_FIELDS, "conditions")
            if name in form.cleaned_data
        }
        saved = services.save_patient(
            clinic=form.clinic, patient=obj if change else None, data=data
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """Nothing more to save: conditions went with the patient; prescriptions are read-only."""

    def construct_change_message(self, request, form, formsets, add=False):
        # The read-only prescriptions formset is never saved, so it cannot be described.
        return super().construct_change_message(request, form, None, add)

    @admin.action(description=_("Archive the selected patients"), permissions=["change"])
    def archive(self, request, queryset):
        for patient in queryset:
            services.archive_patient(patient=patient)

    @admin.action(description=_("Unarchive the selected patients"), permissions=["change"])
    def unarchive(self, request, queryset):
        for patient in queryset:
            services.unarchive_patient(patient=patient)


class ClinicScopedForeignKeysMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "patient":
            kwargs["queryset"] = selectors.patients_for(request.user).filter(
                archived_at__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Prescription)
class PrescriptionAdmin(
    AdminAccessAuditMixin, ClinicScopedForeignKeysMixin, OwnClinicAdminMixin, admin.ModelAdmin
):
    change_form_template = "admin/prescriptions/prescription/change_form.html"
    list_display = [
        "__str__",
        "patient",
        "status",
        "version",
        "clinician",
        "issued_at",
        "handout_link",
    ]
    list_filter = ["status"]
    search_fields = ["patient__search_text", "patient__identifier"]
    list_select_related = ["patient", "clinician"]
    # A search box, not a list of every patient's name on each add form; its answers are
    # audited (clinic.admin_site).
    autocomplete_fields = ["patient"]
    inlines = [PrescriptionItemInline]
    readonly_fields = ["safety_warnings", "status", "version", "supersedes", "fingerprint"]
    fieldsets = [
        (_("Patient"), {"fields": ["patient", "safety_warnings"]}),
        (_("Goal"), {"fields": ["notes"]}),
        (_("Dates"), {"fields": ["start_date", "review_date"]}),
        (_("Status"), {"fields": ["status", "version", "supersedes", "fingerprint"]}),
    ]

    @admin.display(description=_("safety warnings"))
    def safety_warnings(self, prescription):
        if not prescription.pk:
            return _("Warnings appear after the first save.")
        warnings = prescription_warnings(
            selectors.prescriptions_with_details().get(pk=prescription.pk)
        )
        if not warnings:
            return _("None")
        return format_html(
            "<ul class='safety-warnings'>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> {}: {}</li>",
                ((w["severity"], _warning_place(w), w["message"]) for w in warnings),
            ),
        )

    @admin.display(description=_("handout"))
    def add_view(self, request, form_url="", extra_context=None):
        # An add form opened for a patient (?patient=<id>) shows their name and conditions.
        patient_id = request.GET.get("patient", "")
        if request.method == "GET" and patient_id.isdigit() and len(patient_id) < 19:
            patient = selectors.patients_for(request.user).filter(pk=patient_id).first()
            if patient is not None:
                record_access(patient, "view")
        return super().add_view(request, form_url, extra_context)

    def handout_link(self, prescription):
        url = reverse("admin:prescriptions_prescription_handout", args=[prescription.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download handout"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Saved with its items in save_related, by the same services the API uses."""

    def save_related(self, request, form, formsets, change):
        items = next(f for f in formsets if isinstance(f, ItemFormSet)).items()
        fields = {
            name: form.cleaned_data.get(name) for name in ("notes", "start_date", "review_date")
        }
        if change:
            saved = services.update_prescription(
                prescription=form.instance,
                data={**fields, "patient": form.cleaned_data["patient"], "items": items},
            )
        else:
            saved = services.create_prescription(
                clinician=request.user, patient=form.cleaned_data["patient"], items=items, **fields
            )
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()
        for warning in prescription_warnings(
            selectors.prescriptions_with_details().get(pk=saved.pk)
        ):
            level = messages.INFO if warning["severity"] == "info" else messages.WARNING
            self.message_user(request, warning["message"], level)

    def construct_change_message(self, request, form, formsets, add=False):
        # The services save the items, not the formsets, which so have no new_objects etc.
        # for Django's message about them: describing them failed every save with a 500.
        return super().construct_change_message(request, form, None, add)

    def get_urls(self):
        def wrap(view, name):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(view),
                name=f"prescriptions_prescription_{name}",
            )

        return [
            wrap(self.issue_view, "issue"),
            wrap(self.revise_view, "revise"),
            wrap(self.void_view, "void"),
            wrap(self.handout_view, "handout"),
            *super().get_urls(),
        ]

    def _own(self, request, pk) -> Prescription:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _change_url(self, prescription) -> str:
        return reverse("admin:prescriptions_prescription_change", args=[prescription.pk])

    def _run(self, request, action, success_message):
        try:
            with transaction.atomic():
                result = action()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        except (StateConflict, StorageUnavailable) as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return None
        self.message_user(request, success_message, messages.SUCCESS)
        return result

    def issue_view(self, request, pk):
        prescription = self._own(request, pk)
        if request.method != "POST" or not request.user.has_perm(
            "prescriptions.change_prescription"
        ):
            raise PermissionDenied
        self._run(
            request,
            lambda: services.issue_prescription(prescription=prescription),
            _("Issued. The handout is ready."),
        )
        return HttpResponseRedirect(self._change_url(prescription))

    def revise_view(self, request, pk):
        prescription = self._own(request, pk)
        if request.method != "POST" or not request.user.has_perm("prescriptions.add_prescription"):
            raise PermissionDenied
        revision = self._run(
            request,
            lambda: services.revise_prescription(prescription=prescription, clinician=request.user),
            _("A new draft revision was created."),
        )
        return HttpResponseRedirect(self._change_url(revision or prescription))

    def void_view(self, request, pk):
        prescription = self._own(request, pk)
        if not request.user.has_perm("prescriptions.change_prescription"):
            raise PermissionDenied
        if request.method == "POST":
            reason = request.POST.get("reason", "")
            if self._run(
                request,
                lambda: services.void_prescription(prescription=prescription, reason=reason),
                _("The prescription was voided."),
            ):
                return HttpResponseRedirect(self._change_url(prescription))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": prescription,
            "title": _("Void prescription"),
        }
        return TemplateResponse(request, "admin/prescriptions/prescription/void.html", context)

    def handout_view(self, request, pk):
        self._own(request, pk)
        paper = request.GET.get("paper") or None
        if paper is not None and paper not in PAPER_SIZES:
            raise BadRequest(f"Unknown paper size; choose one of {', '.join(PAPER_SIZES)}.")
        prescription = selectors.prescriptions_with_details().get(pk=pk)
        pdf = handout_pdf(prescription, paper=paper, large_print=False)
        record_access(prescription, "download")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = handout_filename(prescription)
        return response


@admin.register(ProgrammeTemplate)
class TemplateAdmin(OwnClinicAdminMixin, admin.ModelAdmin):
    list_display = ["name", "created_by", "updated_at"]
    search_fields = ["name"]
    inlines = [TemplateItemInline]
    exclude = ["clinic", "created_by"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_template(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_change_template(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.clinic = clinic_of(request.user)
            obj.created_by = request.user
        obj.save()

    def save_related(self, request, form, formsets, change):
        items = next(f for f in formsets if isinstance(f, ItemFormSet)).items()
        services.save_template(template=form.instance, data={"items": items})

    def construct_change_message(self, request, form, formsets, add=False):
        # As for prescriptions: the service saved the items, the formsets saved nothing.
        return super().construct_change_message(request, form, None, add)
