"""What a kind of vehicle source brings: its config step, options, set-up and device info."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant

from ..data import CarBridgeConfigEntry
from ..departures.types import Departure
from ..vehicle.source import VehicleSource
from ..zone import HomeZone


@dataclass(frozen=True, kw_only=True)
class SetupContext:
    """What a kind gets to build its source."""

    entry: CarBridgeConfigEntry
    #: The entry's data with its options on top (options win).
    config: Mapping[str, Any]
    #: Where home is (``home_zone.last_known``) and its changes, for a kind that drives there.
    home_zone: HomeZone
    #: The source's saved state (``VehicleSource.as_dict``), or None.
    saved: dict[str, Any] | None
    #: Everything else that was saved (kind-specific extras).
    saved_extra: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class BuiltSource:
    """A source and the extra values it wants saved beside its state."""

    source: VehicleSource
    extra_save: Callable[[], dict[str, Any]] = dict
    #: Saved values the kind could not trust and started afresh, for the
    #: one warning that says what was discarded (e.g. "vehicle.battery").
    discarded: Sequence[str] = ()
    #: Apply the kind's own options to the running source; None if a change of
    #: them needs a reload. Common options (thresholds, hysteresis, maximum
    #: accuracy, home zone) always apply live.
    apply_options: Callable[[Mapping[str, Any]], None] | None = None
    #: The departures the source made before it was set up (a simulated
    #: routine's past weeks), learned on a first setup; None if it knows none.
    past_departures: Callable[[datetime], list[Departure]] | None = None


type Errors = dict[str, str]


@dataclass(frozen=True, kw_only=True)
class SourceKind:
    """One kind of source, as a plug-in."""

    key: str
    manufacturer: str
    model: str
    #: Name suggested in the config step, if any.
    default_name: str | None = None
    #: Options of this kind and their defaults.
    default_options: Mapping[str, Any]
    async_build: Callable[[HomeAssistant, SetupContext], Awaitable[BuiltSource]]
    #: Fields of the kind's config step besides the name and the home zone.
    config_fields: Callable[[HomeAssistant], dict[Any, Any]]
    #: Check the step's input; return the unique id and the entry data to add.
    validate_config: Callable[[HomeAssistant, dict[str, Any], Errors], tuple[str, dict[str, Any]]]
    #: Fields of the kind's options, given the current values.
    options_fields: Callable[[HomeAssistant, Mapping[str, Any]], dict[Any, Any]]
    #: Check the options' input; return the kind's options to store.
    validate_options: Callable[[HomeAssistant, dict[str, Any], Errors], dict[str, Any]]
    #: Options the kind stores itself (not from the form), kept when the options are saved.
    kept_options: tuple[str, ...] = ()
    #: The field and the unique id the kind's options make, when the vehicle's
    #: unique id follows one of its options (the mirror's tracker); None if fixed.
    unique_id_from_options: Callable[[HomeAssistant, Mapping[str, Any]], tuple[str, str]] | None = (
        None
    )
    #: Placeholders for the message shown once the entry is created (``config.create_entry.<key>``).
    created_placeholders: Callable[[HomeAssistant, Mapping[str, Any]], dict[str, str]] | None = None
