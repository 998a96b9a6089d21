"""Behaviour every app's viewsets share: ETags, conditional reads, consistent creates."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.reverse import reverse

from clinic.api.idempotency import idempotent_create
from clinic.etags import etag_of, if_none_match_holds


class RecordResponsesMixin:
    """A response showing one record carries its ETag; a create answers 201 with `Location`
    and `ETag`; a GET whose `If-None-Match` holds the current ETag answers 304 with no body.

    Which tag a record gets: clinic.etags.etag_of.
    """

    @property
    def if_match(self) -> str | None:
        return self.request.headers.get("If-Match")

    def record_response(self, instance, data=None, *, status_code=status.HTTP_200_OK, headers=None):
        if data is None:
            data = self.get_serializer(instance).data
        headers = {"ETag": etag_of(instance, data), **(headers or {})}
        return Response(data, status=status_code, headers=headers)

    def created_response(self, instance, data=None, *, basename=None):
        """The one shape of every 201: the record, its detail URL and its ETag."""
        # A stored copy of this answer (Idempotency-Key) is linked to the patient it shows.
        self.created_record = instance
        location = reverse(
            f"{basename or self.basename}-detail", args=[instance.pk], request=self.request
        )
        return self.record_response(
            instance, data, status_code=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object())

    @idempotent_create
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.created_response(serializer.instance, serializer.data)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        # As DRF's own update: lists prefetched before the write must be read again.
        serializer.instance._prefetched_objects_cache = {}
        return self.record_response(serializer.instance, serializer.data)

    def finalize_response(self, request, response, *args, **kwargs):
        if_none_match = request.headers.get("If-None-Match")
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == status.HTTP_200_OK
            and if_none_match
            and response.has_header("ETag")
            and if_none_match_holds(response["ETag"], if_none_match)
        ):
            response = Response(
                status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": response["ETag"]}
            )
        return super().finalize_response(request, response, *args, **kwargs)
