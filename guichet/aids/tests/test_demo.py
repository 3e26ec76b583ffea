"""The aids demo step: a fictitious regional programme, budgets and applications at every stage, deletable."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.aids.demo import delete_demo_aids
from guichet.aids.models import AidApplication, AidBudget, AidProgramme
from guichet.contracts.demo.generator import delete_synthetic_population, generate_demo_population

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_demo_step_creates_labelled_applications_within_budget_and_deletes_them():
    generate_demo_population(seed=7, fraction=0.002, today=TODAY)
    programme = AidProgramme.objects.get(code="hdf_demo_embauche")
    assert programme.is_synthetic and "fictif" in programme.name
    applications = AidApplication.objects.filter(programme=programme)
    assert applications.exists() and not applications.filter(is_synthetic=False).exists()
    for budget in AidBudget.objects.filter(programme=programme):
        granted = sum(a.granted_amount for a in applications.filter(status="granted", budget=budget))
        assert budget.committed_amount == (granted or Decimal(0)) <= budget.amount
    count = applications.count()
    assert delete_demo_aids()["demandes d'aide"] == count
    delete_synthetic_population()  # the contracts the applications pointed to can now go
    assert not AidProgramme.objects.filter(code="hdf_demo_embauche").exists()
    assert not AidApplication.objects.exists()
