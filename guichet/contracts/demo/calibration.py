"""Published figures the demo population is calibrated on, with their sources.

Every figure is copied from a page listed in data/reference/calibration/apprentis_chiffres_publies.csv or
quoted below with its page; figures marked APPROXIMATE are rounded or combined from several years, and
UNSOURCED ones are choices made for the demo (see docs/synthetic-population.md).
"""

from __future__ import annotations

from dataclasses import dataclass

HDF_DEPARTMENTS = ("02", "59", "60", "62", "80")

# --- Volumes -----------------------------------------------------------------------------------------------
# DARES, new apprenticeship contracts in France (private + public), calibration file.
NATIONAL_NEW_CONTRACTS = {2022: 837_000, 2023: 852_000, 2024: 878_900}
# DEPP SIFA, apprentices in CFA at 31 December 2022, France (calibration file, ToutEduc 2023-07-11).
NATIONAL_SIFA_2022 = 953_600
# Région Hauts-de-France, SIFA 2022: "plus de 65 000" apprentices (calibration file, hautsdefrance.fr).
HDF_SIFA_2022 = 65_000
# Insee Analyses Hauts-de-France n° 200: "plus de 86 000" employees under apprenticeship contract in 2022.
HDF_INSEE_EMPLOYEES_2022 = 86_000
# DERIVED: Hauts-de-France share of apprentices (SIFA 2022 region / SIFA 2022 France), about 6.8 %; no
# regional series of new contracts was found, so the regional flow is estimated with this share.
HDF_SHARE = HDF_SIFA_2022 / NATIONAL_SIFA_2022
# INSEE 2014 establishment counts (data README, etablissements/): France total, used for the national scale.
NATIONAL_ESTABLISHMENTS_2014 = 4_528_492

# --- Distributions of new contracts (DARES, year 2022) ------------------------------------------------------
# Level prepared. Page "13 % des entrées en contrat d'apprentissage en 2022" (veille.artisanat.fr, on Dares
# Résultats n° 10, 30/01/2024): level 3 22.2 %, level 5 "près de 22 %" (21.8 % in the Dares table quoted by
# fondation-entrepreneurs.mma), levels 6-8 39.6 %, of which "21,5 % de diplômes de master 2 ou plus"
# (toutpourlemploi.fr, 2023-03); level 4 is the remainder (16.2 %; 15.2 % in another quotation). Level 8 is
# negligible and folded into 7.
LEVEL_WEIGHTS = {3: 22.2, 4: 16.2, 5: 21.8, 6: 18.1, 7: 21.5}
# Sex: "près de 46 % des apprentis sont des femmes" (same veille.artisanat.fr page).
FEMALE_SHARE = 0.46
# Age at start: 19.6 % under 18 (2022, same page); "les 21 ans et plus totalisant 45 %" (2021, page
# fondation-entrepreneurs.mma "Le nombre d'apprentis a plus que doublé entre 2012 et 2021"). APPROXIMATE: the
# split of the 21+ between 21-25 and 26-29 is UNSOURCED (39 / 6).
AGE_BAND_WEIGHTS = {(16, 17): 19.6, (18, 20): 35.4, (21, 25): 39.0, (26, 29): 6.0}
# Company size (salaried employees), 2022: 0-4 30 %, 5-9 14.5 %, 10-49 21.5 %, 50-249 11.3 %, 250+ 22.6 %
# (page fondation-entrepreneurs.mma "Quelques données complémentaires sur l'apprentissage", on Dares
# "Apprentissage : caractéristiques"). Mapped onto INSEE establishment bands (APPROXIMATE: company size
# applied to establishments, and the band limits differ: 0-4 -> {0, 1-5}, 5-9 -> {6-9}, 50-249 -> {50-99,
# 100-199}, 250+ -> {200-499, 500+}).
SIZE_GROUP_WEIGHTS: dict[tuple[str, ...], float] = {
    ("0", "1-5"): 30.0,
    ("6-9",): 14.5,
    ("10-19", "20-49"): 21.5,
    ("50-99", "100-199"): 11.3,
    ("200-499", "500+"): 22.6,
}
# Contract length, 2022: 47 % under 18 months, 53 % 18 months or more (same page).
SHORT_CONTRACT_SHARE = 0.47
# Breaks: 10.6 % of the 2022 contracts broken within 3 months, 16.7 % between 3 and 12 months (same page).
BREAK_WITHIN_3_MONTHS = 0.106
BREAK_3_TO_12_MONTHS = 0.167
# RQTH: "1 % des contrats concernent des apprentis reconnus comme travailleurs handicapés" (2022, page
# veille.artisanat.fr "Apprentissage : 837 000 nouveaux contrats en 2022").
RQTH_SHARE = 0.01

# Employer sectors of new contracts, 2022 (fondation-entrepreneurs.mma, same page): commerce 21.7 %, business
# services 19.6 %, other services (finance, real estate, health, education) 15.2 %, industry 13.4 %,
# construction 10.2 %, hotels-cafés-restaurants 6.7 %. The remaining 13.2 % is split UNSOURCED between
# agriculture, transport, public administration and personal services. Used to give establishments a NAF
# code, since the INSEE 2014 census has no activity breakdown. Keys: NAF divisions.
SECTOR_WEIGHTS: dict[str, tuple[float, tuple[int, ...]]] = {
    "commerce": (21.7, (45, 46, 47)),
    "services aux entreprises": (19.6, (*range(58, 64), *range(69, 76), *range(77, 83))),
    "autres services": (15.2, (64, 65, 66, 68, 85, 86, 87, 88)),
    "industrie": (13.4, tuple(range(10, 34))),
    "construction": (10.2, (41, 42, 43)),
    "hébergement et restauration": (6.7, (55, 56)),
    "agriculture": (4.0, (1, 2, 3)),
    "transport et logistique": (4.0, (49, 50, 51, 52, 53)),
    "administration publique": (3.0, (84,)),
    "services à la personne": (2.2, (90, 93, 94, 95, 96)),
}

# Start month of contracts: UNSOURCED seasonal profile (most contracts start with the school year).
START_MONTH_WEIGHTS = {1: 4, 2: 3, 3: 3, 4: 3, 5: 3, 6: 5, 7: 9, 8: 12, 9: 30, 10: 17, 11: 7, 12: 4}

# Jobs often offered in apprenticeship, weighted (UNSOURCED ranking of common apprenticeship jobs; real ROME
# 4.0 codes, those absent from the loaded ROME table are skipped).
COMMON_APPRENTICESHIP_JOBS: dict[str, int] = {
    "D1102": 6, "D1101": 3, "D1104": 4, "D1106": 3, "D1214": 4, "D1211": 2, "D1507": 5, "D1505": 3, "D1502": 2,
    "D1301": 3, "D1402": 4, "D1403": 4, "G1602": 6, "G1803": 5, "G1801": 2, "G1603": 2, "D1202": 6, "D1208": 4,
    "I1604": 6, "I1304": 4, "I1309": 3, "H2913": 2, "H2102": 2, "F1603": 4, "F1602": 5, "F1703": 4, "F1606": 3,
    "F1701": 1, "M1607": 3, "M1602": 3, "M1203": 4, "M1705": 3, "M1805": 5, "M1810": 3, "N1103": 3, "N1105": 2,
    "N4101": 2, "J1501": 3, "K1303": 2, "K1304": 2, "A1203": 3, "A1414": 2, "C1102": 2,
}  # fmt: skip

# Offer statuses (UNSOURCED): mostly published.
OFFER_STATUS_WEIGHTS = {"published": 75, "draft": 10, "filled": 10, "expired": 3, "withdrawn": 2}


@dataclass(frozen=True)
class ScalePlan:
    """How many rows to generate. `ratio` is the fraction of the real magnitudes, `fraction` a further
    reduction for tests."""

    name: str
    ratio: float
    establishments: int
    contracts_by_year: dict[int, int]
    candidates: int
    offers: int
    centre_share: float  # share of the real centres that receive synthetic trainings

    @property
    def contracts(self) -> int:
        return sum(self.contracts_by_year.values())


def scale_plan(scale: str, *, fraction: float = 1.0) -> ScalePlan:
    """region: 1/10 of the Hauts-de-France magnitudes; national: 1/10 of the national ones."""
    ratio = 0.1
    factor = ratio * fraction
    if scale == "region":
        establishments_total = 280_838  # INSEE 2014, Hauts-de-France (data README, etablissements/)
        flows = {year: flow * HDF_SHARE for year, flow in NATIONAL_NEW_CONTRACTS.items()}
    elif scale == "national":
        establishments_total = NATIONAL_ESTABLISHMENTS_2014
        flows = dict(NATIONAL_NEW_CONTRACTS)
    else:
        raise ValueError(f"Échelle inconnue : {scale} (region ou national).")
    contracts_by_year = {year: max(1, round(flow * factor)) for year, flow in flows.items()}
    yearly = contracts_by_year[max(contracts_by_year)]
    return ScalePlan(
        name=scale,
        ratio=ratio,
        establishments=max(5, round(establishments_total * factor)),
        contracts_by_year=contracts_by_year,
        # UNSOURCED: as many young people looking for a contract as contracts signed in a year, and one open
        # offer for two of them.
        candidates=max(5, yearly),
        offers=max(5, round(yearly / 2)),
        centre_share=min(1.0, fraction) if fraction < 1 else 1.0,
    )
