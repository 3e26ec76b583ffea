"""Applications side of the employer space, included by name under /entreprises/ (namespace `employers`)."""

from django.urls import path

from guichet.candidates import views

urlpatterns = [
    path("", views.employer_space, name="space"),
    path("offres/<int:pk>/candidatures/", views.offer_board, name="offer_board"),
    path("candidatures/<int:pk>/", views.employer_application, name="application"),
]
