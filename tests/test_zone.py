"""The home zone: one reader of a zone's centre and radius, one owner of its repair issue."""

from __future__ import annotations

import pytest

from custom_components.car_bridge.approach.model import Home
from custom_components.car_bridge.const import DOMAIN
from custom_components.car_bridge.zone import HomeZone, zone_home, zone_issue_id
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .conftest import HOME_LAT, HOME_LON


def _zone(hass: HomeAssistant, entity_id: str, lat: object, radius: object = 100) -> None:
    hass.states.async_set(
        entity_id, "0", {"latitude": lat, "longitude": HOME_LON, "radius": radius}
    )


@pytest.mark.parametrize(
    ("lat", "radius"), [("north", 100), (None, 100), (HOME_LAT, "wide"), (HOME_LAT, [1])]
)
async def test_a_zone_without_a_usable_centre_or_radius_is_no_home(
    hass: HomeAssistant, lat: object, radius: object
) -> None:
    _zone(hass, "zone.odd", lat, radius)
    assert zone_home(hass, "zone.odd") is None
    assert zone_home(hass, "zone.nowhere") is None
    _zone(hass, "zone.fine", HOME_LAT)
    assert zone_home(hass, "zone.fine") == Home(HOME_LAT, HOME_LON, 100.0)


async def test_home_zone_follows_its_zone_and_owns_the_repair_issue(hass: HomeAssistant) -> None:
    issue = (DOMAIN, zone_issue_id("entry"))
    issues = ir.async_get(hass).issues
    zone = HomeZone(
        hass, entry_id="entry", vehicle="SU7", entity_id="zone.garage", fallback=Home(1, 2, 3)
    )
    # the zone does not exist (yet): the fallback is where home was last seen
    assert zone.home is None
    assert zone.last_known == Home(1, 2, 3)
    assert issue in issues
    seen: list[Home | None] = []
    stop = zone.async_listen(seen.append)
    zone.async_start()

    _zone(hass, "zone.garage", HOME_LAT)
    await hass.async_block_till_done()
    assert seen == [Home(HOME_LAT, HOME_LON, 100.0)]
    assert issue not in issues
    # a change that does not move or resize it tells nobody
    hass.states.async_set(
        "zone.garage",
        "1",
        {"latitude": HOME_LAT, "longitude": HOME_LON, "radius": 100, "friendly_name": "Garage"},
    )
    await hass.async_block_till_done()
    assert len(seen) == 1

    hass.states.async_remove("zone.garage")
    await hass.async_block_till_done()
    assert seen[-1] is None
    assert zone.last_known == Home(HOME_LAT, HOME_LON, 100.0)
    assert issue in issues

    # another zone: the old one is no longer watched
    _zone(hass, "zone.work", HOME_LAT + 0.05)
    zone.async_set_entity("zone.work")
    assert seen[-1] == Home(HOME_LAT + 0.05, HOME_LON, 100.0)
    assert issue not in issues
    zone.async_set_entity("zone.work")  # the same zone again changes nothing
    _zone(hass, "zone.garage", HOME_LAT)
    await hass.async_block_till_done()
    assert seen[-1] == Home(HOME_LAT + 0.05, HOME_LON, 100.0)

    stop()
    stop()  # twice is harmless
    _zone(hass, "zone.work", HOME_LAT + 0.06)
    await hass.async_block_till_done()
    assert seen[-1] == Home(HOME_LAT + 0.05, HOME_LON, 100.0)
    assert zone.home == Home(HOME_LAT + 0.06, HOME_LON, 100.0)
    zone.async_stop()
    _zone(hass, "zone.work", HOME_LAT + 0.07)
    await hass.async_block_till_done()
    assert zone.home == Home(HOME_LAT + 0.06, HOME_LON, 100.0)
