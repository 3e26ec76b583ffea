"""Cross-check the dated values OpenFisca-France maintains against our reference parameters.

OpenFisca-France (test-only dependency) is the official "rules as code" model of the French tax-benefit
system; its YAML parameter files carry each value with its date and legal reference. We compare:
- the SMIC, hourly and monthly, on every date since 2019 (DOMAIN.md 5);
- the income-tax exemption ceiling of apprentice pay (CGI 81 bis: 1 × annual SMIC, DOMAIN.md 8);
- Mobili-Jeune (age limit and maximum amount, DOMAIN.md 7);
- the State driving-licence aid (500 €, ended for 2026).

What we do NOT cross-check: OpenFisca's apprentice pay itself (`remuneration_apprenti`). It hard-codes the
grid of contracts concluded BEFORE 2019 (25/37/53 %, 41/49/65 %, 53/61/78 %) and an age test 16 <= age < 25
(DOMAIN.md 4.1), so it is no oracle for the D6222-26 grid in force since 2019; the last test here shows it
disagrees with the worked example, on purpose.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from guichet.rules.parameters import reference_ruleset

openfisca_france = pytest.importorskip("openfisca_france")
PARAMETERS = Path(openfisca_france.__file__).parent / "parameters"
RULES = reference_ruleset()


def of_values(relative: str) -> dict[date, Decimal | None]:
    content = yaml.safe_load((PARAMETERS / relative).read_text(encoding="utf-8"))
    values = {}
    for key, item in content["values"].items():
        day = key if isinstance(key, date) else date.fromisoformat(str(key))
        value = item.get("value") if isinstance(item, dict) else item
        values[day] = None if value is None else Decimal(str(value))
    return values


def test_smic_rows_match_openfisca_on_every_date_since_2019():
    hourly = of_values("marche_travail/salaire_minimum/smic/smic_b_horaire.yaml")
    monthly = of_values("marche_travail/salaire_minimum/smic/smic_b_mensuel.yaml")
    ours = {row.effective_on: row for row in RULES.smic if row.territory == "metropole"}
    theirs = {day for day in hourly if day >= date(2019, 1, 1)}
    assert set(ours) == theirs, "a SMIC date is missing on one side"
    for day, row in ours.items():
        assert row.hourly == hourly[day], day
        assert row.monthly == monthly[day], day


def test_monthly_smic_is_hourly_times_151_67_hours():
    for row in RULES.smic:
        assert abs(row.hourly * 35 * 52 / 12 - row.monthly) < Decimal("0.01"), row.effective_on


def test_income_tax_ceiling_is_the_sum_of_the_monthly_smics_of_the_year():
    ratio = of_values(
        "impot_revenu/calcul_revenus_imposables/exo_ir/conditions_ressources_exoneration_ir/apprentis_a_partir_2005.yaml"
    )
    assert ratio[date(2005, 1, 1)] == 1  # 1 × annual gross SMIC (CGI art. 81 bis)
    for ceiling in RULES.income_tax_ceilings:
        months = [RULES.smic_on(date(ceiling.year, month, 1)).monthly for month in range(1, 13)]
        assert ceiling.amount == sum(months).quantize(Decimal("1")), ceiling.year


def test_mobili_jeune_age_limit_and_maximum_match_openfisca():
    age_max = of_values("prestations_sociales/education/mobilite/mobili_jeune/age_maximum.yaml")
    maximum = of_values("prestations_sociales/education/mobilite/mobili_jeune/montant/maximum/autres_secteurs.yaml")
    rule = RULES.programme("mobili_jeune").rules[0]
    assert rule.age_max == max(age_max.values()) - 1  # OpenFisca: 30 excluded; ours: 29 included
    assert rule.amount == maximum[max(maximum)]


def test_state_driving_licence_aid_matches_openfisca_amount_age_and_end():
    content = yaml.safe_load(
        (
            PARAMETERS / "prestations_sociales/transport/permis_de_conduire/aide_financement_permis_apprenti.yaml"
        ).read_text()
    )
    amounts = {date.fromisoformat(str(k)): Decimal(str(v["value"])) for k, v in content["montant"]["values"].items()}
    ages = {date.fromisoformat(str(k)): v["value"] for k, v in content["age_min"]["values"].items()}
    rule = RULES.programme("permis_etat").rules[0]
    assert rule.amount == amounts[rule.concluded_from] and rule.age_min == ages[rule.concluded_from]
    ended = min(day for day, amount in amounts.items() if amount == 0)
    assert rule.concluded_to == date(ended.year - 1, 12, 31) and ended == date(2026, 1, 1)


def test_openfisca_apprentice_pay_is_the_pre_2019_grid_and_no_oracle():
    """OpenFisca's `remuneration_apprenti` would pay the worked example's apprentice 18-20 in year 1 at 37 %,
    not 43 %: it is the grid of contracts concluded before 2019. We only use it as a speed reference."""
    source = (
        Path(openfisca_france.__file__).parent
        / "model"
        / "prelevements_obligatoires"
        / "prelevements_sociaux"
        / "cotisations_sociales"
        / "apprentissage.py"
    ).read_text(encoding="utf-8")
    assert "1: .37" in source and "age_max = 21" in source  # 18-20 year 1 at 37 % in OpenFisca
    ours = RULES.pay_rate(age_band="18_20", contract_year=1, concluded_on=date(2024, 9, 1))
    assert ours.rate_percent == 43
