"""Pure: links and shared text -> a WGS-84 place (GCJ-02 / BD-09 converted).

No Home Assistant import: the HA glue (``destination.py``) resolves short
links and holds the place for the next trip.
"""

from .model import Datum, Place, PlaceError, PlaceErrorReason
from .parse import find_links, is_short_link, parse_link, parse_place

__all__ = [
    "Datum",
    "Place",
    "PlaceError",
    "PlaceErrorReason",
    "find_links",
    "is_short_link",
    "parse_link",
    "parse_place",
]
