import math
import random

import pytest

from guichet.core.text import search_key
from guichet.territory.models import BasinGrid, Commune
from guichet.territory.selectors import (
    EARTH_RADIUS_KM,
    _name_rank,
    basin_commune_codes,
    basin_get,
    basin_list,
    bounding_box,
    bounding_box_q,
    commune_basin,
    commune_get,
    commune_ids_within,
    commune_search,
    communes_within,
    distance_km_expression,
    haversine_km,
)

# --- haversine and bounding box (no database) ------------------------------------------------------------------


def test_haversine_of_a_point_to_itself_is_zero():
    assert haversine_km(49.9, 2.3, 49.9, 2.3) == 0


def test_haversine_gives_111_km_per_degree_along_a_meridian():
    assert haversine_km(49.0, 2.0, 50.0, 2.0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 180, rel=1e-9)
    assert haversine_km(49.0, 2.0, 50.0, 2.0) == pytest.approx(111.2, abs=0.1)


def test_haversine_matches_known_city_distances():
    # Paris (Notre-Dame) to London (Charing Cross): about 344 km; Paris to New York: about 5,837 km.
    assert haversine_km(48.8530, 2.3499, 51.5074, -0.1278) == pytest.approx(343.5, abs=2)
    assert haversine_km(48.8566, 2.3522, 40.7128, -74.0060) == pytest.approx(5837, abs=10)


def test_haversine_is_symmetric_and_handles_the_antimeridian():
    assert haversine_km(10, 179.5, 10, -179.5) == pytest.approx(haversine_km(10, -179.5, 10, 179.5))
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.1)


def test_bounding_box_holds_every_point_of_the_circle():
    rng = random.Random(7)
    for latitude, radius in ((49.9, 30), (45.0, 200), (-21.1, 50), (0.0, 10), (70.0, 150)):
        box = bounding_box(latitude=latitude, longitude=2.0, radius_km=radius)
        for _ in range(500):
            # Random point on the circle of this radius, by bearing (spherical destination formula).
            bearing, angular = rng.uniform(0, 2 * math.pi), radius / EARTH_RADIUS_KM
            phi1, lambda1 = math.radians(latitude), math.radians(2.0)
            phi2 = math.asin(
                math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(bearing)
            )
            lambda2 = lambda1 + math.atan2(
                math.sin(bearing) * math.sin(angular) * math.cos(phi1),
                math.cos(angular) - math.sin(phi1) * math.sin(phi2),
            )
            assert box.contains(latitude=math.degrees(phi2), longitude=math.degrees(lambda2))


def test_bounding_box_is_tight():
    box = bounding_box(latitude=49.9, longitude=2.3, radius_km=30)
    assert haversine_km(49.9, 2.3, box.max_latitude, 2.3) == pytest.approx(30, abs=0.01)
    assert haversine_km(49.9, 2.3, box.min_latitude, 2.3) == pytest.approx(30, abs=0.01)
    # The widest longitude is reached slightly poleward of the centre, and no farther than the radius.
    assert 30 < haversine_km(49.9, 2.3, 49.9, box.max_longitude) < 30.2


def test_bounding_box_spans_all_longitudes_near_a_pole_or_the_antimeridian():
    polar = bounding_box(latitude=89.9, longitude=0, radius_km=50)
    assert (polar.min_longitude, polar.max_longitude, polar.max_latitude) == (-180, 180, 90)
    pacific = bounding_box(latitude=-17.5, longitude=179.9, radius_km=50)
    assert (pacific.min_longitude, pacific.max_longitude) == (-180, 180)


def test_bounding_box_refuses_a_negative_radius():
    with pytest.raises(ValueError):
        bounding_box(latitude=0, longitude=0, radius_km=-1)


# --- communes within R km ---------------------------------------------------------------------------------------


def _brute_force(commune: Commune, radius_km: float) -> dict[str, float]:
    return {
        insee: haversine_km(commune.latitude, commune.longitude, latitude, longitude)
        for insee, latitude, longitude in Commune.objects.exclude(latitude=None).values_list(
            "insee", "latitude", "longitude"
        )
        if haversine_km(commune.latitude, commune.longitude, latitude, longitude) <= radius_km
    }


@pytest.mark.django_db
def test_amiens_lille_distance_is_about_100_km():
    amiens, lille = Commune.objects.get(insee="80021"), Commune.objects.get(insee="59350")
    assert haversine_km(amiens.latitude, amiens.longitude, lille.latitude, lille.longitude) == pytest.approx(
        100, abs=5
    )


@pytest.mark.django_db
def test_communes_within_starts_with_the_commune_itself_and_stays_in_the_radius():
    amiens = Commune.objects.get(insee="80021")
    nearby = communes_within(commune=amiens, radius_km=30)
    assert (nearby[0].insee, nearby[0].distance_km) == ("80021", 0.0)
    assert all(item.distance_km <= 30 for item in nearby)
    assert [item.distance_km for item in nearby] == sorted(item.distance_km for item in nearby)
    assert len(nearby) > 100


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("insee", "radius_km"), [("80021", 30), ("59350", 15), ("02691", 50), ("2A004", 40), ("97411", 25), ("75056", 5)]
)
def test_communes_within_equals_a_brute_force_scan_of_all_communes(insee, radius_km):
    commune = Commune.objects.get(insee=insee)
    expected = _brute_force(commune, radius_km)
    nearby = communes_within(commune=commune, radius_km=radius_km)
    assert {item.insee: item.distance_km for item in nearby} == pytest.approx(expected)
    ids = set(Commune.objects.filter(insee__in=expected).values_list("id", flat=True))
    assert set(commune_ids_within(commune=commune, radius_km=radius_km)) == ids


@pytest.mark.django_db
def test_a_commune_just_outside_the_radius_is_excluded_and_just_inside_included():
    amiens = Commune.objects.get(insee="80021")
    farthest = communes_within(commune=amiens, radius_km=30)[-1]
    assert farthest.insee not in {
        item.insee for item in communes_within(commune=amiens, radius_km=farthest.distance_km - 0.01)
    }
    assert farthest.insee in {
        item.insee for item in communes_within(commune=amiens, radius_km=farthest.distance_km + 0.01)
    }


@pytest.mark.django_db
def test_a_commune_without_coordinates_is_near_itself_only():
    commune = Commune.objects.get(insee="14581")
    assert commune.latitude is None
    assert [item.insee for item in communes_within(commune=commune, radius_km=50)] == ["14581"]
    assert commune_ids_within(commune=commune, radius_km=50) == [commune.pk]


@pytest.mark.django_db
def test_arrondissements_can_be_left_out():
    paris = Commune.objects.get(insee="75056")
    with_all = {item.insee for item in communes_within(commune=paris, radius_km=5)}
    without = {item.insee for item in communes_within(commune=paris, radius_km=5, include_arrondissements=False)}
    assert "75115" in with_all
    assert without == {insee for insee in with_all if not insee.startswith(("751", "6938", "132"))}


@pytest.mark.django_db
def test_sql_distance_expression_matches_python_haversine():
    lille = Commune.objects.get(insee="59350")
    rows = (
        Commune.objects.filter(bounding_box_q(latitude=lille.latitude, longitude=lille.longitude, radius_km=20))
        .annotate(distance=distance_km_expression(latitude=lille.latitude, longitude=lille.longitude))
        .filter(distance__lte=20)
        .values_list("insee", "distance")
    )
    assert dict(rows) == pytest.approx(_brute_force(lille, 20), abs=1e-6)


# --- search -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("amiens", "80021"),
        ("AMIENS", "80021"),
        ("saint quentin", "02691"),
        ("Saint-Quentin", "02691"),
        ("st quentin", "02691"),
        ("peronne", "80620"),
        ("Péronne", "80620"),
        ("80000", "80021"),
        ("02691", "02691"),
        ("2a004", "2A004"),
        ("lille", "59350"),
    ],
)
def test_search_puts_the_expected_commune_first(query, first):
    assert commune_search(q=query, limit=5)[0].insee == first


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["saint", "amiens", "lille", "bray sur", "quentin", "mont"])
def test_search_ranks_exact_then_prefix_then_word_then_contains_then_population(query):
    results = commune_search(q=query, limit=50)
    assert results
    key = search_key(query)
    keys = [(_name_rank(name=c.search_name, key=key, words=key.split()), -(c.population or 0)) for c in results]
    assert keys == sorted(keys)


@pytest.mark.django_db
def test_search_by_postcode_prefix_matches_only_those_postcodes():
    results = commune_search(q="8010", limit=20)
    assert results
    assert all(any(code.startswith("8010") for code in commune.postcode_list) for commune in results)


@pytest.mark.django_db
def test_search_respects_the_limit_and_ignores_empty_queries():
    assert len(commune_search(q="saint", limit=7)) == 7
    assert commune_search(q=" -' ", limit=5) == []
    assert commune_search(q="zzzzqqq", limit=5) == []


# --- lookups and basins -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_commune_get_accepts_codes_in_any_case_and_refuses_malformed_ones():
    assert commune_get(insee="2a004").name == "Ajaccio"
    assert commune_get(insee="80021").department.region.code == "32"
    assert commune_get(insee="99999") is None
    assert commune_get(insee="'; drop table") is None


@pytest.mark.django_db
def test_commune_basin_gives_the_zone_and_the_bmo_basin():
    amiens = Commune.objects.get(insee="80021")
    assert commune_basin(commune=amiens, grid=BasinGrid.ZONE_EMPLOI).code == "3202"
    assert commune_basin(commune=amiens, grid=BasinGrid.BMO).code == "3202"
    assert commune_basin(commune=Commune.objects.get(insee="75056"), grid=BasinGrid.ZONE_EMPLOI) is None


@pytest.mark.django_db
def test_basin_list_and_get_cover_each_grid():
    assert [basin.code for basin in basin_list(grid=BasinGrid.ZONE_EMPLOI)][:3] == ["0054", "0058", "3201"]
    assert basin_list(grid=BasinGrid.BMO).count() == 28
    assert basin_get(grid=BasinGrid.BMO, code="0054") is None
    beauvais = basin_get(grid=BasinGrid.ZONE_EMPLOI, code="0054")
    assert beauvais.interregional and beauvais.geometry["type"] == "MultiPolygon"
    codes = basin_commune_codes(basins=[beauvais])[beauvais.pk]
    assert len(codes) == 303 and codes == sorted(codes)
