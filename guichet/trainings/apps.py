from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "guichet.trainings"
    label = "trainings"
