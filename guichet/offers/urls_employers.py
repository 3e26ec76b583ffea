"""Offer pages of the employer space, included by name under /entreprises/ (namespace `employers`)."""

from django.urls import path

from guichet.offers import views

urlpatterns = [
    path("offres/nouvelle/", views.offer_new, name="offer_new"),
    path("offres/<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("offres/<int:pk>/publier/", views.offer_publish_view, name="offer_publish"),
    path("offres/<int:pk>/retirer/", views.offer_withdraw_view, name="offer_withdraw"),
]
