from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_migrate, post_save


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinics and staff"

    def ready(self):
        # After every app's migrate: permissions of later apps only exist once they migrated.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="clinics.ensure_roles")
        post_save.connect(revoke_tokens_of_inactive_user, sender=settings.AUTH_USER_MODEL)
        m2m_changed.connect(
            groups_changed, sender=get_user_model().groups.through, dispatch_uid="clinics.groups"
        )


def ensure_roles_after_migrate(sender, **kwargs):
    from clinics.roles import ensure_roles

    ensure_roles()


def revoke_tokens_of_inactive_user(sender, instance, **kwargs):
    """Deactivating a user revokes all their API tokens at once."""
    if not instance.is_active:
        instance.auth_token_set.all().delete()


def groups_changed(sender, instance, **kwargs):
    """A user's groups changed through this user object: its roles are read again."""
    from clinics.roles import forget_group_names

    if isinstance(instance, get_user_model()):
        forget_group_names(instance)
