"""The personalised guide: from a few answers (or the signed-in profile), a step-by-step checklist with
concrete dates where the rules allow computing them, links, and the advisor team of the person's zone.

Pure rules take `today`; the dates come from the Code du travail articles cited on each step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guichet.core.calendar import DayKind, add_working_days
from guichet.rules.base import add_months
from guichet.support.enums import Audience, CompanySize, Situation, Topic
from guichet.support.formatting import french_date

RULES_VERSION = "guide-2026-11-25"
# Dates the guide computes deadlines from: a wider range would push them outside what `date` holds (year 1 - 9999).
DATE_RANGE = (date(1900, 1, 1), date(2199, 12, 31))
DATE_RANGE_MESSAGE = "Saisissez une date entre le 1er janvier 1900 et le 31 décembre 2199."


def date_in_range(value: date) -> bool:
    return DATE_RANGE[0] <= value <= DATE_RANGE[1]


@dataclass(frozen=True)
class GuideAnswers:
    age: int | None = None
    level: int | None = None  # highest diploma level reached (3-8), None: none yet
    situation: str = Situation.LOOKING_BOTH
    training_start: date | None = None
    contract_start: date | None = None
    disability: bool = False
    company_size: str = ""
    insee: str = ""


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    value: str


@dataclass
class Step:
    code: str
    title: str
    detail: str
    due: date | None = None
    window_start: date | None = None
    window_end: date | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    reference: str = ""
    reasons: list[Reason] = field(default_factory=list)

    @property
    def when(self) -> str:
        if self.window_start and self.window_end:
            return f"du {french_date(self.window_start)} au {french_date(self.window_end)}"
        if self.due:
            return f"au plus tard le {french_date(self.due)}"
        return ""


@dataclass
class Guide:
    answers: GuideAnswers
    steps: list[Step]
    audience: str
    topics: list[str]
    warnings: list[str]
    rules_version: str = RULES_VERSION


def opco_deadline(contract_start: date) -> date:
    """Last day to send the contract to the OPCO: 5 jours ouvrables after its start (C. trav. D6224-1)."""
    return add_working_days(contract_start, 5, kind=DayKind.WORKABLE)


def contract_window(training_start: date) -> tuple[date, date]:
    """When the contract may start around the start of the training: the young person may follow the CFA
    training up to 3 months without an employer (L6222-12-1), and the training must start at most 3 months
    after the start of the contract (L6222-12)."""
    return add_months(training_start, -3), add_months(training_start, 3)


def build_guide(*, answers: GuideAnswers, today: date) -> Guide:
    employer = answers.situation == Situation.EMPLOYER_HIRING
    steps: list[Step] = []
    warnings: list[str] = []
    topics: list[str] = [Topic.CONTRACT, Topic.PAY_AIDS]

    # 1. Eligibility (young people).
    if not employer and answers.age is not None:
        reasons = [Reason("age", "Âge indiqué", str(answers.age))]
        if answers.age < 15:
            warnings.append(
                "Avant 15 ans, on ne peut pas signer de contrat d'apprentissage. Si vous avez 15 ans avant le "
                "31 décembre, vous pouvez commencer la formation avec le statut scolaire."
            )
        elif answers.age == 15:
            steps.append(
                Step(
                    "age",
                    "Vérifiez que vous avez terminé la classe de 3e",
                    "À 15 ans, vous pouvez signer un contrat d'apprentissage si vous avez terminé la 3e.",
                    reference="C. trav. L6222-1",
                    reasons=reasons,
                )
            )
        elif answers.age >= 30 and not answers.disability:
            warnings.append(
                "Après 29 ans, le contrat d'apprentissage n'est possible que dans certains cas (RQTH, création "
                "d'entreprise, sportif de haut niveau, nouveau diplôme après un premier contrat). Un conseiller "
                "peut vérifier votre situation."
            )
            reasons.append(Reason("age_limit", "Âge maximum (cas général)", "29 ans révolus"))
        steps.append(
            Step(
                "eligibility",
                "Vérifiez que vous pouvez devenir apprenti",
                "De 16 à 29 ans révolus au début du contrat ; pas de limite d'âge avec une RQTH.",
                links=[("Qui peut devenir apprenti ?", "/accompagnement/infos/qui-peut-devenir-apprenti/")],
                reference="C. trav. L6222-1, L6222-2, D6222-1",
                reasons=reasons,
            )
        )

    # 2. Finding a training and an employer.
    if answers.situation in (Situation.LOOKING_TRAINING, Situation.LOOKING_BOTH):
        topics.append(Topic.FIND_TRAINING)
        level_text = f"niveau {answers.level + 1} ou plus" if answers.level else "le niveau qui vous convient"
        steps.append(
            Step(
                "training",
                "Choisissez votre formation et contactez le CFA",
                f"Cherchez les formations en apprentissage près de chez vous ({level_text}). Le centre de formation "
                "d'apprentis (CFA) peut aussi vous aider à trouver une entreprise.",
                links=[("Chercher une formation", "/recherche/")],
                reasons=[Reason("level", "Niveau atteint", str(answers.level) if answers.level else "aucun diplôme")],
            )
        )
    if answers.situation in (Situation.LOOKING_EMPLOYER, Situation.LOOKING_BOTH):
        topics.append(Topic.FIND_EMPLOYER)
        steps.append(
            Step(
                "employer",
                "Cherchez un employeur",
                "Répondez aux offres et envoyez des candidatures spontanées. Sans employeur à la rentrée, vous "
                "pouvez suivre la formation au CFA pendant 3 mois au plus.",
                links=[
                    ("Chercher une offre", "/recherche/"),
                    ("Trouver un employeur", "/accompagnement/infos/trouver-un-employeur/"),
                ],
                reference="C. trav. L6222-12-1",
            )
        )
    if employer:
        topics.append(Topic.FIND_EMPLOYER)
        steps.append(
            Step(
                "recruit",
                "Publiez votre offre et contactez les CFA",
                "Décrivez le poste, le diplôme préparé et le rythme d'alternance ; désignez un maître "
                "d'apprentissage qui formera l'apprenti.",
                links=[("Voir les candidats et les formations", "/recherche/")],
            )
        )

    # 3. Contract start window around the training start.
    if answers.training_start:
        start, end = contract_window(answers.training_start)
        steps.append(
            Step(
                "contract_window",
                "Faites commencer le contrat dans la bonne période",
                "Le contrat peut commencer jusqu'à 3 mois après le début de la formation, et la formation au CFA "
                "doit commencer au plus tard 3 mois après le début du contrat.",
                window_start=start,
                window_end=end,
                reference="C. trav. L6222-12, L6222-12-1",
                reasons=[Reason("training_start", "Début de la formation", answers.training_start.isoformat())],
            )
        )
        if end < today:
            warnings.append(
                "La période pour commencer un contrat avec cette date de formation est passée : parlez-en au CFA."
            )

    # 4. Signature and sending to the OPCO.
    steps.append(
        Step(
            "sign",
            "Signez le contrat sur le formulaire Cerfa FA13",
            "Signé par l'employeur et l'apprenti, et par son représentant légal s'il est mineur. Sa durée va de "
            "6 mois à 3 ans" + (" (jusqu'à 4 ans avec une RQTH)." if answers.disability else "."),
            links=[("Le contrat d'apprentissage", "/accompagnement/infos/le-contrat-d-apprentissage/")],
            reference="C. trav. L6222-4, L6222-7-1" + (", R6222-47" if answers.disability else ""),
        )
    )
    if answers.contract_start:
        start = answers.contract_start
        steps.append(
            Step(
                "opco",
                "Envoyez le contrat à l'OPCO",
                "L'employeur envoie le contrat et la convention de formation à son opérateur de compétences (OPCO) "
                "au plus tard 5 jours ouvrables (du lundi au samedi, hors jours fériés) après le début du contrat.",
                due=opco_deadline(start),
                reference="C. trav. D6224-1",
                reasons=[Reason("contract_start", "Début du contrat", start.isoformat())],
            )
        )
        steps.append(
            Step(
                "medical",
                "Passez la visite d'information et de prévention",
                "Dans les 2 mois qui suivent l'embauche.",
                due=add_months(start, 2),
                reference="C. trav. R6222-36",
            )
        )
        # 5. Aids: when each can be claimed.
        if employer:
            size = answers.company_size or CompanySize.UNDER_250
            steps.append(
                Step(
                    "employer_aid",
                    "Recevez l'aide de l'État à l'embauche",
                    "Pas de demande à faire : l'aide est déclenchée par le dépôt du contrat par l'OPCO, qui doit "
                    "le recevoir au plus tard 6 mois après la conclusion. Elle est versée chaque mois la 1re année.",
                    due=add_months(start, 6),
                    links=[
                        ("Simuler l'aide", "/aides/"),
                        ("Les aides aux employeurs", "/accompagnement/infos/aides-aux-employeurs/"),
                    ],
                    reference="C. trav. D6243-1 ; décret n° 2026-168",
                    reasons=[Reason("company_size", "Taille de l'entreprise", CompanySize(size).label)],
                )
            )
        else:
            if answers.age is None or answers.age < 30:
                steps.append(
                    Step(
                        "mobili_jeune",
                        "Demandez l'aide Mobili-Jeune si vous payez un loyer",
                        "Action Logement aide de 10 € à 100 € par mois les moins de 30 ans.",
                        window_start=add_months(start, -3),
                        window_end=add_months(start, 6),
                        links=[("Les aides pour les apprentis", "/accompagnement/infos/aides-pour-les-apprentis/")],
                        reference="Action Logement, Mobili-Jeune",
                    )
                )
            steps.append(
                Step(
                    "student_card",
                    "Demandez votre carte d'étudiant des métiers au CFA",
                    "Elle donne les mêmes réductions que la carte d'étudiant.",
                    reference="C. trav. L6222-36-1",
                )
            )
        topics.append(Topic.MOBILITY)

    # 6. During the contract.
    if answers.contract_start:
        trial_hint = "les 45 premiers jours de travail en entreprise"
        steps.append(
            Step(
                "trial",
                "Pendant " + trial_hint + ", chacun peut arrêter le contrat librement",
                "Les jours au CFA ne comptent pas. Après, la rupture n'est possible que dans des cas précis.",
                links=[("Arrêter un contrat", "/accompagnement/infos/rupture-du-contrat/")],
                reference="C. trav. L6222-18",
            )
        )
    steps.append(
        Step(
            "pay",
            "Vérifiez le salaire minimum" if not employer else "Calculez le salaire et le coût",
            "Il dépend de l'âge et de l'année du contrat, en pourcentage du SMIC.",
            links=[
                ("Simuler le salaire et les aides", "/aides/"),
                ("Combien est payé un apprenti ?", "/accompagnement/infos/remuneration-de-l-apprenti/"),
            ],
            reference="C. trav. D6222-26",
        )
    )
    if answers.disability:
        topics.append(Topic.DISABILITY)
        steps.append(
            Step(
                "disability",
                "Contactez le référent handicap du CFA",
                "Avec une RQTH : pas de limite d'âge, un contrat jusqu'à 4 ans, 6 000 € d'aide pour l'employeur.",
                links=[("Apprentissage et handicap", "/accompagnement/infos/handicap-et-apprentissage/")],
                reference="C. trav. L6222-2, R6222-47",
            )
        )
    audience = Audience.COMPANIES if employer else Audience.YOUNG
    return Guide(
        answers=answers, steps=steps, audience=audience, topics=list(dict.fromkeys(topics)), warnings=warnings
    )
