from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from clinic.metrics import metrics
from clinic.views import livez, readyz

api_v1 = [
    path("", include("clinics.api.urls")),
    path("", include("exercises.api.urls")),
    path("", include("prescriptions.api.urls")),
]

urlpatterns = [
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("healthz", readyz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

handler400 = "clinic.api.exceptions.handler400"
handler403 = "clinic.api.exceptions.handler403"
handler404 = "clinic.api.exceptions.handler404"
handler500 = "clinic.api.exceptions.handler500"
