"""Car Bridge's webhook ids: registered with Home Assistant once, routed to the live vehicle.

A vehicle's webhook outlives the vehicle object: a reload stops one
``WebhookVehicle`` and starts another, and a post whose body is still arriving
when that happens must not go to the stopped one ("ok" and lost). So an id,
once registered with core's webhook component, stays registered while Home
Assistant runs; each post reads its body first and then goes to whichever
vehicle holds the id *now*. With none, the answer says why, and nothing of a
stopped vehicle (no timer, no task) is touched:

- its entry exists (reloading, disabled, failed to set up): 503 with
  ``Retry-After``, so the sender retries and nothing is lost;
- its entry was removed: 410 Gone (until Home Assistant restarts).

A URL replaced in **Configure** is unregistered at once.

Keeping the id registered also keeps core from logging it ("Received message
for unregistered webhook <id>" at INFO); the id is the vehicle's only secret.
For the same reason "only accept posts from my network" is checked here, not
by core's ``local_only`` flag, which logs every refused post with the id at
WARNING; and every method core passes on is allowed (it answers HEAD itself).

Core and aiohttp name the URL (so the id) in their own debug lines ("Serving
/api/webhook/<id>", the WebSocket message log, the access log): a filter on
those loggers replaces every Car Bridge webhook id with ``**REDACTED**``, so
the id appears in no log record at any level, whoever turns debug logging on.

Two entries cannot share an id (a restored backup, a duplicated entry):
:meth:`WebhookRouter.claim` says so, and the kind gives the second one a new id.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from ipaddress import ip_address
import logging
import re
from typing import Final, Protocol

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import is_cloud_connection
from homeassistant.util import network as network_util
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from ..vehicle.formats import BODY_TOO_LARGE, BODY_UNREADABLE, MAX_BODY_BYTES, FormatError

#: Methods routed to the vehicle (core answers HEAD itself, without a log line).
ALLOWED_METHODS: Final = ("GET", "POST", "PUT")
#: What a sender is told to wait before retrying a post refused mid-reload.
RETRY_AFTER_S: Final = 5

ROUTER: HassKey[WebhookRouter] = HassKey(f"{DOMAIN}_webhooks")
#: Loggers of Home Assistant and aiohttp whose records may carry a webhook URL or id.
REDACTED_LOGGERS: Final = (
    "aiohttp.access",
    "aiohttp.server",
    "aiohttp.web",
    "homeassistant.components.http",
    "homeassistant.components.webhook",
    "homeassistant.components.websocket_api.http.connection",
    "homeassistant.helpers.http",
)
REDACTED: Final = "**REDACTED**"
#: A sender's secret in a query string or a logged dict: ``token=…``, ``'api_key': '…'``.
_SENDER_SECRET: Final = re.compile(
    r"""(\b(?:access_token|token|api_?key|apikey|key|password|secret)(?:=|['"]?\s*:\s*['"]))[^&\s'"]+""",
    re.IGNORECASE,
)

#: The query string that follows a redacted webhook id in a logged URL.
_QUERY_AFTER_ID: Final = re.compile(r"(\*\*REDACTED\*\*)\?[^\s\"']*")


class _Redactor(logging.Filter):
    """Replaces Car Bridge's webhook ids in the records of :data:`REDACTED_LOGGERS`."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, REDACTED)
            # A post to Car Bridge may carry its sender's own secret (ABRP's
            # token, OVMS's api_key) in the query that the same line shows.
            message = _SENDER_SECRET.sub(rf"\1{REDACTED}", message)
            # The query of a post to Car Bridge is the sender's data (OsmAnd's
            # and Traccar's lat/lon): none of it belongs in an INFO access line.
            message = _QUERY_AFTER_ID.sub(rf"\1?{REDACTED}", message)
            record.msg, record.args = message, None
        return True


#: One per process: loggers are too.
_REDACTOR = _Redactor()


def _keep_out_of_logs(webhook_id: str) -> None:
    _REDACTOR.secrets.add(webhook_id)
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)


class Receiver(Protocol):
    """What the router hands a post to (a ``WebhookVehicle``)."""

    local_only: bool

    def handle(self, request: web.Request, body: bytes | FormatError) -> web.Response:
        """Answer a post whose body was read (or why it could not be: too large, undecodable)."""

    def refuse_remote(self) -> web.Response:
        """Answer a post from outside the network to a local-only vehicle."""


@dataclass
class _Route:
    entry_id: str
    receiver: Receiver | None = None
    #: The entry no longer uses the id (removed, or its URL was replaced).
    retired: bool = False


def async_get_router(hass: HomeAssistant) -> WebhookRouter:
    """Return the router of this Home Assistant."""
    if (router := hass.data.get(ROUTER)) is None:
        router = hass.data[ROUTER] = WebhookRouter(hass)
    return router


class WebhookRouter:
    """Which Car Bridge entry holds each webhook id, and which vehicle answers it."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Route nothing yet."""
        self._hass = hass
        self._routes: dict[str, _Route] = {}

    def claim(self, webhook_id: str, entry_id: str, name: str) -> bool:
        """Hold ``webhook_id`` for ``entry_id``; False if another entry or integration has it."""
        route = self._routes.get(webhook_id)
        if route is not None:
            if (
                route.entry_id != entry_id
                and not route.retired
                and self._hass.config_entries.async_get_entry(route.entry_id) is not None
            ):
                return False
            route.entry_id, route.retired = entry_id, False
            return True
        _keep_out_of_logs(webhook_id)
        try:
            webhook.async_register(
                self._hass,
                DOMAIN,
                name,
                webhook_id,
                self._async_handle,
                local_only=False,  # checked here, so that nothing logs the id
                allowed_methods=ALLOWED_METHODS,
            )
        except ValueError:  # "Handler is already defined!" (another integration)
            return False
        self._routes[webhook_id] = _Route(entry_id)
        return True

    @callback
    def attach(self, webhook_id: str, receiver: Receiver) -> None:
        """Send the posts of a claimed id to ``receiver``."""
        self._routes[webhook_id].receiver = receiver

    @callback
    def detach(self, webhook_id: str, receiver: Receiver) -> None:
        """Stop sending posts to ``receiver`` (they get 503 until a vehicle is back)."""
        route = self._routes.get(webhook_id)
        if route is not None and route.receiver is receiver:
            route.receiver = None

    @callback
    def release(self, webhook_id: str) -> None:
        """Unregister a replaced id: the old URL stops working at once.

        Core then answers it as any unknown id (200, nothing said to whoever
        holds the old URL) and its log line is redacted.
        """
        if self._routes.pop(webhook_id, None) is not None:
            webhook.async_unregister(self._hass, webhook_id)

    @callback
    def retire(self, webhook_id: str) -> None:
        """Stop taking posts for ``webhook_id``: its vehicle was removed (410 Gone)."""
        if (route := self._routes.get(webhook_id)) is not None:
            route.receiver, route.retired = None, True

    @callback
    def retire_entry(self, entry_id: str) -> None:
        """Stop taking posts for every id of a removed entry."""
        for webhook_id, route in self._routes.items():
            if route.entry_id == entry_id:
                self.retire(webhook_id)

    def receiver(self, webhook_id: str) -> Receiver | None:
        """Return the vehicle answering ``webhook_id`` now, if any."""
        route = self._routes.get(webhook_id)
        return None if route is None else route.receiver

    async def _async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        local = is_local_request(hass, request)
        receiver = self.receiver(webhook_id)
        if receiver is not None and receiver.local_only and not local:
            return receiver.refuse_remote()
        body = await read_body(request)
        # A reload may have replaced the vehicle while the body arrived.
        if (receiver := self.receiver(webhook_id)) is None:
            return self._no_vehicle(webhook_id)
        if receiver.local_only and not local:
            return receiver.refuse_remote()
        return receiver.handle(request, body)

    def _no_vehicle(self, webhook_id: str) -> web.Response:
        route = self._routes.get(webhook_id)
        if route is None or route.retired:
            return web.json_response(
                {"error": "no vehicle receives posts at this URL any more", "code": "gone"},
                status=HTTPStatus.GONE,
            )
        return web.json_response(
            {"error": "the vehicle is not running (restarting or disabled)", "code": "unavailable"},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )


@callback
def async_retire_entry(hass: HomeAssistant, entry_id: str) -> None:
    """Stop taking posts for a removed vehicle (nothing of it stays behind)."""
    if (router := hass.data.get(ROUTER)) is not None:
        router.retire_entry(entry_id)


def is_local_request(hass: HomeAssistant, request: web.Request) -> bool:
    """Return whether a request came from the local network (as core's webhook judges it).

    Cloudhooks (Nabu Casa) and requests without a peer address are remote.
    ``request.remote`` is already the client behind a trusted proxy.
    """
    if is_cloud_connection(hass) or request.remote is None:
        return False
    try:
        return network_util.is_local(ip_address(request.remote))
    except ValueError:
        return False


async def read_body(request: web.Request) -> bytes | FormatError:
    """Return the body, or why not: over the limit (the rest is never read), undecodable.

    Posts over the WebSocket API (``webhook/handle``) and cloudhooks come as
    core's ``MockRequest``, which has no ``content_length`` (and whose
    ``content`` starts afresh on every access).
    """
    length = getattr(request, "content_length", None)
    if isinstance(length, int) and length > MAX_BODY_BYTES:
        return BODY_TOO_LARGE
    # Once: MockRequest.content makes a new reader, from the start, on every access.
    stream = request.content
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := await stream.read(MAX_BODY_BYTES + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return BODY_TOO_LARGE
    except HttpProcessingError, web.RequestPayloadError:
        # aiohttp could not decompress it (a gzip header on a body that is not
        # gzip): the sender's mistake, answered 400, not a crash in the handler.
        return BODY_UNREADABLE
    return b"".join(chunks)
