from django.urls import path

from guichet.contracts import views

app_name = "contracts"
urlpatterns = [
    path("candidature/<int:application_pk>/", views.for_application, name="for_application"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/pdf/", views.draft_pdf, name="draft_pdf"),
]
