"""The admin site: Django's, with autocomplete answers audited like the admin's list pages,
and a home page the apps fill in.

An autocomplete answer lists records (a patient picker shows names), so for a model whose
admin audits its reads (AdminAccessAuditMixin) it writes one access entry naming the records
offered and the search, as a list page does.

The home page: this package is shared infrastructure and knows no app, so the apps register
what it shows first: panels (`register_home_panel`) and the models listed first
(`list_first`). For the same reason an app's own admin pages (the prescribing workspace) are
registered by the app (`register_view`): the site serves them behind its sign-in, with its
chrome (`each_context`), before its models' pages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.admin import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import URLPattern, URLResolver, path

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


@dataclass(frozen=True)
class HomePanel:
    """A block at the top of the admin's home page: its template, and what it shows to the
    request's user (`context(request)`: a dict for the template, or None to show nothing)."""

    template_name: str
    context: Callable


class AuditedAdminSite(AdminSite):
    index_template = "admin/home.html"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self._home_panels: list[HomePanel] = []
        self._first_models: list[tuple[str, str]] = []
        self._views: list[tuple[str, Callable, str]] = []

    def register_view(self, route: str, view: Callable, name: str) -> None:
        """Serves `view` at `route` under the site (`admin:<name>`), signed in as the site's
        own pages are. Routed before the models' pages, so a route may lie among theirs."""
        self._views.append((route, view, name))

    def get_urls(self) -> list[URLResolver | URLPattern]:
        own: list[URLResolver | URLPattern] = [
            path(route, self.admin_view(view), name=name) for route, view, name in self._views
        ]
        return [*own, *super().get_urls()]

    def register_home_panel(self, panel: HomePanel) -> None:
        self._home_panels.append(panel)

    def list_first(self, app_label: str, object_name: str) -> None:
        """Lists the model first on the home page (its app first, it first in its app), after
        those named before it."""
        self._first_models.append((app_label, object_name))

    # The service has no public site for "View site" to open: the link is removed.
    site_url = None

    def autocomplete_view(self, request):
        return AuditedAutocompleteJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        panels = []
        for panel in self._home_panels:
            context = panel.context(request)
            if context is not None:
                panels.append((panel.template_name, context))
        return super().index(request, {**(extra_context or {}), "home_panels": panels})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {name: position for position, name in enumerate(self._first_models)}
        last = len(rank)
        for app in apps:
            app["models"].sort(
                key=lambda model: rank.get((app["app_label"], model["object_name"]), last)
            )
        # A stable sort: the apps nobody named keep Django's alphabetical order.
        apps.sort(
            key=lambda app: min(
                (rank.get((app["app_label"], m["object_name"]), last) for m in app["models"]),
                default=last,
            )
        )
        return apps
