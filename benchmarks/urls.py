"""The service's URLs plus one bare Django view, for the benchmark run only (benchmarks.settings).

The bare view goes through the same middleware, server and workers as the API, so the ratio of
an endpoint's throughput to it is what the endpoint's own work costs.
"""

from django.http import HttpResponse
from django.urls import path

from clinic import urls as clinic_urls


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare, name="bench-bare"), *clinic_urls.urlpatterns]

handler400 = clinic_urls.handler400
handler403 = clinic_urls.handler403
handler404 = clinic_urls.handler404
handler500 = clinic_urls.handler500
