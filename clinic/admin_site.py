"""The admin site: Django's, with autocomplete answers audited like the admin's list pages.

An autocomplete answer lists records (a patient picker shows names), so for a model whose
admin audits its reads (AdminAccessAuditMixin) it writes one access entry naming the records
offered and the search, as a list page does.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from clinic.audit import AdminAccessAuditMixin, record_list_access


class AuditedAutocompleteJsonView(AutocompleteJsonView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if isinstance(self.model_admin, AdminAccessAuditMixin):
            record_list_access(
                self.model_admin.model,
                list(context["object_list"]),
                event="autocomplete",
                search_term=self.term,
            )
        return context


class AuditedAdminSite(AdminSite):
    # The service has no public site for "View site" to open: the link is removed.
    site_url = None

    def autocomplete_view(self, request):
        return AuditedAutocompleteJsonView.as_view(admin_site=self)(request)
