from rest_framework.routers import SimpleRouter

from prescriptions.api import views

router = SimpleRouter()
router.register("patients", views.PatientViewSet, basename="patient")
router.register("prescriptions", views.PrescriptionViewSet, basename="prescription")
router.register("templates", views.TemplateViewSet, basename="template")
urlpatterns = router.urls
