from django.urls import path

from guichet.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.search, name="search"),
]
