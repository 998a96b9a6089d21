import django_filters
from django import forms
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from clinic.api.filters import FilterSet
from exercises.models import BodyRegion, Category, Condition, Exercise, Position, Status, Tag
from exercises.search import search_exercises
from exercises.selectors import contraindicated_for


class SlugListFilter(django_filters.CharFilter):
    """Comma-separated slugs; matches exercises having any of them. Unknown slugs are refused,
    as the single-choice filters refuse theirs, so a typo never reads as "nothing matches"."""

    def filter(self, queryset, value):
        slugs = {slug.strip() for slug in (value or "").split(",") if slug.strip()}
        if not slugs:
            return queryset
        related = Exercise._meta.get_field(self.field_name).related_model
        known = set(related.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if unknown := sorted(slugs - known):
            raise ValidationError(
                {self.field_name: [_("Unknown: %(slugs)s.") % {"slugs": ", ".join(unknown)}]},
                code="invalid_choice",
            )
        matching = Exercise.objects.filter(**{f"{self.field_name}__slug__in": slugs})
        return queryset.filter(pk__in=matching.values("pk"))


class IdListFilter(django_filters.BaseInFilter, django_filters.Filter):
    """Comma-separated record ids, whole numbers only."""

    field_class = forms.IntegerField


class ExerciseFilter(FilterSet):
    id = IdListFilter(field_name="id", help_text="Comma-separated exercise ids: any of them.")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    position = django_filters.ChoiceFilter(choices=Position.choices)
    status = django_filters.ChoiceFilter(choices=Status.choices)
    equipment = SlugListFilter(
        field_name="equipment", help_text="Comma-separated equipment slugs: any of them."
    )
    body_region = django_filters.ModelChoiceFilter(
        field_name="body_region", to_field_name="slug", queryset=BodyRegion.objects.all()
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", to_field_name="slug", queryset=Tag.objects.all()
    )
    condition_safe = django_filters.CharFilter(
        method="filter_condition_safe",
        help_text=(
            "Comma-separated condition slugs (e.g. a patient's conditions): hides exercises "
            "contraindicated for any of them."
        ),
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=100,
        help_text=(
            "Words of the name, summary or target muscles; case, punctuation and small typos "
            'forgiven ("hamstrng", "strech", "bird dog"). Without `ordering`, the '
            "best matches come first: the exact name, names starting with it, names "
            "containing it, names with every word, then the summary and target muscles."
        ),
    )

    class Meta:
        model = Exercise
        fields = ["category", "position", "status", "body_region", "tag"]

    def filter_condition_safe(self, queryset, name, value):
        slugs = {slug.strip() for slug in value.split(",") if slug.strip()}
        known = set(Condition.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if unknown := sorted(slugs - known):
            raise ValidationError(
                {
                    "condition_safe": [
                        _("Unknown condition: %(slugs)s.") % {"slugs": ", ".join(unknown)}
                    ]
                },
                code="invalid_choice",
            )
        return queryset.exclude(contraindicated_for(sorted(slugs)))

    def filter_search(self, queryset, name, value):
        return search_exercises(queryset, value)
