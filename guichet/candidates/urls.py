from django.urls import path

from guichet.candidates import views

app_name = "candidates"
urlpatterns = [
    path("", views.space, name="space"),
    path("profil/", views.profile_edit, name="profile"),
    path("postuler/<int:offer_pk>/", views.apply, name="apply"),
    path("candidatures/<int:pk>/", views.application_detail, name="application"),
    path("candidatures/<int:pk>/retirer/", views.application_withdraw_view, name="application_withdraw"),
    path("inscriptions/declarer/", views.enrolment_create, name="enrolment_create"),
    path("inscriptions/<int:pk>/", views.enrolment_detail, name="enrolment"),
]
