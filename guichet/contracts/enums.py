from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"


class AgeBand(models.TextChoices):
    """Age of the apprentice at the start of the contract (DARES bands)."""

    UNDER_18 = "15-17", "15 à 17 ans"
    FROM_18_TO_20 = "18-20", "18 à 20 ans"
    FROM_21_TO_25 = "21-25", "21 à 25 ans"
    FROM_26 = "26+", "26 ans ou plus"


class BreakReason(models.TextChoices):
    TRIAL_PERIOD = "periode_probatoire", "Rupture pendant les 45 premiers jours"
    MUTUAL_AGREEMENT = "accord_commun", "Accord commun"
    RESIGNATION = "demission", "Démission de l'apprenti"
    DISMISSAL = "licenciement", "Licenciement"
    OTHER = "autre", "Autre motif"


class ContractKind(models.TextChoices):
    """CDD whose length is the training cycle, or CDI starting with the apprenticeship (C. trav. L6222-7)."""

    FIXED_TERM = "CDD", "Contrat à durée limitée (CDD)"
    PERMANENT = "CDI", "Contrat à durée indéterminée (CDI)"


class EmployerSector(models.TextChoices):
    PRIVATE = "prive", "Employeur privé"
    PUBLIC = "public", "Employeur public"


def age_band_for(age: int) -> AgeBand:
    if age < 18:
        return AgeBand.UNDER_18
    if age <= 20:
        return AgeBand.FROM_18_TO_20
    if age <= 25:
        return AgeBand.FROM_21_TO_25
    return AgeBand.FROM_26
