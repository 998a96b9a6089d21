"""The audit trail: who created, changed, viewed or downloaded which record, when, from where.

Built on django-auditlog: it records creates, changes (with before/after values) and deletes
of registered models on SQLite and PostgreSQL alike, and has an "access" action for reads.
We add the client address from our one trusted-proxy rule, the actor for token requests
(known only inside DRF's view, after every middleware), and list reads as one bulk insert.
"""

from auditlog.context import auditlog_value, set_extra_data
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

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


class AdminAccessAuditMixin:
    """An admin change page, opened to read, writes one access entry."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_access(obj, "view")
        return super().change_view(request, object_id, form_url, extra_context)


def record_list_access(model, objects) -> None:
    """One entry naming every record listed, in a single insert (list query counts stay flat)."""
    ids = [obj.pk for obj in objects]
    if not ids:
        return
    context = _context()
    actor = context.get("actor")
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
                additional_data={
                    "event": "list",
                    "object_ids": ids,
                    "clinic_id": getattr(objects[0], "clinic_id", None),
                },
            )
        ]
    )
