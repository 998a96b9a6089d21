"""Test data, built the way users build it (factory_boy; no fixture files)."""

import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinics.models import Clinic, ClinicianProfile
from clinics.roles import CATALOGUE_EDITOR, CLINIC_ADMIN, CLINICIAN
from exercises.models import (
    Assessment,
    BodyRegion,
    Caution,
    Condition,
    Equipment,
    Exercise,
    ExerciseReference,
    ExerciseStep,
    Illustration,
    SafetyNote,
    SafetyNoteVariant,
    Source,
    Tag,
)
from prescriptions.models import Patient, Prescription, PrescriptionItem, ProgrammeTemplate

PASSWORD = "correct-horse-battery-staple"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Clinic {n}")
    phone = "020 7946 0000"
    email = "front-desk@example.org"
    emergency_number = "999"
    country = "GB"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class ClinicianFactory(factory.django.DjangoModelFactory):
    """A user who works at a clinic, with the clinician role (add more with user__roles)."""

    class Meta:
        model = ClinicianProfile

    user = factory.SubFactory(UserFactory, roles=[CLINICIAN])
    clinic = factory.SubFactory(ClinicFactory)
    display_name = factory.Faker("name")
    profession = "Physiotherapist"


def clinician(clinic=None, *roles: str):
    """The user of a new clinician profile at `clinic`, with extra roles."""
    profile = ClinicianFactory(
        clinic=clinic or ClinicFactory(), user=UserFactory(roles=[CLINICIAN, *roles])
    )
    return profile.user


def editor(clinic=None):
    return clinician(clinic, CATALOGUE_EDITOR)


def clinic_admin(clinic=None):
    return clinician(clinic, CLINIC_ADMIN)


class BodyRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyRegion
        django_get_or_create = ("slug",)

    slug = "hamstrings"
    name = "Hamstrings"
    limb = "leg"


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment
        django_get_or_create = ("slug",)

    slug = "towel"
    name = "Towel"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = "static-hold"
    name = "Static hold"


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hamstring stretch {n}")
    slug = factory.Sequence(lambda n: f"hamstring-stretch-{n}")
    summary = "Stretch the back of the thigh."
    category = "stretch"
    position = "lying-on-back"
    body_region = factory.SubFactory(BodyRegionFactory)
    difficulty = 1
    status = "published"
    default_hold_seconds = 30
    default_reps = 3
    default_sets = 1
    default_times_per_day = 1
    default_days_per_week = 7
    default_side = "both"
    advised_min_hold_seconds = 20
    advised_max_hold_seconds = 60

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if not create:
            return
        texts = (
            extracted
            if extracted is not None
            else [
                "Lie on your back with both legs straight.",
                "Lift one leg slowly, keeping it straight.",
                "Feel a gentle pull at the back of your thigh.",
            ]
        )
        ExerciseStep.objects.bulk_create(
            ExerciseStep(exercise=self, order=index, text=text) for index, text in enumerate(texts)
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition
        django_get_or_create = ("slug",)

    slug = "sciatica"
    name = "Sciatica"


class CautionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caution

    condition = factory.SubFactory(ConditionFactory)
    severity = "warning"
    text = "Stop if your leg tingles or feels numb, and tell us."


class SafetyNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyNote

    slug = factory.Sequence(lambda n: f"note-{n}")
    tier = "precaution"
    text = factory.Sequence(lambda n: f"Safety note number {n}.")


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    given_name = "Zoë"
    family_name = "Łukasiewicz-Núñez"
    date_of_birth = datetime.date(1970, 3, 2)
    identifier = factory.Sequence(lambda n: f"MRN-{n:05d}")

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    """A draft prescription; pass `items=[exercise, ...]` for default-dose items."""

    class Meta:
        model = Prescription
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    clinician = factory.LazyAttribute(lambda o: clinician(o.patient.clinic))
    notes = "Ease the pull at the back of your thighs."
    review_date = datetime.date(2027, 1, 15)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        PrescriptionItem.objects.bulk_create(
            PrescriptionItem(
                prescription=self,
                order=index,
                exercise=exercise,
                **{
                    f: getattr(exercise, f"default_{f}")
                    for f in (
                        "hold_seconds",
                        "reps",
                        "sets",
                        "rest_seconds",
                        "times_per_day",
                        "days_per_week",
                        "side",
                        "duration_seconds",
                    )
                },
            )
            for index, exercise in enumerate(extracted)
        )


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeTemplate

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Template {n}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    slug = factory.Sequence(lambda n: f"assessment-{n}")
    name = factory.Sequence(lambda n: f"Straight leg raise {n}")
    performed_by = "clinician"
    procedure = "Lie on your back.\nLift one straight leg."
    measure = "degrees"
    interpretation = "A smaller angle means tighter hamstrings."


def standing_frame(name="start", **angles) -> dict:
    """A picture of someone standing on both feet; angles change the pose."""
    return {
        "name": name,
        "alt_text": f"Standing ({name}).",
        "orientation": 0,
        "pose": angles,
        "props": [],
        "contacts": [
            {"part": "near_foot", "surface": "floor"},
            {"part": "far_foot", "surface": "floor"},
        ],
    }


class IllustrationFactory(factory.django.DjangoModelFactory):
    """Pictures of an exercise: standing, then one arm raised forward."""

    class Meta:
        model = Illustration

    exercise = factory.SubFactory(ExerciseFactory)
    frames = factory.LazyFunction(
        lambda: [standing_frame("start"), standing_frame("end", near_shoulder=90)]
    )


class SafetyNoteVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyNoteVariant

    note = factory.SubFactory(SafetyNoteFactory)
    condition = factory.SubFactory(ConditionFactory)
    text = "Keep every stretch light and stop if your leg tingles."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Patient leaflet {n}")


class ExerciseReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExerciseReference

    exercise = factory.SubFactory(ExerciseFactory)
    source = factory.SubFactory(SourceFactory)
    note = "Hold 30 seconds."


class TemplateItemFactory(factory.django.DjangoModelFactory):
    """A template's exercise with the exercise's default dose."""

    class Meta:
        model = "prescriptions.TemplateItem"

    template = factory.SubFactory(TemplateFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(int)
    hold_seconds = factory.SelfAttribute("exercise.default_hold_seconds")
    reps = factory.SelfAttribute("exercise.default_reps")
    sets = factory.SelfAttribute("exercise.default_sets")
    rest_seconds = factory.SelfAttribute("exercise.default_rest_seconds")
    times_per_day = factory.SelfAttribute("exercise.default_times_per_day")
    days_per_week = factory.SelfAttribute("exercise.default_days_per_week")
    duration_seconds = factory.SelfAttribute("exercise.default_duration_seconds")
    side = factory.SelfAttribute("exercise.default_side")


def superuser():
    return UserFactory(is_superuser=True)


def picture(image_format="PNG", name="stretch.png", exif=None, size=(64, 48)):
    """An upload of a real picture drawn with Pillow; `exif` (a PIL.Image.Exif) is embedded."""
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, "teal").save(buffer, format=image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
