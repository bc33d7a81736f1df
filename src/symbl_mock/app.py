"""The mock as an ASGI application: the request pipeline and handlers, introspection, lifespan and error safety."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from symbl_mock.config import MockConfig
from symbl_mock.faults import RESPONSE_FAULTS, ResponseFaults
from symbl_mock.handlers import handlers
from symbl_mock.introspection import PREFIX, introspection_routes
from symbl_mock.pipeline import ApiApp, error_body
from symbl_mock.state import MockState
from symbl_spec import Spec, default_spec

__all__ = ["MockApp", "create_app"]

log = logging.getLogger("symbl_mock")


class MockApp(Starlette):
    """Starlette for lifespan, introspection and error safety; API requests skip its middleware and router.

    The API answers every error itself (with the spec's error body), so Starlette's layers add nothing on
    that path but time: requests outside ``/__mock__/`` go straight to it.
    """

    def __init__(self, api: ASGIApp, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api = api
        # Reached only through Starlette (a non-HTTP scope, or a path Starlette's router did not match).
        self.router.default = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(PREFIX + "/"):
            await self.api(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _with_response_faults(api: ApiApp, config: MockConfig, spec: Spec) -> ASGIApp:
    if not config.faults & RESPONSE_FAULTS:
        return api

    def operation_of(scope: Scope) -> str | None:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        found = api.router.find(raw_path.decode("ascii", "replace"))
        operation = found[0].operations.get(scope["method"]) if found else None
        return operation.operation_id if operation else None

    return ResponseFaults(api, config.faults, operation_of, lambda op: spec.operations[op].message(404))


def create_app(config: MockConfig | None = None, *, spec: Spec | None = None) -> Starlette:
    """The mock as a Starlette application. ``app.state.mock`` is its :class:`MockState`."""
    config = config if config is not None else MockConfig()
    spec = spec if spec is not None else default_spec()
    state = MockState(config, spec)
    api = ApiApp(config, spec, state.tokens, handlers(config, spec, state))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.loop = asyncio.get_running_loop()
        try:
            yield
        finally:
            await state.aclose()

    async def server_error(request: Request, exc: Exception) -> Response:
        return JSONResponse(error_body(500, "Internal Server Error"), status_code=500)

    app = MockApp(
        _with_response_faults(api, config, spec),
        routes=[Mount(PREFIX, routes=introspection_routes(state))],
        lifespan=lifespan,
        exception_handlers={Exception: server_error},
    )
    app.state.mock = state
    return app
