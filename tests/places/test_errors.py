"""What cannot be placed is an error with a reason, never a guess; names and addresses."""

from __future__ import annotations

from pathlib import Path

import pytest

from custom_components.car_bridge.places import (
    PlaceError,
    PlaceErrorReason,
    find_links,
    is_short_link,
    parse_link,
    parse_place,
)
from custom_components.car_bridge.places.codes import geohash, osm_shortcode

NO_COORDINATES = [
    "https://www.google.com/maps/search/?api=1&query=centurylink+field",
    "https://www.google.com/maps/dir/?api=1&destination=Pike+Place+Market",
    "https://www.google.com/maps/place/Amsterdam/data=!4m2!3m1!1s0x47c63fb5949a7755:0x6600fd4cb7c0af8d",
    "https://www.google.com/maps/dir/Utrecht/Amsterdam/@52.2,5.0,10z",  # the @ view is not the stop
    "https://maps.google.com/?q=Eiffel+Tower&ll=48.85,2.29",  # a search around a view
    "https://maps.google.com/maps?cid=1234567890",
    "https://maps.apple.com/?q=Rijksmuseum",
    "https://maps.apple.com/?daddr=Cupertino&ll=37.33,-122.03",
    "https://maps.apple.com/?address=1%20Infinite%20Loop,%20Cupertino",
    "geo:0,0?q=1600+Amphitheatre+Parkway,+CA",
    "geo:0,0",
    "https://www.openstreetmap.org/node/123456",
    "https://www.openstreetmap.org/search?query=Dam",
    "https://www.waze.com/ul?q=66%20Acacia%20Avenue",
    "https://www.waze.com/live-map/directions?to=place.ChIJ1234",
    "https://uri.amap.com/search?keyword=%E5%A4%A9%E5%AE%89%E9%97%A8",
    "https://www.amap.com/place/B000A83M61",
    "https://map.baidu.com/search/%E5%A4%A9%E5%AE%89%E9%97%A8",
    "https://yandex.ru/maps/?text=Moscow&ll=37.6,55.7",
    "https://www.bing.com/maps?where1=Seattle",
    "https://yandex.ru/maps/?pt=37.6,55.7~37.7,55.8",  # two pins: which one?
    "https://example.com/?ll=52.37,4.89",  # not a map
    "Dinner at Anna's, 8 pm",
    "Rijksmuseum\nMuseumstraat 1, Amsterdam",
    "Flat 12, 5",
]


@pytest.mark.parametrize("text", NO_COORDINATES)
def test_no_coordinates_is_an_error(text: str) -> None:
    with pytest.raises(PlaceError) as err:
        parse_place(text)
    assert err.value.reason is PlaceErrorReason.NO_COORDINATES


@pytest.mark.parametrize(
    "text",
    [
        "https://maps.app.goo.gl/qy3uCK4LkV3SNz9X7",
        "https://goo.gl/maps/Gu3zWR4PbF82",
        "https://maps.apple/p/Ww7YD4hVZU2rsA",
        "https://surl.amap.com/2C9zXtyq1b2l",
        "Rijksmuseum\nMuseumstraat 1, 1071 XX Amsterdam\nhttps://maps.app.goo.gl/qy3uCK4LkV3SNz9X7",
    ],
)
def test_short_links_need_a_lookup(text: str) -> None:
    with pytest.raises(PlaceError) as err:
        parse_place(text)
    assert err.value.reason is PlaceErrorReason.SHORT_LINK
    assert err.value.url is not None
    assert is_short_link(err.value.url)


@pytest.mark.parametrize(
    "text",
    [
        "geo:91,0",
        "https://maps.google.com/?q=52.37,190.5",
        "https://www.waze.com/ul?ll=-95,4",
        "95.123, 4.5",
        "https://www.google.com/maps/place/x/data=!3d99.1!4d4.1",
    ],
)
def test_outside_the_map(text: str) -> None:
    with pytest.raises(PlaceError) as err:
        parse_place(text)
    assert err.value.reason is PlaceErrorReason.OUT_OF_RANGE


@pytest.mark.parametrize(
    "text",
    ["geo:52.37,4.89;crs=epsg:28992", "baidumap://map/marker?location=1,2&coord_type=bd09mc"],
)
def test_unknown_datum(text: str) -> None:
    with pytest.raises(PlaceError) as err:
        parse_place(text)
    assert err.value.reason is PlaceErrorReason.UNKNOWN_DATUM


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty(text: str) -> None:
    with pytest.raises(PlaceError) as err:
        parse_place(text)
    assert err.value.reason is PlaceErrorReason.EMPTY


def test_a_later_link_with_coordinates_wins_over_a_short_one() -> None:
    place = parse_place("https://maps.app.goo.gl/abc and geo:52.3731,4.8922")
    assert place.latitude == 52.3731


def test_android_share_gives_name_and_address() -> None:
    place = parse_place(
        "Rijksmuseum\nMuseumstraat 1, 1071 XX Amsterdam\n"
        "https://www.google.com/maps/place/Rijksmuseum/data=!8m2!3d52.3599976!4d4.8852188"
    )
    assert place.name == "Rijksmuseum"
    assert place.address == "Museumstraat 1, 1071 XX Amsterdam"
    assert place.origin == "google_place"


def test_names_from_links_and_given_ones_win() -> None:
    assert (
        parse_place("https://maps.apple.com/?ll=52.3731,4.8922&q=Dam%20Square").name == "Dam Square"
    )
    assert parse_place("geo:0,0?q=52.3731,4.8922(Dam%20Square)").name == "Dam Square"
    assert parse_place("geo:0,0?q=52.3731,4.8922(Dam Square)").name == "Dam Square"
    place = parse_place("https://www.google.com/maps/place/Eiffel+Tower/data=!3d48.85837!4d2.29448")
    assert place.name == "Eiffel Tower"
    apple = parse_place(
        "https://maps.apple.com/?address=Museumstraat%201&ll=52.36,4.885&q=Rijksmuseum"
    )
    assert (apple.name, apple.address) == ("Rijksmuseum", "Museumstraat 1")
    given = parse_place("geo:52.3731,4.8922", name="Dam", address="1012 Amsterdam")
    assert (given.name, given.address) == ("Dam", "1012 Amsterdam")
    assert (
        parse_place(
            "http://api.map.baidu.com/marker?location=35.68,139.76&title=T&content=C"
        ).address
        == "C"
    )
    dms_name = parse_place(
        "https://www.google.com/maps/place/52%C2%B022'23.2%22N+4%C2%B053'32.0%22E/data=!3d52.373111!4d4.892222"
    )
    assert dms_name.name is None  # the coordinates are no name


def test_find_links_in_text() -> None:
    text = "See https://osm.org/go/0EEQjEEb, or geo:52.37,4.89. Thanks!"
    assert find_links(text) == ["https://osm.org/go/0EEQjEEb", "geo:52.37,4.89"]


def test_parse_link_refuses_what_is_not_a_map() -> None:
    with pytest.raises(PlaceError):
        parse_link("https://example.com/")


def test_codes_reject_garbage() -> None:
    assert geohash("") is None
    assert geohash("u4pa!") is None
    assert osm_shortcode("") is None
    assert osm_shortcode("0E!Q") is None
    assert osm_shortcode("0E-Q") is None  # a zoom mark inside the code
    assert osm_shortcode("A" * 11) is None
    lat, lon, zoom = osm_shortcode("0EEQjE--") or (0.0, 0.0, 0)
    assert zoom == 9
    assert abs(lat - 51.511) < 0.01
    assert abs(lon - 0.055) < 0.01


def test_pure_room_imports_no_home_assistant() -> None:
    room = Path(__file__).parents[2] / "custom_components" / "car_bridge" / "places"
    for module in room.glob("*.py"):
        assert "homeassistant" not in module.read_text(encoding="utf-8"), module.name


def test_amap_share_page_gives_name_and_address() -> None:
    place = parse_place(
        "https://wb.amap.com/?p=B000A8UIN8,39.910001,116.403694,"
        "%E5%A4%A9%E5%AE%89%E9%97%A8,%E5%8C%97%E4%BA%AC%E5%B8%82,%E4%B8%9C%E5%9F%8E%E5%8C%BA"
    )
    assert place.name == "天安门"
    assert place.address == "北京市,东城区"
    assert place.converted_from is not None
