"""guichet.core.refcache: reference look-ups cached, forgotten on any change of the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core.refcache import cached_reference, reference_changed
from guichet.jobs.models import RomeJob
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_get

pytestmark = pytest.mark.django_db


def _amiens():
    return cached_reference("commune", "80021", lambda: commune_get(insee="80021"))


def test_a_commune_is_read_once_then_from_the_cache():
    with CaptureQueriesContext(connection) as first:
        commune = _amiens()
    with CaptureQueriesContext(connection) as second:
        again = _amiens()
    assert commune.name == again.name == "Amiens" and again.department.region.code == commune.department.region.code
    assert len(first) == 1 and len(second) == 0


def test_saving_a_row_forgets_the_cached_ones():
    _amiens()
    Commune.objects.filter(insee="80021").update(name="Amiens (renommée)")  # a bulk write: no signal
    assert _amiens().name == "Amiens"
    commune = Commune.objects.get(insee="80021")
    commune.save()  # the admin, a service: post_save
    assert _amiens().name == "Amiens (renommée)"
    Commune.objects.filter(insee="80021").update(name="Amiens")
    reference_changed()  # what the reference importer does after its commit
    assert _amiens().name == "Amiens"


def test_unknown_codes_are_not_cached():
    load = lambda: RomeJob.objects.filter(code="Z9999").first()  # noqa: E731
    assert cached_reference("rome_job", "Z9999", load) is None
    job = RomeJob.objects.create(code="Z9999", title="Métier ajouté", domain=RomeJob.objects.first().domain)
    assert cached_reference("rome_job", "Z9999", load) == job


def test_the_reference_importer_forgets_the_cached_rows(django_capture_on_commit_callbacks):
    from guichet.core.reference import load_reference_data

    Commune.objects.filter(insee="80021").update(name="Ancien nom")
    reference_changed()
    assert _amiens().name == "Ancien nom"  # cached
    with django_capture_on_commit_callbacks(execute=True):
        load_reference_data(only=["territory"])  # rewrites the real name
    assert _amiens().name == "Amiens"
