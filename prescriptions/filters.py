import contextlib
import datetime

import django_filters
from django.db.models import Q

from clinic.api.filters import FilterSet
from exercises.models import Condition
from prescriptions.models import Patient, Prescription, PrescriptionStatus
from prescriptions.text import search_key


class PatientFilter(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Name, record number or date of birth (YYYY-MM-DD); case- and accent-insensitive.",
    )
    condition = django_filters.ModelChoiceFilter(
        field_name="conditions", to_field_name="slug", queryset=Condition.objects.all()
    )
    archived = django_filters.BooleanFilter(
        method="filter_archived",
        help_text="true: archived patients only. Default: active patients.",
    )
    date_of_birth = django_filters.DateFilter()

    class Meta:
        model = Patient
        fields = ["condition", "archived", "date_of_birth"]

    @classmethod
    def no_filter_given(cls, queryset):
        """Active patients: the list unless `archived` is given."""
        return queryset.filter(archived_at__isnull=True)

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("archived") is None:
            queryset = self.no_filter_given(queryset)
        return super().filter_queryset(queryset)

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    def filter_search(self, queryset, name, value):
        for term in value.split():
            match = Q(search_text__contains=search_key(term))
            with contextlib.suppress(ValueError):
                match |= Q(date_of_birth=datetime.date.fromisoformat(term))
            queryset = queryset.filter(match)
        return queryset


class PrescriptionFilter(FilterSet):
    patient = django_filters.NumberFilter(field_name="patient_id")
    status = django_filters.ChoiceFilter(choices=PrescriptionStatus.choices)

    class Meta:
        model = Prescription
        fields = ["patient", "status"]
