"""The webhook as a kind of source: OBD dongles and tracker apps post to Car Bridge.

ABRP telemetry (WiCAN, OVMS, TeslaMate-ABRP), OsmAnd / Traccar Client and Car
Bridge JSON all go to ``/api/webhook/<webhook_id>``; the format is detected
from the request (vehicle/formats). Bad input gets HTTP 400 with
``{"error": reason}`` and changes nothing; each kind of problem is logged once
per vehicle. Posts faster than ten a second are all merged but published at
most ten times a second. With no post for the connection timeout the values
stay and ``connected`` turns off.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, Final
import uuid

from aiohttp import hdrs, web
import probatio as vol

from homeassistant.components import webhook
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.selector import BooleanSelector
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from ..const import (
    CONF_CONNECTION_TIMEOUT,
    CONF_LOCAL_ONLY,
    CONF_REGENERATE_WEBHOOK,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_URL,
    DOMAIN,
    LOGGER,
    SOURCE_WEBHOOK,
    WEBHOOK_DEFAULT_OPTIONS,
)
from ..data import CarBridgeConfigEntry
from ..options import check_range, number_selector
from ..vehicle.formats import (
    FormatError,
    ParseResult,
    parse_request,
)
from ..vehicle.push import PushVehicle
from ..vehicle.source import StateListener
from .base import BuiltSource, Errors, SetupContext, SourceKind
from .webhook_router import async_get_router

#: Posts closer together than this are merged into one published state.
MIN_PUBLISH_INTERVAL: Final = 0.1  # seconds


def webhook_url(hass: HomeAssistant, webhook_id: str) -> str:
    """Return the URL to paste into the sender (the path alone if HA knows no URL)."""
    try:
        return webhook.async_generate_url(hass, webhook_id)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


class WebhookVehicle(PushVehicle):
    """A pushed vehicle behind a Home Assistant webhook."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        title: str,
        entry_id: str,
        webhook_id: str,
        local_only: bool,
        timeout: timedelta,
        saved: dict[str, Any] | None,
    ) -> None:
        """Prepare the vehicle; :meth:`start` routes the webhook's posts to it."""
        super().__init__(dt_util.utcnow(), saved)
        self._hass = hass
        self._title = title
        self._entry_id = entry_id
        self.webhook_id = webhook_id
        self.local_only = local_only
        self._timeout = timeout
        self._warned: set[str] = set()
        self._last_publish = -1e9
        self._publish_pending: CALLBACK_TYPE | None = None
        self._stale_timer: CALLBACK_TYPE | None = None
        self._running = False
        if self.last_received is not None:
            self.set_connected(dt_util.utcnow() - self.last_received < timeout)

    def start(self, listener: StateListener) -> None:
        """Take the webhook's posts and watch for silence."""
        super().start(listener)
        self._running = True
        async_get_router(self._hass).attach(self.webhook_id, self)
        self._arm_stale_timer()

    @callback
    def apply_options(self, options: Mapping[str, Any]) -> None:
        """Take a new URL, network restriction or timeout without a reload."""
        webhook_id = str(options[CONF_WEBHOOK_ID])
        self.local_only = bool(options.get(CONF_LOCAL_ONLY, False))
        if webhook_id != self.webhook_id:
            router = async_get_router(self._hass)
            # The old URL stops working at once. A new id is generated, so
            # nothing else holds it.
            router.release(self.webhook_id)
            self.webhook_id = webhook_id
            router.claim(webhook_id, self._entry_id, f"Car Bridge {self._title}")
            if self._running:
                router.attach(webhook_id, self)
        timeout = timedelta(minutes=float(options[CONF_CONNECTION_TIMEOUT]))
        if timeout == self._timeout:
            return
        self._timeout = timeout
        if self.last_received is not None:
            connected = dt_util.utcnow() - self.last_received < timeout
            if connected != self.state.connected:
                self.set_connected(connected)
                self.publish()
        self._arm_stale_timer()

    def stop(self) -> None:
        """Stop taking posts and cancel the timers (nothing is left behind)."""
        self._running = False
        async_get_router(self._hass).detach(self.webhook_id, self)
        for cancel in (self._publish_pending, self._stale_timer):
            if cancel is not None:
                cancel()
        self._publish_pending = self._stale_timer = None
        super().stop()

    @callback
    def handle(self, request: web.Request, body: bytes | FormatError) -> web.Response:
        """Answer one post (the router read its body, or says why it could not)."""
        now = dt_util.utcnow()
        result: ParseResult = (
            body
            if isinstance(body, FormatError)
            else parse_request(
                method=request.method,
                query=list(request.query.items()),
                content_type=request.headers.get(hdrs.CONTENT_TYPE),
                body=body,
                now=now,
            )
        )
        if isinstance(result, FormatError):
            self._warn(result.code, result.reason)
            return web.json_response(
                {"error": result.reason, "code": result.code.value}, status=HTTPStatus.BAD_REQUEST
            )
        if not self.apply(result, now):
            LOGGER.debug("%s: ignored a post older than the last one", self._title)
            return web.json_response({"result": "ignored", "reason": "older than the last update"})
        self._arm_stale_timer()
        self._schedule_publish()
        return web.json_response({"result": "ok", "format": result.format.value})

    @callback
    def refuse_remote(self) -> web.Response:
        """Refuse a post from outside the network, as core would: 200 and no body."""
        self._warn(
            "remote",
            "it came from outside your network and the vehicle only accepts local posts",
        )
        return web.Response(status=HTTPStatus.OK)

    def _warn(self, code: str, reason: str) -> None:
        # Once per kind of problem: a misconfigured dongle posting every second
        # must not flood the log. The reason never holds a value (no position)
        # and nothing here names the webhook id, the vehicle's secret.
        if code in self._warned:
            LOGGER.debug("%s: refused a post: %s", self._title, reason)
            return
        self._warned.add(code)
        LOGGER.warning(
            "%s: refused a webhook post (%s): %s; more of this kind are logged at debug level",
            self._title,
            code,
            reason,
        )

    # -- coalescing ------------------------------------------------------------

    @callback
    def _schedule_publish(self) -> None:
        if self._publish_pending is not None:
            return  # the pending publish will carry this update too
        wait = self._last_publish + MIN_PUBLISH_INTERVAL - self._hass.loop.time()
        if wait <= 0:
            self._publish_now()
            return
        self._publish_pending = async_call_later(self._hass, wait, self._publish_later)

    @callback
    def _publish_later(self, _now: datetime) -> None:
        self._publish_pending = None
        self._publish_now()

    @callback
    def _publish_now(self) -> None:
        self._last_publish = self._hass.loop.time()
        self.publish()

    # -- staleness -------------------------------------------------------------

    @callback
    def _arm_stale_timer(self) -> None:
        if self._stale_timer is not None:
            self._stale_timer()
            self._stale_timer = None
        if self.last_received is None or not self.state.connected:
            return
        self._stale_timer = async_track_point_in_utc_time(
            self._hass, self._went_stale, self.last_received + self._timeout
        )

    @callback
    def _went_stale(self, _now: datetime) -> None:
        self._stale_timer = None
        LOGGER.info("%s: no post for %s; marking it disconnected", self._title, self._timeout)
        self.set_connected(False)
        self.publish()


async def _async_build(hass: HomeAssistant, ctx: SetupContext) -> BuiltSource:
    # Only webhook vehicles need HA's webhook (and HTTP) components: set up on demand
    # (manifest after_dependencies), so simulated and mirrored cars never load them.
    if not await async_setup_component(hass, webhook.DOMAIN, {}):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="webhook_unavailable",
            translation_placeholders={"vehicle": ctx.entry.title},
        )
    entry = ctx.entry
    webhook_id = str(ctx.config[CONF_WEBHOOK_ID])
    if not async_get_router(hass).claim(webhook_id, entry.entry_id, f"Car Bridge {entry.title}"):
        webhook_id = _take_a_new_id(hass, entry)
    else:
        ir.async_delete_issue(hass, DOMAIN, conflict_issue_id(entry.entry_id))
    # The vehicle checks every saved value itself; the one warning of setup
    # names what it could not trust.
    source = WebhookVehicle(
        hass,
        title=entry.title,
        entry_id=entry.entry_id,
        webhook_id=webhook_id,
        local_only=bool(ctx.config.get(CONF_LOCAL_ONLY, False)),
        timeout=timedelta(minutes=float(ctx.config[CONF_CONNECTION_TIMEOUT])),
        saved=ctx.saved,
    )
    return BuiltSource(
        source=source,
        discarded=[f"vehicle.{name}" for name in source.discarded],
        apply_options=source.apply_options,
    )


def conflict_issue_id(entry_id: str) -> str:
    """Return the repair issue id for a webhook URL that was already taken."""
    return f"webhook_id_conflict_{entry_id}"


def _take_a_new_id(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> str:
    """Give a vehicle whose URL another one holds (a duplicated entry) a new one, and say so.

    The first vehicle keeps the URL its sender posts to; this one gets a new
    URL, shown in its **Configure**. Neither id is logged: the id is the secret.
    """
    router = async_get_router(hass)
    while not router.claim(webhook_id := webhook.async_generate_id(), entry.entry_id, entry.title):
        continue  # pragma: no cover - a 128-bit collision
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_WEBHOOK_ID: webhook_id}
    )
    LOGGER.warning(
        "%s: its webhook URL was already used by another vehicle; it got a new URL"
        " (shown in its Configure dialog)",
        entry.title,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        conflict_issue_id(entry.entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="webhook_id_conflict",
        translation_placeholders={"vehicle": entry.title},
    )
    return webhook_id


def _config_fields(hass: HomeAssistant) -> dict[Any, Any]:
    return {vol.Required(CONF_LOCAL_ONLY, default=False): BooleanSelector()}


def _validate_config(
    hass: HomeAssistant, user_input: dict[str, Any], errors: Errors
) -> tuple[str, dict[str, Any]]:
    # The webhook id is a secret, so the unique id is a separate generated one.
    return uuid.uuid4().hex, {
        CONF_WEBHOOK_ID: webhook.async_generate_id(),
        CONF_LOCAL_ONLY: bool(user_input.get(CONF_LOCAL_ONLY, False)),
    }


def _created_placeholders(hass: HomeAssistant, data: Mapping[str, Any]) -> dict[str, str]:
    return {CONF_WEBHOOK_URL: webhook_url(hass, data[CONF_WEBHOOK_ID])}


def _options_fields(hass: HomeAssistant, current: Mapping[str, Any]) -> dict[Any, Any]:
    # The URL itself is shown in the step's description (created_placeholders).
    return {
        vol.Required(CONF_REGENERATE_WEBHOOK, default=False): BooleanSelector(),
        vol.Required(
            CONF_LOCAL_ONLY, default=current.get(CONF_LOCAL_ONLY, False)
        ): BooleanSelector(),
        vol.Required(
            CONF_CONNECTION_TIMEOUT, default=current[CONF_CONNECTION_TIMEOUT]
        ): number_selector("min"),
    }


def _validate_options(
    hass: HomeAssistant, user_input: dict[str, Any], errors: Errors
) -> dict[str, Any]:
    check_range({CONF_CONNECTION_TIMEOUT: user_input[CONF_CONNECTION_TIMEOUT]}, errors)
    options: dict[str, Any] = {
        CONF_CONNECTION_TIMEOUT: float(user_input[CONF_CONNECTION_TIMEOUT]),
        CONF_LOCAL_ONLY: bool(user_input[CONF_LOCAL_ONLY]),
    }
    if user_input.get(CONF_REGENERATE_WEBHOOK):
        # The options win over the entry's data, so the new id replaces the old.
        options[CONF_WEBHOOK_ID] = webhook.async_generate_id()
    return options


WEBHOOK = SourceKind(
    key=SOURCE_WEBHOOK,
    manufacturer="Car Bridge",
    model="Webhook (ABRP, OsmAnd, Car Bridge JSON)",
    default_options=WEBHOOK_DEFAULT_OPTIONS,
    async_build=_async_build,
    config_fields=_config_fields,
    validate_config=_validate_config,
    options_fields=_options_fields,
    validate_options=_validate_options,
    created_placeholders=_created_placeholders,
    # A regenerated webhook id is stored in the options (they win over the data).
    kept_options=(CONF_WEBHOOK_ID,),
)
