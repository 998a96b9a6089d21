"""Behaviour every app's viewsets share: ETags, conditional reads, consistent creates."""

from typing import TYPE_CHECKING

from django.db import transaction
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.reverse import reverse

from clinic.api.idempotency import idempotent_create
from clinic.etags import etag_of, if_none_match_holds, require_if_match, require_tag

# For the type checker the mixin is the view it is mixed into.
if TYPE_CHECKING:
    _View = GenericAPIView
else:
    _View = object


class RecordResponsesMixin(_View):
    """A response showing one record carries its ETag; a create answers 201 with `Location`
    and `ETag`; a GET whose `If-None-Match` holds the current ETag answers 304 with no body.

    Which tag a record gets, and when If-Match is compared: clinic.etags. Views declare
    `if_match_actions` (actions that honour If-Match: 412 when stale) and
    `if_match_required_actions` (actions that answer 428 without it). With `checks_if_match`
    the mixin compares If-Match itself, under the record's row lock and in the write's
    transaction (records whose services take no If-Match); otherwise the services do.
    """

    if_match_actions: tuple[str, ...] = ()
    if_match_required_actions: tuple[str, ...] = ()
    checks_if_match = False

    @property
    def if_match(self) -> str | None:
        return self.request.headers.get("If-Match")

    def dispatch(self, request, *args, **kwargs):
        if (
            self.checks_if_match
            and request.method not in SAFE_METHODS
            and "HTTP_IF_MATCH" in request.META
        ):
            # The row lock taken by get_object is held until the write has committed.
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        record = super().get_object()
        # After the 404 (the record must be the client's to see), before anything else.
        if self.action in self.if_match_required_actions:
            require_if_match(self.if_match)
        if self.checks_if_match and self.action in self.if_match_actions and self.if_match:
            list(
                type(record)
                ._base_manager.select_for_update()
                .filter(pk=record.pk)
                .values_list("pk", flat=True)
            )
            record = super().get_object()  # as it is now that nobody else can write it
            require_tag(etag_of(record, self.read_data(record)), self.if_match)
        return record

    def read_data(self, instance):
        """The record as a read of it shows it: what its ETag covers."""
        return self.get_serializer(instance).data

    def record_response(self, instance, data=None, *, status_code=status.HTTP_200_OK, headers=None):
        if data is None:
            data = self.read_data(instance)
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
