"""Ranked candidates of an offer, included by name under /entreprises/ (namespace `employers`)."""

from django.urls import path

from guichet.matching import views

urlpatterns = [
    path("offres/<int:pk>/candidats/", views.offer_candidates, name="offer_candidates"),
]
