"""The zone's map: the shipped outline is valid GeoJSON and a point falls in the area drawn around it."""

from hypothesis import given
from hypothesis import strategies as st

from yingshang.core import geo

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]


@given(st.floats(0.01, 9.99), st.floats(0.01, 9.99))
def test_inside_a_square(x, y):
    assert geo.inside(x, y, SQUARE)


@given(st.floats(-100, 100), st.floats(-100, 100))
def test_outside_the_square_is_outside(x, y):
    if not (0 <= x <= 10 and 0 <= y <= 10):
        assert not geo.inside(x, y, SQUARE)


def test_the_shipped_map_has_named_areas_in_the_zone(settings):
    settings.ZONE_MAP_FILE = ""
    features = geo.zone_map()["features"]
    assert len(features) >= 4 and all(f["properties"]["name"] for f in features)
    west, south, east, north = geo.bounds(features)
    assert 125.0 < west < east < 125.5 and 43.7 < south < north < 44.0
    centre = ((west + east) / 2, (south + north) / 2)
    assert geo.area_of(*centre, features) is not None
    assert geo.area_of(west - 0.1, south - 0.1, features) is None
