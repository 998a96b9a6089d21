"""The service's URLs plus two yardsticks, for the benchmark run only (benchmarks.settings).

The bare view goes through the same middleware, server and workers as the API, so the ratio of
an endpoint's throughput to it is what the endpoint's own work costs.

The guaranteed download does only what no issued handout's download may skip, with the
service's own functions: the token check, the role check, the clinic-scoped read and the
audit entry, then the stored bytes. No DRF, no throttle, no error answers: the most an
issued download can reach while it keeps those guarantees and the ORM that makes them.
"""

from django.http import HttpResponse
from django.urls import path

from clinic import urls as clinic_urls
from clinic.api.authentication import BearerOrTokenAuthentication
from clinic.audit import record_access, set_audit_actor
from clinics.roles import is_clinician
from prescriptions.handouts.issue import handout_filename, stored_handout
from prescriptions.selectors import prescriptions_for_handout


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


def guaranteed_download(request, pk):
    user, _ = BearerOrTokenAuthentication().authenticate(request)
    set_audit_actor(user)
    if not is_clinician(user):
        return HttpResponse(status=403)
    prescription = prescriptions_for_handout(user).get(pk=pk)
    record_access(prescription, "download")
    pdf = stored_handout(
        prescription,
        issued_paper=prescription.issued_paper,
        issued_language=prescription.issued_language,
        paper=None,
        language=None,
        large_print=False,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = handout_filename(prescription)
    return response


urlpatterns = [
    path("__bench__/bare", bare, name="bench-bare"),
    path("__bench__/guaranteed-download/<int:pk>", guaranteed_download),
    *clinic_urls.urlpatterns,
]

handler400 = clinic_urls.handler400
handler403 = clinic_urls.handler403
handler404 = clinic_urls.handler404
handler500 = clinic_urls.handler500
