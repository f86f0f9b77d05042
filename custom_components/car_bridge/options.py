"""A vehicle's options: every bound in one place, the common part of the form, live or reload.

Every number a user can type (options, the config step, device triggers,
blueprints) is checked against a bound from here. The options in force are
the entry's data with its options on top, over the defaults (:func:`entry_config`);
the approach engine's tunables are read from them (:func:`approach_config`).
The common options (thresholds, hysteresis, maximum accuracy, home zone)
always apply to a running vehicle; a kind's own options apply live only if its
built source can apply them (:func:`changed_options`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

import probatio as vol

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .approach.model import ApproachConfig
from .const import (
    COMMON_DEFAULT_OPTIONS,
    CONF_BATTERY_START,
    CONF_CONNECTION_TIMEOUT,
    CONF_CRUISE_SPEED,
    CONF_DEPARTURE_CALENDAR,
    CONF_DEPARTURE_LEARNING,
    CONF_DEPARTURE_WORKDAY,
    CONF_DESTINATION_EXPIRY,
    CONF_GPS_NOISE,
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_START_DISTANCE,
    CONF_THRESHOLDS,
    CONF_TIME_FACTOR,
    CONF_ZONE,
    DEFAULT_DESTINATION_EXPIRY_H,
    DEFAULT_ZONE,
    DEPARTURE_OPTIONS,
)

if TYPE_CHECKING:
    from homeassistant.helpers.selector import Selector

type Errors = dict[str, str]

# The one range of distances to home, in km, that options thresholds, device
# triggers and blueprints accept: below 50 m a crossing is lost in GPS noise.
MIN_DISTANCE_KM: Final = 0.05
MAX_DISTANCE_KM: Final = 500.0
#: The minutes a time-to-home trigger accepts.
MIN_MINUTES: Final = 1.0
MAX_MINUTES: Final = 600.0
#: What a device trigger asks for when its config names no number.
DEFAULT_TRIGGER_KM: Final = {"approaching": 5.0, "leaving": 1.0}
DEFAULT_TRIGGER_MINUTES: Final = 15.0
#: Longer names make entity ids that core truncates into clashing ``…_2`` ids.
MAX_NAME_LENGTH: Final = 50

#: Accepted ranges of the config and options flows' numbers.
RANGES: Final[dict[str, tuple[float, float]]] = {
    CONF_START_DISTANCE: (0.0, 500.0),
    CONF_CRUISE_SPEED: (5.0, 200.0),
    CONF_TIME_FACTOR: (1.0, 3600.0),
    CONF_GPS_NOISE: (0.0, 500.0),
    CONF_OUTSIDE_TEMPERATURE: (-40.0, 50.0),
    CONF_BATTERY_START: (0.0, 100.0),
    CONF_THRESHOLDS: (MIN_DISTANCE_KM, MAX_DISTANCE_KM),
    CONF_HYSTERESIS: (10.0, 5000.0),
    CONF_MAX_ACCURACY: (10.0, 5000.0),
    CONF_DESTINATION_EXPIRY: (1.0, 168.0),
    CONF_CONNECTION_TIMEOUT: (1.0, 1440.0),
}

ZONE_SELECTOR = EntitySelector(EntitySelectorConfig(domain="zone"))
#: The departure options' fields: optional, stored only when set (learning is on unless off).
DEPARTURE_FIELDS: Final[dict[str, Selector[Any]]] = {
    CONF_DEPARTURE_LEARNING: BooleanSelector(),
    CONF_DEPARTURE_WORKDAY: EntitySelector(EntitySelectorConfig(domain="binary_sensor")),
    CONF_DEPARTURE_CALENDAR: EntitySelector(EntitySelectorConfig(domain="calendar")),
}


# -- the options in force ------------------------------------------------------


def entry_config(entry: ConfigEntry[Any], kind_defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options in force: the defaults, the entry's data, its options on top."""
    return {**COMMON_DEFAULT_OPTIONS, **kind_defaults, **entry.data, **entry.options}


def home_zone_entity(entry: ConfigEntry[Any]) -> str:
    """Return the home zone in force: the options' if set, else the entry's."""
    zone: str = entry.options.get(CONF_ZONE) or entry.data.get(CONF_ZONE, DEFAULT_ZONE)
    return zone


def approach_config(config: Mapping[str, Any]) -> ApproachConfig:
    """Return the approach engine's tunables from the options in force."""
    return ApproachConfig(
        thresholds_km=tuple(float(t) for t in config[CONF_THRESHOLDS]),
        hysteresis_m=float(config[CONF_HYSTERESIS]),
        max_accuracy_m=float(config[CONF_MAX_ACCURACY]),
        # A simulator stamps its fixes with Home Assistant's clock while it
        # drives time_factor times faster: time to home is in its own minutes.
        time_scale=float(config.get(CONF_TIME_FACTOR, 1.0)),
    )


def departure_learning(config: Mapping[str, Any]) -> bool:
    """Return whether departures are learned (and predicted)."""
    return bool(config.get(CONF_DEPARTURE_LEARNING, True))


def destination_expiry(config: Mapping[str, Any]) -> timedelta:
    """Return how long a destination shared for the next trip waits."""
    return timedelta(hours=float(config.get(CONF_DESTINATION_EXPIRY, DEFAULT_DESTINATION_EXPIRY_H)))


def changed_options(applied: Mapping[str, Any], config: Mapping[str, Any]) -> set[str]:
    """Return the kind's own options that differ (the common ones always apply live)."""
    changed = {key for key in config.keys() | applied.keys() if config.get(key) != applied.get(key)}
    live = {CONF_ZONE, CONF_DESTINATION_EXPIRY, *DEPARTURE_OPTIONS}
    return changed - COMMON_DEFAULT_OPTIONS.keys() - live


# -- checking what was typed -----------------------------------------------------


def number_selector(unit: str | None = None) -> NumberSelector:
    """Return a number box; ranges are checked in the flow so a wrong value gets a field error."""
    config = NumberSelectorConfig(mode=NumberSelectorMode.BOX, step="any")
    if unit is not None:  # a ratio has none
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def check_range(values: Mapping[str, Any], errors: Errors) -> None:
    """Add ``out_of_range`` for every ranged value outside its range."""
    for key, value in values.items():
        if key in RANGES and not isinstance(value, list):
            low, high = RANGES[key]
            if not low <= float(value) <= high:
                errors[key] = "out_of_range"


class ThresholdSelector(TextSelector):
    """Distances in km, one number box each: the browser refuses letters as they are typed."""

    def __init__(self) -> None:
        """One number box per distance, each with its unit."""
        super().__init__(
            TextSelectorConfig(multiple=True, type=TextSelectorType.NUMBER, suffix="km")
        )

    def __call__(self, data: Any) -> Any:
        """Accept numbers too, as the stored options hold them."""
        values = data if isinstance(data, list) else [data]
        return super().__call__([f"{v:g}" if isinstance(v, (int, float)) else v for v in values])


def parse_thresholds(raw: list[str], errors: Errors) -> list[float]:
    """Return the typed distances, largest first, or set ``invalid_thresholds``."""
    low, high = RANGES[CONF_THRESHOLDS]
    raw = [v for v in raw if str(v).strip()]  # an added but empty box
    try:
        values = sorted({round(float(str(v).replace(",", ".")), 3) for v in raw}, reverse=True)
    except ValueError:
        errors[CONF_THRESHOLDS] = "invalid_thresholds"
        return []
    if not values or not all(low <= v <= high for v in values):
        errors[CONF_THRESHOLDS] = "invalid_thresholds"
    return values


def check_options_together(
    values: Mapping[str, Any], thresholds: list[float], errors: Errors
) -> dict[str, str]:
    """Check the common options against each other; return the errors' placeholders.

    Only values that passed their own checks are compared, so each field shows
    one reason at a time. A kind checks its own options against these in its
    ``validate_options``.
    """
    placeholders: dict[str, str] = {}
    if (
        thresholds
        and not errors.keys() & {CONF_HYSTERESIS, CONF_THRESHOLDS}
        and float(values[CONF_HYSTERESIS]) >= min(thresholds) * 1000
    ):
        # Otherwise the car stays "at home", and the smallest crossing armed,
        # until it is a whole hysteresis beyond it.
        errors[CONF_HYSTERESIS] = "hysteresis_too_large"
        placeholders["smallest_threshold"] = f"{min(thresholds) * 1000:g}"
    return placeholders


def common_fields(current: Mapping[str, Any]) -> dict[Any, Selector[Any]]:
    """Return the common options' form fields, with the current values as defaults."""
    fields: dict[str, Selector[Any]] = {
        CONF_THRESHOLDS: ThresholdSelector(),
        CONF_HYSTERESIS: number_selector("m"),
        CONF_MAX_ACCURACY: number_selector("m"),
        CONF_ZONE: ZONE_SELECTOR,
    }
    return {
        **{vol.Required(key, default=current[key]): sel for key, sel in fields.items()},
        # Learning defaults to on; the holiday entities are optional.
        **{
            (
                vol.Optional(key, default=bool(current.get(key, True)))
                if key == CONF_DEPARTURE_LEARNING
                else vol.Optional(key)
            ): sel
            for key, sel in DEPARTURE_FIELDS.items()
        },
        vol.Optional(
            CONF_DESTINATION_EXPIRY,
            default=float(current.get(CONF_DESTINATION_EXPIRY, DEFAULT_DESTINATION_EXPIRY_H)),
        ): number_selector("h"),
    }


def check_common(user_input: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    """Check the common options on their own; return them as stored (the zone is the flow's)."""
    check_range({key: user_input[key] for key in (CONF_HYSTERESIS, CONF_MAX_ACCURACY)}, errors)
    expiry = user_input.get(CONF_DESTINATION_EXPIRY, DEFAULT_DESTINATION_EXPIRY_H)
    check_range({CONF_DESTINATION_EXPIRY: expiry}, errors)
    return {
        CONF_THRESHOLDS: parse_thresholds(user_input[CONF_THRESHOLDS], errors),
        CONF_HYSTERESIS: float(user_input[CONF_HYSTERESIS]),
        CONF_MAX_ACCURACY: float(user_input[CONF_MAX_ACCURACY]),
        **{
            key: user_input[key]
            for key in DEPARTURE_FIELDS
            if user_input.get(key) not in (None, "", True)
        },
        # Stored only when it differs from the default, like the departure fields.
        **(
            {CONF_DESTINATION_EXPIRY: float(expiry)}
            if float(expiry) != DEFAULT_DESTINATION_EXPIRY_H
            else {}
        ),
    }
