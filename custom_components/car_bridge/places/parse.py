"""Anything a phone shares (a link, or text with a link inside) -> a Place."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from . import numbers, vendors
from .model import Place, PlaceError, PlaceErrorReason
from .vendors import Link, Reader

# A link anywhere in a text: a scheme we read, up to white space.
_LINK = re.compile(
    r"(?:https?://|geo:|maps://|comgooglemaps://|google\.navigation:|waze://|"
    r"baidumap://|amapuri://|iosamap://|androidamap://|qqmap://|magicearth://|"
    r"yandexmaps://|yandexnavi://)[^\s<>\"，。（）()]*(?:\([^)\n]*\))?",
    re.IGNORECASE,
)
# Links that name nothing until one redirect is followed.
SHORT_LINK_HOSTS = frozenset(
    {
        "maps.app.goo.gl",
        "goo.gl",
        "g.co",
        "maps.apple",
        "surl.amap.com",
        "j.map.baidu.com",
        "mapurl.baidu.com",
        "url.cn",
    }
)
_SCHEMES: dict[str, Reader] = {
    "geo": vendors.geo,
    "maps": vendors.apple,
    "comgooglemaps": vendors.google,
    "google.navigation": vendors.google,
    "waze": vendors.waze,
    "baidumap": vendors.baidu,
    "amapuri": vendors.amap,
    "iosamap": vendors.amap,
    "androidamap": vendors.amap,
    "qqmap": vendors.tencent,
    "magicearth": vendors.magic_earth,
    "yandexmaps": vendors.yandex,
    "yandexnavi": vendors.yandex,
}


def _reader(host: str, path: str) -> Reader | None:  # noqa: PLR0911 - a table of hosts
    """Return the reader of an http(s) link's host, or None if it is no map."""
    labels = host.split(".")
    if "google" in labels[:-1] and (path.startswith("/maps") or host.startswith("maps.")):
        return vendors.google
    if host in ("maps.apple.com", "maps.apple"):
        return vendors.apple
    if host in ("openstreetmap.org", "osm.org", "openstreetmap.de", "osmand.net"):
        return vendors.osm
    if host in ("waze.com", "ul.waze.com"):
        return vendors.waze
    if host.endswith(("amap.com", "gaode.com")):
        return vendors.amap
    if host.endswith("map.baidu.com"):
        return vendors.baidu
    if host in ("apis.map.qq.com", "map.qq.com"):
        return vendors.tencent
    if host == "bing.com" and path.startswith("/maps"):
        return vendors.bing
    if labels[0] == "yandex" or (
        len(labels) > 2 and labels[-2] == "yandex" and path.startswith("/maps")
    ):
        return vendors.yandex if path.startswith("/maps") or labels[0] != "yandex" else None
    if host in ("share.here.com", "wego.here.com"):
        return vendors.here
    return None


def _split(url: str) -> tuple[Link, Reader | None]:
    lowered = url.lower()
    for scheme, reader in _SCHEMES.items():
        if lowered.startswith(scheme + ":"):
            rest = url[len(scheme) + 1 :].lstrip("/")
            if "?" not in rest and "=" in rest:
                rest = "?" + rest  # google.navigation:q=lat,lon
            path, _, query = rest.partition("?")
            query, _, fragment = query.partition("#")
            link = Link(url, scheme, "", "/" + path, vendors.split_query(query), fragment)
            return link, reader
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host.startswith("m.") and host != "m.amap.com":
        host = host[2:]
    link = Link(
        url,
        parts.scheme.lower(),
        host,
        parts.path,
        vendors.split_query(parts.query),
        unquote(parts.fragment),
    )
    return link, _reader(host, parts.path)


def is_short_link(url: str) -> bool:
    """Return whether the link needs one redirect lookup before it can be read."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if host == "goo.gl":
        return urlsplit(url).path.startswith("/maps")
    if host == "maps.apple":
        return True
    return host in SHORT_LINK_HOSTS


def parse_link(url: str) -> Place:
    """Return the place a single link names; raise PlaceError if it names none."""
    url = url.strip()
    if is_short_link(url):
        raise PlaceError(PlaceErrorReason.SHORT_LINK, url=url)
    link, reader = _split(url)
    place = reader(link) if reader is not None else None
    if place is None:
        raise PlaceError(PlaceErrorReason.NO_COORDINATES, url=url)
    return place


def find_links(text: str) -> list[str]:
    """Return the links in a shared text, in order."""
    return [match.group(0).rstrip(".,;:!?") for match in _LINK.finditer(text)]


def parse_place(text: str, *, name: str | None = None, address: str | None = None) -> Place:
    r"""Return the place a shared text or link names.

    Android shares a place from a maps app as "name\naddress\nlink"; iOS as a
    link (or text with one). The first link that names coordinates wins; the
    lines around it give the name and the address unless ``name`` and
    ``address`` are given. A text with no link may be coordinates themselves
    ("52.3731, 4.8922", 52°22'23"N 4°53'32"E). Anything else is an error:
    ``short_link`` (with the URL to look up), ``no_coordinates``,
    ``out_of_range`` or ``empty``; nothing is guessed.
    """
    text = (text or "").strip()
    if not text:
        raise PlaceError(PlaceErrorReason.EMPTY)
    links = find_links(text)
    rest = text
    for link in links:
        rest = rest.replace(link, "\n")
    lines = [line.strip(" \t,;–—|·") for line in rest.splitlines()]
    lines = [line for line in lines if line]
    place: Place | None = None
    errors: list[PlaceError] = []
    for link in links:
        try:
            place = parse_link(link)
            break
        except PlaceError as err:
            errors.append(err)
    if place is None and not links:
        for i, line in enumerate(lines):
            if (point := numbers.decimal_line(line)) is not None:
                place = Place(latitude=point[0], longitude=point[1], origin="text")
                del lines[i]
                break
    if place is None:
        for reason in (
            PlaceErrorReason.OUT_OF_RANGE,
            PlaceErrorReason.UNKNOWN_DATUM,
            PlaceErrorReason.SHORT_LINK,
        ):
            for error in errors:
                if error.reason is reason:
                    raise error
        raise PlaceError(PlaceErrorReason.NO_COORDINATES, url=links[0] if links else None)
    text_name = lines[0] if lines else None
    text_address = ", ".join(lines[1:]) or None
    return Place(
        latitude=place.latitude,
        longitude=place.longitude,
        name=name or text_name or place.name,
        address=address or text_address or place.address,
        origin=place.origin,
        converted_from=place.converted_from,
        url=place.url,
    )
