"""Object-level permission building blocks, used by the selectors of every app.

Rules (each app's `visible_to(user)` querysets apply them):
- anonymous users see no personal data;
- a young person sees only their own records;
- an employer sees only the data of the establishments it acts for (employers.EstablishmentMembership);
- training-centre staff see only the data of their centres (trainings.CentreMembership);
- an advisor sees only the records located in the zones d'emploi assigned to them;
- analysts see aggregates, not personal files; administrators see everything.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from guichet.accounts.models import Role, User
from guichet.territory.models import BasinGrid, BasinMembership

AnyUser = User | AnonymousUser


def is_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def advisor_commune_ids(user: AnyUser) -> QuerySet[BasinMembership]:
    """Ids of the communes in the zones d'emploi assigned to an advisor (empty for anyone else)."""
    if not has_role(user, Role.ADVISOR):
        return BasinMembership.objects.none().values_list("commune_id", flat=True)
    return BasinMembership.objects.filter(
        grid=BasinGrid.ZONE_EMPLOI, basin__advisor_assignments__advisor=user
    ).values_list("commune_id", flat=True)


def in_advisor_zones(user: AnyUser, *, commune_field: str) -> Q:
    """A filter keeping the rows whose `commune_field` lies in the advisor's zones."""
    return Q(**{f"{commune_field}__in": advisor_commune_ids(user)})
