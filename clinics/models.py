import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinics.images import SanitizedImageField

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class PaperSize(models.TextChoices):
    A4 = "a4", "A4"
    LETTER = "letter", _("Letter")


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=10,
        default="112",
        help_text=_("The local emergency number printed on handouts, e.g. 999, 911 or 112."),
    )
    out_of_hours = models.CharField(
        _("out-of-hours help"),
        max_length=200,
        blank=True,
        help_text=_(
            "How a patient gets help when the clinic is closed: a number or a short text, "
            'e.g. "111" or "Call 0161 555 0199 (evenings and weekends)". When empty, the '
            "handout gives the emergency number."
        ),
    )
    logo = SanitizedImageField(_("logo"), upload_to="clinic-logos/", blank=True)
    paper_size = models.CharField(
        _("default paper size"), max_length=6, choices=PaperSize.choices, default=PaperSize.A4
    )
    timezone = models.CharField(
        _("timezone"), max_length=64, choices=TIMEZONE_CHOICES, default="UTC"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self):
        return self.name

    @property
    def contact_line(self) -> str:
        return " · ".join(part for part in (self.phone, self.email, self.website) if part)


class ClinicianProfile(models.Model):
    """Who a user is at their clinic; every clinic-scoped query starts from here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    profession = models.CharField(
        _("profession"), max_length=100, blank=True, help_text=_("e.g. Physiotherapist")
    )
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("clinician profile")
        verbose_name_plural = _("clinician profiles")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name() or self.user.get_username()
