"""The audit trail: who created, changed, viewed or downloaded which record, when, from where.

Built on django-auditlog: it records creates, changes (with before/after values) and deletes
of registered models on SQLite and PostgreSQL alike, and has an "access" action for reads.
We add the client address from our one trusted-proxy rule, the actor for token requests
(known only inside DRF's view, after every middleware), and list reads as one bulk insert.
"""

import hashlib
import hmac
from collections.abc import Callable

from auditlog.context import auditlog_value, set_extra_data
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from clinic.net import client_ip


class AuditContextMiddleware:
    """Opens the audit context for the request: the client address and the session user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        context = {
            "remote_addr": client_ip(request) or None,
            "actor": user if user is not None and user.is_authenticated else None,
        }
        with set_extra_data(context):
            return self.get_response(request)


def set_audit_actor(user) -> None:
    """Names the actor of this request's audit entries (token auth runs inside the view)."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user


def _context() -> dict:
    try:
        return auditlog_value.get()
    except LookupError:
        return {}


def _additional_data(instance) -> dict:
    get_additional_data = getattr(instance, "get_additional_data", None)
    return get_additional_data() if callable(get_additional_data) else {}


def record_access(instance, event: str) -> LogEntry:
    """One entry for one read of one record: a detail view, a download, an admin page."""
    return LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.ACCESS,
        changes=None,
        force_log=True,
        additional_data={**_additional_data(instance), "event": event},
    )


def record_change(instance, field: str, before, after) -> None:
    """A change django-auditlog cannot see (rows replaced in bulk), with before/after values."""
    if before != after:
        LogEntry.objects.log_create(
            instance, action=LogEntry.Action.UPDATE, changes={field: [before, after]}
        )


def search_digest(term: str) -> str:
    """A search term as the audit trail keeps it: keyed hash, so an auditor can tell which
    searches were the same, and a searched name never outlives the patient's erasure."""
    normalised = " ".join(term.split()).casefold()
    return hmac.new(settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def record_list_access(model, objects, *, event: str = "list", search_term: str = "") -> None:
    """One entry naming every record listed, in a single insert (list query counts stay flat).

    A search that found nothing still writes its entry: the search itself was a read.
    """
    ids = [obj.pk for obj in objects]
    if not ids and not search_term:
        return
    context = _context()
    actor = context.get("actor")
    if ids:
        clinic_id = getattr(objects[0], "clinic_id", None)
    else:
        profile = getattr(actor, "clinician", None) if actor is not None else None
        clinic_id = profile.clinic_id if profile else None
    details = {"event": event, "object_ids": ids, "clinic_id": clinic_id}
    if search_term:
        details["search_sha256"] = search_digest(search_term)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=ContentType.objects.get_for_model(model),
                object_pk="",
                object_repr=f"{len(ids)} {model._meta.verbose_name_plural}",
                action=LogEntry.Action.ACCESS,
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=context.get("remote_addr"),
                additional_data=details,
            )
        ]
    )


class AdminAccessAuditMixin:
    """Every admin page that shows an audited model's records writes one access entry: the
    change page and the history page (one record), the list (the ids shown and the search)."""

    get_object: Callable[..., Model | None]  # the ModelAdmin's

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._record_page(request, object_id, "view")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._record_page(request, object_id, "history")
        return super().history_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Evaluates the page the template is about to render (its results are cached).
            record_list_access(
                self.model, list(changelist.result_list), search_term=changelist.query
            )
        return response

    def _record_page(self, request, object_id, event: str) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            record_access(obj, event)
