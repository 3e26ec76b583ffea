"""Objects for the authorisation matrix (tests/security): an application and a contract draft of another young
person, which another young person must not reach."""

from __future__ import annotations

from guichet.candidates.enums import ApplicationStatus
from guichet.candidates.tests.factories import ApplicationFactory, CandidateProfileFactory
from guichet.contracts.services import contract_draft_create
from guichet.core.access import OwnerSample


def application_of_another_young_person() -> OwnerSample:
    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    other = CandidateProfileFactory()
    return OwnerSample(owner=application.candidate.user, other=other.user, kwargs={"application_pk": application.pk})


def draft_of_another_young_person() -> OwnerSample:
    application = ApplicationFactory(status=ApplicationStatus.ACCEPTED)
    owner = application.candidate.user
    draft = contract_draft_create(application=application, by=owner)
    other = CandidateProfileFactory()
    return OwnerSample(owner=owner, other=other.user, kwargs={"pk": draft.pk})
