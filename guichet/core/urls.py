from django.urls import path

from guichet.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("conditions-utilisation/", views.terms, name="terms"),
    path("contact/", views.contact, name="contact"),
]
