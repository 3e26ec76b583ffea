"""Objects for the authorisation matrix (tests/security): a proposal sent to another centre."""

from __future__ import annotations

from guichet.core.access import OwnerSample
from guichet.jobs.models import RomeJob
from guichet.observatory.models import Proposal, ProposalAction
from guichet.trainings.tests.factories import CentreMembershipFactory


def proposal_of_another_centre() -> OwnerSample:
    owner = CentreMembershipFactory()
    other = CentreMembershipFactory()
    proposal = Proposal.objects.create(
        centre=owner.centre,
        grid="zone",
        area="3202",
        rome_job=RomeJob.objects.order_by("code").first(),
        action=ProposalAction.OPEN,
        places=12,
    )
    return OwnerSample(owner=owner.user, other=other.user, kwargs={"pk": proposal.pk})
