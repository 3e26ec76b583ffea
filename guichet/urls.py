from django.contrib import admin
from django.urls import include, path

from guichet.api.v1 import api as api_v1
from guichet.core.views import healthz

urlpatterns = [
    path("", include("guichet.core.urls")),
    path("compte/", include("guichet.accounts.urls")),
    path("territoire/", include("guichet.territory.urls")),
    path("metiers/", include("guichet.jobs.urls")),
    path("entreprises/", include("guichet.employers.urls")),
    path("formations/", include("guichet.trainings.urls")),
    path("offres/", include("guichet.offers.urls")),
    path("jeunes/", include("guichet.candidates.urls")),
    path("contrats/", include("guichet.contracts.urls")),
    path("recherche/", include("guichet.matching.urls")),
    path("aides/", include("guichet.aids.urls")),
    path("accompagnement/", include("guichet.support.urls")),
    path("observatoire/", include("guichet.observatory.urls")),
    path("api/v1/", api_v1.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
