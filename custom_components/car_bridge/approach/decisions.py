"""The two decisions behind what is shown: is the car home, and which way is it going.

Pure Python, no Home Assistant imports.
"""

from __future__ import annotations

from .model import ApproachState, Direction
from .still import Still


def home_decision(
    was_home: bool,
    centre_m: float,
    accuracy: float,
    still: tuple[float, Still] | None,
    *,
    radius: float,
    hysteresis_m: float,
    under_way: bool,
) -> bool:
    """Arrive on sure evidence; leave only well beyond the hysteresis.

    ``centre_m`` is the fix's distance from the zone centre; ``still`` the
    distance of the mean of a stopped car's fixes, with that mean.
    """
    if was_home:
        if still is not None:  # parked: only the estimate can say it left
            return still[0] - radius - still[1].effective_accuracy <= hysteresis_m
        return centre_m - radius - accuracy <= hysteresis_m
    # A car under way is home once one fix's accuracy circle lies inside.
    if under_way and centre_m <= radius - accuracy:
        return True
    if still is None:
        return False
    # A car standing still is judged by the mean of its fixes, which noise
    # cannot carry across the edge: home when that mean is surely inside,
    # or, for a zone smaller than the GPS accuracy, when the zone centre
    # lies within its accuracy.
    mean_centre, mean = still
    return mean_centre <= max(radius - mean.effective_accuracy, mean.accuracy)


def direction_of(
    prev: ApproachState,
    at_home: bool,
    shown: float,
    *,
    anchor_m: float,
    significant: bool,
    hysteresis_m: float,
) -> Direction:
    """Return the direction after a move to ``shown`` from ``anchor_m`` (m from the edge)."""
    if at_home:
        return Direction.ARRIVED
    if prev.at_home:
        return Direction.AWAY_FROM
    if not significant:
        return prev.direction  # a decision moved the position a little
    # Moves are at least a hysteresis long, so a quarter of one separates a
    # real approach from a move along a circle around home.
    delta = shown - anchor_m
    tolerance = hysteresis_m / 4
    if delta < -tolerance:
        return Direction.TOWARDS
    if delta > tolerance:
        return Direction.AWAY_FROM
    return Direction.STATIONARY
