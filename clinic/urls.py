from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from clinic.views import healthz

api_v1 = [
    path("", include("clinics.api.urls")),
    path("", include("exercises.api.urls")),
    path("", include("prescriptions.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
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
