"""What device triggers ask the engines for: distances and minutes, per device.

Every device trigger is an event trigger on ``car_bridge_event``; a crossing
of a distance (``approaching``/``leaving``) or of a time to home
(``time_to_home_below``) is only on the bus if the engine watches it, so each
trigger asks for its number here. Triggers may attach before their vehicle's
entry is loaded, so the requests live in one registry for all entries, keyed
by device id; a loaded vehicle listens to its own device's requests
(:func:`requests_for`) and applies them to its engines at once, and again on
every change. A device's requests go when the device is removed from the
registry, and an entry that nothing uses any more is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util.hass_dict import HassKey

from .approach.model import normalize_km, normalize_minutes
from .const import DOMAIN

REQUESTS_KEY: HassKey[TriggerRequests] = HassKey(f"{DOMAIN}_trigger_requests")

#: Applies a device's requests: (distances in km, minutes to home, minutes before a departure).
type Apply = Callable[[Iterable[float], Iterable[float], Iterable[float]], None]


@dataclass
class DeviceRequests:
    """What the triggers of one device ask for, counted per trigger."""

    thresholds: Counter[float] = field(default_factory=Counter)
    minutes: Counter[float] = field(default_factory=Counter)
    departure_minutes: Counter[float] = field(default_factory=Counter)
    listener: Callable[[], None] | None = None

    @property
    def unused(self) -> bool:
        """Return whether nothing asks for or listens to this device any more."""
        return (
            not self.thresholds
            and not self.minutes
            and not self.departure_minutes
            and self.listener is None
        )


class TriggerRequests:
    """All devices' trigger requests."""

    def __init__(self) -> None:
        """Create an empty registry."""
        self.devices: dict[str, DeviceRequests] = {}

    def device(self, device_id: str) -> DeviceRequests:
        """Return (creating) the requests for ``device_id``."""
        return self.devices.setdefault(device_id, DeviceRequests())

    def _changed(self, device_id: str) -> None:
        requests = self.devices.get(device_id)
        if requests and requests.listener:
            requests.listener()

    @callback
    def release(self, device_id: str) -> None:
        """Forget ``device_id``'s entry if nothing uses it any more."""
        if (requests := self.devices.get(device_id)) is not None and requests.unused:
            del self.devices[device_id]

    @callback
    def device_removed(self, device_id: str) -> None:
        """Drop the requests of a device that no longer exists."""
        self.devices.pop(device_id, None)

    @callback
    def add_threshold(self, device_id: str, km: float) -> CALLBACK_TYPE:
        """Ask for crossings of ``km``; returns the call that withdraws it."""
        return self._add(device_id, "thresholds", normalize_km(km))

    @callback
    def add_minutes(self, device_id: str, minutes: float) -> CALLBACK_TYPE:
        """Ask for time-to-home crossings of ``minutes``; returns the call that withdraws it."""
        return self._add(device_id, "minutes", normalize_minutes(minutes))

    @callback
    def add_departure_minutes(self, device_id: str, minutes: int) -> CALLBACK_TYPE:
        """Ask for ``departure_expected`` ``minutes`` ahead; returns the call that withdraws it."""
        return self._add(device_id, "departure_minutes", minutes)

    def _add(self, device_id: str, kind: str, key: float) -> CALLBACK_TYPE:
        counter: Counter[float] = getattr(self.device(device_id), kind)
        counter[key] += 1
        self._changed(device_id)

        @callback
        def remove() -> None:
            # The device may be gone already: never bring its entry back.
            if (requests := self.devices.get(device_id)) is None:
                return
            counter = getattr(requests, kind)
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]
            self._changed(device_id)
            self.release(device_id)

        return remove


def get_requests(hass: HomeAssistant) -> TriggerRequests:
    """Return the registry, creating it (and its device registry watch) on first use."""
    if (requests := hass.data.get(REQUESTS_KEY)) is None:
        requests = hass.data[REQUESTS_KEY] = TriggerRequests()

        @callback
        def _is_removal(data: dr.EventDeviceRegistryUpdatedData) -> bool:
            return data["action"] == "remove"

        @callback
        def _device_removed(event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
            requests.device_removed(event.data["device_id"])

        hass.bus.async_listen(
            dr.EVENT_DEVICE_REGISTRY_UPDATED, _device_removed, event_filter=_is_removal
        )
    return requests


@callback
def requests_for(hass: HomeAssistant, device_id: str, apply: Apply) -> CALLBACK_TYPE:
    """Apply ``device_id``'s requests now and on every change; returns the call that stops."""
    registry = get_requests(hass)
    requests = registry.device(device_id)

    @callback
    def changed() -> None:
        apply(requests.thresholds, requests.minutes, requests.departure_minutes)

    requests.listener = changed
    changed()

    @callback
    def stop() -> None:
        if registry.devices.get(device_id) is requests:
            requests.listener = None
            registry.release(device_id)

    return stop
