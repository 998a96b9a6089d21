from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from exercises.cached_lists import replace_catalogue_version


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise catalogue"

    def ready(self):
        from exercises.models import Assessment, Condition, Exercise, GlossaryTerm, SafetyNote

        for model in (Exercise, Condition, Assessment, SafetyNote, GlossaryTerm):
            post_delete.connect(remember_deleted_catalogue_record, sender=model)
        # Every record of this app is catalogue content (m2m tables included); a migration
        # may change rows through historical models, which send no signal of ours.
        for model in self.get_models(include_auto_created=True):
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(catalogue_changed, sender=model, weak=False)
        post_migrate.connect(catalogue_changed, weak=False)


def remember_deleted_catalogue_record(sender, instance, **kwargs):
    """An editor deleted a record the default catalogue loaded: load_catalogue leaves it out."""
    from exercises.models import DeletedCatalogueRecord

    if instance.catalogue_source_hash:
        DeletedCatalogueRecord.objects.get_or_create(
            model=sender._meta.label_lower, slug=instance.slug
        )


def catalogue_changed(sender, using=None, **kwargs):
    """A catalogue record was written: the cached catalogue lists are out of date."""
    replace_catalogue_version(using=using)
