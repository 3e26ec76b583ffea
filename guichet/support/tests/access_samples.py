"""Objects for the authorisation matrix (tests/security): a request an advisor of another zone must not reach."""

from __future__ import annotations

from guichet.accounts.models import AdvisorAssignment
from guichet.core.access import OwnerSample
from guichet.support.services import request_create
from guichet.support.tests.factories import AdvisorFactory, team_with_advisors, zone
from guichet.territory.models import Commune


def request_of_another_zone() -> OwnerSample:
    _, (owner, _) = team_with_advisors(zone_code="3220", lead=False)
    created = request_create(
        topic="remuneration",
        profile="parent",
        commune=Commune.objects.get(insee="02691"),
        name="Demandeur de test",
        email="demandeur.matrice@exemple.fr",
        message="Question pour la matrice des accès.",
    )
    other = AdvisorFactory()
    AdvisorAssignment.objects.create(advisor=other, basin=zone("3202"))
    return OwnerSample(owner=owner, other=other, kwargs={"reference": created.request.reference})
