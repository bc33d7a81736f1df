"""``/__mock__/``: read the mock's state, reset it, end tokens' lives (not part of the API; for tests and curious
users)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from symbl_mock.state import MockState

__all__ = ["PREFIX", "introspection_routes"]

PREFIX = "/__mock__"


def introspection_routes(state: MockState) -> list[Route]:
    async def conversations(request: Request) -> Response:
        account = request.query_params.get("account")  # ?account=NAME: that account's conversations only
        if account is not None and account not in state.limits:
            return JSONResponse({"message": f"no account named {account!r}"}, status_code=404)
        return JSONResponse(state.conversations_json(account))

    async def webhooks(request: Request) -> Response:
        # ?limit=N lists only the N latest attempts (0: just the counters, cheap enough to poll under load).
        text = request.query_params.get("limit")
        if text is None:
            return JSONResponse(state.webhooks_json())
        if not (text.isascii() and text.isdigit()):  # "²" is a digit to str.isdigit, not to int()
            return JSONResponse({"statusCode": 400, "message": "limit must be a whole number >= 0"}, status_code=400)
        return JSONResponse(state.webhooks.as_json(limit=int(text)))

    async def reset(request: Request) -> Response:
        await state.reset()
        return JSONResponse({"reset": True})

    async def expire_tokens(request: Request) -> Response:
        # What a day's wait would do, now: code under test meets the 401 of an expired token and must renew.
        account = request.query_params.get("account")
        if account is not None and account not in state.limits:
            return JSONResponse({"message": f"no account named {account!r}"}, status_code=404)
        return JSONResponse({"expired": state.tokens.expire(account)})

    return [
        Route("/conversations", conversations, methods=["GET"]),
        Route("/webhooks", webhooks, methods=["GET"]),
        Route("/reset", reset, methods=["POST"]),
        Route("/tokens/expire", expire_tokens, methods=["POST"]),
    ]
