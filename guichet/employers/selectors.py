"""Reads on establishments. Keyword-only, stable signatures:

- establishment_list_for_user(*, user) -> QuerySet[Establishment]   "my establishments" (Establishment.visible_to)
- establishment_get_for_user(*, user, pk) -> Establishment | None
- user_acts_for_establishment(*, user, establishment) -> bool        membership (or admin)
- establishment_recruiters(*, establishment) -> QuerySet[User]
"""

from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import User
from guichet.accounts.permissions import AnyUser, is_admin
from guichet.employers.models import Establishment


def establishment_list_for_user(*, user: AnyUser) -> QuerySet[Establishment]:
    return Establishment.objects.visible_to(user).select_related("company", "commune", "naf").order_by("name", "siret")


def establishment_get_for_user(*, user: AnyUser, pk: int) -> Establishment | None:
    return establishment_list_for_user(user=user).filter(pk=pk).first()


def user_acts_for_establishment(*, user: AnyUser, establishment: Establishment) -> bool:
    if is_admin(user):
        return True
    return bool(user.is_authenticated and establishment.memberships.filter(user=user).exists())


def establishment_recruiters(*, establishment: Establishment) -> QuerySet[User]:
    return User.objects.filter(establishment_memberships__establishment=establishment).order_by("email")
