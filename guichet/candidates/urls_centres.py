"""Young people enrolled in a centre's trainings, included by name under /formations/ (namespace `trainings`)."""

from django.urls import path

from guichet.candidates import views

urlpatterns = [
    path("inscriptions/declarer/", views.centre_enrolment_invite, name="enrolment_invite"),
    path("inscriptions/<int:pk>/", views.centre_enrolment, name="enrolment"),
]
