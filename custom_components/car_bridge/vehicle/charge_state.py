"""Charging-state strings of other car integrations, mapped to :class:`ChargeState`.

Pure functions; the mirror source reads a sensor's state through them.
"""

from __future__ import annotations

from .model import ChargeState

_C = ChargeState

#: Tesla (Teslemetry, Tessie, Tesla Fleet, Tesla Custom) and TeslaMate, in
#: either spelling: ``no_power`` / ``NoPower`` both normalise to ``nopower``.
_NAMED: dict[str, ChargeState] = {
    "starting": _C.CHARGING,
    "charging": _C.CHARGING,
    "stopped": _C.PLUGGED_IN,
    "complete": _C.COMPLETE,
    "disconnected": _C.DISCONNECTED,
    "nopower": _C.PLUGGED_IN,
    # Car Bridge's own states, so a Car Bridge sensor can be mirrored too.
    "pluggedin": _C.PLUGGED_IN,
}

#: Mercedes-Benz ``chargingstatus`` codes.
_MERCEDES: dict[str, ChargeState] = {
    "0": _C.CHARGING,  # charging
    "1": _C.COMPLETE,  # end of charge
    "2": _C.PLUGGED_IN,  # charge break
    "3": _C.DISCONNECTED,  # unplugged
    "4": _C.PLUGGED_IN,  # failure
    "5": _C.CHARGING,  # slow charging
    "6": _C.CHARGING,  # fast charging
    "7": _C.PLUGGED_IN,  # discharging
    "8": _C.PLUGGED_IN,  # not charging
    "9": _C.CHARGING,  # slow charging after reaching the trip target
    "10": _C.CHARGING,  # charging after reaching the trip target
    "11": _C.CHARGING,  # fast charging after reaching the trip target
    "12": _C.PLUGGED_IN,  # connected without energy flow
    "13": _C.CHARGING,  # AC charging
    "14": _C.CHARGING,  # DC charging
}


def parse_charge_state(value: str) -> ChargeState | None:
    """Return the charge state a string means, or None if it is not one we know."""
    text = value.strip()
    if (code := _MERCEDES.get(text.removesuffix(".0"))) is not None:
        return code
    return _NAMED.get(text.lower().replace("_", "").replace(" ", "").replace("-", ""))


def combine_charge_state(
    reported: ChargeState | None, charging: bool | None, plugged_in: bool | None
) -> ChargeState | None:
    """Combine a reported state with what binary sensors say.

    A reported state wins. Otherwise: unplugged is disconnected; plugged in
    (or unknown) and charging is charging; plugged in otherwise is plugged in.
    """
    if reported is not None:
        return reported
    if plugged_in is False:
        return ChargeState.DISCONNECTED
    if charging:
        return ChargeState.CHARGING
    if plugged_in:
        return ChargeState.PLUGGED_IN
    return None
