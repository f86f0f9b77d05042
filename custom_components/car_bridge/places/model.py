"""What a shared link or text means: a WGS-84 place, or why it is not one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Datum(StrEnum):
    """The coordinate system a link's numbers were given in."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"  # China's obfuscated datum: Amap, Tencent
    BD09 = "bd09"  # Baidu's further offset of GCJ-02


class PlaceErrorReason(StrEnum):
    """Why a text could not be placed; each is a translated message upstream."""

    EMPTY = "empty"
    NO_COORDINATES = "no_coordinates"  # a link (or text) that names no coordinates
    SHORT_LINK = "short_link"  # needs one redirect lookup first (see PlaceError.url)
    OUT_OF_RANGE = "out_of_range"  # coordinates outside the map
    UNKNOWN_DATUM = "unknown_datum"  # geo: crs=... other than wgs84


class PlaceError(ValueError):
    """The text cannot be placed; nothing is guessed."""

    def __init__(self, reason: PlaceErrorReason, url: str | None = None) -> None:
        """Say why; ``url`` is the link concerned (the one to look up for a short link)."""
        super().__init__(reason.value)
        self.reason = reason
        self.url = url


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A destination in WGS-84.

    ``origin`` says where in the link the coordinates came from (for example
    ``google_place`` for Google's ``!3d!4d`` pair, ``google_view`` for the
    map's ``@`` centre), ``converted_from`` the datum they were converted from
    (None when they were WGS-84 already).
    """

    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None
    origin: str
    converted_from: Datum | None = None
    url: str | None = None
