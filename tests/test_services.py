"""The send_destination action: it drives the car, and bad input changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import DOMAIN
from custom_components.car_bridge.vehicle.model import (
    ALL_VALUES,
    Capabilities,
    Command,
    VehicleError,
    VehicleState,
)
from custom_components.car_bridge.vehicle.source import VehicleSource
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    label_registry as lr,
)

from .conftest import HOME_LAT, HOME_LON, send_destination, vehicle_device_id


async def test_drives_to_coordinates(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_destination",
        {
            "device_id": vehicle_device_id(hass, init_integration),
            "latitude": HOME_LAT + 0.01,
            "longitude": HOME_LON,
        },
        blocking=True,
    )
    await tick(30)
    assert hass.states.get("binary_sensor.su7_moving").state == "on"
    await tick(1800, until=lambda: hass.states.get("sensor.su7_speed").state == "0.0")
    tracker = hass.states.get("device_tracker.su7")
    assert tracker.attributes["latitude"] == pytest.approx(HOME_LAT + 0.01, abs=0.002)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"device_id": "nope", "zone": "zone.home"}, "invalid_device"),
        ({"entity_id": "sun.sun", "zone": "zone.home"}, "invalid_device"),
        ({"zone": "zone.home"}, "no_device"),
        ({"latitude": 52.0, "longitude": 4.0, "zone": "zone.home"}, "invalid_destination"),
        ({}, "invalid_destination"),
        ({"latitude": 52.0}, "invalid_coordinates"),
        ({"latitude": 91.0, "longitude": 4.0}, "invalid_coordinates"),
        ({"latitude": 52.0, "longitude": -181.0}, "invalid_coordinates"),
        ({"latitude": "north", "longitude": 4.0}, "invalid_coordinates"),
        ({"latitude": True, "longitude": False}, "invalid_coordinates"),
        ({"latitude": 52.0, "longitude": True}, "invalid_coordinates"),
        ({"latitude": [52.0], "longitude": [4.0]}, "invalid_coordinates"),
        ({"latitude": {"v": 52.0}, "longitude": 4.0}, "invalid_coordinates"),
        ({"latitude": "nan", "longitude": 4.0}, "invalid_coordinates"),
        ({"latitude": 52.0, "longitude": float("inf")}, "invalid_coordinates"),
        ({"zone": ["zone.home"]}, "invalid_destination"),
        ({"zone": {"entity_id": "zone.home"}}, "invalid_destination"),
        ({"area_id": "garage", "zone": "zone.home"}, "no_vehicle_in_target"),
        ({"zone": "zone.nowhere"}, "zone_not_found"),
        ({"zone": "light.kitchen"}, "zone_not_found"),
    ],
)
async def test_bad_input_is_rejected_and_changes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    data: dict[str, Any],
    key: str,
) -> None:
    target: dict[str, Any] = {}
    if not data.keys() & {"device_id", "entity_id", "area_id"} and key != "no_device":
        target = {"device_id": vehicle_device_id(hass, init_integration)}
    before = hass.states.get("device_tracker.su7").attributes["latitude"]
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "send_destination", {**target, **data}, blocking=True
        )
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    await tick(60)
    assert hass.states.get("binary_sensor.su7_moving").state == "off"
    assert hass.states.get("device_tracker.su7").attributes["latitude"] == before


async def test_coordinates_given_as_text_are_accepted(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await send_destination(hass, latitude=f" {HOME_LAT + 0.01} ", longitude=str(HOME_LON))
    await tick(30)
    assert hass.states.get("binary_sensor.su7_moving").state == "on"


@pytest.mark.parametrize("target", ["area", "floor", "label"])
async def test_area_floor_and_label_targets_reach_their_vehicles(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    target: str,
) -> None:
    floor = fr.async_get(hass).async_create("Ground floor")
    area = ar.async_get(hass).async_create("Garage", floor_id=floor.floor_id)
    label = lr.async_get(hass).async_create("Cars")
    device_id = vehicle_device_id(hass, init_integration)
    dr.async_get(hass).async_update_device(device_id, area_id=area.id, labels={label.label_id})
    # Something else in the same area and label is not a vehicle: it is skipped.
    hass.states.async_set("light.garage", "off")
    ids = {"area": area.id, "floor": floor.floor_id, "label": label.label_id}
    await hass.services.async_call(
        DOMAIN,
        "send_destination",
        {f"{target}_id": ids[target], "latitude": HOME_LAT + 0.01, "longitude": HOME_LON},
        blocking=True,
    )
    await tick(30)
    assert hass.states.get("binary_sensor.su7_moving").state == "on"


async def test_label_on_an_entity_reaches_its_vehicle(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    label = lr.async_get(hass).async_create("Tracked")
    er.async_get(hass).async_update_entity("device_tracker.su7", labels={label.label_id})
    await hass.services.async_call(
        DOMAIN,
        "send_destination",
        {"label_id": label.label_id, "latitude": HOME_LAT + 0.01, "longitude": HOME_LON},
        blocking=True,
    )
    await tick(30)
    assert hass.states.get("binary_sensor.su7_moving").state == "on"


async def test_unloaded_vehicle_is_rejected(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    device_id = vehicle_device_id(hass, init_integration)
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "send_destination", {"device_id": device_id, "zone": "zone.home"}, blocking=True
        )
    assert err.value.translation_key == "vehicle_not_loaded"


class ReadOnlySource(VehicleSource):
    """A telemetry-only source, as a mirror of another integration would be."""

    def __init__(self, state: VehicleState, commands: frozenset[Command] = frozenset()) -> None:
        super().__init__()
        self._state = state
        self._capabilities = Capabilities(values=ALL_VALUES, commands=commands)

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    @property
    def state(self) -> VehicleState:
        return self._state

    def tick(self, now: datetime) -> None:
        """Nothing to simulate."""


async def test_source_that_cannot_navigate(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    coordinator.source = ReadOnlySource(coordinator.source.state)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "send_destination",
            {"entity_id": "device_tracker.su7", "zone": "zone.home"},
            blocking=True,
        )
    assert err.value.translation_key == "command_not_supported"
    for domain, service, data in (
        ("lock", "unlock", {}),
        ("switch", "turn_on", {}),
        ("number", "set_value", {"value": 90}),
        ("climate", "turn_on", {}),
    ):
        entity_id = {
            "lock": "lock.su7_doors",
            "switch": "switch.su7_charging_enabled",
            "number": "number.su7_charge_limit",
            "climate": "climate.su7_cabin",
        }[domain]
        with pytest.raises(ServiceValidationError):
            await hass.services.async_call(
                domain, service, {"entity_id": entity_id, **data}, blocking=True
            )
    assert hass.states.get("lock.su7_doors").state == "locked"


async def test_source_errors_are_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A source that claims a command but fails it gives a translated error."""
    coordinator = init_integration.runtime_data.coordinator
    # It claims to lock but its lock command was never written.
    source = ReadOnlySource(coordinator.source.state, frozenset({Command.LOCK, Command.NAVIGATE}))
    coordinator.source = source
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "lock", "unlock", {"entity_id": "lock.su7_doors"}, blocking=True
        )
    assert err.value.translation_key == "command_not_supported"

    async def fail(*args: Any) -> None:
        raise VehicleError

    source.async_set_locked = fail  # type: ignore[method-assign]
    with pytest.raises(HomeAssistantError) as failed:
        await hass.services.async_call(
            "lock", "unlock", {"entity_id": "lock.su7_doors"}, blocking=True
        )
    assert not isinstance(failed.value, ServiceValidationError)
    assert failed.value.translation_key == "command_failed"
