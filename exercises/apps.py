from django.apps import AppConfig
from django.db.models.signals import post_delete


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise catalogue"

    def ready(self):
        from exercises.models import Assessment, Condition, Exercise, SafetyNote

        for model in (Exercise, Condition, Assessment, SafetyNote):
            post_delete.connect(remember_deleted_catalogue_record, sender=model)


def remember_deleted_catalogue_record(sender, instance, **kwargs):
    """An editor deleted a record the default catalogue loaded: load_catalogue leaves it out."""
    from exercises.models import DeletedCatalogueRecord

    if instance.catalogue_source_hash:
        DeletedCatalogueRecord.objects.get_or_create(
            model=sender._meta.label_lower, slug=instance.slug
        )
