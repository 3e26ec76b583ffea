import gzip

import pytest
from django.db import transaction

from guichet.core.importing import ImportRejected, ImportReport, read_csv, upsert
from guichet.core.reference import load_reference_data, register
from guichet.territory.models import Region


def test_read_csv_names_the_missing_columns(tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("code,nom\n01,Ain\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"colonnes manquantes dans file\.csv : population"):
        list(read_csv(path, required=["code", "population"]))


def test_read_csv_reads_gzip_and_skips_the_bom_giving_line_numbers(tmp_path):
    path = tmp_path / "file.csv.gz"
    path.write_bytes(gzip.compress("\ufeffcode;nom\n01; Ain \n02;Aisne\n".encode()))
    rows = list(read_csv(path, required=["code", "nom"], delimiter=";"))
    assert rows == [(2, {"code": "01", "nom": "Ain"}), (3, {"code": "02", "nom": "Aisne"})]


def test_report_says_when_nothing_changed():
    report = ImportReport(source="régions", read=3, unchanged=3)
    assert "Aucun changement" in report.as_text()
    assert not report.changed


def test_report_lists_rejections_and_says_nothing_was_saved():
    report = ImportReport(source="régions", read=2)
    report.reject(3, "code INSEE « 9X » invalide")
    text = report.as_text()
    assert "Rien n'a été enregistré" in text
    assert "ligne 3 : code INSEE « 9X » invalide" in text


@pytest.mark.django_db
def test_upsert_creates_updates_and_leaves_identical_rows_alone():
    rows = [{"code": "T1", "name": "Test un"}, {"code": "T2", "name": "Test deux"}]
    first = upsert(Region, key="code", rows=rows, scope=None)
    assert (first.created, first.updated) == (2, 0)
    rows[1]["name"] = "Test 2"
    second = upsert(Region, key="code", rows=rows)
    assert (second.created, second.updated) == (0, 1)
    assert Region.objects.get(code="T2").name == "Test 2"
    third = upsert(Region, key="code", rows=rows)
    assert (third.created, third.updated, third.unchanged) == (0, 0, len(rows))


@pytest.mark.django_db
def test_upsert_deletes_missing_rows_only_within_its_scope():
    from django.db.models import Q

    upsert(Region, key="code", rows=[{"code": "T1", "name": "a"}, {"code": "T2", "name": "b"}])
    before = Region.objects.count()
    result = upsert(
        Region, key="code", rows=[{"code": "T1", "name": "a"}], scope=Q(code__startswith="T"), delete_missing=True
    )
    assert result.deleted == 1
    assert Region.objects.count() == before - 1


@pytest.mark.django_db
def test_a_rejected_dataset_rolls_back_every_dataset_loaded_before_it(monkeypatch):
    from guichet.core import reference

    monkeypatch.setattr(reference, "_REGISTRY", dict(reference._REGISTRY))

    def good() -> list[ImportReport]:
        upsert(Region, key="code", rows=[{"code": "Z9", "name": "Créée puis annulée"}])
        return [ImportReport(source="bon", read=1, created=1)]

    def bad() -> list[ImportReport]:
        report = ImportReport(source="mauvais", read=1)
        report.reject(2, "valeur invalide")
        return [report]

    register("zz_test_good", order=900, load=good)
    register("zz_test_bad", order=901, load=bad)
    with transaction.atomic(), pytest.raises(ImportRejected) as error:
        load_reference_data(only=["zz_test_good", "zz_test_bad"])
    assert "ligne 2 : valeur invalide" in str(error.value)
    assert not Region.objects.filter(code="Z9").exists()


def test_unknown_dataset_names_are_refused():
    with pytest.raises(ValueError, match="Jeux de données inconnus : nope"):
        load_reference_data(only=["nope"])


def test_a_damaged_gzip_file_is_refused_in_french(tmp_path):
    path = tmp_path / "file.csv.gz"
    path.write_bytes(gzip.compress(b"code,nom\n" + b"x" * 200)[:25])
    with pytest.raises(ValueError, match="compressé incomplet ou abîmé"):
        list(read_csv(path, required=["code"]))


def test_a_latin1_file_is_refused_with_a_french_message(tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes("code,nom\n01,École\n".encode("latin-1"))
    with pytest.raises(ValueError, match="n'est pas encodé en UTF-8"):
        list(read_csv(path, required=["code"]))


def test_a_broken_json_file_is_refused_with_its_position(tmp_path):
    from guichet.core.importing import read_json

    path = tmp_path / "file.json"
    path.write_text('{"a": [1, 2', encoding="utf-8")
    with pytest.raises(ValueError, match="n'est pas un JSON valide"):
        read_json(path)
