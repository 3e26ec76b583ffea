"""Fuzzing the file importers (hypothesis): any byte string gives a clear rejection or a clean import,
never a crash and never a partial write."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.contracts.importers import COLUMNS as CONTRACT_COLUMNS
from guichet.contracts.importers import DELIMITER as CONTRACT_DELIMITER
from guichet.contracts.importers import import_contracts
from guichet.contracts.models import Contract
from guichet.core.importing import ImportRejected
from guichet.employers.importers import CENSUS_COLUMNS, import_census, import_naf
from guichet.employers.models import EstablishmentCensus, NafActivity
from guichet.trainings.importers import CENTRE_COLUMNS, CERTIFICATION_COLUMNS, import_centres, import_certifications
from guichet.trainings.models import Certification, TrainingCentre

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Importer:
    name: str
    run: Callable[[Path], object]
    header: str
    models: tuple[type[models.Model], ...]
    suffix: str = ".csv"


IMPORTERS = [
    Importer("naf", lambda path: import_naf(path=path), "code,libelle,niveau", (NafActivity,)),
    Importer(
        "census",
        lambda path: import_census(path=path),
        ",".join(["code_insee", "etab_total", *CENSUS_COLUMNS.values()]),
        (EstablishmentCensus,),
    ),
    Importer("centres", lambda path: import_centres(path=path), ",".join(CENTRE_COLUMNS), (TrainingCentre,)),
    Importer(
        "certifications",
        lambda path: import_certifications(path=path),
        ",".join(CERTIFICATION_COLUMNS),
        (Certification,),
    ),
    Importer(
        "contracts",
        lambda path: import_contracts(path=path),
        CONTRACT_DELIMITER.join(CONTRACT_COLUMNS),
        (Contract,),
    ),
]

# Bytes anywhere: raw noise, text lines, and the right header followed by noise or by text fields, so that
# the fuzzing gets past the header check into the line parsing.
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def payloads(header: str) -> st.SearchStrategy[bytes]:
    delimiter = ";" if ";" in header else ","
    width = header.count(delimiter) + 1
    rows = st.lists(st.lists(CELL, min_size=0, max_size=width + 2), max_size=5).map(
        lambda lines: "\n".join(delimiter.join(cells) for cells in lines)
    )
    return st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
        rows.map(lambda body: f"{header}\n{body}".encode()),
        st.binary(max_size=200).map(lambda noise: header.encode() + b"\n" + noise),
        st.binary(max_size=200).map(lambda noise: b"\xef\xbb\xbf" + header.encode() + b"\r\n" + noise),
    )


def _counts(importer: Importer) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in importer.models)


def _rejections(result: object) -> list[object]:
    reports = result if isinstance(result, list) else [result]
    return [rejection for report in reports for rejection in getattr(report, "rejected", [])]


@pytest.mark.parametrize("importer", IMPORTERS, ids=[importer.name for importer in IMPORTERS])
def test_any_bytes_give_a_clear_rejection_or_a_clean_import_never_a_crash_or_a_partial_write(importer, tmp_path):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=payloads(importer.header), gzipped=st.booleans())
    def check(data: bytes, gzipped: bool) -> None:
        path = tmp_path / f"fichier{'.csv.gz' if gzipped else importer.suffix}"
        path.write_bytes(gzip.compress(data) if gzipped else data)
        before = _counts(importer)
        try:
            result = importer.run(path)
        except ImportRejected as error:
            result = error.report
        rejected = _rejections(result)
        if rejected:
            assert _counts(importer) == before, "rows were written although the file was rejected"
            for rejection in rejected:
                reason = str(rejection)
                assert reason.strip(), "a rejection without a reason"
                assert "Traceback" not in reason

    check()


# Found by this fuzzing, then fixed in guichet/core/importing.read_csv: a damaged .gz crashed the importers
# built on it (EOFError / BadGzipFile are not ValueError), and a non-UTF-8 file got Python's English message.
@pytest.mark.parametrize("importer", IMPORTERS, ids=[importer.name for importer in IMPORTERS])
def test_a_damaged_compressed_or_non_utf8_file_is_rejected_in_french(importer, tmp_path):
    damaged = tmp_path / "fichier.csv.gz"
    damaged.write_bytes(gzip.compress(importer.header.encode() + b"\n" + b"x" * 100)[:30])
    latin1 = tmp_path / "fichier.csv"
    latin1.write_bytes(importer.header.encode() + "\nÉcole,é,è\n".encode("latin-1"))
    for path in (damaged, latin1):
        try:
            result = importer.run(path)
        except ImportRejected as error:
            result = error.report
        reasons = " ".join(str(rejection) for rejection in _rejections(result))
        assert reasons, f"{path.name} was not rejected"
        assert "codec" not in reasons and "byte" not in reasons, reasons
