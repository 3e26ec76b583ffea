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
    path("api/v1/", api_v1.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
