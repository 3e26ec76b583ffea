"""Offers posted by a training centre for a partner company, included by name under /formations/ (`trainings`)."""

from django.urls import path

from guichet.offers import views

urlpatterns = [
    path("offres/nouvelle/", views.partner_offer_new, name="partner_offer_create"),
    path("offres/<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("offres/<int:pk>/publier/", views.offer_publish_view, name="offer_publish"),
    path("offres/<int:pk>/retirer/", views.offer_withdraw_view, name="offer_withdraw"),
]
