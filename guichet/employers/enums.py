"""Choices shared by the employer models (and reused by offers and contracts)."""

from django.db import models


class NafLevel(models.TextChoices):
    DIVISION = "division", "Division"
    GROUP = "groupe", "Groupe"
    CLASS = "classe", "Classe"
    SUBCLASS = "sous-classe", "Sous-classe"


class HeadcountBand(models.TextChoices):
    """INSEE bands of salaried employees of an establishment (or a company)."""

    NONE = "0", "0 salarié (ou effectif inconnu)"
    FROM_1_TO_5 = "1-5", "1 à 5 salariés"
    FROM_6_TO_9 = "6-9", "6 à 9 salariés"
    FROM_10_TO_19 = "10-19", "10 à 19 salariés"
    FROM_20_TO_49 = "20-49", "20 à 49 salariés"
    FROM_50_TO_99 = "50-99", "50 à 99 salariés"
    FROM_100_TO_199 = "100-199", "100 à 199 salariés"
    FROM_200_TO_499 = "200-499", "200 à 499 salariés"
    FROM_500 = "500+", "500 salariés ou plus"


# Column of the INSEE 2014 file for each band.
CENSUS_COLUMNS: dict[str, str] = {
    HeadcountBand.NONE: "etab_0_ou_nd",
    HeadcountBand.FROM_1_TO_5: "etab_1_5",
    HeadcountBand.FROM_6_TO_9: "etab_6_9",
    HeadcountBand.FROM_10_TO_19: "etab_10_19",
    HeadcountBand.FROM_20_TO_49: "etab_20_49",
    HeadcountBand.FROM_50_TO_99: "etab_50_99",
    HeadcountBand.FROM_100_TO_199: "etab_100_199",
    HeadcountBand.FROM_200_TO_499: "etab_200_499",
    HeadcountBand.FROM_500: "etab_500_plus",
}

# Bands of fewer than 50 salaried employees (the "small companies" of the apprenticeship statistics).
SMALL_BANDS = (
    HeadcountBand.NONE,
    HeadcountBand.FROM_1_TO_5,
    HeadcountBand.FROM_6_TO_9,
    HeadcountBand.FROM_10_TO_19,
    HeadcountBand.FROM_20_TO_49,
)
