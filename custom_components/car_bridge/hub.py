"""Registry of what device triggers watch, shared by all entries.

Device triggers may attach before their vehicle's entry is loaded, so what
they ask for lives here, keyed by device id; each coordinator subscribes to
its own device and applies the requests to its engine. A device's requests
go when the device is removed from the registry, and an entry that nothing
uses any more (no trigger, no coordinator) is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util.hass_dict import HassKey

from .approach.engine import ApproachState, normalize_km
from .const import DOMAIN

HUB_KEY: HassKey[TriggerHub] = HassKey(f"{DOMAIN}_trigger_hub")
#: Time to home must rise this far above a trigger's minutes to re-arm it.
ETA_REARM_MARGIN_MIN = 2


class EtaWatcher:
    """Fires once when time to home drops to or below ``minutes``.

    It re-arms when the estimate rises clearly above ``minutes`` again or the
    vehicle is home, so one approach fires it once however the estimate
    wobbles.
    """

    def __init__(self, minutes: float, action: Callable[[ApproachState], None]) -> None:
        """Create a watcher, armed until the first state says otherwise."""
        self.minutes = minutes
        self._action = action
        self._armed: bool | None = None

    def update(self, state: ApproachState) -> None:
        """Evaluate one approach state."""
        eta = state.time_to_home_min
        if self._armed is None:
            self._armed = eta is None or eta > self.minutes
            return
        if self._armed and eta is not None and eta <= self.minutes:
            self._armed = False
            self._action(state)
        elif not self._armed and (
            state.at_home or (eta is not None and eta > self.minutes + ETA_REARM_MARGIN_MIN)
        ):
            self._armed = True


@dataclass
class DeviceWatch:
    """What the triggers of one device ask for."""

    thresholds: Counter[float] = field(default_factory=Counter)
    eta: list[EtaWatcher] = field(default_factory=list)
    listener: Callable[[], None] | None = None

    @property
    def unused(self) -> bool:
        """Return whether nothing asks for or listens to this device any more."""
        return not self.thresholds and not self.eta and self.listener is None


class TriggerHub:
    """All devices' trigger requests."""

    def __init__(self) -> None:
        """Create an empty hub."""
        self.devices: dict[str, DeviceWatch] = {}

    def watch(self, device_id: str) -> DeviceWatch:
        """Return (creating) the requests for ``device_id``."""
        return self.devices.setdefault(device_id, DeviceWatch())

    def _changed(self, device_id: str) -> None:
        watch = self.devices.get(device_id)
        if watch and watch.listener:
            watch.listener()

    @callback
    def release(self, device_id: str) -> None:
        """Forget ``device_id``'s entry if nothing uses it any more."""
        if (watch := self.devices.get(device_id)) is not None and watch.unused:
            del self.devices[device_id]

    @callback
    def device_removed(self, device_id: str) -> None:
        """Drop the requests of a device that no longer exists."""
        self.devices.pop(device_id, None)

    @callback
    def add_threshold(self, device_id: str, km: float) -> CALLBACK_TYPE:
        """Ask for crossings of ``km``; returns the call that withdraws it."""
        key = normalize_km(km)
        self.watch(device_id).thresholds[key] += 1
        self._changed(device_id)

        @callback
        def remove() -> None:
            # The device may be gone already: never bring its entry back.
            if (watch := self.devices.get(device_id)) is None:
                return
            watch.thresholds[key] -= 1
            if watch.thresholds[key] <= 0:
                del watch.thresholds[key]
            self._changed(device_id)
            self.release(device_id)

        return remove

    @callback
    def add_eta(self, device_id: str, watcher: EtaWatcher) -> CALLBACK_TYPE:
        """Register a time-to-home watcher; returns the call that removes it."""
        self.watch(device_id).eta.append(watcher)

        @callback
        def remove() -> None:
            if (watch := self.devices.get(device_id)) is not None and watcher in watch.eta:
                watch.eta.remove(watcher)
                self.release(device_id)

        return remove


def get_hub(hass: HomeAssistant) -> TriggerHub:
    """Return the hub, creating it (and its device registry watch) on first use."""
    if (hub := hass.data.get(HUB_KEY)) is None:
        hub = hass.data[HUB_KEY] = TriggerHub()

        @callback
        def _is_removal(data: dr.EventDeviceRegistryUpdatedData) -> bool:
            return data["action"] == "remove"

        @callback
        def _device_removed(event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
            hub.device_removed(event.data["device_id"])

        hass.bus.async_listen(
            dr.EVENT_DEVICE_REGISTRY_UPDATED, _device_removed, event_filter=_is_removal
        )
    return hub
