"""The observatory's reference dataset: BMO needs, FAP <-> ROME, glossary, published figures, plans."""

import gzip
import shutil
from pathlib import Path

import pytest
from django.db.models import Sum

from guichet.core.importing import reference_file
from guichet.observatory.importers import import_bmo, load_observatory_reference
from guichet.observatory.models import BmoNeed, FapFamily, FapRome, Indicator, Plan, Target

pytestmark = pytest.mark.django_db


def test_the_bmo_survey_is_loaded_with_secret_values_kept_apart_from_zero():
    assert BmoNeed.objects.count() == 3617
    assert BmoNeed.objects.values("basin").distinct().count() == 28
    assert BmoNeed.objects.filter(projects_secret=True).count() == 791
    assert not BmoNeed.objects.filter(projects_secret=True, projects__isnull=False).exists()
    assert BmoNeed.objects.aggregate(total=Sum("projects"))["total"] == 155_530


def test_every_bmo_job_code_is_a_fap228_family_with_rome_jobs():
    assert FapFamily.objects.count() == 228
    assert FapRome.objects.count() == 961
    surveyed = FapFamily.objects.filter(needs__isnull=False).distinct()
    assert not surveyed.filter(romes__isnull=True).exists()
    # ROME 4.0 is loaded: every DARES ROME code is a known job.
    assert not FapRome.objects.filter(rome_job__isnull=True).exists()


def test_the_2016_plan_has_its_three_targets():
    plan = Plan.objects.get(code="plan-apprentissage-2016")
    assert plan.is_current
    targets = {target.indicator.code: target for target in plan.targets.all()}
    assert targets["apprentis_stock"].baseline_value == 33000
    assert targets["apprentis_stock"].target_value == 50000
    assert targets["part_nationale"].target_value == 10
    assert set(targets) <= set(Indicator.objects.values_list("code", flat=True))


def test_a_second_load_changes_nothing_and_keeps_an_administrators_edit():
    target = Target.objects.get(indicator__code="apprentis_stock")
    target.target_value = 55000
    target.save()
    reports = load_observatory_reference()
    assert not any(report.changed for report in reports), [report.as_text() for report in reports]
    target.refresh_from_db()
    assert target.target_value == 55000


def _copy_bmo(tmp_path: Path) -> Path:
    path = tmp_path / "bmo.csv"
    source_path = reference_file("observatory/bmo_2025_hauts_de_france.csv.gz")
    with gzip.open(source_path, "rb") as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    return path


def test_a_broken_bmo_file_is_refused_whole_with_each_line_named(tmp_path):
    path = _copy_bmo(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",3201,", ",9999,")  # unknown basin
    lines[2] = lines[2].replace("A0X40", "ZZZ99")  # unknown job code
    parts = lines[3].split(",")
    parts[-3] = "douze"  # neither a number nor the secrecy mark
    lines[3] = ",".join(parts)
    lines[4] = lines[4].rsplit(",", 3)[0] + ",0,0,0"  # a zero is a real value: accepted
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = list(BmoNeed.objects.order_by("pk").values_list("pk", "projects"))
    report = import_bmo(path=path)
    assert [rejection.line for rejection in report.rejected] == [2, 3, 4]
    assert "9999" in report.rejected[0].reason
    assert "ZZZ99" in report.rejected[1].reason
    assert "douze" in report.rejected[2].reason
    assert list(BmoNeed.objects.order_by("pk").values_list("pk", "projects")) == before
