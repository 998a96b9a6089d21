from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredAnswer(models.Model):
    """The first answer to a create sent with an `Idempotency-Key`, replayed to its retries
    until it expires. The body can hold a patient's name: export and erasure cover it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=255)
    request_fingerprint = models.CharField(
        max_length=64, help_text=_("SHA-256 of the method, path and body of the first request.")
    )
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    patient_id = models.BigIntegerField(
        null=True, db_index=True, help_text=_("The patient this answer shows, if any.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="stored_answer_key_unique_per_user"
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.user_id})"
