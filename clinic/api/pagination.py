from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination

# Lists count at most this many rows: COUNT(*) of a large clinic's whole history would otherwise
# grow with the clinic (docs/performance.md, "Bounded counts").
COUNT_LIMIT = 10_000
COUNT_DESCRIPTION = (
    f"Number of results: exact up to {COUNT_LIMIT:,}; {COUNT_LIMIT:,} means at least that many "
    "(narrow the list with its filters). Pages past the first "
    f"{COUNT_LIMIT:,} results answer 404."
)


class CappedCountPaginator(Paginator):
    """Counts with `SELECT COUNT(*) FROM (... LIMIT COUNT_LIMIT + 1)`: exact for small lists,
    COUNT_LIMIT for larger ones, so the count's cost stops growing with the table."""

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        return min(self.object_list.order_by()[: COUNT_LIMIT + 1].count(), COUNT_LIMIT)


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = CappedCountPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    # The schema generator sets the list's own URL.
    example_url = "https://clinic.example.org/api/v1/patients/"

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["description"] = COUNT_DESCRIPTION
        properties["next"]["example"] = f"{self.example_url}?{self.page_query_param}=4"
        properties["previous"]["example"] = f"{self.example_url}?{self.page_query_param}=2"
        return response
