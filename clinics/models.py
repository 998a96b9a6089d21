import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.languages import language_choices
from clinics.images import SanitizedImageField
from clinics.out_of_hours import default_out_of_hours, names_only_emergency_numbers

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class PaperSize(models.TextChoices):
    A4 = "a4", "A4"
    LETTER = "letter", _("Letter")


class DateOrder(models.TextChoices):
    DAY_FIRST = "DMY", _("Day first (31/12/1970)")
    MONTH_FIRST = "MDY", _("Month first (12/31/1970)")


# The clinic's contact details, printed on every handout.
CLINIC_CONTACT_FIELDS = [
    "address",
    "phone",
    "email",
    "website",
    "country",
    "emergency_number",
    "out_of_hours",
]


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
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z]{2}$", _("Two letters (ISO 3166), e.g. GB."), code="invalid_country"
            )
        ],
        help_text=_(
            "ISO 3166 two-letter code, e.g. GB, IE, AU. Decides the out-of-hours advice "
            "handouts print until the clinic sets its own."
        ),
    )
    out_of_hours = models.CharField(
        _("out-of-hours help"),
        max_length=200,
        blank=True,
        help_text=_(
            "What a patient with a same-day sign does when the clinic is closed, completing "
            '"When we are closed: ...", e.g. "call NHS 111" or "call 0161 555 0199 '
            '(evenings and weekends)". Never an emergency number: the emergency signs have '
            "their own box. When empty, the handout gives the default for the clinic's country."
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
        _("language"), max_length=10, choices=language_choices, default="en"
    )
    unreviewed_translations_alone = models.BooleanField(
        _("print unreviewed translations alone"),
        default=False,
        help_text=_(
            "Off: a handout whose catalogue texts include translations nobody has reviewed "
            "prints each card in the clinic's language too, so a carer or interpreter can "
            "check it. On: it prints in the patient's language alone."
        ),
    )
    date_order = models.CharField(
        _("order of typed dates"),
        max_length=3,
        choices=DateOrder.choices,
        default=DateOrder.DAY_FIRST,
        help_text=_(
            "How staff type a date of birth when they search for a patient, e.g. 02/03/1970. "
            "1970-03-02 (year first) is always understood."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self):
        return self.name

    def clean(self):
        self.country = self.country.upper()
        if names_only_emergency_numbers(self.out_of_hours, self.emergency_number):
            raise ValidationError(
                {
                    "out_of_hours": ValidationError(
                        _(
                            "Give urgent advice for when the clinic is closed, not an emergency "
                            "number: the handout already sends emergencies there, and same-day "
                            "signs must not."
                        ),
                        code="emergency_number",
                    )
                }
            )

    @property
    def own_out_of_hours(self) -> str:
        """The clinic's own out-of-hours text as the same-day panel prints it, or "" when there
        is none. A text saved before the admin refused emergency numbers, which names only one,
        counts as none: the same-day tier must not send there."""
        own = self.out_of_hours.strip().rstrip(".")
        return own if not names_only_emergency_numbers(own, self.emergency_number) else ""

    @property
    def out_of_hours_advice(self) -> str:
        """What the same-day panel says to do when the clinic is closed: the clinic's text, or
        its country's default in the active language."""
        return self.own_out_of_hours or default_out_of_hours(self.country)

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
