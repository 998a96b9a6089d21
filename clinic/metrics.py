"""Prometheus metrics: django-prometheus's request latency, status counts and database errors
(its middleware and database backends), and the service's own count of storage failures.

Under gunicorn every worker writes its values to PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py)
and a scrape sums them, whichever worker answers it. The endpoint answers only a request that
carries METRICS_TOKEN as a bearer token or comes from METRICS_ALLOWED_NETWORKS; anyone else
gets the 404 of a page that does not exist. Labels are view names, methods and status codes,
never a path or a query string, so no metric holds a patient's name or record number.
"""

import ipaddress
import secrets

from django.conf import settings
from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter

from clinic.net import client_ip

storage_failures = Counter(
    "clinic_storage_errors_total",
    "Requests refused because the file storage could not be written or read, by error code.",
    ["code"],
)


def _has_token(request) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return bool(token) and secrets.compare_digest(sent.encode(), token.encode())


def _from_allowed_network(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_GET
def metrics(request):
    if not (_has_token(request) or _from_allowed_network(request)):
        raise Http404
    return ExportToDjangoView(request)
