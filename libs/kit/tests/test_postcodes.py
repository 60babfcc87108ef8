"""The shared postcode table: known postcodes have German coordinates, others none."""

from teilhabe_kit import postcodes


def test_known_postcode_has_coordinates_in_germany():
    lat, lon = postcodes.lookup("30159")  # Hannover
    assert 52.0 < lat < 53.0 and 9.0 < lon < 10.5


def test_unknown_or_malformed_postcodes_have_none():
    assert postcodes.lookup("00000") is None
    assert postcodes.lookup("3015") is None
    assert postcodes.lookup("abcde") is None


def test_table_is_complete():
    assert postcodes.count() > 8000
