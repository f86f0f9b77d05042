"""Amap (GCJ-02), Baidu (BD-09) and Tencent links land on the true WGS-84 place.

Truth: known WGS-84 points in seven Chinese cities, moved into each vendor's
datum by the forward transform (the one the apps apply), written into the
link with the 6 decimals the apps use, then parsed back.
"""

from __future__ import annotations

import math
import random

import pytest

from custom_components.car_bridge.places import Datum, parse_place
from custom_components.car_bridge.places.datum import (
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

from .test_corpus import _metres

CITIES = {
    "Beijing, Tiananmen": (39.908722, 116.397499),
    "Shanghai, the Bund": (31.240015, 121.490317),
    "Guangzhou, Canton Tower": (23.106414, 113.324553),
    "Shenzhen, Civic Center": (22.543096, 114.057865),
    "Chengdu, Tianfu Square": (30.657420, 104.065840),
    "Wuhan, Yellow Crane Tower": (30.544860, 114.302640),
    "Xi'an, Bell Tower": (34.261004, 108.942337),
    "Harbin, Central Street": (45.773225, 126.617470),
    "Urumqi, People's Square": (43.793026, 87.627704),
}

# lbs.amap.com/api/uri-api/guide/mobile-web/point (marker), /guide/travel/route
# (navigation), lbs.amap.com/api/amap-mobile/guide/android/route (amapuri, androidamap),
# lbs.amap.com/api/amap-mobile/guide/ios/navi (iosamap), m.amap.com/navi
AMAP_FORMS = [
    "https://uri.amap.com/marker?position={lon},{lat}&name=%E5%A4%A9%E5%AE%89%E9%97%A8&src=app",
    "https://uri.amap.com/navigation?to={lon},{lat},Place&mode=car&policy=1&src=app",
    "amapuri://route/plan/?dlat={lat}&dlon={lon}&dname=Place&dev=0&t=0",
    "androidamap://viewMap?sourceApplication=app&poiname=Place&lat={lat}&lon={lon}&dev=0",
    "iosamap://navi?sourceApplication=app&poiname=Place&lat={lat}&lon={lon}&dev=0&style=2",
    "https://m.amap.com/navi/?dest={lon},{lat}&destName=Place&key=abc",
    # where an Amap app share (surl.amap.com) leads
    "https://wb.amap.com/?p=B000A8UIN8,{lat},{lon},%E5%A4%A9%E5%AE%89%E9%97%A8,%E5%8C%97%E4%BA%AC&fromSource=app",
    "https://ditu.amap.com/regeo?lng={lon}&lat={lat}&name=Place",
    "【高德地图】天安门\n北京市东城区长安街\nhttps://uri.amap.com/marker?position={lon},{lat}",
]
# lbsyun.baidu.com/index.php?title=uri/api/web (marker, direction) and
# lbsyun.baidu.com/index.php?title=uri/api/android (baidumap://)
BAIDU_FORMS = [
    "http://api.map.baidu.com/marker?location={lat},{lon}&title=Place&content=Addr&output=html&src=app",
    "https://api.map.baidu.com/direction?origin=latlng:39.9,116.4|name:A&destination=latlng:{lat},{lon}"
    "|name:Place&mode=driving&region=x&output=html&src=app",
    "baidumap://map/marker?location={lat},{lon}&title=Place&content=Addr&src=app",
    "baidumap://map/direction?destination=latlng:{lat},{lon}|name:Place&coord_type=bd09ll&mode=driving",
    "baidumap://map/navi?location={lat},{lon}&src=app",
    "https://map.baidu.com/?latlng={lat},{lon}&title=Place&content=Addr&autoOpen=true",
]
# lbs.qq.com/webApi/uriV1/uriGuide/uriWebMarker and uriWebRoute
TENCENT_FORMS = [
    "https://apis.map.qq.com/uri/v1/marker?marker=coord:{lat},{lon};title:Place;addr:Addr&referer=app",
    "https://apis.map.qq.com/uri/v1/routeplan?type=drive&to=Place&tocoord={lat},{lon}&referer=app",
    "qqmap://map/routeplan?type=drive&to=Place&tocoord={lat},{lon}&referer=app",
]


def _cases() -> list[tuple[str, str, float, float, Datum]]:
    cases = []
    for city, (lat, lon) in CITIES.items():
        g_lat, g_lon = (f"{v:.6f}" for v in wgs84_to_gcj02(lat, lon))
        b_lat, b_lon = (f"{v:.6f}" for v in wgs84_to_bd09(lat, lon))
        cases += [
            (city, form.format(lat=g_lat, lon=g_lon), lat, lon, Datum.GCJ02)
            for form in AMAP_FORMS + TENCENT_FORMS
        ]
        cases += [
            (city, form.format(lat=b_lat, lon=b_lon), lat, lon, Datum.BD09) for form in BAIDU_FORMS
        ]
    return cases


@pytest.mark.parametrize(("city", "link", "lat", "lon", "datum"), _cases())
def test_china_links_land_on_the_true_place(
    city: str, link: str, lat: float, lon: float, datum: Datum
) -> None:
    place = parse_place(link)
    assert place.converted_from is datum
    assert _metres(place.latitude, place.longitude, lat, lon) < 1.0, city


def test_taken_raw_they_would_be_far_off() -> None:
    """Why the conversion matters: the raw numbers are hundreds of metres off."""
    for lat, lon in CITIES.values():
        assert 100 < _metres(*wgs84_to_gcj02(lat, lon), lat, lon) < 1000
        assert 700 < _metres(*wgs84_to_bd09(lat, lon), lat, lon) < 2000


def test_forward_transforms_match_the_published_reference() -> None:
    """wandergis/coordtransform's README values for (116.404, 39.915)."""
    assert wgs84_to_gcj02(39.915, 116.404) == pytest.approx(
        (39.91640428150164, 116.41024449916938), abs=1e-9
    )
    assert gcj02_to_bd09(39.915, 116.404) == pytest.approx(
        (39.92133699351022, 116.41036949371029), abs=1e-9
    )


def test_iterated_inverse_is_exact_where_one_step_is_not() -> None:
    rng = random.Random(18)
    worst_one_step = 0.0
    for _ in range(2000):
        lat, lon = rng.uniform(18.5, 45.0), rng.uniform(98.0, 122.0)
        if not in_china(lat, lon):
            continue
        g_lat, g_lon = wgs84_to_gcj02(lat, lon)
        assert _metres(*gcj02_to_wgs84(g_lat, g_lon), lat, lon) < 0.001
        assert _metres(*bd09_to_wgs84(*gcj02_to_bd09(g_lat, g_lon)), lat, lon) < 0.001
        # The one-step inverse subtracts the offset measured at the GCJ point.
        d_lat, d_lon = wgs84_to_gcj02(g_lat, g_lon)
        worst_one_step = max(
            worst_one_step, _metres(2 * g_lat - d_lat, 2 * g_lon - d_lon, lat, lon)
        )
    assert worst_one_step > 1.0  # what the iteration saves


@pytest.mark.parametrize(
    ("link", "lat", "lon"),
    [
        # Outside mainland China the apps use WGS-84: Taipei, Tokyo and
        # Seoul are not shifted.
        ("https://uri.amap.com/marker?position=121.564558,25.033964", 25.033964, 121.564558),
        ("https://uri.amap.com/marker?position=139.767125,35.681236", 35.681236, 139.767125),
        ("https://uri.amap.com/marker?position=126.978388,37.566610", 37.566610, 126.978388),
        (
            "http://api.map.baidu.com/marker?location=35.681236,139.767125&title=Tokyo",
            35.681236,
            139.767125,
        ),
        # Amap's coordinate=wgs84 and dev=1, Baidu's coord_type=wgs84: already WGS-84.
        (
            "https://uri.amap.com/marker?position=116.397499,39.908722&coordinate=wgs84",
            39.908722,
            116.397499,
        ),
        ("amapuri://route/plan/?dlat=39.908722&dlon=116.397499&dev=1", 39.908722, 116.397499),
        (
            "baidumap://map/marker?location=39.908722,116.397499&coord_type=wgs84",
            39.908722,
            116.397499,
        ),
    ],
)
def test_no_conversion_where_none_applies(link: str, lat: float, lon: float) -> None:
    place = parse_place(link)
    assert place.converted_from is None
    assert (place.latitude, place.longitude) == pytest.approx((lat, lon), abs=1e-9)


def test_baidu_gcj_coordinates_are_converted_as_gcj() -> None:
    lat, lon = CITIES["Beijing, Tiananmen"]
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    place = parse_place(f"baidumap://map/marker?location={g_lat:.6f},{g_lon:.6f}&coord_type=gcj02")
    assert place.converted_from is Datum.GCJ02
    assert _metres(place.latitude, place.longitude, lat, lon) < 1.0


def test_in_china_boundary() -> None:
    assert in_china(39.9, 116.4)
    assert in_china(43.8, 87.6)  # Urumqi
    assert not in_china(25.03, 121.56)  # Taipei
    assert not in_china(37.57, 126.98)  # Seoul
    assert not in_china(52.37, 4.89)
    assert math.isfinite(gcj02_to_wgs84(39.9, 116.4)[0])
