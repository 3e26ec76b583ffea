import gzip
import shutil
from pathlib import Path

import pytest

from guichet.core.importing import reference_file
from guichet.jobs import future
from guichet.jobs.importers import load_jobs
from guichet.jobs.models import Appellation, DiplomaLevel, FutureFamily, ProfessionalDomain, RomeJob


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A writable copy of the shipped job files, uncompressed so that tests can break them."""
    for path in reference_file("jobs").iterdir():
        target = tmp_path / path.name.removesuffix(".gz")
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as compressed, open(target, "wb") as plain:
                shutil.copyfileobj(compressed, plain)
        else:
            shutil.copy(path, target)
    return tmp_path


def edit(path: Path, line: int, old: str, new: str) -> None:
    """Replace `old` by `new` on one line (numbered from 1, as in the reports)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], f"{old!r} not on line {line}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    for number, content in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in content:
            return number
    raise AssertionError(f"{text!r} not in {path.name}")


def rejections(reports) -> list[str]:
    return [str(rejection) for report in reports for rejection in report.rejected]


def snapshot() -> tuple:
    return (
        ProfessionalDomain.objects.count(),
        list(RomeJob.objects.values_list("code", "title", "future_family", "regulated").order_by("code")),
        Appellation.objects.count(),
        list(DiplomaLevel.objects.values_list("level", "label", "old_name")),
    )


@pytest.mark.django_db
def test_reference_files_load_every_domain_job_appellation_and_level():
    assert ProfessionalDomain.objects.count() == 110
    assert RomeJob.objects.count() == 609
    assert Appellation.objects.count() == 11522
    assert list(DiplomaLevel.objects.values_list("level", "old_name")) == [
        (3, "V"), (4, "IV"), (5, "III"), (6, "II"), (7, "I"), (8, "I"),
    ]  # fmt: skip
    bakery = RomeJob.objects.select_related("domain").get(code="D1102")
    assert bakery.title == "Boulanger / Boulangère"
    assert (bakery.domain.code, bakery.domain.major_code) == ("D11", "D")
    assert bakery.domain.major_name == "Commerce, Vente et Grande distribution"
    assert bakery.appellations.filter(search_title="boulanger boulangere").exists()


@pytest.mark.django_db
def test_flags_come_from_tjp_rome():
    # tjp_rome: A1201 Élagueur is an "Emploi Vert"; J1501 aide-soignant is a regulated job ("O").
    assert RomeJob.objects.get(code="A1201").transition_eco
    assert RomeJob.objects.get(code="J1501").regulated
    assert not RomeJob.objects.get(code="D1102").regulated
    assert RomeJob.objects.filter(transition_eco=True).count() == 103
    assert RomeJob.objects.filter(transition_num=True).count() > 0
    assert RomeJob.objects.filter(transition_demo=True).count() > 0


@pytest.mark.django_db
def test_second_run_creates_and_updates_nothing_and_says_so():
    reports = load_jobs()
    assert not rejections(reports)
    for report in reports:
        assert (report.created, report.updated, report.deleted) == (0, 0, 0)
        assert "Aucun changement" in report.as_text()
    assert sum(report.unchanged for report in reports) == 110 + 609 + 11522 + 6


@pytest.mark.django_db
def test_changed_title_is_updated_on_its_natural_key(source):
    path = source / "rome_arborescence_2024.csv"
    edit(path, line_of(path, ",D1102,"), "Boulanger / Boulangère", "Boulanger / Boulangère (test)")
    reports = load_jobs(source_dir=source)
    assert not rejections(reports)
    assert reports[1].updated == 1
    job = RomeJob.objects.get(code="D1102")
    assert (job.title, job.search_title) == ("Boulanger / Boulangère (test)", "boulanger boulangere test")


@pytest.mark.django_db
def test_missing_column_rejects_everything(source):
    path = source / "rome_appellations_2024.csv"
    edit(path, 1, "code_ogr,", "ogr,")
    before = snapshot()
    reports = load_jobs(source_dir=source)
    assert rejections(reports) == ["ligne 1 : colonnes manquantes dans rome_appellations_2024.csv : code_ogr"]
    assert snapshot() == before


@pytest.mark.django_db
def test_bad_rome_code_is_rejected_with_its_line_and_nothing_changes(source):
    tree = source / "rome_arborescence_2024.csv"
    edit(tree, line_of(tree, ",D1102,"), "Boulanger / Boulangère", "Titre qui ne doit pas être enregistré")
    line = line_of(tree, ",A1203,")
    edit(tree, line, ",A1203,", ",A12O3,")
    before = snapshot()
    reports = load_jobs(source_dir=source)
    assert f"ligne {line} : code ROME « A12O3 » invalide (une lettre de A à N et 4 chiffres attendus)" in (
        rejections(reports)
    )
    assert snapshot() == before
    assert RomeJob.objects.get(code="D1102").title == "Boulanger / Boulangère"


@pytest.mark.django_db
def test_duplicate_lines_are_rejected_with_both_line_numbers(source):
    path = source / "rome_appellations_2024.csv"
    first = line_of(path, "11573,Boulanger / Boulangère,D1102")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("11573,Boulanger bis,D1102\n")
    last = len(path.read_text(encoding="utf-8").splitlines())
    tree = source / "rome_arborescence_2024.csv"
    tree_line = line_of(tree, ",D1102,")
    with open(tree, "a", encoding="utf-8") as handle:
        handle.write(tree.read_text(encoding="utf-8").splitlines()[tree_line - 1] + "\n")
    tree_last = len(tree.read_text(encoding="utf-8").splitlines())
    before = snapshot()
    found = rejections(load_jobs(source_dir=source))
    assert f"ligne {last} : code OGR 11573 en double (déjà ligne {first})" in found
    assert f"ligne {tree_last} : code ROME D1102 en double (déjà ligne {tree_line})" in found
    assert snapshot() == before


@pytest.mark.django_db
def test_appellation_pointing_at_an_unknown_rome_code_is_rejected(source):
    path = source / "rome_appellations_2024.csv"
    line = line_of(path, "11573,Boulanger / Boulangère,D1102")
    edit(path, line, ",D1102", ",N9999")
    before = snapshot()
    found = rejections(load_jobs(source_dir=source))
    assert found == [f"ligne {line} : code ROME N9999 inconnu (absent de rome_arborescence_2024)"]
    assert snapshot() == before


@pytest.mark.django_db
def test_non_integer_ogr_code_is_rejected(source):
    path = source / "rome_appellations_2024.csv"
    line = line_of(path, "11573,Boulanger / Boulangère,D1102")
    edit(path, line, "11573,", "11573a,")
    assert rejections(load_jobs(source_dir=source)) == [
        f"ligne {line} : code OGR « 11573a » invalide (nombre entier attendu)"
    ]


@pytest.mark.django_db
def test_every_rome_code_must_be_in_both_the_arborescence_and_tjp_rome(source):
    tjp = source / "tjp_rome.csv"
    lines = tjp.read_text(encoding="utf-8").splitlines(keepends=True)
    removed = line_of(tjp, "D1102;")
    del lines[removed - 1]
    lines.append("N9998;1;2;Métier inventé;;;;;;\n")
    tjp.write_text("".join(lines), encoding="utf-8")
    tree_line = line_of(source / "rome_arborescence_2024.csv", ",D1102,")
    found = rejections(load_jobs(source_dir=source))
    assert f"ligne {len(lines)} : code ROME N9998 absent de rome_arborescence_2024" in found
    assert f"code ROME D1102 (ligne {tree_line} de l'arborescence) absent de tjp_rome" in found


@pytest.mark.django_db
def test_unexpected_flag_value_is_rejected(source):
    tjp = source / "tjp_rome.csv"
    line = line_of(tjp, "D1102;")
    edit(tjp, line, "D1102;", "D1102;")  # the line exists; now give it a bad "emploi_reglemente" value
    fields = tjp.read_text(encoding="utf-8").splitlines()[line - 1].split(";")
    fields[7] = "peut-être"
    edit(tjp, line, tjp.read_text(encoding="utf-8").splitlines()[line - 1], ";".join(fields))
    assert rejections(load_jobs(source_dir=source)) == [
        f"ligne {line} : valeur inattendue dans emploi_reglemente (O, N ou vide attendu)"
    ]


@pytest.mark.django_db
def test_diploma_levels_must_agree_with_the_bcn(source):
    levels = source / "niveaux_diplome.csv"
    line = line_of(levels, "5,III,")
    edit(levels, line, "5,III,", "5,II,")
    bcn = source / "nNiveauFormationDiplome.csv"
    text = bcn.read_text(encoding="utf-8")
    bcn.write_text("\n".join(row for row in text.splitlines() if not row.endswith(";08")) + "\n", encoding="utf-8")
    before = snapshot()
    found = rejections(load_jobs(source_dir=source))
    assert found == [
        "niveau 8 absent de la colonne NIVEAU_QUALIFICATION_RNCP de nNiveauFormationDiplome.csv",
        f"ligne {line} : ancien niveau II pour le niveau 5, la BCN donne le niveau 3",
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_levels_file_cites_the_decree_and_lists_levels_3_to_8(source):
    text = (source / "niveaux_diplome.csv").read_text(encoding="utf-8")
    assert text.startswith("# ") and "décret n° 2019-14 du 8 janvier 2019" in text.splitlines()[0]
    lines = text.splitlines()
    del lines[line_of(source / "niveaux_diplome.csv", "8,I,") - 1]
    (source / "niveaux_diplome.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert rejections(load_jobs(source_dir=source)) == ["niveau 8 absent de niveaux_diplome.csv"]


@pytest.mark.django_db
def test_future_code_missing_from_the_rome_rejects_the_import(monkeypatch):
    monkeypatch.setitem(future.FUTURE_JOBS, FutureFamily.HEALTH, {"J9999": "Code inventé pour le test."})
    before = snapshot()
    found = rejections(load_jobs())
    assert found == ["métier d'avenir J9999 (guichet/jobs/future.py) absent de rome_arborescence_2024"]
    assert snapshot() == before


def test_a_code_in_two_future_families_is_refused(monkeypatch):
    monkeypatch.setitem(future.FUTURE_JOBS, FutureFamily.ELDERLY_CARE, {"J1501": "Aussi en EHPAD."})
    with pytest.raises(ValueError, match="J1501 est dans deux familles"):
        future.future_family_by_code()


@pytest.mark.django_db
def test_import_command_reports_and_refuses_broken_files(source):
    from django.core.management import CommandError, call_command

    path = source / "rome_appellations_2024.csv"
    edit(path, line_of(path, "11573,Boulanger"), ",D1102", ",N9999")
    with pytest.raises(CommandError, match="1 lignes rejetées"):
        call_command("import_jobs", "--source-dir", str(source))
