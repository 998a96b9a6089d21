from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.languages import language_choices
from clinics.models import Clinic
from exercises.dose import Dose
from exercises.models import Condition, Exercise
from prescriptions.text import search_key

# The clinician's reason for prescribing despite a contraindication: a sentence, kept in the
# record (the rules check both limits; the model and the API field hold the maximum).
CONTRAINDICATION_REASON_MIN_LENGTH = 10
CONTRAINDICATION_REASON_MAX_LENGTH = 500


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    identifier = models.CharField(
        _("record number"), max_length=64, help_text=_("Unique within the clinic.")
    )
    conditions = models.ManyToManyField(Condition, blank=True, related_name="patients")
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=language_choices, default="en"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True, max_length=500)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    search_text = models.CharField(max_length=400, editable=False, db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "identifier"], name="patient_identifier_unique_in_clinic"
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "archived_at", "family_name", "given_name", "id"])
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name} ({self.identifier})"

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.given_name} {self.family_name} {self.identifier}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # The ETag policy: clinic.etags. Everything a patient's representation shows is its row
    # and its conditions, and setting those saves the row.
    etag_shows = ()

    @property
    def etag_version(self) -> str:
        """Changes with every save (updated_at is set by each one)."""
        return f"pt{self.pk}-{self.updated_at.timestamp():.6f}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so the trail filters by patient and clinic."""
        return {"patient_id": self.pk, "clinic_id": self.clinic_id}

    @property
    def patient_shown_id(self) -> int:
        """The patient whose data this record shows: stored answers showing it are exported
        and erased with that patient (clinic.api.idempotency)."""
        return self.pk

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class PrescriptionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded")
    VOIDED = "voided", _("Voided")


# The tendon pain a patient may feel while exercising, 0 to 10. Without a score of the
# therapist's, the usual starting ceiling in tendon rehabilitation (a clinical default: the
# catalogue's tendon-pain-monitoring note cites it), and the sheet says it is that default.
AGREED_PAIN_SCORE_MAX = 10
AGREED_PAIN_SCORE_DEFAULT = 3


class Prescription(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="prescriptions")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prescriptions")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prescriptions"
    )
    notes = models.TextField(
        _("goal and notes"), blank=True, max_length=5000, help_text=_("Printed for the patient.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    agreed_pain_score = models.PositiveSmallIntegerField(
        _("agreed pain score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(AGREED_PAIN_SCORE_MAX)],
        help_text=_(
            "Tendinopathy: the pain near the tendon (0–10) the patient may feel while "
            "exercising. Empty: the usual starting score, 3."
        ),
    )
    status = models.CharField(
        max_length=12, choices=PrescriptionStatus.choices, default=PrescriptionStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revision"
    )
    row_version = models.PositiveIntegerField(default=1, editable=False)
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    void_reason = models.TextField(blank=True, max_length=1000, editable=False)
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Named by its content when issued (prescriptions.handouts.storage), never by upload_to.
    handout_pdf = models.FileField(upload_to="handouts/", blank=True, editable=False)
    handout_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["clinic", "-created_at", "-id"]),
            models.Index(fields=["patient", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(review_date__gte=models.F("start_date")),
                name="prescription_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agreed_pain_score__lte=AGREED_PAIN_SCORE_MAX),
                name="prescription_agreed_pain_score_0_to_10",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} v{self.version} {self.patient.full_name} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == PrescriptionStatus.DRAFT

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so the trail filters by patient and clinic."""
        return {"patient_id": self.patient_id, "clinic_id": self.clinic_id}

    # The ETag policy: clinic.etags. What these show is decided by other rows too (warnings by
    # the patient's conditions and the catalogue's cautions, items by the exercises' names,
    # the clinician's name, the revision), so the tag covers them as the response shows them.
    etag_shows = ("warnings", "items", "clinician", "superseded_by")

    @property
    def patient_shown_id(self) -> int:
        return self.patient_id

    @property
    def etag_version(self) -> str:
        return f"rx{self.pk}-{self.row_version}"


class PrescriptionItem(Dose):
    prescription = models.ForeignKey(Prescription, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, related_name="prescription_items"
    )
    notes = models.TextField(_("note for the patient"), blank=True, max_length=1000)
    acknowledge_contraindication = models.BooleanField(
        default=False,
        help_text=_("Tick to prescribe despite a contraindication for this patient's conditions."),
    )
    contraindication_reason = models.TextField(
        _("reason for prescribing despite the contraindication"),
        blank=True,
        max_length=CONTRAINDICATION_REASON_MAX_LENGTH,
        help_text=_("Required with the acknowledgement. Kept in the record, never printed."),
    )

    class Meta:
        ordering = ["prescription", "order", "id"]

    def __str__(self):
        return f"{self.exercise} in #{self.prescription_id}"


class ProgrammeTemplate(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=200)
    notes = models.TextField(_("goal and notes"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A template saved from a prescription copies its notes and is often named after the
    # patient: erasing that patient masks every word of their names in it (data_protection).
    source_patient = models.ForeignKey(
        Patient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="derived_templates",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"], name="template_name_unique_in_clinic"
            )
        ]

    def __str__(self):
        return self.name

    def get_additional_data(self) -> dict:
        """Stored with each audit entry: the clinic, and the patient a template saved from a
        prescription came from (so erasure and export find the template's history)."""
        data = {"clinic_id": self.clinic_id}
        if self.source_patient_id is not None:
            data["patient_id"] = self.source_patient_id
        return data

    @property
    def patient_shown_id(self) -> int | None:
        return self.source_patient_id


class TemplateItem(Dose):
    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="template_items")
    notes = models.TextField(_("note for the patient"), blank=True, max_length=1000)

    class Meta:
        ordering = ["template", "order", "id"]

    def __str__(self):
        return f"{self.exercise} in {self.template}"
