from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guichet.accounts.models import AdvisorAssignment, Role
from guichet.accounts.tests.factories import UserFactory
from guichet.employers.tests.factories import commune
from guichet.territory.models import Basin, BasinGrid
from guichet.trainings.kinds import CentreKind, centre_kind, is_lycee_name
from guichet.trainings.models import TrainingCentre
from guichet.trainings.tests.factories import (
    CentreMembershipFactory,
    TrainingCentreFactory,
    TrainingFactory,
    TrainingSessionFactory,
)
from guichet.trainings.validators import validate_uai

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("uai", ["0596789X", "0020025S", "0801298B"])
def test_valid_uai_pass(uai):
    validate_uai(uai)


@pytest.mark.parametrize("uai", ["596789X", "0596789x", "05967890", "0596789XY", "A596789X", ""])
def test_invalid_uai_are_refused_with_a_french_message(uai):
    with pytest.raises(ValidationError, match="7 chiffres suivis d'une lettre majuscule"):
        validate_uai(uai)


def test_remaining_places_cannot_go_negative():
    training = TrainingFactory(total_places=10, remaining_places=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(training).objects.filter(pk=training.pk).update(remaining_places=-1)


def test_remaining_places_cannot_exceed_the_places():
    training = TrainingFactory(total_places=10, remaining_places=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(training).objects.filter(pk=training.pk).update(remaining_places=11)
    training.remaining_places = 11
    with pytest.raises(ValidationError, match="places restantes"):
        training.full_clean()


def test_a_session_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingSessionFactory(starts_on=date(2027, 9, 1), ends_on=date(2027, 9, 1))


def test_centre_staff_see_only_their_centres():
    membership = CentreMembershipFactory()
    TrainingCentreFactory()
    assert list(TrainingCentre.objects.visible_to(membership.user)) == [membership.centre]


def test_advisor_sees_the_centres_of_its_zones_and_anonymous_nothing():
    in_amiens = TrainingCentreFactory(commune=commune("80021"))
    advisor = UserFactory(role=Role.ADVISOR)
    AdvisorAssignment.objects.create(advisor=advisor, basin=Basin.objects.get(grid=BasinGrid.ZONE_EMPLOI, code="3202"))
    visible = TrainingCentre.objects.visible_to(advisor)
    assert in_amiens in visible
    assert not visible.exclude(commune__basin_memberships__basin__code="3202").exists()
    assert not TrainingCentre.objects.visible_to(AnonymousUser()).exists()
    assert not TrainingCentre.objects.visible_to(UserFactory(role=Role.EMPLOYER)).exists()


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (("LYCEE PROFESSIONNEL LE CORBUSIER", ""), CentreKind.LYCEE),
        (("OGEC DU LYCEE SAINT VINCENT", ""), CentreKind.LYCEE),
        (("UNIVERSITE D ARTOIS", "INSTITUT UNIVERSITAIRE DE TECHNOLOGIE"), CentreKind.UNIVERSITY),
        (("CHAMBRE DE METIERS ET DE L'ARTISANAT DE REGION HAUTS-DE-FRANCE", "CMA BETHUNE"), CentreKind.CRAFTS),
        (("MAISON FAMILIALE RURALE TERNOIS", ""), CentreKind.AGRICULTURE),
        (("AFTRAL", "AFTRAL"), CentreKind.TRANSPORT),
        (("BTP CFA PICARDIE", ""), CentreKind.BUILDING),
        (("CFAI REGION NORD PAS-DE-CALAIS", ""), CentreKind.INDUSTRY),
        (("SARL PRO FORMATION", ""), CentreKind.OTHER),
    ],
)
def test_centre_kind_is_derived_from_documented_keywords(names, kind):
    assert centre_kind(*names) == kind


def test_an_agricultural_lycee_is_flagged_as_a_lycee():
    assert centre_kind("LYCEE GEN TECHNOL AGRICOLE LE PARACLET") == CentreKind.AGRICULTURE
    assert is_lycee_name("LYCEE GEN TECHNOL AGRICOLE LE PARACLET")
    assert not is_lycee_name("CFAI REGION NORD PAS-DE-CALAIS")
