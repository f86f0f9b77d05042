"""The seam every vehicle source implements.

Nothing above this seam knows which source it talks to: the coordinator starts
the source, receives each new :class:`VehicleState` through the listener and
forwards commands. A command the source cannot carry out raises
:class:`CommandNotSupportedError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .model import CommandNotSupportedError, VehicleState

type StateListener = Callable[[VehicleState], None]


class VehicleSource(ABC):
    """A source of vehicle telemetry that may accept commands."""

    #: Seconds between calls to :meth:`tick`; ``None`` for push-only sources.
    tick_interval: float | None = None
    #: Commands this source supports, by method name.
    supported_commands: frozenset[str] = frozenset()

    def __init__(self) -> None:
        """Initialise with no listener."""
        self._listener: StateListener | None = None

    def start(self, listener: StateListener) -> None:
        """Start reporting states to ``listener``."""
        self._listener = listener

    def stop(self) -> None:
        """Stop reporting states."""
        self._listener = None

    def _emit(self, state: VehicleState) -> None:
        if self._listener is not None:
            self._listener(state)

    @property
    @abstractmethod
    def state(self) -> VehicleState:
        """Return the latest state."""

    def tick(self, now: datetime) -> None:  # noqa: B027 - optional hook
        """Advance a clock-driven source by one tick."""

    def supports(self, command: str) -> bool:
        """Return whether ``command`` is supported."""
        return command in self.supported_commands

    def _unsupported(self, command: str) -> CommandNotSupportedError:
        return CommandNotSupportedError(command)

    def navigate_to(self, latitude: float, longitude: float) -> None:
        """Drive to a point."""
        raise self._unsupported("navigate_to")

    def set_climate(self, on: bool, target: float | None = None) -> None:
        """Switch cabin climate, optionally with a new target temperature."""
        raise self._unsupported("set_climate")

    def set_charging(self, on: bool) -> None:
        """Start or stop charging."""
        raise self._unsupported("set_charging")

    def set_charge_limit(self, percent: int) -> None:
        """Set the charge limit."""
        raise self._unsupported("set_charge_limit")

    def set_locked(self, locked: bool) -> None:
        """Lock or unlock the doors."""
        raise self._unsupported("set_locked")

    def set_home(self, latitude: float, longitude: float, radius: float) -> None:  # noqa: B027 - optional hook
        """Tell the source where home is (used by simulated sources)."""

    def as_dict(self) -> dict[str, Any]:
        """Return what must be saved to resume after a restart."""
        return {}
