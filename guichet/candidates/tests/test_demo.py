"""The candidates' demo step: synthetic young people enrolled in every centre's synthetic trainings, so that
the demo centre account's page of young people without an employer lists some, labelled as fictitious."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from guichet.accounts.models import Role, User
from guichet.candidates.enums import ENROLMENT_WITHOUT_EMPLOYER
from guichet.candidates.models import Enrolment
from guichet.contracts.demo.accounts import create_demo_accounts
from guichet.contracts.demo.extensions import demo_steps
from guichet.contracts.demo.generator import generate_demo_population
from guichet.territory.models import BasinGrid, BasinMembership

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
TINY = 0.002


def test_the_demo_enrols_young_people_of_the_same_zone_in_every_centre_and_the_demo_centre_sees_them(client):
    assert "candidates.enrolments" in {step.name for step in demo_steps()}
    summary = generate_demo_population(seed=7, fraction=TINY, today=TODAY)
    count = summary.counts["inscriptions en formation"]
    enrolments = Enrolment.objects.select_related("candidate", "training", "session")
    assert count == enrolments.count() > 0
    centres = set(enrolments.values_list("training__centre_id", flat=True))
    assert len(centres) >= 3
    for enrolment in enrolments:
        assert enrolment.is_synthetic and enrolment.candidate.user_id is None and enrolment.is_confirmed
        assert enrolment.session is None or enrolment.session.training_id == enrolment.training_id
        zones = BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI)
        candidate_commune = enrolment.candidate.commune.parent_id or enrolment.candidate.commune_id
        assert (
            zones.get(commune_id=candidate_commune).basin_id
            == zones.get(commune_id=enrolment.training.commune_id).basin_id
        )
    assert enrolments.filter(status__in=sorted(ENROLMENT_WITHOUT_EMPLOYER)).exists()

    # Same seed, same rows; a rerun replaces them.
    first = sorted(enrolments.values_list("training__centre_id", "training__title", "status", "status_on"))
    generate_demo_population(seed=7, fraction=TINY, today=TODAY)
    assert (
        sorted(Enrolment.objects.values_list("training__centre_id", "training__title", "status", "status_on")) == first
    )

    create_demo_accounts(password="mot-de-passe-de-demo", today=TODAY)
    staff = User.objects.get(email="cfa@demo.guichet.test", role=Role.TRAINING_CENTRE)
    client.force_login(staff)
    html = client.get(reverse("trainings:young_without_employer")).content.decode()
    assert "(fictif)" in html and "données fictives" in html
