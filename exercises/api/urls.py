from django.urls import path
from rest_framework.routers import SimpleRouter

from exercises.api import views

router = SimpleRouter()
router.register("exercises", views.ExerciseViewSet, basename="exercise")
router.register("conditions", views.ConditionViewSet, basename="condition")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("safety-notes", views.SafetyNoteViewSet, basename="safety-note")
urlpatterns = [
    # The versioned URL is the one to use (cached for a year); the plain one redirects to it.
    path(
        "exercises/<int:pk>/illustrations/<slug:frame>.<slug:version>.svg",
        views.ExerciseIllustrationView.as_view(),
        name="exercise-illustration-version",
    ),
    path(
        "assessments/<int:pk>/illustrations/<slug:frame>.<slug:version>.svg",
        views.AssessmentIllustrationView.as_view(),
        name="assessment-illustration-version",
    ),
    path(
        "exercises/<int:pk>/illustrations/<slug:frame>.svg",
        views.ExerciseIllustrationLatestView.as_view(),
        name="exercise-illustration",
    ),
    path(
        "assessments/<int:pk>/illustrations/<slug:frame>.svg",
        views.AssessmentIllustrationLatestView.as_view(),
        name="assessment-illustration",
    ),
    *router.urls,
]
