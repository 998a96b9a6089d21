from django_filters.rest_framework import DjangoFilterBackend as BaseDjangoFilterBackend

from clinic.api.parsers import refuse_nul_characters


class DjangoFilterBackend(BaseDjangoFilterBackend):
    """Query filters refuse NUL characters with a 400 naming the parameter."""

    def get_filterset_kwargs(self, request, queryset, view):
        refuse_nul_characters(dict(request.query_params.items()))
        return super().get_filterset_kwargs(request, queryset, view)
