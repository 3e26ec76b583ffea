from django.urls import include, path

from guichet.trainings import views

app_name = "trainings"
urlpatterns = [
    path("", views.space, name="space"),
    path("<int:pk>/places/", views.training_places, name="places"),
    # Pages owned by lower apps (offers, candidates, matching), included by name: no import from below.
    path("", include("guichet.offers.urls_centres")),
    path("", include("guichet.candidates.urls_centres")),
    path("", include("guichet.matching.urls_centres")),
]
