from collections import Counter

import pytest

from guichet.jobs.future import FUTURE_JOBS, future_family_by_code
from guichet.jobs.models import FutureFamily, RomeJob


def test_each_family_lists_codes_with_a_reason():
    assert set(FUTURE_JOBS) == set(FutureFamily)
    for codes in FUTURE_JOBS.values():
        assert codes
        for code, reason in codes.items():
            assert len(reason) > 20, code


def test_no_code_is_in_two_families():
    by_code = future_family_by_code()
    assert len(by_code) == sum(len(codes) for codes in FUTURE_JOBS.values())


@pytest.mark.django_db
def test_every_listed_code_exists_and_is_flagged_with_its_family():
    by_code = future_family_by_code()
    jobs = dict(RomeJob.objects.filter(code__in=by_code).values_list("code", "future_family"))
    assert set(jobs) == set(by_code)
    assert jobs == {code: family.value for code, family in by_code.items()}


@pytest.mark.django_db
def test_flagged_count_per_family_matches_the_module():
    flagged = Counter(RomeJob.objects.exclude(future_family="").values_list("future_family", flat=True))
    assert flagged == Counter({family.value: len(codes) for family, codes in FUTURE_JOBS.items()})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "family", "label_start"),
    [
        ("J1501", FutureFamily.HEALTH, "Aide-soignant"),
        ("J1307", FutureFamily.HEALTH, "Préparateur"),
        ("J1305", FutureFamily.HEALTH, "Ambulancier"),
        ("J1506", FutureFamily.HEALTH, "Infirmier / Infirmière en soins généraux"),
        ("J1304", FutureFamily.EARLY_CHILDHOOD, "Auxiliaire de puériculture"),
        ("K1304", FutureFamily.ELDERLY_CARE, "Aide à domicile"),
    ],
)
def test_key_jobs_have_the_expected_label_and_family(code, family, label_start):
    job = RomeJob.objects.get(code=code)
    assert job.title.startswith(label_start)
    assert job.future_family == family
    assert job.is_future


@pytest.mark.django_db
def test_a_bakery_job_is_not_a_job_of_the_future():
    assert not RomeJob.objects.get(code="D1102").is_future
