"""Role x object x action, at the level every page and endpoint reads through: the `visible_to(user)` and
`editable_by(user)` querysets. Two employers, two young people and their applications in two zones
d'emploi (Amiens, Lille); each identity must see exactly what the rules in accounts/permissions.py say."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.candidates.models import Application, CandidateProfile
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.employers.models import Establishment
from guichet.employers.tests.factories import EstablishmentFactory, EstablishmentMembershipFactory, commune
from guichet.offers.models import Offer
from guichet.offers.tests.factories import OfferFactory
from guichet.territory.models import Basin, BasinGrid

pytestmark = pytest.mark.django_db

AMIENS, LILLE = "80021", "59350"


@pytest.fixture
def world():
    """Everything twice, once per zone: "a" in Amiens, "b" in Lille."""
    objects, people = {}, {"anonyme": AnonymousUser()}
    for side, insee in (("a", AMIENS), ("b", LILLE)):
        establishment = EstablishmentFactory(commune=commune(insee))
        people[f"employeur_{side}"] = EstablishmentMembershipFactory(establishment=establishment).user
        published = OfferFactory(establishment=establishment, published=True)
        draft = OfferFactory(establishment=establishment)
        young = UserFactory(role=Role.YOUNG)
        people[f"jeune_{side}"] = young
        # Young "a" lets employers see the profile (consent recorded); young "b" does not.
        profile = CandidateProfileFactory(user=young, commune=commune(insee), visible=(side == "a"))
        application = ApplicationFactory(candidate=profile, offer=published)
        objects.update(
            {
                f"etablissement_{side}": establishment,
                f"offre_{side}": published,
                f"brouillon_{side}": draft,
                f"profil_{side}": profile,
                f"candidature_{side}": application,
            }
        )
    advisor = UserFactory(role=Role.ADVISOR)
    amiens_zone = Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, memberships__commune__insee=AMIENS)
    AdvisorAssignment.objects.create(advisor=advisor, basin=amiens_zone)
    people.update(
        {
            "conseiller_amiens": advisor,
            "analyste": UserFactory(role=Role.ANALYST),
            "cfa": UserFactory(role=Role.TRAINING_CENTRE),
            "admin": UserFactory(role=Role.ADMIN),
        }
    )
    return people, objects


ALL = {"a", "b"}
# (model, action) -> identity -> sides whose object it reaches. Objects of one kind are "x_a" and "x_b".
EXPECTED = {
    ("etablissement", "voir"): {"employeur_a": {"a"}, "employeur_b": {"b"}, "conseiller_amiens": {"a"}, "admin": ALL},
    ("offre", "voir"): {
        identity: ALL
        for identity in (
            "anonyme",
            "jeune_a",
            "jeune_b",
            "employeur_a",
            "employeur_b",
            "conseiller_amiens",
            "analyste",
            "cfa",
            "admin",
        )
    },
    ("brouillon", "voir"): {"employeur_a": {"a"}, "employeur_b": {"b"}, "conseiller_amiens": {"a"}, "admin": ALL},
    ("brouillon", "modifier"): {"employeur_a": {"a"}, "employeur_b": {"b"}, "admin": ALL},
    ("offre", "modifier"): {"employeur_a": {"a"}, "employeur_b": {"b"}, "admin": ALL},
    ("profil", "voir"): {
        "jeune_a": {"a"},
        "jeune_b": {"b"},
        # Employers see only profiles made visible with consent (young "a"), whoever's offer they answered.
        "employeur_a": {"a"},
        "employeur_b": {"a"},
        "conseiller_amiens": {"a"},
        "admin": ALL,
    },
    ("candidature", "voir"): {
        "jeune_a": {"a"},
        "jeune_b": {"b"},
        "employeur_a": {"a"},
        "employeur_b": {"b"},
        "conseiller_amiens": {"a"},
        "admin": ALL,
    },
}
QUERYSETS = {
    ("etablissement", "voir"): lambda user: Establishment.objects.visible_to(user),
    ("offre", "voir"): lambda user: Offer.objects.visible_to(user),
    ("brouillon", "voir"): lambda user: Offer.objects.visible_to(user),
    ("brouillon", "modifier"): lambda user: Offer.objects.editable_by(user),
    ("offre", "modifier"): lambda user: Offer.objects.editable_by(user),
    ("profil", "voir"): lambda user: CandidateProfile.objects.visible_to(user),
    ("candidature", "voir"): lambda user: Application.objects.visible_to(user),
}


def test_each_identity_reaches_exactly_the_objects_its_role_allows(world, capsys):
    people, objects = world
    wrong, cells = [], 0
    for (kind, action), expected_by_identity in EXPECTED.items():
        for identity, user in people.items():
            reachable = set(QUERYSETS[(kind, action)](user).values_list("pk", flat=True))
            got = {side for side in ("a", "b") if objects[f"{kind}_{side}"].pk in reachable}
            expected = expected_by_identity.get(identity, set())
            cells += 2
            if got != expected:
                wrong.append(f"{identity} / {kind} / {action}: reaches {sorted(got)}, expected {sorted(expected)}")
    with capsys.disabled():
        print(
            f"\nObject matrix: {len(people)} identities x {len(EXPECTED)} (object, action) x 2 zones = {cells} cells"
        )
    assert wrong == [], "\n".join(wrong)
