"""Objects for the authorisation matrix (tests/security): a training of another centre."""

from __future__ import annotations

from guichet.core.access import OwnerSample
from guichet.trainings.tests.factories import CentreMembershipFactory, TrainingFactory


def training_of_another_centre() -> OwnerSample:
    owner = CentreMembershipFactory()
    other = CentreMembershipFactory()
    training = TrainingFactory(centre=owner.centre)
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": training.pk})
