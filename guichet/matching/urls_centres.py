"""Offers for the apprentices of a training centre, included by name under /formations/ (namespace `trainings`)."""

from django.urls import path

from guichet.matching import views

urlpatterns = [
    path("jeunes-sans-employeur/", views.young_without_employer, name="young_without_employer"),
]
