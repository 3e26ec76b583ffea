"""A rough kind of training centre derived from its name, and the certifications each kind usually prepares.

The ONISEP UAI-SIRET list gives no category, so the kind is guessed from keywords of the legal name and
the sign (words are compared after `search_key`, i.e. lower case without accents). The first kind
whose keywords match wins, in the order of `KIND_RULES`. Used to flag lycées on import and by the demo
population generator to give each real centre plausible (synthetic) trainings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from guichet.core.text import search_key


class CentreKind(models.TextChoices):
    UNIVERSITY = "superieur", "Université ou école du supérieur"
    AGRICULTURE = "agricole", "Établissement agricole (lycée agricole, MFR, CFPPA)"
    LYCEE = "lycee", "Lycée (unité de formation par apprentissage)"
    CRAFTS = "metiers", "Chambre de métiers et de l'artisanat"
    TRANSPORT = "transport", "Centre des métiers du transport et de la logistique"
    BUILDING = "btp", "Centre des métiers du bâtiment et des travaux publics"
    INDUSTRY = "industrie", "Centre des métiers de l'industrie"
    OTHER = "autre", "Autre centre de formation d'apprentis"


@dataclass(frozen=True)
class KindRule:
    kind: CentreKind
    # Whole words (or word sequences) of the folded name; a match anywhere in the name is enough.
    keywords: tuple[str, ...]
    # Relative weights of the diploma levels of the trainings generated for this kind.
    level_weights: dict[int, float]
    # Words looked for in the Certif Info diploma type (folded); empty: any type.
    diploma_types: tuple[str, ...] = ()
    # First letters of the ROME codes of the certifications that fit (empty: any job).
    rome_prefixes: tuple[str, ...] = ()


KIND_RULES: tuple[KindRule, ...] = (
    KindRule(
        CentreKind.AGRICULTURE,
        (
            "agricole",
            "agricoles",
            "maison familiale",
            "mfr",
            "cfppa",
            "eplefpa",
            "legta",
            "horticole",
            "rurale",
            "rurales",
            "agriculture",
        ),
        {3: 0.40, 4: 0.45, 5: 0.15},
        ("agricole", "agriculture", "brevet professionnel", "certificat de specialisation"),
        ("A",),
    ),
    KindRule(
        CentreKind.UNIVERSITY,
        (
            "universite",
            "univ",
            "iut",
            "ecole superieure",
            "ecole d ingenieurs",
            "ecole de commerce",
            "business school",
            "skema",
            "edhec",
            "ieseg",
            "junia",
            "yncrea",
            "cesi",
            "esiee",
            "neoma",
            "sciences po",
            "enseignement superieur",
            "ecole superieure",
            "institut superieur",
            "ecole nationale",
            "grande ecole",
            "arts et metiers",
            "cnam",
            "conservatoire national",
        ),
        {5: 0.15, 6: 0.45, 7: 0.40},
        (
            "licence",
            "master",
            "ingenieur",
            "bachelor",
            "universitaire",
            "ecole de commerce",
            "titre inscrit",
            "technicien superieur",
        ),
    ),
    KindRule(
        CentreKind.LYCEE,
        ("lycee", "lyc", "lp", "lpo", "lgt", "legt", "lpo", "ogec", "ufa", "lycees", "etablissement public local"),
        {3: 0.50, 4: 0.50},
        (
            "certificat d aptitude professionnelle",
            "baccalaureat professionnel",
            "mention complementaire",
            "brevet professionnel",
            "brevet des metiers d art",
        ),
    ),
    KindRule(
        CentreKind.CRAFTS,
        ("chambre de metiers", "chambre des metiers", "cma", "artisanat", "metiers", "faculte des metiers"),
        {3: 0.60, 4: 0.35, 5: 0.05},
        (
            "certificat d aptitude professionnelle",
            "brevet professionnel",
            "mention complementaire",
            "brevet technique des metiers",
            "brevet de maitrise",
            "titre professionnel",
        ),
    ),
    KindRule(
        CentreKind.TRANSPORT,
        ("aftral", "promotrans", "transport", "logistique"),
        {3: 0.45, 4: 0.30, 5: 0.20, 6: 0.05},
        (),
        ("N",),
    ),
    KindRule(
        CentreKind.BUILDING,
        ("btp", "batiment", "travaux publics", "compagnons du devoir"),
        {3: 0.50, 4: 0.30, 5: 0.15, 6: 0.05},
        (),
        ("F",),
    ),
    KindRule(
        CentreKind.INDUSTRY,
        ("cfai", "promeo", "afpi", "industriel", "metallurgie", "uimm"),
        {3: 0.15, 4: 0.30, 5: 0.35, 6: 0.15, 7: 0.05},
        (),
        ("H", "I"),
    ),
    KindRule(
        CentreKind.OTHER,
        (),
        # Close to the national split of new contracts by level (see docs/synthetic-population.md).
        {3: 0.25, 4: 0.20, 5: 0.22, 6: 0.17, 7: 0.16},
    ),
)
RULES_BY_KIND: dict[str, KindRule] = {rule.kind: rule for rule in KIND_RULES}


def centre_kind(*names: str) -> CentreKind:
    """The kind of a centre from its legal name and sign."""
    folded = f" {search_key(' '.join(names))} "
    for rule in KIND_RULES:
        if any(f" {keyword} " in folded for keyword in rule.keywords):
            return rule.kind
    return CentreKind.OTHER


def is_lycee_name(*names: str) -> bool:
    """True when the name says lycée (including agricultural lycées), whatever the centre kind."""
    folded = f" {search_key(' '.join(names))} "
    return any(f" {keyword} " in folded for keyword in RULES_BY_KIND[CentreKind.LYCEE].keywords)
