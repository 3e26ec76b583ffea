import io
from datetime import date

import pytest
from django.core.management import call_command

from guichet.accounts.models import AdvisorAssignment, Role, User
from guichet.candidates.models import CandidateProfile
from guichet.contracts.demo import calibration
from guichet.contracts.demo.accounts import create_demo_accounts
from guichet.contracts.demo.generator import delete_synthetic_population, generate_demo_population
from guichet.contracts.models import Contract
from guichet.employers.models import Company, Establishment, EstablishmentMembership
from guichet.employers.tests.factories import EstablishmentFactory
from guichet.employers.validators import luhn_is_valid
from guichet.offers.models import Offer
from guichet.trainings.models import CentreMembership, Training, TrainingCentre, TrainingSession

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
TINY = 0.002  # 1/500 of the region scale: about 56 establishments and 35 contracts
MODELS = (Company, Establishment, Training, TrainingSession, Offer, CandidateProfile, Contract)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _fingerprint() -> tuple:
    return (
        list(Establishment.objects.order_by("siret").values_list("siret", "commune__insee", "naf__code")),
        list(Contract.objects.order_by("contract_number").values_list("contract_number", "starts_on", "level_id")),
        list(Training.objects.order_by("centre__siret", "title").values_list("centre__siret", "title")),
        list(CandidateProfile.objects.order_by("birth_date", "commune_id").values_list("birth_date", "commune_id")),
    )


def _generate(seed: int = 7, fraction: float = TINY):
    return generate_demo_population(seed=seed, fraction=fraction, today=TODAY)


def test_the_same_seed_gives_the_same_rows_and_a_rerun_replaces_them():
    _generate()
    counts, fingerprint = _counts(), _fingerprint()
    assert counts["Establishment"] > 0 and counts["Contract"] > 0

    summary = _generate()

    assert _counts() == counts  # replaced, not duplicated
    assert _fingerprint() == fingerprint
    assert summary.deleted["établissements"] == counts["Establishment"]


def test_another_seed_gives_other_sirets():
    _generate(seed=7)
    first = set(Establishment.objects.values_list("siret", flat=True))
    _generate(seed=8)
    assert first.isdisjoint(Establishment.objects.values_list("siret", flat=True))


def test_every_generated_siret_is_valid_and_every_establishment_is_in_hauts_de_france():
    _generate()
    establishments = Establishment.objects.filter(is_synthetic=True).select_related("commune__department__region")
    assert establishments.exists()
    for establishment in establishments:
        assert len(establishment.siret) == 14 and luhn_is_valid(establishment.siret)
        assert establishment.siret.startswith(establishment.company.siren) and luhn_is_valid(establishment.siren)
        assert establishment.commune.department.region.code == "32"
        assert establishment.naf.level == "sous-classe"


def test_generated_rows_are_flagged_synthetic_and_real_data_is_untouched():
    real_centres = list(TrainingCentre.objects.order_by("siret").values_list("siret", "name", "is_synthetic"))
    real_establishment = EstablishmentFactory()
    _generate()
    _generate(seed=9)

    assert list(TrainingCentre.objects.order_by("siret").values_list("siret", "name", "is_synthetic")) == real_centres
    assert list(Establishment.objects.filter(is_synthetic=False)) == [real_establishment]
    assert list(Company.objects.filter(is_synthetic=False)) == [real_establishment.company]
    for model in (Training, Offer, CandidateProfile, Contract):
        assert model.objects.exists()
        assert not model.objects.filter(is_synthetic=False).exists()
    assert not Training.objects.filter(centre__is_synthetic=True).exists()  # trainings hang on the real centres
    assert all("données fictives" in title for title in Offer.objects.values_list("title", flat=True))

    delete_synthetic_population()
    assert [model.objects.count() for model in (Training, Offer, CandidateProfile, Contract)] == [0] * 4
    assert list(Establishment.objects.all()) == [real_establishment]
    assert TrainingCentre.objects.count() == len(real_centres)


def test_contracts_and_young_people_follow_the_rules():
    _generate()
    contracts = list(Contract.objects.select_related("training_centre", "establishment"))
    assert contracts
    for contract in contracts:
        assert contract.training_centre is not None and not contract.training_centre.is_synthetic
        assert 16 <= contract.starts_on.year - contract.birth_year <= 29
        assert contract.planned_end_on > contract.starts_on
        assert contract.break_on is None or contract.starts_on <= contract.break_on <= TODAY
        assert bool(contract.break_reason) == (contract.break_on is not None)
        assert contract.workplace_commune_id == contract.establishment.commune_id
    assert {contract.starts_on.year for contract in contracts} == set(calibration.NATIONAL_NEW_CONTRACTS)
    for profile in CandidateProfile.objects.all():
        assert 16 <= (TODAY - profile.birth_date).days // 365.25 <= 29
        assert profile.user is None


def test_contracts_are_calibrated_on_the_published_distributions():
    summary = _generate(fraction=0.03)
    contracts = Contract.objects.all()
    total = contracts.count()
    assert total == sum(summary.counts[name] for name in summary.counts if name.startswith("contrats"))
    weights = calibration.LEVEL_WEIGHTS
    for level, weight in weights.items():
        share = contracts.filter(level_id=level).count() / total
        assert abs(share - weight / sum(weights.values())) < 0.07, level
    women = contracts.filter(sex="F").count() / total
    assert abs(women - calibration.FEMALE_SHARE) < 0.07
    small = contracts.filter(headcount_band__in=["0", "1-5", "6-9", "10-19", "20-49"]).count() / total
    assert 0.58 < small < 0.74  # DARES 2022: about two thirds under 50 employees


def test_the_command_prints_the_summary_and_the_demo_accounts():
    out = io.StringIO()
    call_command("generate_demo_population", seed=3, fraction=TINY, with_accounts=True, today=TODAY, stdout=out)
    text = out.getvalue()
    assert "graine 3, échelle region, 1/10 des grandeurs réelles des Hauts-de-France" in text
    assert f"établissements {Establishment.objects.count():>9}".replace(" ", "") in text.replace(" ", "")
    assert "jeune@demo.guichet.test" in text and "apprentissage-demo-2026" in text


def test_demo_accounts_cover_every_role_and_can_be_recreated():
    _generate()
    accounts = create_demo_accounts(password="mot-de-passe-de-demo", today=TODAY)
    accounts = create_demo_accounts(password="mot-de-passe-de-demo", today=TODAY)

    users = {user.role: user for user in User.objects.filter(email__endswith="@demo.guichet.test")}
    assert len(accounts) == 6 and set(users) == set(Role.values)
    assert users[Role.ADMIN].is_superuser and users[Role.ADMIN].check_password("mot-de-passe-de-demo")
    assert CandidateProfile.objects.get(user=users[Role.YOUNG]).is_synthetic
    assert EstablishmentMembership.objects.get(user=users[Role.EMPLOYER]).establishment.is_synthetic
    assert not CentreMembership.objects.get(user=users[Role.TRAINING_CENTRE]).centre.is_synthetic
    assert AdvisorAssignment.objects.get(advisor=users[Role.ADVISOR]).basin.code == "3202"
