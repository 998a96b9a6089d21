from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save


class ClinicsConfig(AppConfig):
    name = "clinics"
    verbose_name = "Clinics and staff"

    def ready(self):
        from clinics.models import ClinicianProfile

        # After every app's migrate: permissions of later apps only exist once they migrated.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="clinics.ensure_roles")
        pre_save.connect(
            note_access_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="clinics.user_pre"
        )
        post_save.connect(
            end_access_after_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="clinics.user"
        )
        pre_save.connect(
            end_access_on_clinic_move, sender=ClinicianProfile, dispatch_uid="clinics.move"
        )
        m2m_changed.connect(
            groups_changed, sender=get_user_model().groups.through, dispatch_uid="clinics.groups"
        )


def ensure_roles_after_migrate(sender, **kwargs):
    from clinics.roles import ensure_roles

    ensure_roles()


# Tokens and sessions end with their reason: a new password (set by the user, an admin or
# create_clinician), a deactivation, a role change (groups, or the superuser and staff flags)
# and a move to another clinic each end every API token and signed-in session the user had.
# Signals, not the callers, so that each way of making the change (admin form, service,
# shell) ends them.

_ACCESS_ENDS = "_access_ends"
# Saved with the row: each decides what the user may do, so a change of one ends their access.
_ACCESS_FLAGS = ("is_active", "is_superuser", "is_staff")


def note_access_change(sender, instance, update_fields=None, **kwargs):
    # set_password() keeps the raw password until save(): a new password is being saved.
    # (A hash upgrade at sign-in clears it before saving: not a change, nothing ends.)
    password_changed = getattr(instance, "_password", None) is not None
    flags = [name for name in _ACCESS_FLAGS if update_fields is None or name in update_fields]
    if password_changed or instance.pk is None or not flags:
        flags_changed = False  # (a sign-in saves last_login only: no query)
    else:
        stored = sender.objects.filter(pk=instance.pk).values(*flags).first()
        flags_changed = stored is not None and any(
            stored[name] != getattr(instance, name) for name in flags
        )
    if password_changed or flags_changed:
        setattr(instance, _ACCESS_ENDS, True)


def end_access_after_change(sender, instance, created, **kwargs):
    if instance.__dict__.pop(_ACCESS_ENDS, False) and not created:
        from clinics.services import end_access

        end_access(instance)
    elif not instance.is_active:
        instance.auth_token_set.all().delete()


def end_access_on_clinic_move(sender, instance, **kwargs):
    if instance.pk is None:
        return
    old_clinic_id = (
        sender.objects.filter(pk=instance.pk).values_list("clinic_id", flat=True).first()
    )
    if old_clinic_id is not None and old_clinic_id != instance.clinic_id:
        from clinic.idempotency import forget_stored_answers_of_user
        from clinics.services import end_access

        end_access(instance.user)
        # A replayed create would answer with the old clinic's record.
        forget_stored_answers_of_user(instance.user_id)


def groups_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """A user's groups changed: its roles are read again, its tokens and sessions end."""
    from clinics.roles import forget_group_names
    from clinics.services import end_access

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, get_user_model()):
        forget_group_names(instance)
        end_access(instance)
    elif pk_set:
        for user in get_user_model().objects.filter(pk__in=pk_set):
            end_access(user)
