"""The prescriptions app's back office in the admin: patients, the prescriptions' list and the
clinic's templates. The prescribing workspace itself is the admin site's own pages
(prescriptions.workspace_views), registered here; the list's add and change links lead there."""

from typing import cast

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clinic.admin_site import AuditedAdminSite, HomePanel
from clinic.admin_versions import OpenedVersionAdminMixin, OpenedVersionForm
from clinic.audit import AdminAccessAuditMixin
from clinics.admin import OwnClinicAdminMixin
from clinics.roles import is_clinician
from clinics.selectors import clinic_of
from prescriptions import (
    audit_admin,  # noqa: F401 (registers the audit trail's admin)
    selectors,
    services,
    workspace_views,
)
from prescriptions.admin_home import THEN_PRESCRIBE, patient_finder
from prescriptions.filters import patients_matching
from prescriptions.models import Patient, Prescription, ProgrammeTemplate, TemplateItem
from prescriptions.permissions import can_change_template
from prescriptions.rules import date_of_birth_error
from prescriptions.workspace import (
    PROGRAMME_FIELDS,
    WORKSPACE_SCRIPTS,
    WORKSPACE_STYLES,
    ItemFormSet,
    row_formfield,
    workspace_config,
)
from prescriptions.workspace_views import new_prescription_url


class TemplateItemInline(admin.TabularInline):
    """A template's programme, in the workspace's rows: one compact row per exercise, ordered
    by drag and drop or by the move buttons, its dose filled in from the exercise."""

    model = TemplateItem
    formset = ItemFormSet
    template = "admin/prescriptions/programme_inline.html"
    autocomplete_fields = ["exercise"]
    extra = 0
    fields = [*PROGRAMME_FIELDS]
    verbose_name_plural = _("Programme")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != "exercise":
            return row_formfield(db_field)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # The row shows the full name; a link to the catalogue entry would only crowd it.
        field.widget.can_view_related = False
        return field

    class Media:
        js = WORKSPACE_SCRIPTS
        css = WORKSPACE_STYLES


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
        return format_html(
            '<a href="{}" class="new-prescription">{}</a>',
            new_prescription_url(patient),
            _("New prescription"),
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
            return HttpResponseRedirect(new_prescription_url(obj))
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


class WorkspaceLinks(ChangeList):
    """The list's rows open the workspace itself, not the admin's change page."""

    def url_for_result(self, result) -> str:
        return workspace_views.url_of("workspace", result.pk)


@admin.register(Prescription)
class PrescriptionAdmin(AdminAccessAuditMixin, OwnClinicAdminMixin, admin.ModelAdmin):
    """The prescriptions' list (its filters, search and History). Adding and changing are the
    workspace's (prescriptions.workspace_views): the admin's add and change addresses lead
    there, so bookmarks and old links keep working. A draft is deleted here."""

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

    def get_changelist(self, request, **kwargs):
        return WorkspaceLinks

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        patients = patients_matching(Patient.objects.all(), search_term)
        return queryset.filter(patient__in=patients), False

    @admin.display(description=_("handout"))
    def handout_link(self, prescription):
        url = workspace_views.url_of("handout", prescription.pk)
        return format_html('<a href="{}">{}</a>', url, _("Download handout"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    # 307: a page opened before the workspace moved still saves (the method and the form go
    # along), and a bookmark still opens.
    def add_view(self, request, form_url="", extra_context=None):
        query = request.META.get("QUERY_STRING", "")
        url = workspace_views.url_of("new") + (f"?{query}" if query else "")
        return HttpResponseRedirect(url, status=307)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not (object_id.isascii() and object_id.isdigit()):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return HttpResponseRedirect(workspace_views.url_of("workspace", object_id), status=307)


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
            request,
            formsets=[inline.formset for inline in context.get("inline_admin_formsets", ())],
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
workspace_views.register(site)
