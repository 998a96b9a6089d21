"""Viewset mixin: reads of audited records write access entries; the view states which."""

from clinic.audit import record_access, record_list_access, set_audit_actor


class AccessAuditMixin:
    """Audited viewsets: entries name the signed-in user, and reads write access entries.

    `audit_reads` maps an action to its event, e.g. {"retrieve": "view", "handout": "download"}.
    """

    audit_reads: dict[str, str] = {"retrieve": "view"}
    audit_list_reads = True

    def perform_authentication(self, request):
        # Token authentication happens here, inside the view, after every middleware ran.
        super().perform_authentication(request)
        set_audit_actor(request.user if request.user.is_authenticated else None)

    def get_object(self):
        obj = super().get_object()
        event = self.audit_reads.get(self.action)
        if event:
            record_access(obj, event)
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.audit_list_reads and self.action == "list" and page is not None:
            record_list_access(
                queryset.model, page, search_term=self.request.query_params.get("search", "")
            )
        return page
