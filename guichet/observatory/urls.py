from django.urls import path

from guichet.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("carte/", views.area_map, name="map"),
    path("zones/<str:level>/<str:code>/", views.area_detail, name="area"),
    path("besoins/", views.needs, name="needs"),
    path("indicateurs/", views.glossary, name="glossary"),
    path("scenario/", views.scenario, name="scenario"),
    path("exports/<str:table>.<str:extension>", views.export, name="export"),
]
