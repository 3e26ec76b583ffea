"""Writes on establishments and their recruiters. Keyword-only, stable signatures:

- establishment_add_recruiter(*, establishment, user, by) -> EstablishmentMembership
- establishment_remove_recruiter(*, establishment, user, by) -> None     (the last recruiter cannot leave)
- establishment_update(*, establishment, by, name=None, headcount_band=None, naf=None, commune=None) -> Establishment

`by` must act for the establishment (or be an administrator); refusals raise EmployerError with a French
message. Employer sign-up by SIRET (errors: invalid, unknown format, already registered) is in
employers.signup (employer_signup).
"""

from __future__ import annotations

from django.db import transaction

from guichet.accounts.models import Role, User
from guichet.accounts.permissions import AnyUser, is_admin
from guichet.employers.enums import HeadcountBand, NafLevel
from guichet.employers.models import Establishment, EstablishmentMembership, NafActivity
from guichet.territory.models import Commune


class EmployerError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_acts_for(*, establishment: Establishment, by: AnyUser) -> None:
    if is_admin(by):
        return
    if not (by.is_authenticated and establishment.memberships.filter(user=by).exists()):
        raise EmployerError("Vous n'agissez pas pour cet établissement.")


@transaction.atomic
def establishment_add_recruiter(*, establishment: Establishment, user: User, by: AnyUser) -> EstablishmentMembership:
    _check_acts_for(establishment=establishment, by=by)
    if user.role != Role.EMPLOYER:
        raise EmployerError("Seul un compte employeur peut être rattaché à un établissement.", field="email")
    membership, created = EstablishmentMembership.objects.get_or_create(user=user, establishment=establishment)
    if not created:
        raise EmployerError(f"{user.email} agit déjà pour cet établissement.", field="email")
    return membership


@transaction.atomic
def establishment_remove_recruiter(*, establishment: Establishment, user: User, by: AnyUser) -> None:
    _check_acts_for(establishment=establishment, by=by)
    memberships = EstablishmentMembership.objects.select_for_update().filter(establishment=establishment)
    if not memberships.filter(user=user).exists():
        raise EmployerError(f"{user.email} n'agit pas pour cet établissement.", field="email")
    if memberships.count() == 1:
        raise EmployerError(
            "Vous êtes la dernière personne à agir pour cet établissement : ajoutez d'abord quelqu'un d'autre."
        )
    memberships.filter(user=user).delete()


@transaction.atomic
def establishment_update(
    *,
    establishment: Establishment,
    by: AnyUser,
    name: str | None = None,
    headcount_band: str | None = None,
    naf: NafActivity | None = None,
    commune: Commune | None = None,
) -> Establishment:
    _check_acts_for(establishment=establishment, by=by)
    if name is not None:
        if not name.strip():
            raise EmployerError("Saisissez le nom de l'établissement.", field="name")
        establishment.name = name.strip()
    if headcount_band is not None:
        if headcount_band not in HeadcountBand.values:
            raise EmployerError("Choisissez une tranche d'effectif dans la liste.", field="headcount_band")
        establishment.headcount_band = headcount_band
    if naf is not None:
        if naf.level != NafLevel.SUBCLASS:
            raise EmployerError("Choisissez un code NAF à 4 chiffres et une lettre (sous-classe).", field="naf")
        establishment.naf = naf
    if commune is not None:
        establishment.commune = commune
    establishment.save()
    return establishment
