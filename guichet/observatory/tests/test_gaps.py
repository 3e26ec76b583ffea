"""Needs versus places for one area are the same rows as the whole grid's, filtered (the zone page asks for one)."""

import pytest

from guichet.observatory.selectors import gaps

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("grid", "area"), [("zone", "3202"), ("zone", "0054"), ("basin", "3202")])
def test_the_gaps_of_one_area_are_the_grids_rows_of_that_area(grid, area):
    def key(row):
        return (row.area, row.rome, row.needs, row.secret_cells, row.difficult, row.places, row.contracts)

    whole = [key(row) for row in gaps(grid=grid) if row.area == area]
    assert whole, "no needs in this area: the test would prove nothing"
    assert [key(row) for row in gaps(grid=grid, area=area)] == whole
