"""End-to-end tests: a real hass process driven over HTTP, WebSocket and a real browser."""
