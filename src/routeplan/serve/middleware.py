"""ASGI middleware of the field app: body size limit, security headers, the UI language."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from routeplan.i18n import _, use_language
from routeplan.serve.pages import TILE_ORIGIN

CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; img-src 'self' data: {TILE_ORIGIN}; style-src 'self'; "
    "script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)


class _TooLargeError(Exception):
    pass


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


class FieldMiddleware:
    """Refuse bodies over ``max_body_bytes`` (413), add security headers, set the language."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, language: str) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.language = language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with use_language(self.language):
            await self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await _reply(send, 413, _("Request body too large."))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _TooLargeError
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _value in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLargeError:
            if not started:
                await _reply(send, 413, _("Request body too large."))


def one_line(errors: list[dict[str, Any]]) -> str:
    """One line naming the first invalid field of a validation error, and the count."""
    if not errors:
        return _("Invalid request.")
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
    if first.get("type") == "json_invalid":
        return _("Malformed JSON body.")
    more = len(errors) - 1
    if more:
        return _(
            "{field}: {problem} (and {more} more)", field=where, problem=first["msg"], more=more
        )
    return _("{field}: {problem}", field=where, problem=first["msg"])
