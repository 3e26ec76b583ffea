from django.urls import path

from guichet.jobs import views

app_name = "jobs"
urlpatterns = [
    path("suggestions", views.job_suggestions, name="job_suggestions"),
]
