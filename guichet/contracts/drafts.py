"""What a contract draft holds and who fills in what: the sections of the CERFA FA13 form, the side that owns
each field, why each piece of the apprentice's data is asked for, the pre-filling from an accepted
application, what is missing before a side can validate, and the pay rows from the salary rules.

Pure functions over model instances (no writes): the writes are in contracts.services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from guichet.contracts.models import ContractDraft
from guichet.rules.base import RulesInputError, add_months
from guichet.rules.parameters import reference_ruleset
from guichet.rules.salary import SalaryInput, salary_schedule

EMPLOYER, APPRENTICE = "employer", "apprentice"
CERFA_NOTE = "Brouillon, à reporter sur le CERFA FA13 officiel (n° 10103) : ce document n'a pas de valeur de contrat."
PAY_NOT_COMPUTED = "Calculé par le simulateur de rémunération."


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    side: str
    fields: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "employer",
        "L'employeur",
        EMPLOYER,
        (
            "employer_name",
            "employer_siret",
            "employer_naf",
            "employer_headcount",
            "employer_idcc",
            "employer_address",
            "employer_postcode",
            "employer_commune",
            "employer_phone",
            "employer_email",
        ),
    ),
    Section(
        "apprentice",
        "L'apprenti(e)",
        APPRENTICE,
        (
            "apprentice_last_name",
            "apprentice_first_name",
            "apprentice_birth_date",
            "apprentice_sex",
            "apprentice_address",
            "apprentice_postcode",
            "apprentice_commune",
            "apprentice_phone",
            "apprentice_email",
            "apprentice_highest_level",
            "apprentice_last_diploma",
            "apprentice_rqth",
            "legal_representative",
        ),
    ),
    Section(
        "master",
        "Le maître d'apprentissage",
        EMPLOYER,
        (
            "master_last_name",
            "master_first_name",
            "master_birth_date",
            "master_job_title",
            "master_highest_diploma",
            "master_email",
        ),
    ),
    Section(
        "training",
        "La formation",
        EMPLOYER,
        (
            "cfa_name",
            "cfa_uai",
            "cfa_siret",
            "cfa_commune",
            "diploma_title",
            "diploma_level",
            "diploma_cfd",
            "rncp",
            "training_starts_on",
            "training_ends_on",
            "training_hours",
        ),
    ),
    Section(
        "contract",
        "Le contrat",
        EMPLOYER,
        ("job_title", "concluded_on", "starts_on", "practical_starts_on", "ends_on", "weekly_hours"),
    ),
)

SIDE_FIELDS: dict[str, tuple[str, ...]] = {
    side: tuple(name for section in SECTIONS if section.side == side for name in section.fields)
    for side in (EMPLOYER, APPRENTICE)
}

# Needed before a side may validate (the optional ones stay optional on the official form too).
REQUIRED: dict[str, tuple[str, ...]] = {
    EMPLOYER: (
        "employer_name",
        "employer_siret",
        "employer_address",
        "employer_postcode",
        "employer_commune",
        "master_last_name",
        "master_first_name",
        "master_birth_date",
        "master_job_title",
        "cfa_name",
        "cfa_uai",
        "diploma_title",
        "training_starts_on",
        "training_ends_on",
        "concluded_on",
        "starts_on",
        "ends_on",
        "weekly_hours",
    ),
    APPRENTICE: (
        "apprentice_last_name",
        "apprentice_first_name",
        "apprentice_birth_date",
        "apprentice_sex",
        "apprentice_address",
        "apprentice_postcode",
        "apprentice_commune",
    ),
}

# Why the form asks for each piece of the apprentice's data (shown next to the field: data minimisation).
APPRENTICE_FIELDS_WHY: dict[str, str] = {
    "apprentice_last_name": "Le contrat est nominatif : le nom de naissance identifie l'apprenti auprès de l'OPCO.",
    "apprentice_first_name": "Le contrat est nominatif.",
    "apprentice_birth_date": (
        "Le salaire minimum dépend de l'âge (C. trav. D6222-26) et l'âge conditionne l'accès à l'apprentissage."
    ),
    "apprentice_sex": (
        "Demandé par le formulaire officiel ; le guichet ne garde dans son registre que des chiffres sans nom "
        "(statistiques d'égalité femmes-hommes)."
    ),
    "apprentice_address": "Le formulaire officiel demande l'adresse de l'apprenti pour les courriers de l'OPCO.",
    "apprentice_postcode": "Partie de l'adresse demandée par le formulaire officiel.",
    "apprentice_commune": "Partie de l'adresse demandée par le formulaire officiel.",
    "apprentice_phone": "Facultatif : pour que l'OPCO ou le CFA puisse vous joindre.",
    "apprentice_email": "Facultatif : pour que l'OPCO ou le CFA puisse vous joindre.",
    "apprentice_highest_level": "Le formulaire demande le diplôme le plus élevé obtenu (il peut changer le salaire).",
    "apprentice_last_diploma": "Le formulaire demande le dernier diplôme ou titre préparé.",
    "apprentice_rqth": (
        "Facultatif : la RQTH lève la limite d'âge et ouvre des aides ; elle n'est montrée qu'à l'employeur "
        "de ce contrat, qui doit la déclarer."
    ),
    "legal_representative": (
        "Obligatoire si vous avez moins de 18 ans : votre représentant légal signe aussi le contrat."
    ),
}
NOT_STORED = (
    "Le numéro de sécurité sociale (NIR), la nationalité, le département et la commune de naissance, le régime "
    "social et la situation avant le contrat se remplissent directement sur le formulaire officiel : le guichet "
    "ne les demande pas et ne les conserve pas."
)


def field_label(name: str) -> str:
    return str(ContractDraft._meta.get_field(name).verbose_name)


def draft_initial_values(*, application: Any, training: Any | None, today: date) -> dict[str, Any]:
    """Values of a new draft from an accepted application, its offer, the employer and the chosen training."""
    offer = application.offer
    establishment = offer.establishment
    profile = application.candidate
    user = profile.user
    values: dict[str, Any] = {
        "employer_name": establishment.company.name if establishment.company_id else establishment.name,
        "employer_siret": establishment.siret,
        "employer_naf": establishment.naf.code.replace(".", "") if establishment.naf_id else "",
        "employer_commune": establishment.commune.name,
        "employer_postcode": (establishment.commune.postcode_list or [""])[0],
        "apprentice_last_name": user.last_name if user else "",
        "apprentice_first_name": user.first_name if user else "",
        "apprentice_email": user.email if user else "",
        "apprentice_birth_date": profile.birth_date,
        "apprentice_commune": profile.commune.name,
        "apprentice_postcode": (profile.commune.postcode_list or [""])[0],
        "apprentice_highest_level": profile.current_level_id,
        "apprentice_rqth": profile.rqth,
        "job_title": offer.title,
        "starts_on": offer.starts_on,
        "practical_starts_on": offer.starts_on,
        "ends_on": add_months_minus_one_day(offer.starts_on, offer.duration_months),
        "weekly_hours": offer.weekly_hours,
        "diploma_level": offer.target_level_id,
    }
    if training is not None:
        centre = training.centre
        certification = training.certification
        sessions = [session for session in training.sessions.all() if session.ends_on >= today]
        session = sessions[0] if sessions else None
        values.update(
            {
                "training": training,
                "cfa_name": centre.display_name,
                "cfa_uai": centre.uai,
                "cfa_siret": centre.siret,
                "cfa_commune": training.commune.name,
                "diploma_title": certification.title if certification else training.title,
                "diploma_level": training.level_id or offer.target_level_id,
                "diploma_cfd": certification.cfd if certification else "",
                "rncp": certification.rncp if certification else "",
                "training_starts_on": session.starts_on if session else None,
                "training_ends_on": session.ends_on if session else None,
            }
        )
    return values


def add_months_minus_one_day(day: date, months: int) -> date:
    """The last day of a contract of `months` months starting on `day` (1 Sept + 24 months -> 31 Aug)."""
    end = add_months(day, months)
    return date.fromordinal(end.toordinal() - 1)


def missing_fields(*, draft: ContractDraft, side: str) -> list[str]:
    """Labels of the fields a side must still fill in before validating."""
    missing = [name for name in REQUIRED[side] if getattr(draft, name) in (None, "")]
    if side == APPRENTICE and is_minor(draft) and not draft.legal_representative.strip():
        missing.append("legal_representative")
    return [field_label(name) for name in missing]


def is_minor(draft: ContractDraft) -> bool:
    birth, start = draft.apprentice_birth_date, draft.starts_on
    if birth is None or start is None:
        return False
    return (start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))) < 18


def date_problems(*, draft: ContractDraft) -> list[str]:
    """Dates that contradict each other (French sentences), checked before a side validates."""
    problems = []
    if draft.starts_on and draft.ends_on and draft.ends_on <= draft.starts_on:
        problems.append("La date de fin du contrat doit suivre sa date de début.")
    if draft.concluded_on and draft.starts_on and draft.concluded_on > draft.starts_on:
        problems.append("Le contrat se conclut (se signe) au plus tard le jour où il commence.")
    if draft.training_starts_on and draft.training_ends_on and draft.training_ends_on <= draft.training_starts_on:
        problems.append("La fin de la formation doit suivre son début.")
    if draft.starts_on and draft.ends_on:
        months = (draft.ends_on.year - draft.starts_on.year) * 12 + draft.ends_on.month - draft.starts_on.month
        if not 5 <= months <= 36:
            problems.append(
                "Un contrat d'apprentissage dure de 6 mois à 3 ans : vérifiez les dates de début et de fin."
            )
    return problems


@dataclass(frozen=True)
class PayRow:
    contract_year: int
    starts_on: date
    ends_on: date
    rate_percent: Decimal
    basis: str
    monthly_gross: Decimal


@dataclass(frozen=True)
class PayTable:
    rows: list[PayRow]
    note: str
    rules_version: str = ""


def pay_table(*, draft: ContractDraft) -> PayTable:
    """The minimum pay per contract year from guichet.rules (reference parameters), or empty rows with a note
    when the dates or the birth date are not filled in yet."""
    if not (draft.apprentice_birth_date and draft.starts_on and draft.ends_on and draft.ends_on > draft.starts_on):
        return PayTable(
            rows=[],
            note=f"{PAY_NOT_COMPUTED} Renseignez la date de naissance et les dates du contrat pour l'afficher.",
        )
    ruleset = reference_ruleset()
    data = SalaryInput(
        birth_date=draft.apprentice_birth_date,
        contract_start=draft.starts_on,
        contract_end=draft.ends_on,
        concluded_on=draft.concluded_on,
        weekly_hours=Decimal(draft.weekly_hours or 35),
        rqth=draft.apprentice_rqth,
    )
    try:
        schedule = salary_schedule(data=data, ruleset=ruleset)
    except RulesInputError as error:
        return PayTable(rows=[], note=f"{PAY_NOT_COMPUTED} Calcul impossible : {error}")
    rows: list[PayRow] = []
    for month in schedule.months:
        key = (month.contract_year, month.rate_percent, month.basis)
        if rows and (rows[-1].contract_year, rows[-1].rate_percent, rows[-1].basis) == key:
            last = rows[-1]
            rows[-1] = PayRow(
                last.contract_year, last.starts_on, month.end, last.rate_percent, last.basis, last.monthly_gross
            )
        else:
            rows.append(
                PayRow(
                    month.contract_year,
                    month.start,
                    month.end,
                    month.rate_percent,
                    month.basis,
                    month.full_month_gross,
                )
            )
    note = (
        "Salaire brut minimum légal par période (C. trav. D6222-26 et suivants), calculé par le simulateur de "
        f"rémunération du guichet (paramètres {schedule.rules_version}"
        + (f", vérifiés le {ruleset.checked_on:%d/%m/%Y}" if ruleset.checked_on else "")
        + ") ; la convention collective peut prévoir plus."
    )
    return PayTable(rows=rows, note=note, rules_version=schedule.rules_version)
