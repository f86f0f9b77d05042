"""One reader per map vendor's links: URL parts in, a Place (or None) out.

Each returns None when the link is its vendor's but names no coordinates
(the caller turns that into ``no_coordinates``), so nothing is ever guessed
from a map view that is not the place, a search text or a place id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import re
from urllib.parse import parse_qs, unquote, unquote_plus

from . import codes, numbers
from .datum import bd09_to_wgs84, gcj02_to_wgs84, in_china
from .model import Datum, Place, PlaceError, PlaceErrorReason


@dataclass(frozen=True, slots=True)
class Link:
    """A link taken apart (host lower-case without ``www.``/``m.``)."""

    url: str
    scheme: str
    host: str
    path: str
    params: dict[str, str]
    fragment: str

    def get(self, *keys: str) -> str | None:
        """Return the first non-empty parameter of those keys."""
        for key in keys:
            if value := self.params.get(key, "").strip():
                return value
        return None


def split_query(query: str) -> dict[str, str]:
    """Return a query's parameters, first value each, keys lower-case."""
    params: dict[str, str] = {}
    for key, values in parse_qs(query, keep_blank_values=True).items():
        params.setdefault(key.lower(), values[0])
    return params


def _place(link: Link, lat_lon: tuple[float, float], origin: str, **extra: str | None) -> Place:
    name = extra.get("name")
    address = extra.get("address")
    return Place(
        latitude=lat_lon[0],
        longitude=lat_lon[1],
        name=name.strip() or None if name else None,
        address=address.strip() or None if address else None,
        origin=origin,
        url=link.url,
    )


def _china(place: Place, datum: Datum) -> Place:
    """Return the place in WGS-84, converting from China's datums inside China."""
    if datum is Datum.WGS84 or not in_china(place.latitude, place.longitude):
        return place
    convert = gcj02_to_wgs84 if datum is Datum.GCJ02 else bd09_to_wgs84
    latitude, longitude = convert(place.latitude, place.longitude)
    return Place(
        latitude=latitude,
        longitude=longitude,
        name=place.name,
        address=place.address,
        origin=place.origin,
        converted_from=datum,
        url=place.url,
    )


# --- Google ------------------------------------------------------------------
# developers.google.com/maps/documentation/urls/get-started (api=1 forms), the
# place URLs Google Maps shows in the address bar (data=...!3dLAT!4dLON is the
# place, @lat,lon,zoom only the map's centre), the legacy maps?q=/ll=/daddr=
# forms and Android's google.navigation:q= intent.
_GOOGLE_PLACE = re.compile(r"!3d(-?\d+(?:\.\d+)?)!4d(-?\d+(?:\.\d+)?)")
_GOOGLE_VIEW = re.compile(r"/@(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,|$|/|\?)")


def google(link: Link) -> Place | None:  # noqa: PLR0911 - one exit per link form, in priority order
    """Read a Google Maps link."""
    point: tuple[float, float] | None
    segments = [unquote_plus(s) for s in link.path.split("/") if s]
    name: str | None = None
    if "place" in segments[:-1]:
        candidate = segments[segments.index("place") + 1]
        if not candidate.startswith(("@", "data=")):
            name = candidate
    if found := _GOOGLE_PLACE.findall(unquote(link.url)):
        lat, lon = found[-1]
        point = numbers.checked(float(lat), float(lon))
        coordinates_as_name = name is not None and _lat_lon(name) is not None
        return _place(link, point, "google_place", name=None if coordinates_as_name else name)
    if name is not None and (point_in_name := _lat_lon(name)) is not None:
        return _place(link, point_in_name, "google_place")
    if "dir" in segments and link.get("api") is None:
        # /maps/dir/<from>/<to>/@view: the destination is the last waypoint;
        # the @ view is never it.
        stops = [
            s for s in segments[segments.index("dir") + 1 :] if not s.startswith(("@", "data="))
        ]
        point = _lat_lon(stops[-1]) if stops else None
        return _place(link, point, "google_directions") if point else None
    for key, origin in (
        ("destination", "google_directions"),
        ("daddr", "google_directions"),
        ("q", "google_query"),
        ("query", "google_query"),
    ):
        value = link.get(key)
        if value is None:
            continue
        value = value.split(" to:")[-1]  # daddr=a to:b
        if (point := numbers.pair(value)) is not None:
            return _place(link, point, origin, name=numbers.label(value))
        return None  # a search text or an address: no coordinates
    if "search" in segments[:-1]:
        point = _lat_lon(segments[segments.index("search") + 1])
        return _place(link, point, "google_query") if point else None
    for key in ("ll", "center", "viewpoint"):
        if (point := numbers.pair(link.get(key))) is not None:
            return _place(link, point, "google_view", name=name)
    if (view := _GOOGLE_VIEW.search(link.path)) is not None:
        point = numbers.checked(float(view.group(1)), float(view.group(2)))
        return _place(link, point, "google_view", name=name)
    return None


def _lat_lon(text: str) -> tuple[float, float] | None:
    return numbers.pair(text) or numbers.dms(text)


# --- Apple -------------------------------------------------------------------
# developer.apple.com "Map Links" (ll, q, daddr, address, sll) and the unified
# Apple Maps URLs of 2025 (maps.apple.com/place?coordinate=..&name=..,
# /directions?destination=..).
def apple(link: Link) -> Place | None:
    """Read an Apple Maps link."""
    name = link.get("q", "name")
    address = link.get("address")
    for key, origin in (("daddr", "apple_directions"), ("destination", "apple_directions")):
        if (value := link.get(key)) is not None:
            point = numbers.pair(value)
            return _place(link, point, origin, name=name, address=address) if point else None
    for key in ("coordinate", "ll"):
        if (point := numbers.pair(link.get(key))) is not None:
            return _place(link, point, "apple_place", name=name, address=address)
    if (point := numbers.pair(link.get("q", "query"))) is not None:
        return _place(link, point, "apple_place", address=address)
    return None


# --- geo: URIs ---------------------------------------------------------------
# RFC 5870 (geo:lat,lon[,alt][;crs=..][;u=..]) and Android's common intents
# (developer.android.com/guide/components/intents-common#Maps: ?q=lat,lon(label),
# geo:0,0?q=address, ?z=zoom).
def geo(link: Link) -> Place | None:
    """Read a geo: URI."""
    body = link.url.split(":", 1)[1].lstrip("/")
    body, _, query = body.partition("?")
    parts = unquote(body).split(";")
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "crs" and value.strip().lower() != "wgs84":
            raise PlaceError(PlaceErrorReason.UNKNOWN_DATUM)
    values = parts[0].split(",")
    params = split_query(query)
    q = params.get("q", "").strip() or None
    if q is not None and (point := numbers.pair(q)) is not None:
        return _place(link, point, "geo", name=numbers.label(q))
    try:
        lat, lon = float(values[0]), float(values[1])
    except ValueError, IndexError:
        return None
    point = numbers.checked(lat, lon)
    if len(values) > 3 or point == (0.0, 0.0):
        return None  # geo:0,0?q=<address> is a search, not a place
    return _place(link, point, "geo", name=q)


# --- OpenStreetMap and OsmAnd ------------------------------------------------
# wiki.openstreetmap.org/wiki/Browsing (#map=zoom/lat/lon, ?mlat=&mlon= marker,
# legacy ?lat=&lon=), wiki.openstreetmap.org/wiki/Shortlink (osm.org/go/<code>),
# the website's directions?route=a;b, and osmand.net/map?pin=lat,lon / go?lat=.
_MAP_FRAGMENT = re.compile(r"(?:map=)?\d{1,2}(?:\.\d+)?/(-?\d+(?:\.\d+)?)/(-?\d+(?:\.\d+)?)")


def osm(link: Link) -> Place | None:  # noqa: PLR0911 - one exit per link form, in priority order
    """Read an openstreetmap.org, osm.org or osmand.net link."""
    if (lat := link.get("mlat")) and (lon := link.get("mlon")):
        point = numbers.pair(f"{lat},{lon}")
        return _place(link, point, "osm_marker") if point else None
    if (pin := numbers.pair(link.get("pin"))) is not None:
        return _place(link, pin, "osmand_pin")
    if link.path.startswith("/go/") and link.host != "osmand.net":
        decoded = codes.osm_shortcode(link.path.removeprefix("/go/").strip("/"))
        return _place(link, decoded[:2], "osm_shortcode") if decoded else None
    if (route := link.get("route")) is not None:
        point = numbers.pair(route.split(";")[-1])
        return _place(link, point, "osm_route") if point else None
    if (lat := link.get("lat")) and (lon := link.get("lon")):
        point = numbers.pair(f"{lat},{lon}")
        return _place(link, point, "osm_view") if point else None
    if (view := _MAP_FRAGMENT.fullmatch(link.fragment.split("&")[0])) is not None:
        point = numbers.checked(float(view.group(1)), float(view.group(2)))
        return _place(link, point, "osm_view")
    return None


# --- Waze --------------------------------------------------------------------
# developers.google.com/waze/deeplinks (waze.com/ul?ll=lat,lon&navigate=yes),
# the app's shared waze.com/ul/h<geohash> and the live map's
# live-map/directions?to=ll.lat,lon.
def waze(link: Link) -> Place | None:
    """Read a Waze link."""
    if (point := numbers.pair(link.get("ll", "latlng"))) is not None:
        return _place(link, point, "waze")
    if (to := link.get("to")) is not None:
        point = numbers.pair(to.removeprefix("ll.")) if to.startswith("ll.") else None
        return _place(link, point, "waze") if point else None
    tail = link.path.rstrip("/").rsplit("/", 1)[-1]
    if "/ul/" in link.path and tail.startswith("h") and (cell := codes.geohash(tail[1:])):
        return _place(link, cell, "waze_geohash")
    return None


# --- Amap (高德), GCJ-02 -----------------------------------------------------
# lbs.amap.com/api/uri-api (uri.amap.com/marker?position=lon,lat&name=..,
# /navigation?to=lon,lat,name, coordinate=gaode|wgs84), the app schemes
# (amapuri://route/plan/?dlat=&dlon=&dname=&dev=, iosamap://, androidamap://
# with lat=&lon=&poiname=&dev=: dev=1 means the numbers are WGS-84) and
# m.amap.com/navi/?dest=lon,lat&destName=, and where surl.amap.com short links
# lead: wb.amap.com/?p=<poi id>,lat,lon,name,address.
def amap(link: Link) -> Place | None:  # noqa: PLR0911 - one exit per link form
    """Read an Amap link (GCJ-02 unless it says WGS-84)."""
    wgs = link.get("coordinate") == "wgs84" or link.get("dev") == "1"
    datum = Datum.WGS84 if wgs else Datum.GCJ02
    for key, name_key in (
        ("position", "name"),
        ("to", None),
        ("dest", "destname"),
        ("markers", None),
    ):
        if (value := link.get(key)) is None:
            continue
        fields = value.split("|")[0].split(",")
        point = numbers.pair(",".join(fields[:2]), lon_first=True)
        if point is None or ("|" in value):
            return None
        name = link.get(name_key) if name_key else (fields[2] if len(fields) > 2 else None)
        return _china(_place(link, point, "amap", name=name), datum)
    if (shared := link.get("p")) is not None:
        # The app's share page (wb.amap.com/?p=<poi id>,lat,lon,name,address).
        fields = shared.split(",")
        point = numbers.pair(",".join(fields[1:3])) if len(fields) >= 3 else None
        if point is None:
            return None
        name = fields[3] if len(fields) > 3 else None
        address = ",".join(fields[4:]) or None
        return _china(_place(link, point, "amap", name=name, address=address), datum)
    for lat_key, lon_key, name_key in (
        ("dlat", "dlon", "dname"),
        ("lat", "lon", "poiname"),
        ("lat", "lng", "name"),
    ):
        if (lat := link.get(lat_key)) and (lon := link.get(lon_key)):
            point = numbers.pair(f"{lat},{lon}")
            if point is None:
                return None
            return _china(_place(link, point, "amap", name=link.get(name_key)), datum)
    return None


# --- Baidu, BD-09 -----------------------------------------------------------
# lbsyun.baidu.com/index.php?title=uri/api/web (api.map.baidu.com/marker?
# location=lat,lng&title=&content=&coord_type=bd09ll|gcj02|wgs84,
# /direction?destination=latlng:lat,lng|name:..), the app's baidumap://map/
# marker|direction|navi, and map.baidu.com/?latlng=lat,lng&title=.
_BAIDU_DATUMS = {"bd09ll": Datum.BD09, "gcj02": Datum.GCJ02, "wgs84": Datum.WGS84}


def baidu(link: Link) -> Place | None:
    """Read a Baidu Maps link (BD-09 unless coord_type says otherwise)."""
    coord_type = (link.get("coord_type") or "bd09ll").lower()
    if coord_type not in _BAIDU_DATUMS:
        raise PlaceError(PlaceErrorReason.UNKNOWN_DATUM)
    datum = _BAIDU_DATUMS[coord_type]
    name = link.get("title", "name")
    address = link.get("content")
    if (value := link.get("location", "latlng")) is not None:
        point = numbers.pair(value)
        if point is None:
            return None
        return _china(_place(link, point, "baidu", name=name, address=address), datum)
    if (value := link.get("destination")) is not None:
        fields = dict(f.partition(":")[::2] for f in value.split("|") if ":" in f)
        point = numbers.pair(fields.get("latlng", value))
        if point is None:
            return None
        return _china(_place(link, point, "baidu", name=fields.get("name")), datum)
    return None


# --- Tencent (腾讯地图), GCJ-02 ---------------------------------------------
# lbs.qq.com/webApi/uriV1/uriGuide (apis.map.qq.com/uri/v1/marker?marker=
# coord:lat,lng;title:..;addr:.., /routeplan?tocoord=lat,lng&to=name, qqmap://).
def tencent(link: Link) -> Place | None:
    """Read a Tencent Maps link (GCJ-02)."""
    if (marker := link.get("marker")) is not None:
        fields = dict(f.partition(":")[::2] for f in marker.split(";"))
        point = numbers.pair(fields.get("coord"))
        if point is None:
            return None
        place = _place(link, point, "tencent", name=fields.get("title"), address=fields.get("addr"))
        return _china(place, Datum.GCJ02)
    if (point := numbers.pair(link.get("tocoord"))) is not None:
        return _china(_place(link, point, "tencent", name=link.get("to")), Datum.GCJ02)
    return None


# --- Bing, Yandex, HERE, Magic Earth -------------------------------------------
# learn.microsoft.com/bingmaps/articles/create-a-custom-map-url (sp=point.lat_lon_name,
# rtp=~pos.lat_lon_name, cp=lat~lon), yandex.com/dev/yandex-apps-launch-maps
# (pt=lon,lat pin, rtext=..~lat,lon route, ll=lon,lat view), HERE WeGo
# (share.here.com/l/lat,lon,name; wego.here.com/?map=lat,lon,zoom,normal) and
# Magic Earth (magicearth://?show_on_map&lat=&lon=&name=).
def bing(link: Link) -> Place | None:
    """Read a Bing Maps link."""
    if (sp := link.get("sp")) is not None and sp.startswith("point."):
        lat, _, rest = sp.removeprefix("point.").partition("_")
        lon, _, name = rest.partition("_")
        point = numbers.pair(f"{lat},{lon}")
        return _place(link, point, "bing_pin", name=name) if point else None
    if (rtp := link.get("rtp")) is not None:
        last = rtp.rstrip("~").rsplit("~", 1)[-1]
        if not last.startswith("pos."):
            return None
        lat, _, rest = last.removeprefix("pos.").partition("_")
        lon, _, name = rest.partition("_")
        point = numbers.pair(f"{lat},{lon}")
        return _place(link, point, "bing_route", name=name) if point else None
    if (point := numbers.pair((link.get("cp") or "").replace("~", ","))) is not None:
        return _place(link, point, "bing_view")
    return None


def yandex(link: Link) -> Place | None:
    """Read a Yandex Maps link (longitude first, except rtext)."""
    if (pt := link.get("pt")) is not None:
        pins = pt.split("~")
        point = numbers.pair(",".join(pins[0].split(",")[:2]), lon_first=True)
        return _place(link, point, "yandex_pin") if point and len(pins) == 1 else None
    if (rtext := link.get("rtext")) is not None:
        point = numbers.pair(rtext.rsplit("~", 1)[-1])
        return _place(link, point, "yandex_route") if point else None
    if (lat := link.get("lat_to")) and (lon := link.get("lon_to")):
        point = numbers.pair(f"{lat},{lon}")
        return _place(link, point, "yandex_route") if point else None
    if link.get("text") is None and (point := numbers.pair(link.get("ll"), lon_first=True)):
        return _place(link, point, "yandex_view")
    return None


def here(link: Link) -> Place | None:
    """Read a HERE WeGo link."""
    if link.path.startswith("/l/"):
        fields = unquote_plus(link.path.removeprefix("/l/")).split(",", 2)
        point = numbers.pair(",".join(fields[:2]))
        name = fields[2] if len(fields) > 2 else None
        return _place(link, point, "here", name=name) if point else None
    if (value := link.get("map")) is not None:
        point = numbers.pair(",".join(value.split(",")[:2]))
        return _place(link, point, "here_view") if point else None
    return None


def magic_earth(link: Link) -> Place | None:
    """Read a Magic Earth link."""
    if (lat := link.get("lat", "daddr_lat")) and (lon := link.get("lon", "daddr_lon")):
        point = numbers.pair(f"{lat},{lon}")
        return _place(link, point, "magic_earth", name=link.get("name")) if point else None
    return None


Reader = Callable[[Link], Place | None]
