"""The public offer page, with its compatible trainings: included by name under /offres/ (namespace `offers`)."""

from django.urls import path

from guichet.matching import views

urlpatterns = [
    path("<int:pk>/", views.offer_detail, name="detail"),
]
