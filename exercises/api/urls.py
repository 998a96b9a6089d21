from rest_framework.routers import SimpleRouter

from exercises.api import views

router = SimpleRouter()
router.register("exercises", views.ExerciseViewSet, basename="exercise")
router.register("conditions", views.ConditionViewSet, basename="condition")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("safety-notes", views.SafetyNoteViewSet, basename="safety-note")
urlpatterns = router.urls
