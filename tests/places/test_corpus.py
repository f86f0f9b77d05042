"""The link corpus: real forms users share, each parsed to within 1 m.

Every entry cites where the form comes from. Coordinates are the place the
link names; China's datums are checked against the true WGS-84 point in
test_china.py.
"""

from __future__ import annotations

import math

import pytest

from custom_components.car_bridge.places import Place, parse_place

GOOGLE_URLS = "developers.google.com/maps/documentation/urls/get-started"
GOOGLE_PLACE = "Google Maps web address bar / Android share of a place (data=!3d!4d)"
APPLE = "developer.apple.com/library/archive/featuredarticles/iPhoneURLScheme_Reference/MapLinks"
APPLE_2025 = "developer.apple.com/documentation/mapkit/unified-map-urls"
RFC5870 = "RFC 5870 (geo URI), sections 3 and 6.2"
ANDROID = "developer.android.com/guide/components/intents-common#Maps"
OSM = "wiki.openstreetmap.org/wiki/Browsing#Sharing_a_link_to_the_maps"
OSM_SHORT = "wiki.openstreetmap.org/wiki/Shortlink (codes from its reference encoders)"
WAZE = "developers.google.com/waze/deeplinks"
BING = "learn.microsoft.com/en-us/bingmaps/articles/create-a-custom-map-url"
YANDEX = "yandex.com/dev/yandex-apps-launch-maps/doc/en/concepts/yandexmaps-web"
HERE = "HERE WeGo share links (share.here.com/l/, wego.here.com/?map=)"
OSMAND = "osmand.net/docs/technical/osmand-file-formats (osmand.net/map?pin=)"
MAGIC = "Magic Earth URL scheme (magicearth://?show_on_map&lat=&lon=&name=)"

# (link or shared text, latitude, longitude, source of the form)
CORPUS: list[tuple[str, float, float, str]] = [
    # --- Google Maps ---
    (
        "https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2922926,17z/data=!3m1!4b1"
        "!4m6!3m5!1s0x47e66e2964e34e2d:0x8ddca9ee380ef7e0!8m2!3d48.8583701!4d2.2944813!16zL20vMDJqODE",
        48.8583701,
        2.2944813,
        GOOGLE_PLACE,
    ),
    (
        "https://www.google.com/maps/place/Rijksmuseum/@52.3599976,4.8830301,17z/data=!4m6!3m5"
        "!1s0x47c609eec1bb16e5:0xd54373ae6a408585!8m2!3d52.3599976!4d4.8852188!16zL20vMDZ5cnE",
        52.3599976,
        4.8852188,
        GOOGLE_PLACE,
    ),
    (
        "https://www.google.co.uk/maps/place/Big+Ben/@51.5007292,-0.1268141,17z/data=!3m1!4b1"
        "!4m5!3m4!1s0x487604c38c8cd1d9:0xb78f2474b9a45aa9!8m2!3d51.5007292!4d-0.1246254",
        51.5007292,
        -0.1246254,
        GOOGLE_PLACE,
    ),
    (
        "https://www.google.de/maps/place/Brandenburger+Tor/@52.5162746,13.3755154,17z/data=!4m6"
        "!3m5!1s0x47a851c655f20989:0x26bbfb4e84674c63!8m2!3d52.5162746!4d13.3777041",
        52.5162746,
        13.3777041,
        GOOGLE_PLACE,
    ),
    (
        "https://www.google.com/maps/place/Sydney+Opera+House/@-33.8567844,151.210381,17z/data=!3m1"
        "!4b1!4m6!3m5!1s0x6b12ae665e892fdd:0x3133f8d75a1ac251!8m2!3d-33.8567844!4d151.2152967",
        -33.8567844,
        151.2152967,
        GOOGLE_PLACE,
    ),
    (
        "https://www.google.com/maps/place/52%C2%B022'23.2%22N+4%C2%B053'32.0%22E/@52.3731,4.8889,17z"
        "/data=!3m1!4b1!4m4!3m3!8m2!3d52.373111!4d4.892222",
        52.373111,
        4.892222,
        "Google Maps dropped pin (a DMS name and !3d!4d)",
    ),
    (
        "https://www.google.com/maps/place/52.373111,4.892222",
        52.373111,
        4.892222,
        "Google Maps search of coordinates (place/<lat,lon>)",
    ),
    (
        "https://www.google.com/maps/@52.3731,4.8922,15z",
        52.3731,
        4.8922,
        GOOGLE_URLS + " (map view)",
    ),
    (
        "https://www.google.com/maps/@?api=1&map_action=map&center=-33.712206,150.311941&zoom=12",
        -33.712206,
        150.311941,
        GOOGLE_URLS + " (map_action=map)",
    ),
    (
        "https://www.google.com/maps/@?api=1&map_action=pano&viewpoint=48.857832,2.295226",
        48.857832,
        2.295226,
        GOOGLE_URLS + " (map_action=pano)",
    ),
    (
        "https://www.google.com/maps/search/?api=1&query=47.5951518%2C-122.3316393",
        47.5951518,
        -122.3316393,
        GOOGLE_URLS + " (search)",
    ),
    (
        "https://www.google.com/maps/search/?api=1&query=47.5951518,-122.3316393&query_place_id=ChIJKxjxuaNqkFQR3CK6O1HNNqY",
        47.5951518,
        -122.3316393,
        GOOGLE_URLS + " (search with place id)",
    ),
    (
        "https://www.google.com/maps/dir/?api=1&destination=40.6905615%2C-73.9976592&travelmode=driving",
        40.6905615,
        -73.9976592,
        GOOGLE_URLS + " (directions)",
    ),
    (
        "https://www.google.com/maps/dir/?api=1&origin=Space+Needle+Seattle+WA&destination=47.6205,-122.3493",
        47.6205,
        -122.3493,
        GOOGLE_URLS + " (directions with an origin)",
    ),
    (
        "https://www.google.com/maps/dir/52.0907,5.1214/52.3731,4.8922/@52.2,5.0,10z",
        52.3731,
        4.8922,
        "Google Maps web directions between two points",
    ),
    ("https://maps.google.com/?q=52.3731,4.8922", 52.3731, 4.8922, "legacy maps.google.com/?q="),
    ("https://maps.google.com/maps?q=loc:52.3731,4.8922", 52.3731, 4.8922, "legacy ?q=loc:"),
    (
        "https://maps.google.com/maps?q=52.3731,4.8922(Dam+Square)",
        52.3731,
        4.8922,
        "legacy ?q=lat,lon(label)",
    ),
    ("https://www.google.com/maps?q=52.3731+4.8922", 52.3731, 4.8922, "?q= with a space"),
    ("https://www.google.com/maps?ll=52.3731,4.8922&z=15", 52.3731, 4.8922, "legacy ?ll="),
    (
        "https://maps.google.com/maps?saddr=52.09,5.12&daddr=52.3731,4.8922",
        52.3731,
        4.8922,
        "legacy directions ?saddr=&daddr=",
    ),
    (
        "https://www.google.com/maps/search/52.3731,+4.8922",
        52.3731,
        4.8922,
        "Google Maps search box with coordinates",
    ),
    (
        "https://www.google.com/maps/search/52.3731,4.8922/@52.3731,4.8922,17z?entry=ttu",
        52.3731,
        4.8922,
        "Google Maps search box with coordinates and ?entry=",
    ),
    (
        "google.navigation:q=52.3731,4.8922",
        52.3731,
        4.8922,
        "developers.google.com/maps/documentation/urls/android-intents (navigation)",
    ),
    (
        "comgooglemaps://?center=40.765819,-73.975866&zoom=14",
        40.765819,
        -73.975866,
        "developers.google.com/maps/documentation/urls/ios-urlscheme",
    ),
    (
        "comgooglemaps://?daddr=40.765819,-73.975866&directionsmode=driving",
        40.765819,
        -73.975866,
        "developers.google.com/maps/documentation/urls/ios-urlscheme (directions)",
    ),
    # --- Apple Maps ---
    ("https://maps.apple.com/?ll=52.3731,4.8922&q=Dam%20Square", 52.3731, 4.8922, APPLE),
    ("http://maps.apple.com/?ll=50.894967,4.341626", 50.894967, 4.341626, APPLE),
    (
        "https://maps.apple.com/?address=Museumstraat%201,%201071%20XX%20Amsterdam,%20Netherlands"
        "&auid=1234567890&ll=52.359998,4.885219&lsp=9902&q=Rijksmuseum",
        52.359998,
        4.885219,
        "iOS Apple Maps share sheet (address, auid, ll, q)",
    ),
    (
        "https://maps.apple.com/?daddr=37.331686,-122.030656&dirflg=d",
        37.331686,
        -122.030656,
        APPLE + " (daddr)",
    ),
    ("https://maps.apple.com/?q=37.331686,-122.030656", 37.331686, -122.030656, APPLE + " (q)"),
    ("maps://?ll=52.3731,4.8922&q=Dam", 52.3731, 4.8922, APPLE + " (maps: scheme)"),
    (
        "https://maps.apple.com/place?coordinate=37.334606,-122.009102&name=Apple%20Park",
        37.334606,
        -122.009102,
        APPLE_2025 + " (place)",
    ),
    (
        "https://maps.apple.com/directions?destination=37.334606,-122.009102&mode=driving",
        37.334606,
        -122.009102,
        APPLE_2025 + " (directions)",
    ),
    # --- geo: ---
    ("geo:13.4125,103.8667", 13.4125, 103.8667, RFC5870),
    ("geo:48.198634,16.371648;crs=wgs84;u=40", 48.198634, 16.371648, RFC5870 + " (crs, u)"),
    ("geo:48.2010,16.3695,183", 48.2010, 16.3695, RFC5870 + " (altitude)"),
    ("geo:52.3731,4.8922;u=35", 52.3731, 4.8922, RFC5870 + " (uncertainty)"),
    ("geo:52.3731,4.8922?z=17", 52.3731, 4.8922, ANDROID + " (zoom)"),
    ("geo:0,0?q=34.99,-106.61(Treasure)", 34.99, -106.61, ANDROID + " (pin with label)"),
    ("geo:0,0?q=52.3731,4.8922(Dam%20Square)", 52.3731, 4.8922, ANDROID + " (encoded label)"),
    ("geo:52.3731,4.8922?q=52.3731,4.8922(Dam)", 52.3731, 4.8922, "OsmAnd / Organic Maps share"),
    # --- OpenStreetMap, OsmAnd ---
    ("https://www.openstreetmap.org/#map=17/52.37310/4.89220", 52.3731, 4.8922, OSM + " (#map=)"),
    (
        "https://www.openstreetmap.org/?mlat=52.3731&mlon=4.8922#map=17/52.3700/4.8900",
        52.3731,
        4.8922,
        OSM + " (marker wins over the view)",
    ),
    (
        "https://www.openstreetmap.org/?mlat=52.37310&mlon=4.89220&zoom=16",
        52.3731,
        4.8922,
        OSM + " (marker)",
    ),
    (
        "https://www.openstreetmap.org/?lat=52.3731&lon=4.8922&zoom=17",
        52.3731,
        4.8922,
        OSM + " (legacy lat/lon)",
    ),
    (
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route=52.0907%2C5.1214%3B52.3731%2C4.8922",
        52.3731,
        4.8922,
        "openstreetmap.org directions (route=a;b)",
    ),
    (
        "https://www.openstreetmap.org/node/123456#map=19/52.37310/4.89220",
        52.3731,
        4.8922,
        OSM + " (object page with its view)",
    ),
    ("https://osm.org/go/0GAjIv8h", 50.671530961990356, 6.09715461730957, OSM_SHORT),
    ("https://osm.org/go/0EEQjEEb?m=", 51.5110, 0.0550, OSM_SHORT + " (marker)"),
    ("https://osmand.net/map?pin=52.3731,4.8922#17/52.3731/4.8922", 52.3731, 4.8922, OSMAND),
    ("https://osmand.net/go?lat=52.3731&lon=4.8922&z=16", 52.3731, 4.8922, OSMAND + " (go)"),
    # --- Waze ---
    (
        "https://www.waze.com/ul?ll=40.75889500%2C-73.98513100&navigate=yes&zoom=17",
        40.758895,
        -73.985131,
        WAZE,
    ),
    ("https://waze.com/ul?ll=45.6906304,-120.810983&z=10", 45.6906304, -120.810983, WAZE),
    ("waze://?ll=45.6906304,-120.810983&navigate=yes", 45.6906304, -120.810983, WAZE + " (app)"),
    (
        "https://www.waze.com/live-map/directions?navigate=yes&to=ll.40.758895%2C-73.985131",
        40.758895,
        -73.985131,
        "Waze live map directions (to=ll.)",
    ),
    (
        "https://waze.com/ul/hu4pruydqqvj",
        57.64911,
        10.40744,
        "Waze app share (ul/h<geohash>; geohash from en.wikipedia.org/wiki/Geohash)",
    ),
    # --- Bing, Yandex, HERE, Magic Earth, Tencent (WGS-84 outside China) ---
    ("https://www.bing.com/maps?cp=47.677797~-122.122013&lvl=12", 47.677797, -122.122013, BING),
    (
        "https://www.bing.com/maps?sp=point.47.677797_-122.122013_Microsoft&lvl=16",
        47.677797,
        -122.122013,
        BING + " (pushpin)",
    ),
    (
        "https://bing.com/maps/default.aspx?rtp=~pos.47.677797_-122.122013_Home",
        47.677797,
        -122.122013,
        BING + " (route)",
    ),
    (
        "https://yandex.ru/maps/?ll=37.620070,55.753630&pt=37.617635,55.755814&z=15",
        55.755814,
        37.617635,
        YANDEX + " (pt wins over ll)",
    ),
    (
        "https://yandex.com/maps/?rtext=55.75,37.6~59.938951,30.315635&rtt=auto",
        59.938951,
        30.315635,
        YANDEX + " (route)",
    ),
    (
        "https://yandex.ru/maps/?ll=30.315635,59.938951&z=12",
        59.938951,
        30.315635,
        YANDEX + " (view)",
    ),
    (
        "yandexnavi://build_route_on_map?lat_to=55.75&lon_to=37.62",
        55.75,
        37.62,
        "yandex.com/dev/yandex-apps-launch-navi",
    ),
    ("https://share.here.com/l/52.5308,13.3847,Berlin?z=16", 52.5308, 13.3847, HERE),
    ("https://wego.here.com/?map=52.5308,13.3847,16,normal", 52.5308, 13.3847, HERE),
    ("magicearth://?show_on_map&lat=52.3731&lon=4.8922&name=Dam", 52.3731, 4.8922, MAGIC),
    # --- Shared text (Android: "name\naddress\nlink"), coordinates as text ---
    (
        "Rijksmuseum\nMuseumstraat 1, 1071 XX Amsterdam\nhttps://www.google.com/maps/place/Rijksmuseum/"
        "data=!4m2!3m1!1s0x0:0x0!8m2!3d52.3599976!4d4.8852188",
        52.3599976,
        4.8852188,
        "Android Google Maps share of a place (subject line, address, link)",
    ),
    (
        "Dam Square https://maps.apple.com/?ll=52.3731,4.8922&q=Dam",
        52.3731,
        4.8922,
        "iOS share text with a link inside",
    ),
    ("Meet me here: geo:52.3731,4.8922?z=17.", 52.3731, 4.8922, "a geo: URI in a message"),
    ("52.3731, 4.8922", 52.3731, 4.8922, "Google Maps 'copy coordinates'"),
    ("52.3731 4.8922", 52.3731, 4.8922, "coordinates separated by a space"),
    ("-33.8567844, 151.2152967", -33.8567844, 151.2152967, "southern/eastern coordinates"),
    ("52°22'23.2\"N 4°53'32.0\"E", 52.373111, 4.892222, "DMS as Google Maps shows a dropped pin"),
    ("N 52° 22.386' E 4° 53.533'", 52.3731, 4.892217, "geocaching degrees and minutes"),
    ("33°51'24.4\"S 151°12'55.1\"E", -33.856778, 151.215306, "DMS, southern hemisphere"),
]


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def test_corpus_is_large() -> None:
    """The acceptance asks for at least 60 real forms."""
    assert len(CORPUS) >= 60
    assert len({text for text, *_ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("text", "lat", "lon", "source"), CORPUS, ids=[c[0][:70] for c in CORPUS])
def test_corpus_within_one_metre(text: str, lat: float, lon: float, source: str) -> None:
    place = parse_place(text)
    assert isinstance(place, Place)
    assert _metres(place.latitude, place.longitude, lat, lon) <= 1.0, source
    assert place.converted_from is None
