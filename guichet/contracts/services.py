"""Writes on contract drafts: creation from an accepted application, each side's part, validations, and the
declaration of the signed contract (which moves the application to "contrat signé" through
candidates.services and adds a row without names to the register).

- contract_draft_create(*, application, by, training=None, today=None) -> ContractDraft
- contract_draft_update(*, draft, side, values, by) -> ContractDraft      a side changes its own fields only;
  any change clears both validations
- contract_draft_validate(*, draft, side, by) -> ContractDraft             refused while fields are missing
- contract_draft_sign(*, draft, by, today=None) -> ContractDraft           both validated; employer side only
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.permissions import AnyUser, has_role, is_admin
from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.models import Application
from guichet.candidates.services import ApplicationError, application_sign_contract
from guichet.contracts.drafts import (
    APPRENTICE,
    EMPLOYER,
    SIDE_FIELDS,
    date_problems,
    draft_initial_values,
    missing_fields,
)
from guichet.contracts.enums import ContractKind, age_band_for
from guichet.contracts.models import Contract, ContractDraft, is_valid_cfd
from guichet.rules.base import age_on
from guichet.trainings.models import Training
from guichet.trainings.services import TrainingError, training_place_take
from guichet.trainings.validators import is_valid_uai


class ContractDraftError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def draft_sides_for(*, application: Application, user: AnyUser) -> set[str]:
    """The sides a user may act for on the draft of an application: employer, apprentice, or none."""
    sides: set[str] = set()
    if not user.is_authenticated:
        return sides
    if is_admin(user):
        return {EMPLOYER, APPRENTICE}
    offer = application.offer
    if has_role(user, Role.YOUNG) and application.candidate.user_id == user.pk:
        sides.add(APPRENTICE)
    if has_role(user, Role.EMPLOYER) and offer.establishment.memberships.filter(user=user).exists():
        sides.add(EMPLOYER)
    if (
        has_role(user, Role.TRAINING_CENTRE)
        and offer.posted_by_centre_id
        and offer.posted_by_centre.memberships.filter(user=user).exists()
    ):
        sides.add(EMPLOYER)
    return sides


def _require_side(*, application: Application, by: AnyUser, side: str) -> None:
    if side not in draft_sides_for(application=application, user=by):
        who = "l'employeur" if side == EMPLOYER else "l'apprenti"
        raise ContractDraftError(f"Seul {who} peut remplir et valider cette partie du contrat.")


@transaction.atomic
def contract_draft_create(
    *, application: Application, by: AnyUser, training: Training | None = None, today: date | None = None
) -> ContractDraft:
    """The draft of an accepted application, pre-filled; the existing one when it was already started."""
    today = today or timezone.localdate()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "offer__establishment__company",
            "offer__establishment__naf",
            "offer__establishment__commune",
            "candidate__user",
            "candidate__commune",
        )
        .get(pk=application.pk)
    )
    if not draft_sides_for(application=application, user=by):
        raise ContractDraftError("Seuls l'employeur et le jeune de cette candidature peuvent préparer le contrat.")
    existing = ContractDraft.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.status != ApplicationStatus.ACCEPTED:
        raise ContractDraftError(
            "Le contrat se prépare une fois la candidature acceptée par l'employeur ; "
            f"celle-ci est « {application.get_status_display().lower()} »."
        )
    values = draft_initial_values(application=application, training=training, today=today)
    try:
        with transaction.atomic():
            return ContractDraft.objects.create(application=application, **values)
    except IntegrityError:  # started at the same moment by the other side
        return ContractDraft.objects.get(application=application)


def _locked(draft: ContractDraft) -> ContractDraft:
    draft = (
        ContractDraft.objects.select_for_update(of=("self",))
        .select_related("application__offer__establishment", "application__candidate")
        .get(pk=draft.pk)
    )
    if draft.is_signed:
        raise ContractDraftError("Ce contrat est déjà déclaré signé : le projet ne peut plus changer.")
    return draft


@transaction.atomic
def contract_draft_update(*, draft: ContractDraft, side: str, values: dict[str, Any], by: AnyUser) -> ContractDraft:
    draft = _locked(draft)
    _require_side(application=draft.application, by=by, side=side)
    foreign = sorted(set(values) - set(SIDE_FIELDS[side]))
    if foreign:
        raise ContractDraftError("Vous ne pouvez modifier que votre partie du contrat.", field=foreign[0])
    changed = [name for name, value in values.items() if getattr(draft, name) != value]
    for name in changed:
        setattr(draft, name, values[name])
    if changed:
        draft.employer_validated_at = draft.employer_validated_by = draft.apprentice_validated_at = None
        draft.save()
    return draft


@transaction.atomic
def contract_draft_validate(*, draft: ContractDraft, side: str, by: AnyUser) -> ContractDraft:
    draft = _locked(draft)
    _require_side(application=draft.application, by=by, side=side)
    missing = missing_fields(draft=draft, side=side)
    if missing:
        raise ContractDraftError("Complétez d'abord : " + ", ".join(missing) + ".")
    problems = date_problems(draft=draft)
    if problems:
        raise ContractDraftError(" ".join(problems))
    now = timezone.now()
    if side == EMPLOYER:
        draft.employer_validated_at, draft.employer_validated_by = now, by
    else:
        draft.apprentice_validated_at = now
    draft.save()
    return draft


def _contract_number(draft: ContractDraft) -> str:
    return f"GA-{draft.starts_on:%Y}-{draft.pk:08d}"


@transaction.atomic
def contract_draft_sign(*, draft: ContractDraft, by: AnyUser, today: date | None = None) -> ContractDraft:
    """Both sides validated: the employer declares the contract signed. The application becomes "contrat signé"
    (the young person's other applications are closed by candidates.services) and the register gets a row
    with no name: birth year, age band, sex, level, job, employer, places and dates."""
    today = today or timezone.localdate()
    draft = _locked(draft)
    _require_side(application=draft.application, by=by, side=EMPLOYER)
    if not draft.both_validated:
        raise ContractDraftError("Les deux parties doivent d'abord valider le projet de contrat.")
    if draft.concluded_on and draft.concluded_on > today:
        raise ContractDraftError(
            f"La date de conclusion ({draft.concluded_on:%d/%m/%Y}) n'est pas encore arrivée : déclarez la "
            "signature le jour venu, ou corrigez la date.",
            field="concluded_on",
        )
    application = draft.application
    try:
        application_sign_contract(application=application, by=by, today=today)
    except ApplicationError as error:
        raise ContractDraftError(str(error)) from error
    offer = application.offer
    establishment = offer.establishment
    training = draft.training
    birth = draft.apprentice_birth_date
    start = draft.starts_on
    age = age_on(birth, start)
    contract = Contract.objects.create(
        contract_number=_contract_number(draft),
        birth_year=birth.year,
        birth_date=birth,
        age_band=age_band_for(age),
        sex=draft.apprentice_sex,
        level_id=draft.diploma_level or offer.target_level_id,
        rome_job=offer.rome_job,
        certification=training.certification if training else None,
        establishment=establishment,
        naf=establishment.naf,
        headcount_band=establishment.headcount_band,
        workplace_commune=offer.commune,
        training_centre=training.centre if training else None,
        training_commune=training.commune if training else offer.commune,
        training_centre_uai=draft.cfa_uai if is_valid_uai(draft.cfa_uai) else "",
        diploma_cfd=draft.diploma_cfd if is_valid_cfd(draft.diploma_cfd) else "",
        # Offers on the guichet have a duration: the contract is fixed-term (a CDI would be declared by import).
        contract_kind=ContractKind.FIXED_TERM,
        rqth=draft.apprentice_rqth,
        concluded_on=draft.concluded_on or today,
        starts_on=start,
        planned_end_on=draft.ends_on,
        is_synthetic=application.is_synthetic,
    )
    if training is not None:
        # A training full on the guichet does not stop the signature: the CFA confirms the enrolment itself.
        with contextlib.suppress(TrainingError):
            training_place_take(training=training)
    draft.signed_at, draft.contract = timezone.now(), contract
    draft.save(update_fields=["signed_at", "contract", "updated_at"])
    return draft
