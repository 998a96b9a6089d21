from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinics and staff"

    def ready(self):
        from clinics.roles import ensure_roles

        post_migrate.connect(ensure_roles_after_migrate, sender=self)
        self.ensure_roles = ensure_roles


def ensure_roles_after_migrate(sender, **kwargs):
    from clinics.roles import ensure_roles

    ensure_roles()
