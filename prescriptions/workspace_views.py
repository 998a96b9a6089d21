"""The prescribing workspace: the admin site's own pages for one prescription (new for a
patient, edit a draft, save, save and issue, revise, void, save as template, start from a
template, the handout). Plain Django forms (prescriptions.workspace) and the services, served
behind the site's sign-in with its chrome; each save is written to the admin's History as
the admin writes it. The prescriptions' list stays a ModelAdmin whose add and change pages
lead here (prescriptions.admin)."""

from dataclasses import dataclass
from typing import cast

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.utils import construct_change_message, display_for_field
from django.core.exceptions import BadRequest, FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field
from django.forms import Media
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from clinic.api.parsers import out_of_range
from clinic.audit import record_access
from clinic.errors import StalePrecondition, StateConflict, StorageUnavailable
from clinics.models import PaperSize
from clinics.roles import is_clinician
from prescriptions import selectors, services
from prescriptions.api.etags import prescription_etag
from prescriptions.handouts.delivery import deliver_handout
from prescriptions.models import Patient, Prescription
from prescriptions.rules import VOID_REASON_MIN_LENGTH, check_void_reason
from prescriptions.warnings import printability_warnings
from prescriptions.workspace import (
    STALE_MESSAGE,
    WORKSPACE_SCRIPTS,
    WORKSPACE_STYLES,
    PrescriptionForm,
    PrescriptionItemFormSet,
    picker_filters,
    programme_summary,
    workspace_config,
)

OPTS = Prescription._meta
# The admin's own scripts the page's widgets need: core.js for the date boxes' calendar.
PAGE_MEDIA = Media(js=["admin/js/core.js", *WORKSPACE_SCRIPTS], css=WORKSPACE_STYLES)
STATUS_FIELDS = ["status", "version", "supersedes", "fingerprint"]


def url_of(name: str, *args) -> str:
    return reverse(f"admin:prescriptions_prescription_{name}", args=args)


def new_prescription_url(patient: Patient) -> str:
    return f"{url_of('new')}?patient={patient.pk}"


def _may(request, action: str) -> bool:
    return request.user.has_perm(f"prescriptions.{action}_prescription")


def _may_view(request) -> bool:
    return _may(request, "view") or _may(request, "change")


def _own(request, pk) -> Prescription:
    if not _may_view(request):
        raise PermissionDenied
    return get_object_or_404(selectors.prescriptions_for(request.user), pk=pk)


def _record_id(value) -> int:
    """A record id from a request; anything else (a word, a list) is simply not found."""
    if isinstance(value, int) and not isinstance(value, bool) and not out_of_range(value):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return _record_id(int(value))
    raise Http404


def _run(request, action, success_message):
    """Runs one service call in its own transaction; its refusal becomes the page's message."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    except (StateConflict, StorageUnavailable) as refusal:
        messages.error(request, refusal.message)
        return None
    messages.success(request, success_message)
    return result


def _log(request, prescription: Prescription, action_flag: int, form) -> None:
    """The admin's History, written as the admin writes it (its change message included)."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[prescription],
        action_flag=action_flag,
        change_message=construct_change_message(form, [], action_flag == ADDITION),
        single_object=True,
    )


@dataclass(frozen=True)
class ShownField:
    """A read-only row of the page: its label and its value as the admin displays it."""

    name: str
    label: str
    value: object
    is_readonly: bool = True


@dataclass(frozen=True)
class Fieldset:
    number: int
    heading: str
    rows: list


def _shown(prescription: Prescription, names: list[str]) -> list[ShownField]:
    fields = [cast(Field, OPTS.get_field(name)) for name in names]
    return [
        ShownField(
            field.name,
            str(field.verbose_name),
            display_for_field(getattr(prescription, field.name), field, "-"),
        )
        for field in fields
    ]


def _fieldsets(form, prescription, *, editable: bool) -> tuple[list, list]:
    """The page's fieldsets in a therapist's order: the handout's warnings and the goal
    above the programme, the dates, the agreed pain score and the status below it. A field
    is a box to fill in, or its value when the prescription cannot change."""

    def rows(*names):
        return [form[name] for name in names] if editable else _shown(prescription, list(names))

    above = [(_("Goal"), rows("notes"))]
    below = [
        (_("Dates"), rows("start_date", "review_date")),
        (_("Tendon pain"), rows("agreed_pain_score")),
    ]
    if prescription is not None:
        warnings = ShownField("handout_warnings", _("handout"), _handout_warnings(prescription))
        above.insert(0, ("", [warnings]))
        below.append((_("Status"), _shown(prescription, STATUS_FIELDS)))
    numbered = [Fieldset(number, *fieldset) for number, fieldset in enumerate([*above, *below])]
    return numbered[: len(above)], numbered[len(above) :]


def _handout_warnings(prescription: Prescription):
    """What the handout cannot print; the rules' warnings stand beside their rows."""
    warnings = printability_warnings(selectors.prescriptions_with_details().get(pk=prescription.pk))
    if not warnings:
        return _("Prints as written.")
    return format_html(
        "<ul class='safety-warnings'>{}</ul>",
        format_html_join("", "<li>{}</li>", ((w["message"],) for w in warnings)),
    )


def _workspace_page(request, *, patient, form, formset, prescription=None, editable=True):
    """The page: the patient, the goal, the programme beside the picker, the dates; the
    status of a saved one; its tools (history, handout, revise, void)."""
    add = prescription is None
    fieldsets_above, fieldsets_below = _fieldsets(form, prescription, editable=editable)
    errors = [*form.errors.values()] + [e for e in formset.errors if e]
    errors += formset.non_form_errors()
    context = {
        **admin.site.each_context(request),
        "title": _("Add %s") % OPTS.verbose_name if add else str(prescription),
        "opts": OPTS,
        "add": add,
        "original": prescription,
        "editable": editable,
        "errors": errors if request.method == "POST" else [],
        "form": form,
        "formset": formset,
        "media": form.media + formset.media + PAGE_MEDIA,
        "is_nav_sidebar_enabled": False,
        "workspace_patient": patient,
        "workspace_config": workspace_config(request, formsets=[formset], patient=patient),
        "picker_filters": picker_filters(),
        "clinic_templates": selectors.templates_for(request.user).values_list("pk", "name")
        if add
        else [],
        "may_delete": not add and prescription.is_draft and _may(request, "delete"),
        "fieldsets_above": fieldsets_above,
        "fieldsets_below": fieldsets_below,
        "programme_summary": [] if editable else programme_summary(prescription),
    }
    return TemplateResponse(request, "admin/prescriptions/prescription/workspace.html", context)


def _saved(request, prescription: Prescription, *, added: bool):
    """After a save: on with "Save and issue", else the saved page with the admin's words."""
    if "_issue" in request.POST:
        # Issue saves first (just done, through the same validation), then issues what was
        # saved: never an older version than the one on screen.
        _run(
            request,
            lambda: services.issue_prescription(prescription=prescription),
            _("Saved and issued. The handout is ready."),
        )
    else:
        # The admin's own words (and their translations) for a saved record.
        template = (
            _("The {name} “{obj}” was added successfully.")
            + " "
            + _("You may edit it again below.")
            if added
            else _("The {name} “{obj}” was changed successfully. You may edit it again below.")
        )
        link = format_html(
            '<a href="{}">{}</a>', url_of("workspace", prescription.pk), prescription
        )
        messages.success(request, format_html(template, name=OPTS.verbose_name, obj=link))
    return HttpResponseRedirect(url_of("workspace", prescription.pk))


def _refused(request, response):
    if "_issue" in request.POST:
        messages.error(request, _("Not issued: correct the errors below. Nothing was saved."))
    return response


def new_prescription(request):
    """A new prescription for the patient named by `?patient=` (the home page asks for one)."""
    if not _may(request, "add"):
        raise PermissionDenied
    patient_id = request.GET.get("patient", "")
    patient = None
    if patient_id.isascii() and patient_id.isdigit():
        patient = (
            selectors.patients_for(request.user)
            .filter(archived_at__isnull=True, pk=patient_id)
            .first()
        )
    if patient is None:
        messages.info(request, _("Find the patient first, under “New prescription”."))
        return HttpResponseRedirect(reverse("admin:index"))
    data = request.POST if request.method == "POST" else None
    form = PrescriptionForm(data, signed_in_user_pk=request.user.pk, current_version=None)
    formset = PrescriptionItemFormSet(data, instance=Prescription(patient=patient))
    if data is None:
        # The page shows the patient's name and conditions: a read of patient data.
        record_access(patient, "view")
        return _workspace_page(request, patient=patient, form=form, formset=formset)
    formset.issuing = "_issue" in data
    if not (form.is_valid() and formset.is_valid()):
        return _refused(
            request, _workspace_page(request, patient=patient, form=form, formset=formset)
        )
    with transaction.atomic():
        prescription = services.create_prescription(
            clinician=request.user,
            patient=patient,
            items=formset.items(),
            **form.prescription_fields(),
        )
        _log(request, prescription, ADDITION, form)
    return _saved(request, prescription, added=True)


def _forms_of(request, prescription: Prescription, data=None):
    """The prescription's form, opened at its version, and its programme's rows."""
    form = PrescriptionForm(
        data,
        instance=prescription,
        signed_in_user_pk=request.user.pk,
        current_version=prescription_etag(prescription),
    )
    return form, PrescriptionItemFormSet(data, instance=prescription)


def prescription_workspace(request, pk):
    """A saved prescription: a draft to edit, an issued or voided one to read."""
    if not _may_view(request):
        raise PermissionDenied
    prescription = selectors.prescriptions_for(request.user).filter(pk=pk).first()
    if prescription is None:
        # As the admin answers a record it cannot find.
        messages.warning(
            request,
            _("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?")
            % {"name": OPTS.verbose_name, "key": pk},
        )
        return HttpResponseRedirect(reverse("admin:index"))
    editable = prescription.is_draft and _may(request, "change")
    if request.method != "POST":
        record_access(prescription, "view")
        form, formset = _forms_of(request, prescription)
        return _workspace_page(
            request,
            patient=prescription.patient,
            form=form,
            formset=formset,
            prescription=prescription,
            editable=editable,
        )
    if not editable:
        raise PermissionDenied
    try:
        return _save_draft(request, pk)
    except StalePrecondition:
        messages.error(request, STALE_MESSAGE)
        return HttpResponseRedirect(request.get_full_path())


@transaction.atomic
def _save_draft(request, pk):
    # Locked first, then read: nobody saves between the version check and the save.
    prescription = (
        selectors.prescriptions_for(request.user).select_for_update(of=("self",)).get(pk=pk)
    )
    if not prescription.is_draft:
        raise PermissionDenied  # issued meanwhile (through the API, or in another tab)
    form, formset = _forms_of(request, prescription, request.POST)
    formset.issuing = "_issue" in request.POST
    if not (form.is_valid() and formset.is_valid()):
        return _refused(
            request,
            _workspace_page(
                request,
                patient=prescription.patient,
                form=form,
                formset=formset,
                prescription=prescription,
            ),
        )
    saved = services.update_prescription(
        prescription=prescription,
        if_match=form.cleaned_data["opened_version"],
        data={**form.prescription_fields(), "items": formset.items()},
    )
    _log(request, saved, CHANGE, form)
    return _saved(request, saved, added=False)


# The page's tools --------------------------------------------------------------------------


def _require_clinician(request) -> None:
    if not is_clinician(request.user):
        raise PermissionDenied


def _require_clinicians_post(request) -> None:
    if request.method != "POST":
        raise PermissionDenied
    _require_clinician(request)


def revise(request, pk):
    prescription = _own(request, pk)
    _require_clinicians_post(request)
    revision = _run(
        request,
        lambda: services.revise_prescription(prescription=prescription, clinician=request.user),
        _("A new draft revision was created."),
    )
    return HttpResponseRedirect(url_of("workspace", (revision or prescription).pk))


def void(request, pk):
    prescription = _own(request, pk)
    _require_clinician(request)
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
            if _run(
                request,
                lambda: services.void_prescription(prescription=prescription, reason=reason),
                _("The prescription was voided."),
            ):
                return HttpResponseRedirect(url_of("workspace", prescription.pk))
    context = {
        **admin.site.each_context(request),
        "opts": OPTS,
        "original": prescription,
        "title": _("Void prescription"),
        "reason": reason,
        "reason_errors": reason_errors,
        "reason_min_length": VOID_REASON_MIN_LENGTH,
    }
    return TemplateResponse(request, "admin/prescriptions/prescription/void.html", context)


def _field_label(name: str) -> str:
    """What the admin calls a field named in an error: a prescription's, its patient's, or
    the handout's `lang` parameter."""
    for model in (Prescription, Patient):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


def handout(request, pk):
    """The handout PDF: a download, or shown in the browser's tab with ?preview=1."""
    _own(request, pk)
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


def save_as_template(request, pk):
    prescription = _own(request, pk)
    _require_clinicians_post(request)
    template = _run(
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
        else url_of("workspace", prescription.pk)
    )


def from_template(request):
    """ "Start from a template": a new draft for the patient with the template's programme."""
    _require_clinicians_post(request)
    patient = get_object_or_404(
        selectors.patients_for(request.user).filter(archived_at__isnull=True),
        pk=_record_id(request.POST.get("patient")),
    )
    template = get_object_or_404(
        selectors.templates_for(request.user), pk=_record_id(request.POST.get("template"))
    )
    prescription = _run(
        request,
        lambda: services.prescribe_template(
            template=template, patient=patient, clinician=request.user
        ),
        _("Started from the template “%(name)s”: adjust it, then issue.") % {"name": template.name},
    )
    if prescription is None:
        return HttpResponseRedirect(new_prescription_url(patient))
    return HttpResponseRedirect(url_of("workspace", prescription.pk))


# Served by the admin site (clinic.admin_site), among the prescriptions' admin pages: the
# tools keep the addresses and names they had as that admin's extra pages.
ROUTES = [
    ("new/", new_prescription, "new"),
    ("<int:pk>/workspace/", prescription_workspace, "workspace"),
    ("<int:pk>/revise/", revise, "revise"),
    ("<int:pk>/void/", void, "void"),
    ("<int:pk>/handout/", handout, "handout"),
    ("<int:pk>/save-as-template/", save_as_template, "save_as_template"),
    ("from-template/", from_template, "from_template"),
]


def register(site) -> None:
    for route, view, name in ROUTES:
        site.register_view(
            f"prescriptions/prescription/{route}", view, f"prescriptions_prescription_{name}"
        )
