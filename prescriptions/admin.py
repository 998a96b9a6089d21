"""Prescribing in the admin, for therapists who never touch the API: the same services and rules."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.widgets import Script
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clinic.admin_site import AuditedAdminSite, HomePanel
from clinic.admin_versions import OpenedVersionAdminMixin, OpenedVersionForm
from clinic.api.parsers import out_of_range
from clinic.audit import AdminAccessAuditMixin, record_access
from clinic.errors import StalePrecondition, StateConflict, StorageUnavailable
from clinics.admin import OwnClinicAdminMixin
from clinics.models import PaperSize
from clinics.roles import is_clinician
from clinics.selectors import clinic_of
from exercises.dose import DOSE_FIELD_NAMES, DOSE_LABELS
from exercises.models import BodyRegion, Category, Equipment, Exercise, Position
from exercises.wording import exercise_dose_sentence
from prescriptions import (
    audit_admin,  # noqa: F401 (registers the audit trail's admin)
    selectors,
    services,
)
from prescriptions.admin_home import THEN_PRESCRIBE, patient_finder
from prescriptions.api.etags import prescription_etag
from prescriptions.filters import patients_matching
from prescriptions.handouts.delivery import deliver_handout
from prescriptions.models import (
    Patient,
    Prescription,
    PrescriptionItem,
    ProgrammeTemplate,
    TemplateItem,
)
from prescriptions.permissions import can_change_template
from prescriptions.rules import (
    VOID_REASON_MIN_LENGTH,
    check_void_reason,
    date_errors,
    date_of_birth_error,
)
from prescriptions.warnings import printability_warnings
from prescriptions.workspace import (
    DOSE_NUMBER_NAMES,
    item_from_row,
    row_formfield,
)


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


class ItemInlineBase(admin.TabularInline):
    """The programme: one compact row per exercise, ordered by drag and drop or by the move
    buttons (the hidden `order` follows the rows), its dose filled in from the exercise."""

    formset = ItemFormSet
    template = "admin/prescriptions/programme_inline.html"
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 40})}
    }
    autocomplete_fields = ["exercise"]
    extra = 0
    fields = ["order", "exercise", *DOSE_FIELD_NAMES, "notes"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.issuing = "_issue" in request.POST
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in DOSE_NUMBER_NAMES:
            return row_formfield(db_field)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order":
            field.widget = forms.HiddenInput()
        if db_field.name in DOSE_LABELS:
            field.label = DOSE_LABELS[db_field.name]
        if db_field.name == "exercise":
            # The row shows the full name; a link to the catalogue entry would only crowd it.
            field.widget.can_view_related = False
        return field

    class Media:
        # jquery.init.js is listed first so that Django's media merge loads the script after
        # it: the script needs django.jQuery, which jquery.init.js defines. The script is an
        # ES module: it imports its parts (prescriptions/workspace/) itself.
        js = [
            "admin/js/jquery.init.js",
            Script("prescriptions/workspace.js", type="module"),
        ]
        css = {"all": ["prescriptions/admin.css"]}


class PrescriptionItemInline(ItemInlineBase):
    model = PrescriptionItem
    fields = [*ItemInlineBase.fields, "acknowledge_contraindication", "contraindication_reason"]
    verbose_name = _("exercise")
    verbose_name_plural = _("Programme")


class TemplateItemInline(ItemInlineBase):
    model = TemplateItem
    verbose_name_plural = _("Programme")


def used_dose_fields_of_rows(inline_admin_formsets) -> dict[str, list[str]]:
    """The dose fields each exercise on the page's rows uses (its declaration), by exercise
    id: a row shows those and tucks the others behind "More"."""
    named = {
        str(form["exercise"].value())
        for inline in inline_admin_formsets
        for form in inline.formset.forms
        if "exercise" in form.fields
    }
    ids = [int(value) for value in named if value.isascii() and value.isdigit()]
    return {
        str(exercise.pk): sorted(exercise.dose_fields_used())
        for exercise in Exercise.objects.filter(pk__in=ids)
    }


def workspace_config(request, *, inline_admin_formsets=(), patient=None) -> dict:
    """What the workspace's script needs, from Python: the dose vocabulary and its URLs.
    `unsaved`: the page shows a refused save's data, which leaving would lose."""
    return {
        "usedDoseFields": used_dose_fields_of_rows(inline_admin_formsets),
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


class PatientForm(OpenedVersionForm):
    class Meta:
        model = Patient
        fields = [*services.PATIENT_FIELDS, "conditions"]

    def clean_date_of_birth(self):
        date_of_birth = self.cleaned_data["date_of_birth"]
        error = date_of_birth_error(date_of_birth)
        if error:
            raise error
        return date_of_birth

    def clean_identifier(self):
        identifier = self.cleaned_data["identifier"]
        if services.identifier_taken(self.clinic, identifier, exclude_pk=self.instance.pk):
            raise services.duplicate_identifier_error()
        return identifier


@admin.register(Patient)
class PatientAdmin(
    OpenedVersionAdminMixin, AdminAccessAuditMixin, OwnClinicAdminMixin, admin.ModelAdmin
):
    form = PatientForm
    list_display = [
        "family_name",
        "given_name",
        "identifier",
        "date_of_birth",
        "is_archived",
        "new_prescription",
    ]
    list_filter = [ArchivedFilter, "conditions"]
    # The search box (and the prescription form's patient picker) searches as the API does:
    # get_search_results.
    search_fields = ["search_text"]
    # The patient's prescriptions stand above the form (render_change_form), not in an inline.
    # A box to tick per condition: Django's two-box widget labels its search icon in a way
    # assistive technology is not allowed to read (axe: aria-prohibited-attr).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    actions = ["archive", "unarchive"]
    fieldsets = [
        (None, {"fields": ["given_name", "family_name", "date_of_birth", "identifier"]}),
        (_("Clinical"), {"fields": ["conditions", "notes"]}),
        (_("Contact"), {"fields": ["preferred_language", "email", "phone", "address"]}),
    ]

    @admin.display(boolean=True, description=_("archived"))
    def is_archived(self, patient):
        return patient.is_archived

    @admin.display(description=_("prescribe"))
    def new_prescription(self, patient):
        if patient.is_archived:
            return ""
        url = reverse("admin:prescriptions_prescription_add") + f"?patient={patient.pk}"
        return format_html(
            '<a href="{}" class="new-prescription">{}</a>', url, _("New prescription")
        )

    def get_list_display(self, request):
        if is_clinician(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "new_prescription"]

    def get_search_results(self, request, queryset, search_term):
        # As the API searches (and on PostgreSQL through the same index), not with the
        # admin's UPPER(...) LIKE on each search field, which no index serves.
        return patients_matching(queryset, search_term), False

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
        """Nothing more to save: the conditions went with the patient."""

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # A new patient from the home page's finder: on to their new prescription.
        plain_save = not {IS_POPUP_VAR, "_continue", "_addanother"} & set(request.POST)
        if request.GET.get("then") == THEN_PRESCRIBE["then"] and plain_save:
            return HttpResponseRedirect(
                reverse("admin:prescriptions_prescription_add") + f"?patient={obj.pk}"
            )
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["patient_prescriptions"] = (
            [] if obj is None else selectors.prescriptions_of_patient(obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Archive the selected patients"), permissions=["change"])
    def archive(self, request, queryset):
        for patient in queryset:
            services.archive_patient(patient=patient)

    @admin.action(description=_("Unarchive the selected patients"), permissions=["change"])
    def unarchive(self, request, queryset):
        for patient in queryset:
            services.unarchive_patient(patient=patient)


STALE_MESSAGE = _(
    "This prescription changed after you opened it (someone saved it, or a new caution or "
    "condition applies to it). Nothing was saved or issued: reload the page to see it as it "
    "is now."
)


OTHER_USER_MESSAGE = _(
    "This page was opened by another user. Nothing was saved: open the prescription again "
    "to work on it under your own name."
)


class PrescriptionForm(OpenedVersionForm):
    """The patient is fixed (chosen before the page opens); `opened_version` is the ETag the
    page was opened at (warnings included), so a save over a newer version is refused.
    `opened_by` is the user who opened the page: after a session ended and someone else
    signed in, their save would put the first user's work under their name, so it is refused.
    `signed_in_user_pk` is set per request (PrescriptionAdmin.get_form)."""

    stale_message = STALE_MESSAGE
    signed_in_user_pk = None
    opened_by = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Prescription
        fields = ["patient", "notes", "start_date", "review_date", "agreed_pain_score"]
        widgets = {
            "patient": forms.HiddenInput,
            "notes": forms.Textarea(attrs={"rows": 2}),
            # Text with a numeric keypad, as the dose boxes: a number input would hand the page
            # an empty value for "3a", saving the default score instead of an error.
            "agreed_pain_score": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "size": 3}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_by"].initial = self.signed_in_user_pk

    def clean(self):
        # Refused for the whole form (the field is hidden, so an error at it would not show).
        # Empty: a post that is not from the workspace page, which always carries it.
        opened_by = self.cleaned_data.get("opened_by")
        if opened_by is not None and opened_by != self.signed_in_user_pk:
            raise ValidationError(OTHER_USER_MESSAGE, code="other_user")
        cleaned_data = super().clean()
        errors = date_errors(cleaned_data.get("start_date"), cleaned_data.get("review_date"))
        for name, error in errors.items():
            self.add_error(name, error)
        return cleaned_data


def _field_label(name: str) -> str:
    """What the admin calls a field named in an error: a prescription's, its patient's, or
    the handout's `lang` parameter."""
    for model in (Prescription, Patient):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


@admin.register(Prescription)
class PrescriptionAdmin(
    OpenedVersionAdminMixin, AdminAccessAuditMixin, OwnClinicAdminMixin, admin.ModelAdmin
):
    """The prescribing workspace: one patient, the picker, the programme, live warnings."""

    form = PrescriptionForm
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
    # The search box is the patient search (get_search_results).
    search_fields = ["patient__search_text"]
    list_select_related = ["patient", "clinician"]
    # A search box, not a list of every patient's name on each add form; its answers are
    # audited (clinic.admin_site).
    autocomplete_fields = ["patient"]
    inlines = [PrescriptionItemInline]
    readonly_fields = ["handout_warnings", "status", "version", "supersedes", "fingerprint"]
    fieldsets = [
        (None, {"fields": ["patient", "opened_version", "opened_by", "handout_warnings"]}),
        (_("Goal"), {"fields": ["notes"]}),
        (_("Dates"), {"fields": ["start_date", "review_date"]}),
        (_("Tendon pain"), {"fields": ["agreed_pain_score"]}),
        (_("Status"), {"fields": ["status", "version", "supersedes", "fingerprint"]}),
    ]

    def record_version(self, request, record) -> str:
        # The ETag a read answers: what the page shows, warnings included.
        return prescription_etag(selectors.prescriptions_with_details().get(pk=record.pk))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        patients = patients_matching(Patient.objects.all(), search_term)
        return queryset.filter(patient__in=patients), False

    @admin.display(description=_("handout"))
    def handout_warnings(self, prescription):
        """What the handout cannot print; the rules' warnings stand beside their rows."""
        if not prescription.pk:
            return "-"
        warnings = printability_warnings(
            selectors.prescriptions_with_details().get(pk=prescription.pk)
        )
        if not warnings:
            return _("Prints as written.")
        return format_html(
            "<ul class='safety-warnings'>{}</ul>",
            format_html_join("", "<li>{}</li>", ((w["message"],) for w in warnings)),
        )

    @admin.display(description=_("handout"))
    def handout_link(self, prescription):
        url = reverse("admin:prescriptions_prescription_handout", args=[prescription.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download handout"))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            # A new prescription has no status and no handout yet.
            return [
                (None, {"fields": ["patient", "opened_version", "opened_by"]}),
                *self.fieldsets[1:3],
            ]
        return self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.signed_in_user_pk = request.user.pk
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "patient":
            kwargs["queryset"] = selectors.patients_for(request.user).filter(
                archived_at__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    # The workspace page ----------------------------------------------------------------------

    def _workspace_patient(self, request, obj) -> Patient | None:
        if obj is not None:
            return obj.patient
        patient_id = request.GET.get("patient", "")
        if not (patient_id.isascii() and patient_id.isdigit()):
            return None
        return (
            selectors.patients_for(request.user)
            .filter(archived_at__isnull=True, pk=patient_id)
            .first()
        )

    def add_view(self, request, form_url="", extra_context=None):
        patient = self._workspace_patient(request, None)
        if patient is None:
            # The home page asks for the patient (prescriptions.admin_home).
            self.message_user(
                request, _("Find the patient first, under “New prescription”."), messages.INFO
            )
            return HttpResponseRedirect(reverse("admin:index"))
        if request.method == "GET":
            # The page shows the patient's name and conditions: a read of patient data.
            record_access(patient, "view")
        return super().add_view(request, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        patient = self._workspace_patient(request, obj)
        context.update(
            {
                "is_nav_sidebar_enabled": False,
                "workspace_patient": patient,
                "workspace_config": workspace_config(
                    request,
                    inline_admin_formsets=context.get("inline_admin_formsets", ()),
                    patient=patient,
                ),
                "picker_filters": picker_filters(),
                "clinic_templates": selectors.templates_for(request.user).values_list("pk", "name")
                if add
                else [],
                "programme_summary": [] if obj is None else programme_summary(obj),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except StalePrecondition:
            self.message_user(request, STALE_MESSAGE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        refused = request.method == "POST" and getattr(response, "status_code", None) == 200
        if refused and "_issue" in request.POST:
            self.message_user(
                request,
                _("Not issued: correct the errors below. Nothing was saved."),
                messages.ERROR,
            )
        return response

    def save_model(self, request, obj, form, change):
        """Saved with its items in save_related, by the same services the API uses."""

    def save_related(self, request, form, formsets, change):
        items = next(f for f in formsets if isinstance(f, ItemFormSet)).items()
        fields = {
            name: form.cleaned_data.get(name)
            for name in ("notes", "start_date", "review_date", "agreed_pain_score")
        }
        if change:
            saved = services.update_prescription(
                prescription=form.instance,
                if_match=form.cleaned_data["opened_version"],
                data={**fields, "items": items},
            )
        else:
            saved = services.create_prescription(
                clinician=request.user, patient=form.cleaned_data["patient"], items=items, **fields
            )
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()

    def construct_change_message(self, request, form, formsets, add=False):
        # The services save the items, not the formsets, which so have no new_objects etc.
        # for Django's message about them: describing them failed every save with a 500.
        return super().construct_change_message(request, form, None, add)

    def _save_and_issue(self, request, obj):
        """Issue saves first (the admin's save has just run, through the same validation),
        then issues what was saved: never an older version than the one on screen."""
        self._run(
            request,
            lambda: services.issue_prescription(prescription=obj),
            _("Saved and issued. The handout is ready."),
        )
        return HttpResponseRedirect(self._change_url(obj))

    def response_add(self, request, obj, post_url_continue=None):
        if "_issue" in request.POST:
            return self._save_and_issue(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_issue" in request.POST:
            return self._save_and_issue(request, obj)
        return super().response_change(request, obj)

    # Actions and JSON answers ----------------------------------------------------------------

    def get_urls(self):
        def wrap(view, name, route=None):
            return path(
                route or f"<int:pk>/{name}/",
                self.admin_site.admin_view(view),
                name=f"prescriptions_prescription_{name.replace('-', '_')}",
            )

        return [
            wrap(self.revise_view, "revise"),
            wrap(self.void_view, "void"),
            wrap(self.handout_view, "handout"),
            wrap(self.save_as_template_view, "save-as-template"),
            wrap(self.from_template_view, "from-template", "from-template/"),
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

    def _require_post(self, request) -> None:
        if request.method != "POST" or not is_clinician(request.user):
            raise PermissionDenied

    def revise_view(self, request, pk):
        prescription = self._own(request, pk)
        self._require_post(request)
        revision = self._run(
            request,
            lambda: services.revise_prescription(prescription=prescription, clinician=request.user),
            _("A new draft revision was created."),
        )
        return HttpResponseRedirect(self._change_url(revision or prescription))

    def void_view(self, request, pk):
        prescription = self._own(request, pk)
        if not is_clinician(request.user):
            raise PermissionDenied
        reason = request.POST.get("reason", "") if request.method == "POST" else ""
        reason_errors = []
        if request.method == "POST":
            # The reason is checked first so that its error stands at the field, the typed
            # reason still in it; the service checks it again with the same rule.
            try:
                check_void_reason(reason)
            except ValidationError as error:
                reason_errors = error.messages
            else:
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
            "reason": reason,
            "reason_errors": reason_errors,
            "reason_min_length": VOID_REASON_MIN_LENGTH,
        }
        return TemplateResponse(request, "admin/prescriptions/prescription/void.html", context)

    def handout_view(self, request, pk):
        """The handout PDF: a download, or shown in the browser's tab with ?preview=1."""
        self._own(request, pk)
        paper = request.GET.get("paper") or None
        if paper is not None and paper not in PaperSize.values:
            raise BadRequest(f"Unknown paper size; choose one of {', '.join(PaperSize.values)}.")
        prescription = selectors.prescriptions_for_handout(request.user).get(pk=pk)
        try:
            response = deliver_handout(
                prescription,
                whole=selectors.prescriptions_with_handout_content_for(request.user),
                paper=paper,
                language=request.GET.get("lang"),
                also=request.GET.get("also"),
            )
        except ValidationError as invalid:
            # A draft whose dates were saved before they were bounded, or a language not
            # offered (`lang`, or the patient's): say which to correct.
            return HttpResponseBadRequest(
                " ".join(
                    f"{_field_label(name)}: {' '.join(problems)}"
                    for name, problems in invalid.message_dict.items()
                ),
                content_type="text/plain; charset=utf-8",
            )
        record_access(prescription, "download")
        if request.GET.get("preview") == "1":
            response["Content-Disposition"] = response["Content-Disposition"].replace(
                "attachment", "inline", 1
            )
        return response

    def save_as_template_view(self, request, pk):
        prescription = self._own(request, pk)
        self._require_post(request)
        template = self._run(
            request,
            lambda: services.save_prescription_as_template(
                prescription=prescription,
                name=request.POST.get("name", "").strip()[:200],
                user=request.user,
            ),
            _("Saved as a template of the clinic."),
        )
        return HttpResponseRedirect(
            reverse("admin:prescriptions_programmetemplate_change", args=[template.pk])
            if template
            else self._change_url(prescription)
        )

    def from_template_view(self, request):
        """ "Start from a template": a new draft for the patient with the template's programme."""
        self._require_post(request)
        patient = get_object_or_404(
            selectors.patients_for(request.user).filter(archived_at__isnull=True),
            pk=_id_or_404(request.POST.get("patient")),
        )
        template = get_object_or_404(
            selectors.templates_for(request.user), pk=_id_or_404(request.POST.get("template"))
        )
        prescription = self._run(
            request,
            lambda: services.prescribe_template(
                template=template, patient=patient, clinician=request.user
            ),
            _("Started from the template “%(name)s”: adjust it, then issue.")
            % {"name": template.name},
        )
        if prescription is None:
            return HttpResponseRedirect(
                reverse("admin:prescriptions_prescription_add") + f"?patient={patient.pk}"
            )
        return HttpResponseRedirect(self._change_url(prescription))


def _id_or_404(value) -> int:
    """A record id from a request; anything else (a word, a list) is simply not found."""
    if isinstance(value, int) and not isinstance(value, bool) and not out_of_range(value):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return _id_or_404(int(value))
    raise Http404


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


@admin.register(ProgrammeTemplate)
class TemplateAdmin(OpenedVersionAdminMixin, OwnClinicAdminMixin, admin.ModelAdmin):
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workspace_config"] = workspace_config(
            request, inline_admin_formsets=context.get("inline_admin_formsets", ())
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        items = next(f for f in formsets if isinstance(f, ItemFormSet)).items()
        services.save_template(template=form.instance, data={"items": items})

    def construct_change_message(self, request, form, formsets, add=False):
        # As for prescriptions: the service saved the items, the formsets saved nothing.
        return super().construct_change_message(request, form, None, add)


# The home page: "New prescription" finds the patient first; patients are listed first.
site = cast(AuditedAdminSite, admin.site)
site.register_home_panel(
    HomePanel("admin/prescriptions/patient_finder.html", context=patient_finder)
)
site.list_first("prescriptions", "Patient")
