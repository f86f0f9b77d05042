"""Saving and restoring the approach engine: a restart is invisible.

Pure Python, no Home Assistant imports. The engine's state is written by
:func:`.saved.encode` and read back part by part by :func:`.saved.decode`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from .crossings import Minutes, Thresholds
from .eta import TimeToHome
from .gate import Gate
from .model import ApproachConfig, ApproachState, Direction, Home, MalformedStateError, Sample
from .pace import PaceProfile
from .saved import LegacyState, SavedState, decode, encode
from .still import Still


class Resumable:
    """The engine's saving and restoring (mixed into :class:`.engine.ApproachEngine`)."""

    _config: ApproachConfig
    _home: Home
    _home_exists: bool
    _state: ApproachState | None
    _last: Sample | None
    _last_move: datetime | None
    _still: Still | None
    _gate: Gate
    _eta: TimeToHome
    _thresholds: Thresholds
    _minutes: Minutes
    _going: Direction

    # Provided by the engine that mixes this in.
    _reset: Callable[[], None]
    _initialise: Callable[[Sample, Direction | None], None]
    _centre_m: Callable[[float, float], float]
    _shown_distance: Callable[[float, float, bool], float]
    #: Measure against a new home (None: it was deleted); fire nothing.
    set_home: Callable[[Home | None], None]

    def as_dict(self) -> dict[str, Any] | None:
        """Return everything needed to resume as if there had been no restart."""
        s = self._state
        if s is None or self._last is None:
            return None
        return encode(
            SavedState(
                home=self._home,
                home_exists=self._home_exists,
                latitude=s.latitude,
                longitude=s.longitude,
                accuracy=s.accuracy,
                direction=s.direction,
                time_to_home_min=s.time_to_home_min,
                at_home=s.at_home,
                last=self._last,
                pending=self._gate.pending,
                last_time=self._gate.last_time,
                last_move=self._last_move,
                still=self._still,
                speed_sum=self._eta.speed_sum,
                speed_weight=self._eta.speed_weight,
                crossings=self._thresholds.arms,
                minutes=self._minutes.arms,
                pace=self._eta.pace.profile,
            )
        )

    def restore(self, data: Any) -> list[str]:
        """Resume from :meth:`as_dict` output without emitting events.

        Every part is checked on its own: one that cannot be trusted is
        discarded alone (what follows from it is derived again from the last
        position, silently) and its name returned, for the one setup warning.
        If nothing can be resumed the engine is left fresh (the next usable
        fix starts it silently) and :class:`MalformedStateError` raised.
        """
        try:
            saved = decode(data)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            self._reset()
            raise MalformedStateError(str(err)) from err
        if isinstance(saved, LegacyState):
            self._restore_legacy(saved)
            return []
        self._reset()
        current_home, current_exists = self._home, self._home_exists
        self._home_exists = saved.home_exists
        if saved.home is not None:
            self._home = saved.home
        lat, lon, at_home = saved.latitude, saved.longitude, saved.at_home
        direction = saved.direction or Direction.STATIONARY
        self._state = ApproachState(
            latitude=lat,
            longitude=lon,
            accuracy=saved.accuracy,
            distance_m=self._shown_distance(lat, lon, at_home),
            direction=direction,
            time_to_home_min=saved.time_to_home_min if direction is Direction.TOWARDS else None,
            at_home=at_home,
        )
        self._last, self._gate.pending = saved.last, saved.pending
        self._gate.last_time, self._last_move = saved.last_time, saved.last_move
        self._still = saved.still
        moving_ways = (Direction.TOWARDS, Direction.AWAY_FROM)
        self._going = direction if direction in moving_ways else Direction.STATIONARY
        self._eta.speed_sum, self._eta.speed_weight = saved.speed_sum, saved.speed_weight
        # The pace was learned from the saved home: without it, it means nothing.
        learned = saved.pace if saved.home is not None else None
        self._eta.pace.profile = learned if learned is not None else PaceProfile()
        self._thresholds.saved = saved.crossings
        self._minutes.saved = saved.minutes
        self._thresholds.sync(self._state.distance_m)
        self._minutes.sync(self._state)
        if saved.direction is None or saved.home is None:
            # Whether it was home, or where home was, is not known: decide
            # again from where it was, as after a zone change.
            self._home, self._home_exists = current_home, current_exists
            self._thresholds.saved = {} if saved.home is None else self._thresholds.saved
            position = replace(saved.last, latitude=lat, longitude=lon, accuracy=saved.accuracy)
            self._initialise(position, Direction.STATIONARY)
        # The zone may have changed while Home Assistant was stopped.
        self.set_home(current_home if current_exists else None)
        return list(saved.discarded)

    def _restore_legacy(self, saved: LegacyState) -> None:
        """Resume from the first release's save: a position and whether it was home."""
        sample = saved.sample
        edge = self._centre_m(sample.latitude, sample.longitude) - self._home.radius
        # Home as saved, unless that place is beyond leaving distance now.
        at_home = saved.at_home and edge <= self._config.hysteresis_m
        self._reset()
        self._initialise(sample, None)
        if self._home_exists and self._state is not None and self._state.at_home != at_home:
            self._state = replace(
                self._state,
                at_home=at_home,
                direction=Direction.ARRIVED if at_home else Direction.STATIONARY,
                distance_m=self._shown_distance(sample.latitude, sample.longitude, at_home),
            )
