"""Django's admin app with our site (clinic.admin_site); kept apart because an app config is
imported before any model can be."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "clinic.admin_site.AuditedAdminSite"
