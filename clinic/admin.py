"""The admin site's settings that belong to no app (the audit trail's admin is in
prescriptions.audit_trail_admin)."""

from django.contrib import admin

# The service has no public site for "View site" to open: the link is removed.
admin.site.site_url = None
