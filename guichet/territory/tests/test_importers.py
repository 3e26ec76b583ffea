import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.core.reference import datasets
from guichet.territory.importers import (
    COMMUNES_FILE,
    COORDINATES_FILE,
    DEPARTMENT_OUTLINES_FILE,
    REGIONS_FILE,
    ZONE_COMMUNES_FILE,
    import_communes,
    import_territory,
)
from guichet.territory.models import Basin, BasinGrid, BasinMembership, Commune, Department, Region
from guichet.territory.tests.conftest import line_of

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    """Enough of the territory tables to see any write."""
    amiens = Commune.objects.get(insee="80021")
    return {
        "counts": [model.objects.count() for model in (Region, Department, Commune, Basin, BasinMembership)],
        "amiens": (amiens.name, amiens.population, amiens.latitude, amiens.postcodes),
        "memberships": sorted(BasinMembership.objects.filter(commune=amiens).values_list("grid", "basin__code")),
    }


def _rejections(reports) -> list[str]:
    return [str(rejection) for report in reports for rejection in report.rejected]


def _rename_amiens(lines: list[str]) -> list[str]:
    """A valid change in the communes file: it must not be saved when another line is rejected."""
    return [line.replace("80021,Amiens,", "80021,Amiens-Renommée,") for line in lines]


def test_a_second_run_over_the_same_files_changes_nothing():
    reports = import_territory()
    assert [(report.created, report.updated, report.deleted) for report in reports] == [(0, 0, 0)] * len(reports)
    assert all("Aucun changement" in report.as_text() for report in reports)
    # Every row of the files was compared and left alone (figures of data/README.md).
    assert [report.unchanged for report in reports] == [26, 109, 35_014, 24, 3_782, 28, 3_782]


def test_reference_data_counts_match_the_files():
    assert Commune.objects.count() == 35_014
    assert (
        Commune.objects.filter(kind="arrondissement-municipal", parent__insee__in=["75056", "69123", "13055"]).count()
        == 45
    )
    assert Commune.objects.filter(department__region__code="32", kind="commune-actuelle").count() == 3_782
    assert Department.objects.exclude(geometry=None).count() == 5
    for grid, basins in ((BasinGrid.ZONE_EMPLOI, 24), (BasinGrid.BMO, 28)):
        assert Basin.objects.filter(grid=grid).count() == basins
        assert BasinMembership.objects.filter(grid=grid).count() == 3_782
        assert not Basin.objects.filter(grid=grid, geometry=None).exists()
    assert set(Basin.objects.filter(interregional=True).values_list("code", flat=True)) == {"0054", "0058"}


def test_commune_rows_carry_coordinates_postcodes_and_search_name():
    amiens = Commune.objects.select_related("department").get(insee="80021")
    assert amiens.postcode_list == ["80000", "80080", "80090"]
    assert amiens.search_name == "amiens"
    assert 49.8 < amiens.latitude < 50.0 and 2.2 < amiens.longitude < 2.4
    assert amiens.department.code == "80"
    assert Commune.objects.get(insee="80620").search_name == "peronne"
    # A commune without a centre but with a town hall location gets the town hall.
    assert Commune.objects.get(insee="12218").latitude is not None
    assert Commune.objects.get(insee="14581").latitude is None


def test_a_missing_column_rejects_the_file_and_saves_nothing(source_dir, rewrite):
    before = _snapshot()
    rewrite(COMMUNES_FILE, lambda lines: [",".join(line.split(",")[:9] + line.split(",")[10:]) for line in lines])
    reports = import_territory(source_dir=source_dir)
    assert "ligne 1 : colonnes manquantes dans communes_2026.csv.gz : population" in _rejections(reports)
    assert _snapshot() == before


def test_a_bad_insee_code_is_rejected_with_its_line_and_nothing_is_saved(source_dir, rewrite):
    before = _snapshot()
    lines: list[str] = []

    def edit(original: list[str]) -> list[str]:
        lines.extend(original)
        return [line.replace("80022,", "8X022,", 1) if line.startswith("80022,") else line for line in original]

    rewrite(COMMUNES_FILE, _rename_amiens)
    rewrite(COMMUNES_FILE, edit)
    reports = import_territory(source_dir=source_dir)
    expected = f"ligne {line_of(lines, '80022,')} : code INSEE « 8X022 » invalide"
    assert any(text.startswith(expected) and COMMUNES_FILE in text for text in _rejections(reports))
    assert _snapshot() == before


def test_a_duplicate_insee_code_is_rejected_with_the_line_of_the_copy(source_dir, rewrite):
    before = _snapshot()
    lines: list[str] = []

    def edit(original: list[str]) -> list[str]:
        amiens = original[line_of(original, "80021,") - 1]
        lines.extend([*original, amiens])
        return lines

    rewrite(COMMUNES_FILE, edit)
    reports = import_territory(source_dir=source_dir)
    assert f"ligne {len(lines)} : code INSEE « 80021 » en double ({COMMUNES_FILE})" in _rejections(reports)
    assert _snapshot() == before


def test_an_unknown_zone_code_rejects_the_import_even_of_the_valid_files(source_dir, rewrite):
    before = _snapshot()
    lines: list[str] = []

    def edit(original: list[str]) -> list[str]:
        lines.extend(original)
        return [
            line.replace(",3202,Amiens,", ",9999,Amiens,") if line.startswith("80021,") else line for line in original
        ]

    rewrite(COMMUNES_FILE, _rename_amiens)
    rewrite(ZONE_COMMUNES_FILE, edit)
    reports = import_territory(source_dir=source_dir)
    expected = f"ligne {line_of(lines, '80021,')} : zone d'emploi « 9999 » inconnue ({ZONE_COMMUNES_FILE})"
    assert _rejections(reports) == [expected]
    assert _snapshot() == before
    assert not Commune.objects.filter(name="Amiens-Renommée").exists()


def test_unknown_communes_and_out_of_range_coordinates_are_rejected(source_dir, rewrite):
    rewrite(COORDINATES_FILE, lambda lines: [*lines, "99999,Nulle part,99,99,,0,45.0,2.0,,"])
    rewrite(
        COORDINATES_FILE,
        lambda lines: [
            line.replace(",49.90049,", ",149.90049,") if line.startswith("80021,") else line for line in lines
        ],
    )
    rejections = _rejections(import_territory(source_dir=source_dir))
    assert any("commune « 99999 » inconnue" in text for text in rejections)
    assert any("coordonnées hors limites pour la commune 80021" in text for text in rejections)


def test_a_geojson_outline_of_an_unknown_department_is_rejected(source_dir):
    path = source_dir / DEPARTMENT_OUTLINES_FILE
    data = json.loads(gzip.decompress(path.read_bytes()))
    data["features"][0]["properties"]["code"] = "99"
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    rejections = _rejections(import_territory(source_dir=source_dir))
    assert rejections == [f"{DEPARTMENT_OUTLINES_FILE}, entité n° 1 : département « 99 » inconnu"]


def test_an_invalid_region_code_is_rejected(source_dir):
    path = source_dir / REGIONS_FILE
    regions = json.loads(path.read_text(encoding="utf-8"))
    regions.append({"code": "1X", "nom": "Région imaginaire"})
    path.write_text(json.dumps(regions), encoding="utf-8")
    rejections = _rejections(import_territory(source_dir=source_dir))
    assert rejections == [f"région n° {len(regions)} : code de région « 1X » invalide (2 chiffres, ou 97x/98x)"]


def test_a_changed_value_is_updated_and_nothing_else(source_dir, rewrite):
    rewrite(COMMUNES_FILE, _rename_amiens)
    reports = import_territory(source_dir=source_dir)
    communes = next(report for report in reports if report.source.startswith("Communes ("))
    assert (communes.created, communes.updated) == (0, 1)
    assert sum(report.created + report.updated + report.deleted for report in reports) == 1
    amiens = Commune.objects.get(insee="80021")
    assert (amiens.name, amiens.search_name) == ("Amiens-Renommée", "amiens renommee")


def test_a_commune_that_leaves_a_grid_file_loses_its_membership(source_dir, rewrite):
    rewrite(ZONE_COMMUNES_FILE, lambda lines: [line for line in lines if not line.startswith("80021,")])
    reports = import_territory(source_dir=source_dir)
    memberships = next(report for report in reports if report.source.startswith("Communes des zones"))
    assert memberships.deleted == 1
    assert not BasinMembership.objects.filter(grid=BasinGrid.ZONE_EMPLOI, commune__insee="80021").exists()


def test_a_single_step_loader_checks_references_against_the_database(source_dir, rewrite):
    rewrite(COMMUNES_FILE, lambda lines: [*lines, "99001,Commune d'outre-mer fictive,commune-actuelle,999,99,,,,,,,,"])
    reports = import_communes(source_dir=source_dir)
    assert any("département « 999 » inconnu pour la commune 99001" in text for text in _rejections(reports))
    assert not Commune.objects.filter(insee="99001").exists()


def test_command_prints_the_report_and_fails_without_saving(source_dir, rewrite, capsys):
    before = _snapshot()
    rewrite(COMMUNES_FILE, _rename_amiens)
    rewrite(ZONE_COMMUNES_FILE, lambda lines: [*lines, "80021,Amiens,3202,Amiens,,80,32"])
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_territory", source_dir=source_dir)
    output = capsys.readouterr().out
    assert "commune « 80021 » en double" in output
    assert "Rien n'a été enregistré" in output
    assert _snapshot() == before


def test_command_says_when_nothing_changed(capsys):
    call_command("import_territory")
    assert "Aucun changement : tout était déjà à jour" in capsys.readouterr().out


def test_command_refuses_a_missing_directory(tmp_path: Path):
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("import_territory", source_dir=tmp_path / "absent")


def test_territory_dataset_is_registered_with_order_10():
    territory = next(dataset for dataset in datasets() if dataset.name == "territory")
    assert territory.order == 10
