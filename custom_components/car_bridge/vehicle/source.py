"""The seam every vehicle source implements.

Nothing above this seam knows which source it talks to: the coordinator starts
the source, receives each new :class:`VehicleState` through the listener and
forwards typed commands. A source says what it provides and accepts in
:attr:`VehicleSource.capabilities`; a command it does not accept raises
:class:`CommandNotSupportedError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .model import Capabilities, Command, CommandNotSupportedError, VehicleState

type StateListener = Callable[[VehicleState], None]


class VehicleSource(ABC):
    """A source of vehicle telemetry that may accept commands."""

    #: Seconds between calls to :meth:`tick`; ``None`` for push-only sources.
    tick_interval: float | None = None

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
    def capabilities(self) -> Capabilities:
        """Return what this source provides and accepts."""

    @property
    @abstractmethod
    def state(self) -> VehicleState:
        """Return the latest state."""

    def tick(self, now: datetime) -> None:  # noqa: B027 - optional hook
        """Advance a clock-driven source by one tick."""

    def _unsupported(self, command: Command) -> CommandNotSupportedError:
        return CommandNotSupportedError(command.value)

    async def async_navigate_to(
        self,
        latitude: float,
        longitude: float,
        name: str,
        *,
        address: str | None = None,
        text: str | None = None,
    ) -> None:
        """Drive (or route the navigation) to a point called ``name``.

        ``address`` and ``text`` (what was shared) are given when known.
        """
        raise self._unsupported(Command.NAVIGATE)

    async def async_set_climate(self, on: bool, target: float | None = None) -> None:
        """Switch cabin climate, optionally with a new target temperature in °C."""
        raise self._unsupported(Command.CLIMATE)

    async def async_set_charging(self, on: bool) -> None:
        """Start or stop charging."""
        raise self._unsupported(Command.CHARGING)

    async def async_set_charge_limit(self, percent: int) -> None:
        """Set the charge limit."""
        raise self._unsupported(Command.CHARGE_LIMIT)

    async def async_set_locked(self, locked: bool) -> None:
        """Lock or unlock the doors."""
        raise self._unsupported(Command.LOCK)

    def as_dict(self) -> dict[str, Any]:
        """Return what must be saved to resume after a restart."""
        return {}
