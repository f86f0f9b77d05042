"""Charging-state strings of real integrations map to Car Bridge's four states."""

from __future__ import annotations

import pytest

from custom_components.car_bridge.vehicle.charge_state import (
    combine_charge_state,
    parse_charge_state,
)
from custom_components.car_bridge.vehicle.model import ChargeState

C = ChargeState


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Teslemetry / Tessie
        ("starting", C.CHARGING),
        ("charging", C.CHARGING),
        ("stopped", C.PLUGGED_IN),
        ("complete", C.COMPLETE),
        ("disconnected", C.DISCONNECTED),
        ("no_power", C.PLUGGED_IN),
        # Tesla and TeslaMate raw
        ("Starting", C.CHARGING),
        ("Charging", C.CHARGING),
        ("Stopped", C.PLUGGED_IN),
        ("Complete", C.COMPLETE),
        ("Disconnected", C.DISCONNECTED),
        ("NoPower", C.PLUGGED_IN),
        # Mercedes chargingstatus
        ("0", C.CHARGING),
        ("1", C.COMPLETE),
        ("2", C.PLUGGED_IN),
        ("3", C.DISCONNECTED),
        ("4", C.PLUGGED_IN),
        ("5", C.CHARGING),
        ("6", C.CHARGING),
        ("7", C.PLUGGED_IN),
        ("8", C.PLUGGED_IN),
        ("9", C.CHARGING),
        ("10", C.CHARGING),
        ("11", C.CHARGING),
        ("12", C.PLUGGED_IN),
        ("13", C.CHARGING),
        ("14", C.CHARGING),
        ("3.0", C.DISCONNECTED),
        # Car Bridge's own
        ("plugged_in", C.PLUGGED_IN),
        # unknown
        ("15", None),
        ("-1", None),
        ("warp_drive", None),
        ("", None),
    ],
)
def test_parse_charge_state(text: str, expected: ChargeState | None) -> None:
    assert parse_charge_state(text) is expected


@pytest.mark.parametrize(
    ("reported", "charging", "plugged_in", "expected"),
    [
        (C.COMPLETE, True, False, C.COMPLETE),  # a reported state wins
        (None, None, False, C.DISCONNECTED),
        (None, True, False, C.DISCONNECTED),
        (None, True, True, C.CHARGING),
        (None, False, True, C.PLUGGED_IN),
        (None, None, True, C.PLUGGED_IN),
        (None, True, None, C.CHARGING),
        (None, False, None, None),
        (None, None, None, None),
    ],
)
def test_combine_charge_state(
    reported: ChargeState | None,
    charging: bool | None,
    plugged_in: bool | None,
    expected: ChargeState | None,
) -> None:
    assert combine_charge_state(reported, charging, plugged_in) is expected
