from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate, post_save


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinics and staff"

    def ready(self):
        # After every app's migrate: permissions of later apps only exist once they migrated.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="clinics.ensure_roles")
        post_save.connect(revoke_tokens_of_inactive_user, sender=settings.AUTH_USER_MODEL)


def ensure_roles_after_migrate(sender, **kwargs):
    from clinics.roles import ensure_roles

    ensure_roles()


def revoke_tokens_of_inactive_user(sender, instance, **kwargs):
    """Deactivating a user revokes all their API tokens at once."""
    if not instance.is_active:
        instance.auth_token_set.all().delete()
