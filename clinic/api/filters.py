from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend as BaseDjangoFilterBackend

from clinic.api.parsers import refuse_unstorable_values


class DjangoFilterBackend(BaseDjangoFilterBackend):
    """Query filters refuse NUL characters and integers outside 64 bits with a 400 naming the
    parameter, instead of failing in the database."""

    def get_filterset_kwargs(self, request, queryset, view):
        refuse_unstorable_values(dict(request.query_params.items()))
        return super().get_filterset_kwargs(request, queryset, view)

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        # A number filter cleans "9223372036854775808" to a Decimal the database refuses.
        refuse_unstorable_values(filterset.form.cleaned_data)
        return filterset.qs
