from django.urls import path

from guichet.employers import signup

app_name = "employers"
urlpatterns = [
    path("inscription/", signup.signup, name="signup"),
]
