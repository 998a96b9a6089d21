"""What a locked-out sign-in answers: the API's JSON error, or a clear page in the admin."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from clinic.api.exceptions import json_error_response


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    retry_after = str(int(cool_off.total_seconds()))
    minutes = int(cool_off.total_seconds() // 60)
    if request.path.startswith("/api/"):
        response = json_error_response(
            429,
            "locked_out",
            _("Too many failed sign-in attempts. Try again in %(minutes)d minutes.")
            % {"minutes": minutes},
        )
    else:
        response = render(request, "axes/lockout.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = retry_after
    return response
