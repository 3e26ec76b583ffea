from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "guichet.candidates"
    label = "candidates"
