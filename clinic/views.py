from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.readiness import cache_answers, database_answers, storage_writable_lately


@never_cache
@require_GET
def livez(request):
    """Liveness: the process answers. No database, cache or file is touched, so a slow
    dependency never gets a healthy server restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness for load balancers: 503 while the database or the cache does not answer or
    the file storage (issued handouts) cannot be written. Also served as /healthz."""
    checks = {
        "database": "ok" if database_answers() else "unreachable",
        "cache": "ok" if cache_answers() else "unreachable",
        "media": "ok" if storage_writable_lately() else "unwritable",
    }
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )
