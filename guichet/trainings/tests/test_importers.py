import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.core.importing import reference_file
from guichet.core.reference import datasets
from guichet.trainings.importers import (
    CENTRES_FILE,
    CERTIFICATIONS_FILE,
    import_centres,
    import_certifications,
    load_trainings_reference,
)
from guichet.trainings.models import Certification, TrainingCentre

pytestmark = pytest.mark.django_db

CENTRES = "organismes_apprentissage_hauts_de_france.csv"
CERTIFICATIONS = "certifinfo_rome.csv"


def _snapshot() -> tuple:
    centre = TrainingCentre.objects.get(siret="19020025300010")
    cert = Certification.objects.get(code_certifinfo="12362")
    return (
        TrainingCentre.objects.count(),
        centre.name,
        Certification.objects.count(),
        cert.title,
        sorted(cert.rome_jobs.values_list("code", flat=True)),
    )


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    for relative in (CENTRES_FILE, CERTIFICATIONS_FILE):
        with gzip.open(reference_file(relative), "rb") as source, open(tmp_path / Path(relative).stem, "wb") as copy:
            shutil.copyfileobj(source, copy)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _messages(report) -> list[str]:
    return [str(rejection) for rejection in report.rejected]


def test_the_dataset_is_registered_after_employers():
    orders = {dataset.name: dataset.order for dataset in datasets()}
    assert orders["trainings"] == 40 > orders["employers"] > orders["jobs"]


def test_the_545_real_centres_and_the_certifications_are_loaded():
    real = TrainingCentre.objects.filter(is_synthetic=False)
    assert real.count() == 545
    assert real.values("uai").distinct().count() == 511
    assert real.filter(prepa_apprentissage=True).count() == 4
    assert real.filter(commune__department__code="59").count() == 243
    assert real.filter(nature="responsable").count() == 3
    # 7,502 lines, of which 79 repeat a certification on an identical line (merged).
    assert Certification.objects.count() == 7_423
    cap = Certification.objects.get(code_certifinfo="12362")
    assert (cap.level_id, sorted(cap.rome_jobs.values_list("code", flat=True))) == (7, ["J1102", "K1403"])


def test_a_second_run_over_the_same_files_changes_nothing():
    reports = load_trainings_reference()
    assert [(report.created, report.updated, report.deleted, report.rejected) for report in reports] == [
        (0, 0, 0, [])
    ] * 2
    assert [report.unchanged for report in reports] == [545, 7_423]


def test_a_missing_column_is_rejected_and_nothing_changes(source_dir):
    before = _snapshot()
    path = source_dir / CENTRES
    _edit(path, "uai,siret,raison_sociale", "uai,siret_etablissement,raison_sociale")
    report = import_centres(path=path)
    assert _messages(report) == [f"colonnes manquantes dans {CENTRES} : siret"]
    assert _snapshot() == before


def test_bad_centre_lines_are_rejected_with_their_line_and_nothing_changes(source_dir):
    before = _snapshot()
    path = source_dir / CENTRES
    _edit(path, "LYCEE PROFESSIONNEL CHATEAU POTEL", "LYCEE RENOMME")  # valid change, line 2
    _edit(path, "0020060E,19020060000012", "002006E,19020060000012")  # line 3: bad UAI
    _edit(path, "0020089L,19020089900010", "0020089L,19020089900011")  # line 4: bad Luhn
    _edit(path, ",Hirson,02381,", ",Hirson,99999,")  # line 4 too, but one reason per line
    report = import_centres(path=path)
    assert _messages(report) == [
        "ligne 3 : UAI « 002006E » invalide (7 chiffres et une lettre majuscule attendus)",
        "ligne 4 : SIRET « 19020089900011 » : Ce numéro SIRET n'est pas valide : vérifiez les chiffres saisis "
        "(clé de contrôle incorrecte).",
    ]
    assert _snapshot() == before


def test_a_duplicate_siret_and_an_unknown_commune_are_rejected(source_dir):
    before = _snapshot()
    path = source_dir / CENTRES
    _edit(path, "0020060E,19020060000012", "0020060E,19020025300010")
    _edit(path, ",Hirson,02381,", ",Hirson,99999,")
    report = import_centres(path=path)
    assert _messages(report) == ["ligne 3 : SIRET 19020025300010 en double", "ligne 4 : commune 99999 inconnue"]
    assert _snapshot() == before


def test_certification_lines_with_a_bad_level_or_rome_code_are_rejected(source_dir):
    before = _snapshot()
    path = source_dir / CERTIFICATIONS
    _edit(path, "12362,CAPME diplôme de capacité d'addictologie clinique", "12362,Titre modifié")
    _edit(
        path,
        "Diplôme de médecine et de pharmacie,7,,,,J1102,,,,",
        "Diplôme de médecine et de pharmacie,9,,,,J1102,,,,",
    )
    _edit(path, ",M1805,,,,,11031,", ",M18O5,,,,,11031,")
    report = import_certifications(path=path)
    assert _messages(report) == [
        "ligne 2 : code ROME « M18O5 » invalide (une lettre et 4 chiffres attendus)",
        "ligne 4 : niveau « 9 » inconnu (3 à 8 attendu)",
    ]
    assert _snapshot() == before


def test_a_repeated_certification_with_different_values_is_rejected(source_dir):
    before = _snapshot()
    path = source_dir / CERTIFICATIONS
    text = path.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("12362,"))
    path.write_text(text + line.replace("CAPME diplôme", "Autre diplôme") + "\n", encoding="utf-8")
    report = import_certifications(path=path)
    assert _messages(report) == ["ligne 7504 : certification 12362 en double, différente de la ligne 3"]
    assert _snapshot() == before


def test_rome_codes_absent_from_the_rome_table_are_skipped_not_linked(source_dir):
    path = source_dir / CERTIFICATIONS
    _edit(
        path,
        "Diplôme de médecine et de pharmacie,7,,,,J1102,K1403,",
        "Diplôme de médecine et de pharmacie,7,,,,J1102,K9999,",
    )
    report = import_certifications(path=path)
    assert report.rejected == []
    assert (report.updated, report.created) == (1, 0)
    cert = Certification.objects.get(code_certifinfo="12362")
    assert list(cert.rome_jobs.values_list("code", flat=True)) == ["J1102"]


def test_the_command_rolls_back_the_centres_when_a_certification_is_rejected(source_dir):
    before = _snapshot()
    _edit(source_dir / CENTRES, "LYCEE PROFESSIONNEL CHATEAU POTEL", "LYCEE RENOMME")
    _edit(source_dir / CERTIFICATIONS, ",M1805,,,,,11031,", ",M18O5,,,,,11031,")
    with pytest.raises(CommandError, match="1 lignes rejetées"):
        call_command("import_trainings_reference", source_dir=source_dir, stdout=io.StringIO())
    assert _snapshot() == before
