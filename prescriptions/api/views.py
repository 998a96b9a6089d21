from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic.api.auditing import AccessAuditMixin
from clinic.api.idempotency import idempotent_create
from clinic.api.mixins import RecordResponsesMixin
from clinic.api.renderers import FirstRendererNegotiation, PDFRenderer
from clinic.api.schema import CONTENT_DISPOSITION
from clinic.audit import record_access
from clinics.selectors import clinic_of
from prescriptions import selectors, services
from prescriptions.api.checks import check_draft
from prescriptions.api.serializers import (
    DraftCheckQuerySerializer,
    DraftCheckSerializer,
    DraftSerializer,
    HandoutQuerySerializer,
    PatientSerializer,
    PrescribeTemplateSerializer,
    PrescriptionSerializer,
    PrescriptionSummarySerializer,
    TemplateNameSerializer,
    TemplateSerializer,
    VoidSerializer,
)
from prescriptions.filters import PatientFilter, PrescriptionFilter
from prescriptions.handouts.delivery import deliver_handout
from prescriptions.models import ProgrammeTemplate
from prescriptions.permissions import TemplateAuthorOrClinicAdmin, WorksAtClinic


class ClinicScopedViewSet(RecordResponsesMixin, viewsets.ModelViewSet):
    """Another clinic's objects are simply not in the queryset, so they answer 404."""

    permission_classes = [WorksAtClinic]


PATIENT_EXAMPLE = OpenApiExample(
    "A patient with sciatica",
    value={
        "given_name": "Zoë",
        "family_name": "Łukasiewicz-Núñez",
        "date_of_birth": "1970-03-02",
        "identifier": "MRN-0042",
        "conditions": ["sciatica"],
        "preferred_language": "en",
        "phone": "07700 900123",
    },
    request_only=True,
)
PRESCRIPTION_EXAMPLE = OpenApiExample(
    "Two stretches, one with its dose changed",
    value={
        "patient": 42,
        "notes": "Ease the pull at the back of your thighs so you can bend with less back pain.",
        "start_date": "2026-11-27",
        "review_date": "2026-12-18",
        "items": [
            {"exercise": 1},
            {"exercise": 3, "hold_seconds": 45, "reps": 2, "side": "left", "notes": "Evenings."},
        ],
    },
    request_only=True,
)


@extend_schema_view(
    create=extend_schema(examples=[PATIENT_EXAMPLE]),
    update=extend_schema(examples=[PATIENT_EXAMPLE]),
)
class PatientViewSet(AccessAuditMixin, ClinicScopedViewSet):
    """The clinic's patients. A patient is archived, never deleted."""

    serializer_class = PatientSerializer
    filterset_class = PatientFilter
    conflict_methods = ("DELETE",)
    if_match_actions = ("update", "partial_update", "destroy", "archive", "unarchive")
    ordering_fields = ["family_name", "given_name", "date_of_birth", "created_at"]
    ordering = ["family_name", "given_name", "id"]

    def get_queryset(self):
        return selectors.patients_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.save_patient(
            clinic=clinic_of(self.request.user), data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        patient = serializer.instance
        serializer.instance = services.save_patient(
            clinic=patient.clinic,
            patient=patient,
            data=dict(serializer.validated_data),
            if_match=self.if_match,
        )

    def perform_destroy(self, instance):
        services.refuse_patient_deletion(patient=instance, if_match=self.if_match)

    @extend_schema(request=None, responses=PatientSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive a patient: hidden from the list, kept with every prescription."""
        patient = services.archive_patient(patient=self.get_object(), if_match=self.if_match)
        return self.record_response(patient)

    @extend_schema(request=None, responses=PatientSerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        """Bring an archived patient back to the list."""
        patient = services.unarchive_patient(patient=self.get_object(), if_match=self.if_match)
        return self.record_response(patient)


@extend_schema_view(
    create=extend_schema(examples=[PRESCRIPTION_EXAMPLE]),
    partial_update=extend_schema(
        examples=[
            OpenApiExample(
                "Change the goal",
                value={"notes": "Walk to the shops without pain."},
                request_only=True,
            )
        ]
    ),
)
class PrescriptionViewSet(AccessAuditMixin, ClinicScopedViewSet):
    """Prescriptions of the clinic's patients: drafts, issuing, revising, voiding, handouts."""

    audit_reads = {"retrieve": "view", "handout": "download"}
    filterset_class = PrescriptionFilter
    conflict_methods = ("PUT", "PATCH", "DELETE", "POST")
    if_match_actions = ("update", "partial_update", "destroy", "issue", "revise", "void")
    # Issuing is where a stale view harms a patient (a caution the clinician never saw).
    if_match_required_actions = ("issue",)
    untagged_actions = ("handout", "check")
    query_serializer_classes = {
        "handout": HandoutQuerySerializer,
        "check": DraftCheckQuerySerializer,
    }
    storage_actions = ("issue",)
    throttle_scope = None  # the handout download sets its own scope
    ordering_fields = ["created_at", "start_date", "review_date"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.prescriptions_for_list(self.request.user)
        if self.action == "handout":
            return selectors.prescriptions_for_handout(self.request.user)
        return selectors.prescriptions_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return PrescriptionSummarySerializer
        return {
            "void": VoidSerializer,
            "save_as_template": TemplateNameSerializer,
        }.get(self.action, PrescriptionSerializer)

    def _data(self, prescription):
        return PrescriptionSerializer(prescription, context=self.get_serializer_context()).data

    def _fresh(self, prescription):
        """The prescription as a write left it, read again with the detail prefetches."""
        return self.get_queryset().get(pk=prescription.pk)

    def _detail_response(self, prescription):
        fresh = self._fresh(prescription)
        return self.record_response(fresh, self._data(fresh))

    def _created_response(self, prescription):
        fresh = self._fresh(prescription)
        return self.created_response(fresh, self._data(fresh))

    def retrieve(self, request, *args, **kwargs):
        prescription = self.get_object()
        return self.record_response(prescription, self._data(prescription))

    @idempotent_create
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        prescription = services.create_prescription(
            clinician=request.user,
            patient=data.pop("patient"),
            items=data.pop("items", []),
            **data,
        )
        return self._created_response(prescription)

    @extend_schema(parameters=[], responses=PrescriptionSerializer)
    def update(self, request, *args, **kwargs):
        prescription = self.get_object()
        services.ensure_updatable(prescription=prescription, if_match=self.if_match)
        serializer = self.get_serializer(
            prescription, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        updated = services.update_prescription(
            prescription=prescription,
            if_match=self.if_match,
            data=dict(serializer.validated_data),
        )
        return self._detail_response(updated)

    def perform_destroy(self, instance):
        services.delete_prescription(prescription=instance, if_match=self.if_match)

    @extend_schema(
        request=DraftSerializer,
        parameters=[DraftCheckQuerySerializer],
        responses={200: DraftCheckSerializer},
        examples=[PRESCRIPTION_EXAMPLE],
    )
    @action(detail=False, methods=["post"])
    def check(self, request):
        """Check a draft without saving it: the errors and warnings creating it would give.

        The body is the create's; without a patient the items are checked as a template's,
        against no conditions. Each item or field with an error is listed in `errors` and
        the rest are still checked, so every row's findings come at once; the answer is 200
        whether or not the draft would save. A body that cannot be read (not an object, a
        patient not of your clinic, items not a list or more than allowed) answers 400, as
        the create does. The check is recorded in the patient's audit trail as a read."""
        options = DraftCheckQuerySerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        checked = check_draft(
            request.data,
            context=self.get_serializer_context(),
            issuing=options.validated_data["for_issue"],
        )
        if checked.patient is not None:
            record_access(checked.patient, "check")
        return Response(DraftCheckSerializer(checked).data)

    @extend_schema(request=None, responses={200: PrescriptionSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue a draft: freeze its handout; it never changes afterwards"""
        issued = services.issue_prescription(prescription=self.get_object(), if_match=self.if_match)
        return self._detail_response(issued)

    @extend_schema(request=None, responses={201: PrescriptionSerializer})
    @action(detail=True, methods=["post"])
    @idempotent_create
    def revise(self, request, pk=None):
        """Revise an issued prescription: a new draft, version + 1"""
        revision = services.revise_prescription(
            prescription=self.get_object(), clinician=request.user, if_match=self.if_match
        )
        return self._created_response(revision)

    @extend_schema(request=VoidSerializer, responses={200: PrescriptionSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void an issued prescription, saying why"""
        prescription = self.get_object()
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voided = services.void_prescription(
            prescription=prescription, reason=body.validated_data["reason"], if_match=self.if_match
        )
        return self._detail_response(voided)

    @extend_schema(request=TemplateNameSerializer, responses={201: TemplateSerializer})
    @action(detail=True, methods=["post"], url_path="save-as-template")
    @idempotent_create
    def save_as_template(self, request, pk=None):
        """Save a prescription's exercises and doses as a new template"""
        prescription = self.get_object()
        body = TemplateNameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        template = services.save_prescription_as_template(
            prescription=prescription, name=body.validated_data["name"], user=request.user
        )
        template = selectors.templates_for(request.user).get(pk=template.pk)
        data = TemplateSerializer(template, context=self.get_serializer_context()).data
        return self.created_response(template, data, basename="template")

    @extend_schema(
        parameters=[HandoutQuerySerializer, CONTENT_DISPOSITION],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The handout PDF."
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[PDFRenderer],
        content_negotiation_class=FirstRendererNegotiation,
        throttle_scope="handout",
    )
    def handout(self, request, pk=None):
        """Download the handout PDF"""
        prescription = self.get_object()
        options = HandoutQuerySerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        paper = options.validated_data.get("paper")
        language = options.validated_data.get("lang")
        large_print = options.validated_data["large_print"]
        return deliver_handout(
            prescription,
            whole=selectors.prescriptions_with_handout_content_for(request.user),
            paper=paper,
            language=language,
            also=options.validated_data.get("also"),
            large_print=large_print,
        )


class TemplateViewSet(AccessAuditMixin, ClinicScopedViewSet):
    """The clinic's programme templates."""

    serializer_class = TemplateSerializer
    permission_classes = [WorksAtClinic, TemplateAuthorOrClinicAdmin]
    ordering_fields = ["name", "created_at"]
    ordering = ["name", "id"]
    conflict_methods = ("DELETE",)
    if_match_actions = ("update", "partial_update", "destroy")
    checks_if_match = True
    # Templates hold no patient data: only their changes are audited, not their reads.
    audit_reads = {}
    audit_list_reads = False

    def get_queryset(self):
        return selectors.templates_for(self.request.user)

    def get_serializer_class(self):
        return PrescribeTemplateSerializer if self.action == "prescribe" else TemplateSerializer

    def perform_create(self, serializer):
        template = ProgrammeTemplate(
            clinic=clinic_of(self.request.user), created_by=self.request.user
        )
        saved = services.save_template(template=template, data=dict(serializer.validated_data))
        serializer.instance = self._fresh(saved)

    def perform_update(self, serializer):
        saved = services.save_template(
            template=serializer.instance, data=dict(serializer.validated_data)
        )
        serializer.instance = self._fresh(saved)

    def _fresh(self, template):
        """The template as the write left it, read again with its items' exercises."""
        return self.get_queryset().get(pk=template.pk)

    @extend_schema(request=PrescribeTemplateSerializer, responses={201: PrescriptionSerializer})
    @action(detail=True, methods=["post"])
    @idempotent_create
    def prescribe(self, request, pk=None):
        """Prescribe a template to a patient: a new draft prescription"""
        template = self.get_object()
        body = PrescribeTemplateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        prescription = services.prescribe_template(
            template=template, patient=body.validated_data["patient"], clinician=request.user
        )
        fresh = selectors.prescriptions_for(request.user).get(pk=prescription.pk)
        data = PrescriptionSerializer(fresh, context=self.get_serializer_context()).data
        return self.created_response(fresh, data, basename="prescription")
