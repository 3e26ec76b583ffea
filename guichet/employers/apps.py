from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "guichet.employers"
    label = "employers"
