"""Simulator forms: every field labelled, with a hint and an error that says what to do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from guichet.rules.aids import AidInput
from guichet.rules.base import RulesInputError, add_years
from guichet.rules.salary import PreviousContract, SalaryInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO_UNKNOWN = [("", "Je ne sais pas"), ("oui", "Oui"), ("non", "Non")]
AGE_EXCEPTION_CHOICES = [
    ("", "Aucune"),
    ("rqth", "Travailleur handicapé reconnu (RQTH) : pas de limite d'âge"),
    ("business_creation", "Projet de création ou de reprise d'entreprise : pas de limite d'âge"),
    ("high_level_athlete", "Sportif de haut niveau : pas de limite d'âge"),
    ("higher_diploma_after_apprenticeship", "Suite d'un contrat d'apprentissage, diplôme plus élevé : jusqu'à 35 ans"),
    ("previous_contract_broken", "Contrat précédent rompu sans faute de l'apprenti : jusqu'à 35 ans"),
]
FIELD_NAMES = {
    "contract.end": "contract_end",
    "contract.diploma_level": "diploma_level",
    "employer.headcount": "headcount",
    "apprentice.birth_date": "birth_date",
    "previous_contract.last_year_rate_percent": "previous_rate",
    "previous_contract.last_monthly_gross": "previous_rate",
}


def _date_field(label: str, help_text: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        widget=DATE_WIDGET,
        error_messages={
            "required": f"Indiquez la date : {label.lower()}.",
            "invalid": "Saisissez une date au format jj/mm/aaaa.",
        },
    )


def _yes_no(value: str) -> bool | None:
    return {"oui": True, "non": False}.get(value)


class SalaryForm(forms.Form):
    birth_date = _date_field("Date de naissance de l'apprenti", "Par exemple 15/03/2007.")
    contract_start = _date_field("Début du contrat", "Premier jour d'exécution du contrat.")
    contract_end = _date_field("Fin du contrat", "Dernier jour du contrat (de 6 mois à 3 ans après le début).")
    concluded_on = _date_field(
        "Date de signature du contrat",
        "Elle fixe les exonérations et les aides. Laissez vide si elle est égale au début du contrat.",
        required=False,
    )
    weekly_hours = forms.DecimalField(
        label="Heures par semaine",
        help_text="35 heures en général.",
        initial=Decimal(35),
        max_digits=4,
        decimal_places=1,
        error_messages={"required": "Indiquez la durée hebdomadaire, en heures.", "invalid": "Saisissez un nombre."},
    )
    conventional_minimum_monthly = forms.DecimalField(
        label="Salaire minimum de la convention collective (€ par mois)",
        help_text="À partir de 21 ans, le minimum se calcule sur ce salaire s'il dépasse le SMIC. Facultatif.",
        required=False,
        max_digits=8,
        decimal_places=2,
        error_messages={"invalid": "Saisissez un montant en euros, par exemple 1900,00."},
    )
    rqth = forms.BooleanField(label="L'apprenti est reconnu travailleur handicapé (RQTH)", required=False)
    age_exception = forms.ChoiceField(
        label="Exception à la limite d'âge de 29 ans",
        help_text="Seulement si l'apprenti a 30 ans ou plus au début du contrat.",
        choices=AGE_EXCEPTION_CHOICES,
        required=False,
    )
    finished_troisieme = forms.ChoiceField(
        label="À 15 ans : l'apprenti a terminé la classe de 3e",
        help_text="Seulement pour un apprenti de 15 ans.",
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    licence_pro = forms.BooleanField(label="Il prépare une licence professionnelle", required=False)
    same_level_related_diploma = forms.BooleanField(
        label="Contrat d'un an au plus pour un diplôme de même niveau, lié à un diplôme déjà obtenu",
        required=False,
    )
    previous_led_to_diploma = forms.BooleanField(
        label="Un contrat d'apprentissage précédent a conduit au diplôme", required=False
    )
    previous_same_employer = forms.BooleanField(
        label="Ce contrat précédent était chez le même employeur", required=False
    )
    previous_rate = forms.DecimalField(
        label="Taux de la dernière année du contrat précédent (% du SMIC)",
        help_text="Par exemple 51. Facultatif.",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "invalid": "Saisissez un pourcentage, par exemple 51.",
            "min_value": "Le taux va de 0 à 100 %.",
            "max_value": "Le taux va de 0 à 100 %.",
        },
    )
    compare_start = _date_field(
        "Comparer avec un autre début de contrat",
        "Facultatif : la même simulation si le contrat commençait à cette date (même durée).",
        required=False,
    )
    compare_age = forms.IntegerField(
        label="Comparer avec un autre âge au début du contrat",
        help_text="Facultatif : par exemple 21 pour comparer un apprenti de 20 ans avec un de 21 ans.",
        required=False,
        min_value=15,
        max_value=35,
        error_messages={
            "invalid": "Saisissez un âge en années.",
            "min_value": "L'âge va de 15 à 35 ans.",
            "max_value": "L'âge va de 15 à 35 ans.",
        },
    )

    summary_labels = {"same_level_related_diploma": "Diplôme de même niveau", "rqth": "RQTH"}

    def salary_input(self) -> SalaryInput:
        data = self.cleaned_data
        previous = None
        if data.get("previous_led_to_diploma"):
            previous = PreviousContract(
                same_employer=bool(data.get("previous_same_employer")),
                led_to_diploma=True,
                last_year_rate_percent=data.get("previous_rate"),
            )
        return SalaryInput(
            birth_date=data["birth_date"],
            contract_start=data["contract_start"],
            contract_end=data["contract_end"],
            concluded_on=data.get("concluded_on"),
            weekly_hours=data["weekly_hours"],
            conventional_minimum_monthly=data.get("conventional_minimum_monthly"),
            previous_contract=previous,
            licence_pro=bool(data.get("licence_pro")),
            same_level_related_diploma=bool(data.get("same_level_related_diploma")),
            rqth=bool(data.get("rqth")),
            age_exception=data.get("age_exception") or "",
            finished_troisieme=_yes_no(data.get("finished_troisieme") or ""),
        )

    def add_rules_errors(self, error: RulesInputError) -> None:
        for problem in error.problems:
            name = FIELD_NAMES.get(problem.field, problem.field)
            self.add_error(name if name in self.fields else None, problem.message)

    def inputs(self) -> dict[str, Any]:
        return {
            key: (value.isoformat() if isinstance(value, date) else str(value))
            for key, value in self.cleaned_data.items()
            if value not in (None, "")
        }


class EmployerForm(SalaryForm):
    headcount = forms.IntegerField(
        label="Effectif de l'entreprise (salariés)",
        help_text="Tous établissements confondus. Le seuil de 250 salariés change les aides.",
        required=False,
        min_value=0,
        error_messages={
            "invalid": "Saisissez un nombre de salariés.",
            "min_value": "L'effectif ne peut pas être négatif.",
        },
    )
    public = forms.BooleanField(label="Employeur public (collectivité, hôpital, État)", required=False)
    diploma_level = forms.TypedChoiceField(
        label="Niveau du diplôme préparé",
        help_text="3 : CAP ; 4 : bac ; 5 : bac+2 (BTS) ; 6 : bac+3 (licence, BUT) ; 7 : bac+5 ; 8 : doctorat.",
        choices=[("", "Je ne sais pas")] + [(str(level), f"Niveau {level}") for level in range(3, 9)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    deposited = forms.ChoiceField(
        label="Le contrat sera transmis à l'OPCO (opérateur de compétences) dans les 6 mois après sa signature",
        help_text="Condition des aides de l'État depuis 2025.",
        choices=YES_NO_UNKNOWN,
        required=False,
    )

    def aid_input(self) -> AidInput:
        data = self.cleaned_data
        return AidInput(
            birth_date=data["birth_date"],
            contract_start=data["contract_start"],
            contract_end=data["contract_end"],
            concluded_on=data.get("concluded_on"),
            diploma_level=data.get("diploma_level"),
            headcount=data.get("headcount"),
            public_employer=bool(data.get("public")),
            rqth=bool(data.get("rqth")),
            deposited_within_6_months=_yes_no(data.get("deposited") or ""),
        )


def shifted_start(data: SalaryInput, new_start: date) -> SalaryInput:
    """The same contract (same length) starting on another day."""
    from dataclasses import replace

    length = data.contract_end - data.contract_start
    concluded = None if data.concluded_on is None else new_start - (data.contract_start - data.concluded_on)
    return replace(data, contract_start=new_start, contract_end=new_start + length, concluded_on=concluded)


def aged(data: SalaryInput, age: int) -> SalaryInput:
    """The same contract for an apprentice `age` years old at the start (same birthday)."""
    from dataclasses import replace

    from guichet.rules.base import age_on

    shift = age - age_on(data.birth_date, data.contract_start)
    return replace(data, birth_date=add_years(data.birth_date, -shift))


class ApplicationForm(forms.Form):
    """An employer applies for a regional aid on one of its contracts."""

    programme = forms.ModelChoiceField(
        label="Aide demandée",
        queryset=None,
        empty_label="Choisissez une aide",
        error_messages={
            "required": "Choisissez l'aide que vous demandez.",
            "invalid_choice": "Choisissez une aide de la liste.",
        },
    )
    contract = forms.ModelChoiceField(
        label="Contrat concerné",
        help_text="Les contrats de vos établissements enregistrés sur le guichet.",
        queryset=None,
        empty_label="Choisissez un contrat",
        error_messages={"required": "Choisissez le contrat.", "invalid_choice": "Choisissez un contrat de la liste."},
    )
    birth_date = _date_field("Date de naissance de l'apprenti", "Elle sert au pré-contrôle des conditions d'âge.")
    rqth = forms.BooleanField(label="L'apprenti est reconnu travailleur handicapé (RQTH)", required=False)
    headcount = forms.IntegerField(
        label="Effectif de l'entreprise (salariés)",
        help_text="Tous établissements confondus.",
        min_value=0,
        error_messages={
            "required": "Indiquez l'effectif de l'entreprise.",
            "invalid": "Saisissez un nombre de salariés.",
            "min_value": "L'effectif ne peut pas être négatif.",
        },
    )

    def __init__(self, *args: Any, programmes: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = lambda contract: (
            f"{contract.contract_number} · début le {contract.starts_on:%d/%m/%Y}"
        )


class GrantForm(forms.Form):
    amount = forms.DecimalField(
        label="Montant accordé (€)",
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": "Indiquez le montant accordé.",
            "invalid": "Saisissez un montant en euros, par exemple 1000,00.",
            "min_value": "Le montant accordé doit être positif.",
        },
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        help_text="Il figure dans le courrier envoyé à l'employeur.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif du refus."},
    )


class DocumentForm(forms.Form):
    label = forms.CharField(
        label="Pièce à demander",
        help_text="Par exemple : relevé d'identité bancaire, contrat signé.",
        max_length=200,
        error_messages={"required": "Indiquez la pièce à demander."},
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note d'instruction",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Écrivez la note avant de l'enregistrer."},
    )
