"""The two paths of the contracts importer (set-wise SQL on PostgreSQL, line by line in Python) give the same
report on the same file: same lines read, same rejected lines with the same French reasons, same rows written."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.contracts.importers import ALL_COLUMNS, COLUMNS, import_contracts
from guichet.contracts.models import Contract
from guichet.contracts.tests.test_importers import line

pytestmark = pytest.mark.django_db

HEADER = ";".join(COLUMNS)
FULL_HEADER = ";".join(ALL_COLUMNS)
OPTIONAL_OK = {
    "date_naissance": "2006-03-14",
    "uai_cfa": "0596789X",
    "code_diplome": "50022141",
    "type_contrat": "CDD",
    "rqth": "non",
    "secteur_employeur": "prive",
}


def full_line(number: str = "P-0001", **values: str) -> str:
    """A line of the file with the optional columns too."""
    base = {column: value for column, value in zip(COLUMNS, line(number).split(";"), strict=True)}
    row = {**base, **OPTIONAL_OK, **values}
    return ";".join(row[column] for column in ALL_COLUMNS)


def _leap_day_lines(first: int) -> list[str]:
    """Born on 29 February 2004: 21 on 28 February 2025 (rules.base.age_on), not on 1 March; and the day after."""
    dates = {"date_conclusion": "2025-02-20", "date_debut": "2025-02-28", "annee_naissance": "2004"}
    return [
        full_line(f"P-{first:04d}", date_naissance="2004-02-29", **dates),
        full_line(f"P-{first + 1:04d}", date_naissance="2004-03-01", **dates),
    ]


def text_file(lines: list[str], header: str = HEADER, ending: str = "\n") -> bytes:
    return ending.join([header, *lines]).encode("utf-8") + ending.encode()


# Each case: a name and the bytes of the file. "sql" cases must be validated by the SQL path itself; "fallback"
# cases are files COPY does not take as they are (the SQL path hands them to the line-by-line path).
SQL_CASES: dict[str, Callable[[], bytes]] = {
    "valid lines": lambda: text_file([line("P-0001"), line("P-0002", sexe="1", niveau="5")]),
    "impossible and badly written dates": lambda: text_file(
        [
            line("P-0001", date_debut="2025-02-30"),
            line("P-0002", date_conclusion="2025/08/20"),
            line("P-0003", date_fin_prevue="2025-13-01"),
            line("P-0004", date_rupture="2024-02-29", motif_rupture="demission"),  # leap day, before start
            line("P-0005", date_rupture="2025-02-29", motif_rupture="demission"),
            line("P-0006", date_debut="0000-01-01"),
            line("P-0007", date_fin_prevue="2150-02-29"),  # outside the calendar table, not a leap year
            line("P-0008", date_fin_prevue="2400-02-29"),  # outside the calendar table, a leap year
            line("P-0009", date_conclusion="1850-06-31"),
        ]
    ),
    "date order and break reasons": lambda: text_file(
        [
            line("P-0001", date_fin_prevue="2025-08-01"),
            line("P-0002", date_fin_prevue="2025-09-01"),
            line("P-0003", date_rupture="2027-09-01", motif_rupture="demission"),
            line("P-0004", motif_rupture="demission"),
            line("P-0005", date_rupture="2025-10-01"),
            line("P-0006", date_rupture="2025-10-01", motif_rupture="fuite"),
        ]
    ),
    "unknown references": lambda: text_file(
        [
            line("P-0001", commune_travail="99999"),
            line("P-0002", commune_formation="2A999"),
            line("P-0003", code_rome="Z9999"),
            line("P-0004", code_rome="d1102"),
            line("P-0005", code_naf="99.99Z"),
            line("P-0006", code_rncp="RNCP0"),
            line("P-0007", niveau="9"),
            line("P-0008", niveau="03"),  # a valid level written with a zero
            line("P-0009", niveau="x"),
            line("P-0010", tranche_effectif="10-50"),
        ]
    ),
    "identifiers, birth years and sexes": lambda: text_file(
        [
            line("P-0001"),
            line("P-0001"),  # duplicate
            line("P-0002", sexe="X"),
            line("P-0002"),  # not a duplicate: the first P-0002 is rejected
            line("P-0002"),  # duplicate of the line above
            line("-P-0003"),
            line("P-0004" + "9" * 30),
            line("P-0005", annee_naissance="06"),
            line("P-0006", annee_naissance="1900"),
            line("P-0007", annee_naissance="2020"),
            line("P-0008", numero_contrat="", sexe=""),
        ]
    ),
    "SIRET keys": lambda: text_file(
        [
            line("P-0001", siret_employeur="73282932000074"),  # valid key
            line("P-0002", siret_employeur="73282932000075"),
            line("P-0003", siret_cfa="1234"),
            line("P-0004", siret_cfa="35600000000048"),  # La Poste: digit sum divisible by 5
            line("P-0005", siret_employeur="3560000000004A"),
        ]
    ),
    "optional columns": lambda: text_file(
        [
            full_line("P-0001"),
            full_line("P-0002", date_naissance="2005-03-14"),
            full_line("P-0003", date_naissance="2006-02-30"),
            full_line("P-0004", date_naissance="14/03/2006"),
            full_line("P-0005", uai_cfa="596789X"),
            full_line("P-0006", code_diplome="5002214"),
            full_line("P-0007", type_contrat="CDX"),
            full_line("P-0008", rqth="peut_etre"),
            full_line("P-0009", secteur_employeur="17"),
            full_line("P-0010", secteur_employeur="23", rqth="1", type_contrat="CDI", date_naissance=""),
            full_line("P-0011", date_naissance="2006-09-02"),  # birthday after the start: one year younger
            *_leap_day_lines(12),
        ],
        header=FULL_HEADER,
    ),
    "blanks around values": lambda: text_file(
        [" P-0001 ;" + line("x").split(";", 1)[1], line("P-0002", sexe=" F\t", commune_travail="  99999 ")]
    ),
    "Windows line endings": lambda: text_file([line("P-0001"), line("P-0002", sexe="X")], ending="\r\n"),
    "columns in another order": lambda: text_file(
        [";".join(reversed(line("P-0001").split(";"))), ";".join(reversed(line("P-0002", niveau="2").split(";")))],
        header=";".join(reversed(COLUMNS)),
    ),
    "header only": lambda: text_file([]),
}
FALLBACK_CASES: dict[str, Callable[[], bytes]] = {
    "a Latin-1 line": lambda: (
        text_file([line("P-0001")])
        + line("P-0002", commune_travail="80021").replace("F", "F\xe9").encode("latin-1")
        + b"\n"
    ),
    "a truncated last line": lambda: text_file([line("P-0001")]) + line("P-0002").rsplit(";", 4)[0].encode(),
    "extra fields": lambda: text_file([line("P-0001") + ";en trop", line("P-0002")]),
    "quoted fields": lambda: text_file([line("P-0001"), '"P-0002";' + line("x").split(";", 1)[1]]),
    "blank lines": lambda: text_file([line("P-0001"), "", line("P-0002"), "   "]),
    "missing columns": lambda: b"numero_contrat;sexe\nA;F\n",
    "empty file": lambda: b"",
    "accented value": lambda: text_file([line("P-0001", commune_travail="Amiens-é")]),
}


def _run(path: Path, method: str) -> tuple:
    """Import in a savepoint rolled back afterwards: (report, rows written)."""
    fields = ("contract_number", "birth_year", "birth_date", "age_band", "sex", "level_id", "rome_job_id",
              "training_centre_uai", "diploma_cfd", "contract_kind", "rqth", "employer_sector", "starts_on",
              "break_on", "break_reason", "headcount_band", "workplace_commune_id")  # fmt: skip
    try:
        with transaction.atomic():
            report = import_contracts(path=path, method=method)
            rows = sorted(Contract.objects.filter(contract_number__startswith="P-").values_list(*fields))
            raise _Undo
    except _Undo:
        pass
    return report, rows


class _Undo(Exception):
    pass


def _summary(report) -> tuple:
    return (
        report.read,
        report.created,
        report.rejected_total,
        [(rejection.line, rejection.reason) for rejection in report.rejected],
    )


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("le chemin SQL de l'import demande PostgreSQL")


@pytest.mark.parametrize(
    ("name", "method"),
    [(name, "sql") for name in SQL_CASES] + [(name, "python") for name in FALLBACK_CASES],
)
def test_both_paths_report_the_same_lines_with_the_same_reasons(name, method, tmp_path):
    _needs_postgresql()
    data = {**SQL_CASES, **FALLBACK_CASES}[name]()
    for suffix in (".csv", ".csv.gz"):
        path = tmp_path / f"contrats{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        by_line, line_rows = _run(path, "python")
        set_wise, set_rows = _run(path, "sql")
        assert set_wise.method == method, f"{name} : chemin {set_wise.method} au lieu de {method}"
        assert _summary(set_wise) == _summary(by_line), set_wise.as_text() + "\n---\n" + by_line.as_text()
        assert set_rows == line_rows


def test_the_sql_path_rejects_what_it_should_with_lines_and_reasons(tmp_path):
    """Not only the same as the line-by-line path: the expected reasons, on the expected lines."""
    _needs_postgresql()
    path = tmp_path / "contrats.csv"
    path.write_bytes(SQL_CASES["identifiers, birth years and sexes"]())
    report, _ = _run(path, "sql")
    assert report.method == "sql"
    reasons = {rejection.line: rejection.reason for rejection in report.rejected}
    assert sorted(reasons) == [3, 4, 6, 7, 8, 9, 10, 11, 12]
    assert reasons[3] == "numero_contrat P-0001 en double dans le fichier"
    assert reasons[4].startswith("sexe « X »")
    assert reasons[6] == "numero_contrat P-0002 en double dans le fichier"
    assert "1 à 30 lettres" in reasons[7] and "1 à 30 lettres" in reasons[8]
    assert "une année sur 4 chiffres" in reasons[9]
    assert "âge de 125 ans" in reasons[10] and "âge de 5 ans" in reasons[11]
    assert reasons[12] == "champ(s) obligatoire(s) vide(s) : numero_contrat, sexe"


def test_the_optional_columns_are_stored_and_the_birth_date_sets_the_age_band(tmp_path):
    path = tmp_path / "contrats.csv"
    path.write_bytes(
        text_file(
            [
                full_line("P-0001", date_naissance="2007-08-31", annee_naissance="2007"),  # 18 the day before
                full_line("P-0002", date_naissance="2007-09-02", annee_naissance="2007"),  # 17 at the start
                full_line("P-0003", date_naissance="", annee_naissance="2007", rqth="oui", secteur_employeur="21"),
                *_leap_day_lines(4),
            ],
            header=FULL_HEADER,
        )
    )
    report = import_contracts(path=path)
    assert not report.rejected, report.as_text()
    first, second, third, leap, after = Contract.objects.filter(contract_number__startswith="P-").order_by(
        "contract_number"
    )
    assert (leap.age_band, after.age_band) == ("21-25", "18-20")  # 21 on 28 February in a common year
    assert (first.birth_date, first.age_band, second.age_band, third.age_band) == (
        date(2007, 8, 31),
        "18-20",
        "15-17",
        "18-20",  # year only: 2025 - 2007
    )
    assert (first.training_centre_uai, first.diploma_cfd, first.contract_kind) == ("0596789X", "50022141", "CDD")
    assert (first.rqth, first.employer_sector, third.rqth, third.employer_sector) == (False, "prive", True, "public")


# Lines made of valid values, ASCII noise and blanks, so that the fuzzing reaches the SQL checks (arbitrary
# Unicode would only exercise the fallback).
VALID = line("F-1").split(";")
NOISE = st.text(alphabet=st.sampled_from("0123456789-AFMZaz _/.:;"), max_size=12)


@st.composite
def ascii_files(draw) -> bytes:
    rows = []
    for index in range(draw(st.integers(min_value=0, max_value=6))):
        cells = [f"F-{index % 3}", *VALID[1:]]
        for position in draw(st.lists(st.integers(min_value=0, max_value=len(cells) - 1), max_size=4)):
            cells[position] = draw(NOISE)
        rows.append(";".join(cells))
    return text_file(rows)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=ascii_files())
def test_fuzzed_ascii_files_give_the_same_report_on_both_paths(data, tmp_path_factory):
    _needs_postgresql()
    path = tmp_path_factory.mktemp("fuzz") / "contrats.csv"
    path.write_bytes(data)
    before = Contract.objects.count()
    by_line, line_rows = _run(path, "python")
    set_wise, set_rows = _run(path, "sql")
    assert _summary(set_wise) == _summary(by_line), set_wise.as_text() + "\n---\n" + by_line.as_text()
    assert set_rows == line_rows
    assert Contract.objects.count() == before
