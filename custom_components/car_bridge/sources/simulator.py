"""The simulated car as a kind of source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple
from datetime import datetime, timedelta
from typing import Any
import uuid
import zlib

import probatio as vol

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
from homeassistant.util import dt as dt_util

from ..const import (
    CONF_AUTO_PLUG_IN,
    CONF_BATTERY_START,
    CONF_CRUISE_SPEED,
    CONF_GPS_NOISE,
    CONF_MAX_ACCURACY,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_ROUTINE,
    CONF_START_DISTANCE,
    CONF_TIME_FACTOR,
    DEFAULT_NAME,
    DEFAULT_START_DISTANCE,
    SIMULATOR_DEFAULT_OPTIONS,
    SOURCE_SIMULATOR,
)
from ..departures.types import Departure
from ..options import check_range, number_selector
from ..vehicle import trust
from ..vehicle.physics import MIN_REPORTED_ACCURACY_M
from ..vehicle.routine import ROUTINES, Routine
from ..vehicle.simulator import SimulatedVehicle, SimulatorOptions
from .base import BuiltSource, Errors, SetupContext, SourceKind

#: How often the routine looks at the clock.
ROUTINE_INTERVAL = timedelta(seconds=30)
#: How many past days of the routine a new simulated car has already lived.
ROUTINE_PAST_DAYS = 28

NUMERIC_OPTIONS = (
    CONF_CRUISE_SPEED,
    CONF_TIME_FACTOR,
    CONF_GPS_NOISE,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_BATTERY_START,
)


def _simulator_options(config: Mapping[str, Any]) -> SimulatorOptions:
    return SimulatorOptions(
        cruise_speed=float(config[CONF_CRUISE_SPEED]),
        time_factor=float(config[CONF_TIME_FACTOR]),
        gps_noise=float(config[CONF_GPS_NOISE]),
        outside_temperature=float(config[CONF_OUTSIDE_TEMPERATURE]),
        auto_plug_in=bool(config[CONF_AUTO_PLUG_IN]),
    )


async def _async_build(hass: HomeAssistant, ctx: SetupContext) -> BuiltSource:
    config = ctx.config
    options = _simulator_options(config)
    battery_start = float(config[CONF_BATTERY_START])
    entry = ctx.entry
    home = ctx.home_zone.last_known
    kwargs: dict[str, Any] = {
        "now": dt_util.utcnow(),
        "home": (home.latitude, home.longitude, home.radius),
        "options": options,
        "seed": zlib.crc32((entry.unique_id or entry.entry_id).encode()),
        "start_distance_km": float(config.get(CONF_START_DISTANCE, 0.0)),
        "battery_percent": battery_start,
    }
    # The car checks every saved value itself; what it cannot trust starts afresh.
    source = SimulatedVehicle(**kwargs, saved=ctx.saved)
    discarded = [f"vehicle.{name}" for name in source.discarded]
    saved_battery = trust.number(ctx.saved_extra.get(CONF_BATTERY_START), 0.0, 100.0)
    if saved_battery is None and ctx.saved_extra.get(CONF_BATTERY_START) is not None:
        discarded.append(CONF_BATTERY_START)
    if ctx.saved is not None and saved_battery not in (None, battery_start):
        # The user changed the starting battery in the options: apply it now.
        source.set_battery(battery_start)
    # The simulated car drives to wherever home is now.
    ctx.home_zone.async_listen(
        lambda home: None if home is None else source.set_home(*astuple(home))
    )
    # The battery option sets the battery when it changes, not at every start.
    applied = {CONF_BATTERY_START: battery_start}
    routine = Routine(dt_util.get_default_time_zone(), kwargs["seed"])
    follows = {"routine": config.get(CONF_ROUTINE) == "weekday_commute"}

    @callback
    def _follow_routine(now: datetime) -> None:
        home = ctx.home_zone.last_known
        if not follows["routine"] or home is None or source.state.destination is not None:
            return
        if target := routine.due(now, position=source.true_position, home=astuple(home)):
            source.navigate_to(*target)

    entry.async_on_unload(async_track_time_interval(hass, _follow_routine, ROUTINE_INTERVAL))

    def past_departures(now: datetime) -> list[Departure]:
        if not follows["routine"]:
            return []
        return routine.past(now, ROUTINE_PAST_DAYS, options.cruise_speed)

    def apply_options(new: Mapping[str, Any]) -> None:
        # All of the simulator's physics applies to the running car, and its routine.
        source.options = _simulator_options(new)
        follows["routine"] = new.get(CONF_ROUTINE) == "weekday_commute"
        if float(new[CONF_BATTERY_START]) != applied[CONF_BATTERY_START]:
            applied[CONF_BATTERY_START] = float(new[CONF_BATTERY_START])
            source.set_battery(applied[CONF_BATTERY_START])

    return BuiltSource(
        source=source,
        extra_save=lambda: dict(applied),
        discarded=discarded,
        apply_options=apply_options,
        past_departures=past_departures,
    )


def reported_accuracy(gps_noise: float) -> float:
    """Return the accuracy, in m, the simulated car reports at this GPS noise."""
    return max(MIN_REPORTED_ACCURACY_M, 1.5 * gps_noise)


def _config_fields(hass: HomeAssistant) -> dict[Any, Any]:
    return {
        vol.Required(CONF_START_DISTANCE, default=DEFAULT_START_DISTANCE): number_selector("km"),
    }


def _validate_config(
    hass: HomeAssistant, user_input: dict[str, Any], errors: Errors
) -> tuple[str, dict[str, Any]]:
    check_range({CONF_START_DISTANCE: user_input[CONF_START_DISTANCE]}, errors)
    # A simulated car has no serial number: a generated id, never the name.
    return uuid.uuid4().hex, {CONF_START_DISTANCE: float(user_input[CONF_START_DISTANCE])}


def _options_fields(hass: HomeAssistant, current: Mapping[str, Any]) -> dict[Any, Any]:
    fields: dict[str, Any] = {
        CONF_CRUISE_SPEED: number_selector("km/h"),
        CONF_TIME_FACTOR: number_selector(),  # a ratio: "×" looked like a clear button
        CONF_GPS_NOISE: number_selector("m"),
        CONF_OUTSIDE_TEMPERATURE: number_selector("°C"),
        CONF_BATTERY_START: number_selector("%"),
        CONF_AUTO_PLUG_IN: BooleanSelector(),
        CONF_ROUTINE: SelectSelector(
            SelectSelectorConfig(
                options=list(ROUTINES), translation_key="routine", mode=SelectSelectorMode.DROPDOWN
            )
        ),
    }
    return {vol.Required(key, default=current[key]): sel for key, sel in fields.items()}


def _validate_options(
    hass: HomeAssistant, user_input: dict[str, Any], errors: Errors
) -> dict[str, Any]:
    numbers = {key: user_input[key] for key in NUMERIC_OPTIONS}
    check_range(numbers, errors)
    # The car reports fixes as accurate as 1.5 sigma of its noise: a stricter
    # maximum accuracy would have the engine ignore every fix.
    check_range({CONF_MAX_ACCURACY: user_input[CONF_MAX_ACCURACY]}, errors)
    if not errors.keys() & {CONF_GPS_NOISE, CONF_MAX_ACCURACY} and float(
        user_input[CONF_MAX_ACCURACY]
    ) < reported_accuracy(float(user_input[CONF_GPS_NOISE])):
        errors[CONF_MAX_ACCURACY] = "accuracy_below_noise"
    return {
        **{key: float(value) for key, value in numbers.items()},
        CONF_AUTO_PLUG_IN: bool(user_input[CONF_AUTO_PLUG_IN]),
        CONF_ROUTINE: routine
        if (routine := user_input.get(CONF_ROUTINE, "none")) in ROUTINES
        else "none",
    }


SIMULATOR = SourceKind(
    key=SOURCE_SIMULATOR,
    manufacturer="Car Bridge",
    model="Simulated vehicle",
    default_name=DEFAULT_NAME,
    default_options=SIMULATOR_DEFAULT_OPTIONS,
    async_build=_async_build,
    config_fields=_config_fields,
    validate_config=_validate_config,
    options_fields=_options_fields,
    validate_options=_validate_options,
)
