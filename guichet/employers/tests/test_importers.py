import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.core.importing import reference_file
from guichet.core.reference import datasets
from guichet.employers.importers import (
    CENSUS_FILE,
    NAF_FILE,
    import_census,
    import_naf,
    load_employers_reference,
)
from guichet.employers.models import EstablishmentCensus, NafActivity

pytestmark = pytest.mark.django_db

NAF_HEADER = "code,libelle,niveau"


def _snapshot() -> tuple:
    return (
        NafActivity.objects.count(),
        NafActivity.objects.get(code="47.11F").label,
        EstablishmentCensus.objects.count(),
        EstablishmentCensus.objects.get(commune__insee="80021", headcount_band="1-5").count,
    )


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """A copy of the employers' reference files, uncompressed so that tests can edit them."""
    for relative in (NAF_FILE, CENSUS_FILE):
        with gzip.open(reference_file(relative), "rb") as source, open(tmp_path / Path(relative).stem, "wb") as copy:
            shutil.copyfileobj(source, copy)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_dataset_is_registered_after_jobs_and_territory():
    orders = {dataset.name: dataset.order for dataset in datasets()}
    assert orders["employers"] == 30
    assert orders["territory"] < orders["jobs"] < orders["employers"]


def test_reference_counts_match_the_files():
    assert NafActivity.objects.count() == 1_707
    assert NafActivity.objects.filter(level="sous-classe").count() == 732
    # 3,782 communes x 9 size bands; the Hauts-de-France total of the data README.
    assert EstablishmentCensus.objects.filter(vintage=2014).count() == 3_782 * 9
    assert sum(EstablishmentCensus.objects.values_list("count", flat=True)) == 280_838
    assert sum(EstablishmentCensus.objects.exclude(headcount_band="0").values_list("count", flat=True)) == 100_987


def test_a_second_run_over_the_same_files_changes_nothing():
    reports = load_employers_reference()
    assert [(report.created, report.updated, report.deleted, report.rejected) for report in reports] == [
        (0, 0, 0, [])
    ] * 2
    assert [report.unchanged for report in reports] == [1_707, 3_782 * 9]


def test_a_missing_column_is_rejected_and_nothing_changes(tmp_path):
    before = _snapshot()
    report = import_naf(path=_write(tmp_path / "naf.csv", ["code,libelle", "47.11F,Autre libellé"]))
    assert [str(rejection) for rejection in report.rejected] == ["colonnes manquantes dans naf.csv : niveau"]
    assert _snapshot() == before


def test_a_bad_code_is_rejected_with_its_line_and_the_valid_lines_are_not_saved(tmp_path):
    before = _snapshot()
    lines = [NAF_HEADER, "47.11F,Libellé modifié,sous-classe", "47.1F,Code trop court,sous-classe", "47,X,section"]
    report = import_naf(path=_write(tmp_path / "naf.csv", lines))
    assert [str(rejection) for rejection in report.rejected] == [
        "ligne 3 : code NAF « 47.1F » invalide pour le niveau sous-classe",
        "ligne 4 : niveau « section » inconnu (division, groupe, classe ou sous-classe attendu)",
    ]
    assert _snapshot() == before


def test_a_duplicate_code_is_rejected(tmp_path):
    before = _snapshot()
    lines = [NAF_HEADER, "47.11F,Hypermarchés,sous-classe", "47.11F,Supérettes,sous-classe"]
    report = import_naf(path=_write(tmp_path / "naf.csv", lines))
    assert [str(rejection) for rejection in report.rejected] == ["ligne 3 : code NAF 47.11F en double"]
    assert _snapshot() == before


def test_census_rows_with_an_unknown_commune_or_a_wrong_total_are_rejected(source_dir):
    before = _snapshot()
    path = source_dir / "etablissements_tranche_effectif_2014_communes_hdf.csv"
    _edit(path, "\n02001,Abbécourt,", "\n99999,Nulle-Part,")
    _edit(path, "\n02002,Achery,02,3220,3205,21,16,", "\n02002,Achery,02,3220,3205,22,16,")
    report = import_census(path=path)
    assert [str(rejection) for rejection in report.rejected] == [
        "ligne 2 : commune 99999 inconnue",
        "ligne 3 : etab_total (22) différent de la somme des tranches",
    ]
    assert _snapshot() == before


def test_a_rejected_census_line_rolls_back_the_naf_changes_of_the_same_command(source_dir):
    before = _snapshot()
    _edit(source_dir / "codes_naf_rev2.csv", "47.11F,Hypermarchés", "47.11F,Hypermarchés modifiés")
    _edit(source_dir / "etablissements_tranche_effectif_2014_communes_hdf.csv", ",21,15,4,0,1,1,", ",21,15,4,x,1,1,")
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_employers_reference", source_dir=source_dir, stdout=io.StringIO())
    assert _snapshot() == before


def test_the_command_applies_a_valid_change_and_reports_it(source_dir, capsys):
    _edit(source_dir / "codes_naf_rev2.csv", "47.11F,Hypermarchés", "47.11F,Hypermarchés modifiés")
    call_command("import_employers_reference", source_dir=source_dir)
    out = capsys.readouterr().out
    assert "1707 lignes lues, 0 créées, 1 mises à jour, 1706 inchangées" in out
    assert NafActivity.objects.get(code="47.11F").label == "Hypermarchés modifiés"
