from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.media import media_writable


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: 503 when the database cannot answer or
    the media folder (issued handouts) cannot be written."""
    checks = {
        "database": "ok" if _database_answers() else "unreachable",
        "media": "ok" if media_writable() else "unwritable",
    }
    healthy = checks == {"database": "ok", "media": "ok"}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
