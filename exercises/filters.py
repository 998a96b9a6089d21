import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from clinic.api.filters import FilterSet
from exercises.models import BodyRegion, Category, Condition, Exercise, Position, Status, Tag
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


class ExerciseFilter(FilterSet):
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
        help_text="A condition slug: hides exercises contraindicated for it.",
    )
    search = django_filters.CharFilter(
        method="filter_search", help_text="Name, summary or target muscles; case-insensitive."
    )

    class Meta:
        model = Exercise
        fields = ["category", "position", "status", "body_region", "tag"]

    def filter_condition_safe(self, queryset, name, value):
        if not Condition.objects.filter(slug=value).exists():
            raise ValidationError(
                {"condition_safe": [_("Unknown condition.")]}, code="invalid_choice"
            )
        return queryset.exclude(contraindicated_for([value]))

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(summary__icontains=value)
            | Q(target_muscles__icontains=value)
        )
