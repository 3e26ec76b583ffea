from django.db import models


class CentreNature(models.TextChoices):
    """Role of an organisation in the apprenticeship relation (ONISEP UAI-SIRET reference)."""

    FORMATEUR = "formateur", "Formateur"
    RESPONSABLE = "responsable", "Responsable"
    RESPONSABLE_FORMATEUR = "responsable_formateur", "Responsable et formateur"
    UNKNOWN = "inconnue", "Inconnue"
