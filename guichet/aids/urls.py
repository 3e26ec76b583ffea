from django.urls import path

from guichet.aids import views

app_name = "aids"
urlpatterns = [
    path("", views.index, name="index"),
    path("salaire/", views.salary_simulator, name="salary"),
    path("employeur/", views.employer_simulator, name="employer"),
    path("en-vigueur/", views.programme_list, name="programmes"),
]
