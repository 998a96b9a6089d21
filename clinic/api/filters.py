"""The project's filter backends: strict query parameters, documented ordering values."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend as BaseDjangoFilterBackend
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings

from clinic.api.parsers import refuse_unstorable_values
from clinic.languages import QUERY_PARAMETER as LANGUAGE_QUERY_PARAMETER

UNKNOWN_PARAMETER = _("Unknown query parameter.")
UNKNOWN_ORDERING = _("Order by one of: %(fields)s.")


class FilterSet(django_filters.FilterSet):
    """The project's filtersets. With none of its parameters in the request, the backend asks
    `no_filter_given` for the list instead of building the filterset's form (django-filter
    builds and deep-copies it on every request, ~15% of a list that filters nothing)."""

    @classmethod
    def no_filter_given(cls, queryset):
        """What the list shows when the request gives none of this filterset's parameters:
        everything, unless a filterset narrows by default."""
        return queryset


class DjangoFilterBackend(BaseDjangoFilterBackend):
    """Every list and detail refuses a query parameter it does not document, naming it (a
    typo must not read as "no filter"), NUL characters and integers outside 64 bits (a 400
    naming the parameter, instead of failing in the database); only lists are narrowed, so a
    detail URL always finds its object."""

    def documented_parameters(self, queryset, view) -> set[str]:
        """What the schema lists for this operation: a list's filters, ordering and pages,
        an action's declared query serializer, and `format` and `lang` everywhere."""
        names = {api_settings.URL_FORMAT_OVERRIDE, LANGUAGE_QUERY_PARAMETER}
        if view.action == "list":
            filterset_class = self.get_filterset_class(view, queryset)
            names |= set(filterset_class.base_filters) if filterset_class else set()
            documented = [view.paginator] if view.paginator is not None else []
            documented += [
                backend()
                for backend in view.filter_backends
                if issubclass(backend, BaseFilterBackend)
            ]
            names |= {
                parameter["name"]
                for source in documented
                for parameter in source.get_schema_operation_parameters(view)
            }
        query_serializer = getattr(view, "query_serializer_classes", {}).get(view.action)
        if query_serializer is not None:
            names |= set(query_serializer().fields)
        return names

    def filter_queryset(self, request, queryset, view):
        known = self.documented_parameters(queryset, view)
        unknown = [name for name in request.query_params if name not in known]
        if unknown:
            raise ValidationError(
                {name: [UNKNOWN_PARAMETER] for name in unknown}, code="unknown_parameter"
            )
        if view.action != "list":
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            # No filter given: no form to build (django-filter builds and copies one per list).
            refuse_unstorable_values(dict(request.query_params.items()))
            return filterset_class.no_filter_given(queryset)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        # A number filter cleans "9223372036854775808" to a Decimal the database refuses.
        refuse_unstorable_values(filterset.form.cleaned_data)
        return filterset.qs

    def get_filterset_kwargs(self, request, queryset, view):
        refuse_unstorable_values(dict(request.query_params.items()))
        return super().get_filterset_kwargs(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` takes the view's `ordering_fields`, each optionally with a leading `-`;
    the schema lists them as an enum, and any other value answers 400."""

    def orderings(self, view) -> list[str]:
        fields = getattr(view, "ordering_fields", None) or []
        return [ordering for field in fields for ordering in (field, f"-{field}")]

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get(self.ordering_param)
        if not requested:
            default = self.get_default_ordering(view) or []
            # A search ranks what it finds (`exercises.search`): best matches first.
            if "search_rank" in queryset.query.annotations:
                return ["search_rank", *default]
            return default
        terms = [term.strip() for term in requested.split(",")]
        allowed = self.orderings(view)
        if any(term not in allowed for term in terms):
            raise ValidationError(
                {self.ordering_param: [UNKNOWN_ORDERING % {"fields": ", ".join(allowed)}]},
                code="invalid_choice",
            )
        return terms

    def get_schema_operation_parameters(self, view):
        if not self.orderings(view):
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order; a leading - sorts descending.",
                "schema": {"type": "string", "enum": self.orderings(view)},
            }
        ]
