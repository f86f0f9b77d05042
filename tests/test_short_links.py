"""Short links against a real redirect server on loopback (no network beyond it).

A real aiohttp server on 127.0.0.1 (a free port) answers 301/302 like the
short-link hosts do; the resolver is pointed at it through
``SHORT_LINK_ORIGINS`` and asks it over a real socket with Home Assistant's
own client session.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import math

from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.car_bridge import destination as destination_module
from custom_components.car_bridge.places.datum import wgs84_to_gcj02
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .conftest import send_destination
from .test_share import GOOGLE, TARGET_LAT, TARGET_LON, destination

# Shanghai, the Bund (WGS-84); the Amap link carries it in GCJ-02.
BUND = (31.240015, 121.490317)
_GCJ = wgs84_to_gcj02(*BUND)
AMAP = f"https://wb.amap.com/?p=B000A8UIN8,{_GCJ[0]:.6f},{_GCJ[1]:.6f},Bund,Shanghai&fromSource=app"
APPLE = f"https://maps.apple.com/?ll={TARGET_LAT},{TARGET_LON}&q=Rijksmuseum"
NAME_ONLY = "https://www.google.com/maps/search/Rijksmuseum"


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


class Redirects:
    """What the local server was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.release = asyncio.Event()


@pytest.fixture
async def redirects(
    socket_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Redirects]:
    """Serve short-link redirects on 127.0.0.1 and point the short-link hosts at it.

    ``socket_enabled`` lets the server open its listening socket; connections
    stay limited to 127.0.0.1 (pytest-socket's allowed hosts).
    """
    seen = Redirects()
    targets = {
        "/qy3uCK4LkV3SNz9X7": (302, GOOGLE),
        "/p/Rijks": (301, APPLE),
        "/AbCdEf": (302, AMAP),
        "/NameOnly": (302, NAME_ONLY),
        "/loop": (302, "https://maps.app.goo.gl/loop"),
    }

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.asked.append(request.path_qs)
        if request.path == "/never":
            await seen.release.wait()  # never answers while the test waits
            return web.Response(status=504)
        if request.path == "/ok":
            return web.Response(status=200, text="no redirect")
        status, location = targets[request.path]
        return web.Response(status=status, headers={"Location": location})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    origin = str(server.make_url("")).rstrip("/")
    assert origin.startswith("http://127.0.0.1:")
    for host in ("maps.app.goo.gl", "maps.apple", "surl.amap.com"):
        monkeypatch.setitem(destination_module.SHORT_LINK_ORIGINS, host, origin)
    # Nothing listens on port 1 of loopback: the lookup is refused, as offline.
    monkeypatch.setitem(destination_module.SHORT_LINK_ORIGINS, "g.co", "http://127.0.0.1:1")
    yield seen
    seen.release.set()
    await server.close()


@pytest.mark.usefixtures("init_integration")
async def test_a_google_short_link_works(hass: HomeAssistant, redirects: Redirects) -> None:
    """The shared text of an Android share with a short link lands on the place."""
    text = "Rijksmuseum\nMuseumstraat 1\nhttps://maps.app.goo.gl/qy3uCK4LkV3SNz9X7"
    await send_destination(hass, text=text, when="next_trip")
    state = destination(hass)
    assert (state.state, state.attributes["address"]) == ("Rijksmuseum", "Museumstraat 1")
    assert state.attributes["source"] == "google_place"
    lat, lon = state.attributes["latitude"], state.attributes["longitude"]
    assert _metres(lat, lon, TARGET_LAT, TARGET_LON) < 1
    assert redirects.asked == ["/qy3uCK4LkV3SNz9X7"]  # one lookup, redirect not followed


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("https://maps.apple/p/Rijks", (TARGET_LAT, TARGET_LON)),
        ("https://surl.amap.com/AbCdEf", BUND),
    ],
)
async def test_apple_and_amap_short_links_work(
    hass: HomeAssistant, redirects: Redirects, url: str, where: tuple[float, float]
) -> None:
    await send_destination(hass, url=url, when="next_trip")
    state = destination(hass)
    assert state.attributes["status"] == "pending"
    assert _metres(state.attributes["latitude"], state.attributes["longitude"], *where) < 1
    assert len(redirects.asked) == 1


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/NameOnly", "place_no_coordinates"),
        ("/never", "place_short_link_offline"),
        ("/ok", "place_no_coordinates"),
        ("/loop", "place_short_link_unresolved"),
    ],
)
async def test_short_link_errors_from_a_real_server(
    hass: HomeAssistant,
    redirects: Redirects,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    key: str,
) -> None:
    """A link that leads to a name only, and a host that never answers (timeout)."""
    monkeypatch.setattr(destination_module, "SHORT_LINK_TIMEOUT_S", 0.2)
    with pytest.raises(ServiceValidationError) as err:
        await send_destination(hass, url=f"https://maps.app.goo.gl{path}", when="next_trip")
    assert err.value.translation_key == key
    assert destination(hass).state == "unknown"
    # A redirect to another short link is asked again, at most MAX_REDIRECTS times.
    times = destination_module.MAX_REDIRECTS if path == "/loop" else 1
    assert redirects.asked == [path] * times


@pytest.mark.usefixtures("init_integration")
async def test_a_refused_lookup_says_short_links_need_internet(
    hass: HomeAssistant, redirects: Redirects
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await send_destination(hass, url="https://g.co/kgs/abc", when="next_trip")
    assert err.value.translation_key == "place_short_link_offline"
    assert destination(hass).state == "unknown"
    assert redirects.asked == []


async def test_production_asks_each_short_link_at_its_own_host() -> None:
    """Nothing maps a host outside the tests: the seam changes nothing in production."""
    assert destination_module.SHORT_LINK_ORIGINS == {}
