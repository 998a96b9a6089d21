from django.urls import path
from rest_framework.routers import SimpleRouter

from exercises.api import views

router = SimpleRouter()
router.register("exercises", views.ExerciseViewSet, basename="exercise")
router.register("conditions", views.ConditionViewSet, basename="condition")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("safety-notes", views.SafetyNoteViewSet, basename="safety-note")
urlpatterns = [
    path(
        "exercises/<int:pk>/illustrations/<slug:frame>.svg",
        views.ExerciseIllustrationView.as_view(),
        name="exercise-illustration",
    ),
    path(
        "assessments/<int:pk>/illustrations/<slug:frame>.svg",
        views.AssessmentIllustrationView.as_view(),
        name="assessment-illustration",
    ),
    *router.urls,
]
