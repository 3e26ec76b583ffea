from django.urls import include, path

from guichet.employers import signup, views

app_name = "employers"
urlpatterns = [
    path("inscription/", signup.signup, name="signup"),
    path("etablissements/", views.establishments, name="establishments"),
    # Pages of the employer space owned by lower apps, included by name: no import from below.
    path("", include("guichet.candidates.urls_employers")),
    path("", include("guichet.offers.urls_employers")),
    path("", include("guichet.matching.urls_employers")),
]
