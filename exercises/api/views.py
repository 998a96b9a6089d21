from collections.abc import Callable

from django.db.models import Model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from clinic.api.mixins import RecordResponsesMixin
from clinic.api.renderers import FirstRendererNegotiation, SVGRenderer
from clinic.etags import content_etag, if_none_match_holds
from clinics.roles import is_catalogue_editor
from exercises import cached_lists, selectors, services
from exercises.api.serializers import (
    AssessmentSerializer,
    ConditionSerializer,
    ExerciseDetailSerializer,
    ExerciseImageSerializer,
    ExerciseListQuerySerializer,
    ExerciseSummarySerializer,
    ExerciseWriteSerializer,
    SafetyNoteSerializer,
    illustration_url,
)
from exercises.filters import ExerciseFilter
from exercises.illustrations.frames import FrameError
from exercises.illustrations.svg import (
    SVG_CONTENT_SECURITY_POLICY,
    drawing_version,
    svg_for_frame,
)
from exercises.models import Assessment, Condition, Exercise, SafetyNote
from exercises.permissions import IsCatalogueEditorOrReadOnly

EXERCISE_EXAMPLE = OpenApiExample(
    "Supine hamstring stretch",
    value={
        "name": "Supine hamstring stretch",
        "slug": "supine-hamstring-stretch",
        "summary": "Lift one straight leg while lying on your back.",
        "category": "stretch",
        "position": "lying-on-back",
        "equipment": ["towel"],
        "body_region": "hamstrings",
        "difficulty": 1,
        "tags": ["static-hold"],
        "steps": ["Lie on your back with both legs straight.", "Lift one leg slowly."],
        "default_dose": {
            "hold_seconds": 30,
            "reps": 3,
            "times_per_day": 1,
            "days_per_week": 7,
            "side": "both",
        },
        "advised_range": {"hold_seconds": {"min": 20, "max": 60}},
        "cautions": [
            {"condition": "sciatica", "severity": "warning", "text": "Stop if your leg tingles."}
        ],
    },
    request_only=True,
)


class CatalogueViewSet(RecordResponsesMixin, viewsets.ModelViewSet):
    """Read for every signed-in user, write for catalogue editors."""

    permission_classes = [IsCatalogueEditorOrReadOnly]
    conflict_methods = ("DELETE",)
    if_match_actions: tuple[str, ...] = ("update", "partial_update", "destroy")
    checks_if_match = True
    # The service that writes this record: save(instance=None | record, data=validated data).
    save_service: Callable[..., Model] | None = None

    def list(self, request, *args, **kwargs):
        """A JSON list answers from the cache while the catalogue is unchanged
        (`exercises.cached_lists`); what is cached is only ever a successful answer."""
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        audience = "editor" if is_catalogue_editor(request.user) else "reader"
        key = cached_lists.list_key(request.build_absolute_uri(), audience)
        data = cached_lists.cached_answer(key)
        if data is not None:
            return Response(data)
        response = super().list(request, *args, **kwargs)
        cached_lists.keep_answer(key, response.data)
        return response

    def perform_create(self, serializer):
        serializer.instance = self.save_service(data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.save_service(
            instance=serializer.instance, data=serializer.validated_data
        )


@extend_schema_view(
    list=extend_schema(parameters=[ExerciseListQuerySerializer]),
    create=extend_schema(examples=[EXERCISE_EXAMPLE], responses={201: ExerciseDetailSerializer}),
    update=extend_schema(examples=[EXERCISE_EXAMPLE], responses=ExerciseDetailSerializer),
    partial_update=extend_schema(responses=ExerciseDetailSerializer),
)
class ExerciseViewSet(CatalogueViewSet):
    """The exercise catalogue, shared by every clinic."""

    filterset_class = ExerciseFilter
    ordering_fields = ["name", "difficulty"]
    ordering = ["name", "id"]
    save_service = staticmethod(services.save_exercise)
    if_match_actions = (*CatalogueViewSet.if_match_actions, "publish", "archive", "image")
    query_serializer_classes = {"list": ExerciseListQuerySerializer}

    def get_queryset(self):
        listing = self.action == "list"
        queryset = selectors.exercises_for_list() if listing else selectors.exercises_for_detail()
        return selectors.visible_exercises(self.request.user, queryset, listing=listing)

    def get_serializer_class(self):
        if self.action == "list":
            return ExerciseSummarySerializer
        if self.action in ("create", "update", "partial_update"):
            return ExerciseWriteSerializer
        if self.action == "image":
            return ExerciseImageSerializer
        return ExerciseDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            query = ExerciseListQuerySerializer(data=self.request.query_params, context=context)
            query.is_valid(raise_exception=True)
            if (conditions := query.validated_data.get("cautions_for_conditions")) is not None:
                context["caution_condition_ids"] = [condition.pk for condition in conditions]
        return context

    def perform_destroy(self, instance):
        services.delete_exercise(exercise=instance)

    def read_data(self, instance):
        return ExerciseDetailSerializer(instance, context=self.get_serializer_context()).data

    def _exercise_response(self, exercise):
        return self.record_response(exercise, self.read_data(exercise))

    @extend_schema(request=None, responses=ExerciseDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish an exercise: clinicians can prescribe it"""
        return self._exercise_response(services.publish_exercise(exercise=self.get_object()))

    @extend_schema(request=None, responses=ExerciseDetailSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive an exercise: kept for existing prescriptions, no longer prescribable"""
        return self._exercise_response(services.archive_exercise(exercise=self.get_object()))

    @extend_schema(
        request={"multipart/form-data": ExerciseImageSerializer},
        responses=ExerciseDetailSerializer,
    )
    @action(detail=True, methods=["put"], parser_classes=[MultiPartParser])
    def image(self, request, pk=None):
        """Set an exercise's picture (PNG, JPEG or WebP; metadata is stripped)"""
        exercise = self.get_object()
        upload = ExerciseImageSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        exercise = services.set_exercise_image(
            exercise=exercise,
            image=upload.validated_data["image"],
            alt_text=upload.validated_data.get("image_alt_text"),
        )
        return self._exercise_response(exercise)


class ConditionViewSet(CatalogueViewSet):
    """Conditions and their cautions (by exercise or by tag)."""

    queryset = Condition.objects.prefetch_related("cautions__exercise", "cautions__tag")
    serializer_class = ConditionSerializer
    save_service = staticmethod(services.save_condition)


class AssessmentViewSet(CatalogueViewSet):
    """Self-tests and clinician tests of hamstring flexibility."""

    queryset = Assessment.objects.select_related("illustration")
    serializer_class = AssessmentSerializer
    save_service = staticmethod(services.save_assessment)


class SafetyNoteViewSet(CatalogueViewSet):
    """Safety content printed on every handout, by tier."""

    queryset = SafetyNote.objects.prefetch_related("variants__condition", "variants__combined_with")
    serializer_class = SafetyNoteSerializer
    save_service = staticmethod(services.save_safety_note)


@extend_schema(
    responses={
        (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.BINARY, description="The picture."),
        302: OpenApiResponse(description="The current version of the picture is elsewhere."),
        304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
    }
)
class IllustrationView(generics.GenericAPIView):
    """One picture of an exercise or self-test as SVG: no script, no external reference, the
    alt text as its <title>. The URL carries a hash of the pose data: at the current hash it
    is cached for a year; any other (or none) redirects to the current one. `?view=above` (or
    `front`): the frame from one of its declared other views."""

    renderer_classes = [SVGRenderer]
    content_negotiation_class = FirstRendererNegotiation
    pagination_class = None
    filter_backends = []

    def get(self, request, pk, frame, version=None):
        owner = self.get_object()
        illustration = getattr(owner, "illustration", None)
        drawn = illustration.frame_named(frame) if illustration else None
        view = request.query_params.get("view", "side")
        if drawn and view != "side" and view not in drawn.views:
            drawn = None
        try:
            svg = svg_for_frame(drawn, illustration.drawable_frames(), view) if drawn else None
        except FrameError:
            svg = None
        if svg is None:
            raise NotFound(_("This picture does not exist."))
        current = illustration_url(owner, frame, request, view)
        if version != drawing_version(illustration.frames, frame):
            return Response(status=status.HTTP_302_FOUND, headers={"Location": current})
        etag = content_etag(svg)
        headers = {
            "ETag": etag,
            "Cache-Control": "private, max-age=31536000, immutable",
            "Content-Security-Policy": SVG_CONTENT_SECURITY_POLICY,
        }
        if if_none_match_holds(etag, request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(svg, headers=headers)


@extend_schema_view(get=extend_schema(operation_id="exercises_illustration"))
class ExerciseIllustrationView(IllustrationView):
    """One picture of an exercise (frame start, end or hold) as SVG."""

    def get_queryset(self):
        queryset = Exercise.objects.select_related("illustration")
        return selectors.visible_exercises(self.request.user, queryset, listing=False)


@extend_schema_view(get=extend_schema(operation_id="assessments_illustration"))
class AssessmentIllustrationView(IllustrationView):
    """One picture of a self-test or clinician test (frame start or end) as SVG."""

    queryset = Assessment.objects.select_related("illustration")


@extend_schema_view(get=extend_schema(operation_id="exercises_illustration_latest"))
class ExerciseIllustrationLatestView(ExerciseIllustrationView):
    """The plain picture URL: redirects (302) to the versioned one, which changes with the
    pose."""


@extend_schema_view(get=extend_schema(operation_id="assessments_illustration_latest"))
class AssessmentIllustrationLatestView(AssessmentIllustrationView):
    """The plain picture URL: redirects (302) to the versioned one, which changes with the
    pose."""
