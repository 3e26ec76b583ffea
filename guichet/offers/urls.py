from django.urls import include, path

app_name = "offers"
urlpatterns = [
    # The offer page shows its compatible trainings (matching): included by name, no import from below.
    path("", include("guichet.matching.urls_offers")),
]
