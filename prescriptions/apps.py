from django.apps import AppConfig


class PrescriptionsConfig(AppConfig):
    name = "prescriptions"
    verbose_name = "Patients and prescriptions"

    def ready(self):
        from auditlog.registry import auditlog

        from prescriptions.models import Patient, Prescription, ProgrammeTemplate

        # Changes keep before/after values; bulky or derived fields are left out of the diff.
        # Items are replaced in bulk, so services record their before/after themselves.
        auditlog.register(
            Patient, exclude_fields=["search_text", "updated_at"], m2m_fields={"conditions"}
        )
        auditlog.register(
            Prescription,
            exclude_fields=["snapshot", "row_version", "handout_pdf", "updated_at"],
        )
        auditlog.register(ProgrammeTemplate, exclude_fields=["updated_at"])
