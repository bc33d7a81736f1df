"""The ASGI application: a Starlette app whose API part is driven by the OpenAPI document.

Request pipeline for every API path (each step answers with the spec's error body when it fails):
route (404) -> method (405 + Allow) -> authentication (401) -> parameters (400) -> Content-Type (415)
-> body size (413) -> UTF-8 / JSON (400) -> body schema (400) -> the operation's semantics.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from symbl_mock import spec as spec_model
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.spec import Operation, Parameter, SpecError, SpecModel, describe_error
from symbl_mock.state import MockState

__all__ = ["ApiApp", "MockApp", "create_app"]

log = logging.getLogger("symbl_mock")

_JSON = b"application/json"
_INTROSPECTION_PREFIX = "/__mock__"

# Names of request/response properties the handlers read or write. They are not a copy of the spec: at
# start, the mock checks that the spec declares each of them (see _check_names), and refuses to run if not.
_NAMES_USED = {
    "AudioUrlRequest": ("url", "name", "webhookUrl"),
    "AudioJobCreated": ("conversationId", "jobId"),
    "JobStatus": ("id", "status"),
    "JobStatusWebhook": ("jobId", "status"),
    "TokenRequest": ("appId", "appSecret"),
    "TokenResponse": ("accessToken", "expiresIn"),
}


class Reject(Exception):
    """An error answer: status and message, sent as the spec's error body."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = tuple(headers)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


# Built once: json.loads/json.dumps with options build a new decoder/encoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


_json_string: Callable[[str], str] = json.encoder.encode_basestring
"""A str as a JSON string literal, escaped (C implementation), without ensure_ascii."""


def _encodable(value: Any) -> bool:
    """Whether the decoded JSON value can be sent back as UTF-8 (json.loads lets lone surrogates through)."""
    try:
        _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


Handler = Callable[[Operation, dict[str, Any], Any], Awaitable[tuple[int, Any]]]


class ApiApp:
    """Raw ASGI handler for the spec's paths (mounted under Starlette, which adds lifespan and error safety)."""

    def __init__(self, config: MockConfig, spec: SpecModel, state: MockState) -> None:
        self.config = config
        self.spec = spec
        self.state = state
        self._check_names()
        self.handlers: dict[str, Handler] = {
            "submitAudioUrl": self.submit_audio_url,
            "appendAudioUrl": self.append_audio_url,
            "getJobStatus": self.get_job_status,
            "generateToken": self.generate_token,
        }
        missing = sorted(set(spec.operations) - set(self.handlers))
        if missing:
            raise SpecError(f"the spec has operations the mock does not implement: {', '.join(missing)}")
        self._auth_headers = frozenset(
            scheme.header for op in spec.operations.values() for alt in op.security for scheme in alt
        )
        self._skip_validation = config.has(Fault.ACCEPT_INVALID_INPUT)
        self._ignore_auth = config.has(Fault.IGNORE_AUTH)
        self._routes_by_length: dict[int, list[spec_model.Route]] = {}
        for route in spec.routes:  # in document order, as a linear search would try them
            self._routes_by_length.setdefault(len(route.segments), []).append(route)
        self._error_key = "error" if config.has(Fault.ERROR_BODY_SHAPE) else "message"

    def _check_names(self) -> None:
        for schema, names in _NAMES_USED.items():
            declared = self.spec.schema_at(f"/components/schemas/{schema}").get("properties", {})
            absent = [n for n in names if n not in declared]
            if absent:
                raise SpecError(f"components/schemas/{schema} no longer declares {absent}; the mock uses them")

    # -- ASGI ---------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        # Nothing is sent before the answer is decided, so any failure here can still become a clean 500.
        try:
            status, payload, headers = await self._handle(scope, receive)
        except Reject as exc:
            status, payload, headers = exc.status, self._error(exc.status, exc.message), exc.headers
        except Exception:
            log.exception("unhandled error answering %s %s", scope.get("method"), scope.get("path"))
            status, payload, headers = 500, self._error(500, "Internal Server Error"), ()
        if isinstance(payload, Response):
            await payload(scope, receive, send)
            return
        body = payload if isinstance(payload, bytes) else _dumps(payload)
        response_headers = [(b"content-type", _JSON), (b"content-length", str(len(body)).encode())]
        if headers:
            response_headers.extend(headers)
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})

    def _error(self, status: int, message: str) -> dict[str, Any]:
        if self._error_key == "error":  # Fault.ERROR_BODY_SHAPE
            return {"error": message}
        return {"statusCode": status, "message": message}

    async def _handle(self, scope: Scope, receive: Receive) -> tuple[int, Any, tuple[tuple[bytes, bytes], ...]]:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        try:
            path_text = raw_path.decode("ascii")
        except UnicodeDecodeError:
            raise Reject(400, "The request path is not valid: it must be ASCII (percent-encode other bytes).") from None
        segments = path_text.strip("/").split("/") if path_text.startswith("/") else []
        for route in self._routes_by_length.get(len(segments), ()):
            raw_params = route.match(segments)
            if raw_params is not None:
                break
        else:
            raise Reject(404, f"No operation at {scope['path']!r}: see the API's paths.")
        operation = route.operations.get(scope["method"])
        if operation is None:
            raise Reject(
                405,
                f"Method {scope['method']} is not allowed on {route.path}; allowed: {route.allow}.",
                headers=((b"allow", route.allow.encode()),),
            )

        headers: dict[bytes, bytes] = {}
        for key, value in scope["headers"]:
            if key not in headers:
                headers[key] = value
        if operation.security and not self._authenticated(operation, headers):
            raise Reject(401, operation.message(401))
        params = self._parameters(operation, raw_params, scope.get("query_string", b""), headers)
        body: Any = None
        if operation.body is not None:
            body = await self._body(operation, headers, receive)
        status, payload = await self.handlers[operation.operation_id](operation, params, body)
        return status, payload, ()

    # -- authentication -------------------------------------------------------------------------------

    def _authenticated(self, operation: Operation, headers: Mapping[bytes, bytes]) -> bool:
        if self._ignore_auth:
            return True
        for alternative in operation.security:
            for scheme in alternative:
                if not self._token_ok(scheme.header, scheme.bearer, headers):
                    break
            else:
                return True
        return False

    def _token_ok(self, header: bytes, bearer: bool, headers: Mapping[bytes, bytes]) -> bool:
        raw = headers.get(header)
        if raw is None:
            return False
        try:
            value = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            return False
        if bearer:
            scheme, _, token = value.partition(" ")
            if scheme.lower() != "bearer":
                return False
            value = token.strip()
        return bool(value) and self.state.token_valid(value)

    # -- parameters -----------------------------------------------------------------------------------

    def _parameters(
        self, operation: Operation, raw_path_params: dict[str, str], query_string: bytes, headers: Mapping[bytes, bytes]
    ) -> dict[str, Any]:
        try:
            query_pairs = (
                parse_qsl(query_string.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
                if query_string
                else []
            )
        except UnicodeDecodeError:
            raise Reject(400, "query: the query string is not valid percent-encoded UTF-8 (rule: encoding)") from None
        query: dict[str, list[str]] = {}
        for key, value in query_pairs:
            query.setdefault(key, []).append(value)
        values: dict[str, Any] = {}
        for param in operation.parameters:
            where = f"{param.location}.{param.name}"
            raw: str | None
            if param.location == "path":
                raw = raw_path_params[param.name]
                try:
                    if "%" in raw:  # the raw path is ASCII: only percent-escapes need decoding
                        raw = unquote_to_bytes(raw).decode("utf-8")
                except UnicodeDecodeError:
                    raise Reject(400, f"{where}: not valid percent-encoded UTF-8 (rule: encoding)") from None
            elif param.location == "query":
                found = query.get(param.name)
                if found is not None and len(found) > 1 and param.kind != "array":
                    raise Reject(400, f"{where}: given {len(found)} times, expected once (rule: single value)")
                raw = found[0] if found else None
            elif param.location == "header":
                header = headers.get(param.name.lower().encode("latin-1"))
                raw = header.decode("latin-1") if header is not None else None
            else:
                raise Reject(500, f"{param.location} parameters are not supported by the mock")
            if raw is None:
                if param.required and not self._skip_validation:
                    raise Reject(400, f"{where}: is required (rule: required)")
                continue
            value = _coerce(param, raw)
            if not self._skip_validation:
                self._validate(param, value, where)
            values[param.name] = value
        return values

    @staticmethod
    def _validate(param: Parameter, value: Any, where: str) -> None:
        if not param.validator.is_valid(value):
            error = next(iter(param.validator.iter_errors(value)))
            raise Reject(400, describe_error(error, where))

    # -- body -----------------------------------------------------------------------------------------

    async def _body(self, operation: Operation, headers: Mapping[bytes, bytes], receive: Receive) -> Any:
        spec = operation.body
        assert spec is not None
        content_type = headers.get(b"content-type", b"").decode("latin-1").split(";", 1)[0].strip().lower()
        if content_type not in spec.media_types:
            raise Reject(415, operation.message(415))
        limit = self.config.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                raise Reject(400, "header.Content-Length: not a number of bytes (rule: integer)")
            if int(declared) > limit:
                raise Reject(413, _with_number(operation.message(413), limit))
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Reject(400, "body: the client disconnected before sending the whole body (rule: complete body)")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise Reject(413, _with_number(operation.message(413), limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        if not raw.strip():
            if self._skip_validation:
                return {}
            if spec.required:
                raise Reject(400, "body: a JSON request body is required (rule: required)")
            return None
        try:
            value = _decode_body(raw)
        except Reject:
            if self._skip_validation:
                return {}
            raise
        if self._skip_validation:
            return value
        validator = spec.validators.get(content_type)
        if validator is not None:
            try:
                valid = validator.is_valid(value)
                error = None if valid else next(iter(validator.iter_errors(value)))
            except ValueError as exc:  # jsonschema-rs refuses values it cannot represent (depth, size)
                raise Reject(400, f"body: {_short(str(exc))} (rule: depth)") from None
            if error is not None:
                raise Reject(400, describe_error(error, "body"))
        return value

    # -- operations -----------------------------------------------------------------------------------

    def _audio_request(self, params: dict[str, Any], body: Any) -> tuple[str, str | None, str | None]:
        body = body if isinstance(body, dict) else {}
        url = body.get("url")
        name = body.get("name")
        webhook = params.get("webhookUrl", body.get("webhookUrl"))  # the query wins (reading 4 of the spec)
        return (
            url if isinstance(url, str) else "",
            name if isinstance(name, str) else None,
            webhook if isinstance(webhook, str) and webhook else None,
        )

    def _created(self, conversation_id: str, job_id: str) -> tuple[int, Any]:
        if not self.config.faults:  # the hot path: the body as bytes, skipping a JSON encoder per request
            return 201, b'{"conversationId":%s,"jobId":%s}' % (
                _json_string(conversation_id).encode(),
                _json_string(job_id).encode(),
            )
        payload: dict[str, Any] = {"conversationId": conversation_id, "jobId": job_id}
        if self.config.has(Fault.JOB_ID_MISSING):
            del payload["jobId"]
        if self.config.has(Fault.JOB_ID_NOT_UUID):
            payload["jobId"] = "job-" + job_id.replace("-", "")[:12]
        return (200 if self.config.has(Fault.CREATED_200) else 201), payload

    def _check_capacity(self, operation: Operation) -> None:
        if not self.state.slot_available():
            limit = self.config.concurrency_limit
            raise Reject(429, _with_number(operation.message(429), limit))

    async def submit_audio_url(self, operation: Operation, params: dict[str, Any], body: Any) -> tuple[int, Any]:
        url, name, webhook = self._audio_request(params, body)
        if self.config.has(Fault.TEXT_500) and name is not None and not name.isascii():
            return 500, Response("Internal Server Error", status_code=500, media_type="text/plain")
        self._check_capacity(operation)
        conversation = self.state.new_conversation(name)
        job = self.state.add_job(conversation, url, webhook)
        return self._created(conversation.id, job.id)

    async def append_audio_url(self, operation: Operation, params: dict[str, Any], body: Any) -> tuple[int, Any]:
        url, name, webhook = self._audio_request(params, body)
        if self.config.has(Fault.TEXT_500) and name is not None and not name.isascii():
            return 500, Response("Internal Server Error", status_code=500, media_type="text/plain")
        conversation_id = str(params.get("conversationId", ""))
        conversation = self.state.conversations.get(conversation_id)
        if conversation is None:
            if not self.config.has(Fault.APPEND_UNKNOWN_SUCCEEDS):
                raise Reject(404, operation.message(404))
            conversation = self.state.new_conversation(name)
        self._check_capacity(operation)
        job = self.state.add_job(conversation, url, webhook)
        return self._created(conversation.id, job.id)

    async def get_job_status(self, operation: Operation, params: dict[str, Any], body: Any) -> tuple[int, Any]:
        job = self.state.jobs.get(str(params.get("jobId", "")))
        if job is None or self.config.has(Fault.CREATED_JOB_404):
            raise Reject(404, operation.message(404))
        status = "done" if self.config.has(Fault.STATUS_OUTSIDE_ENUM) else job.status
        return 200, {"id": job.id, "status": status}

    async def generate_token(self, operation: Operation, params: dict[str, Any], body: Any) -> tuple[int, Any]:
        body = body if isinstance(body, dict) else {}
        app_id, app_secret = body.get("appId"), body.get("appSecret")
        if not (isinstance(app_id, str) and isinstance(app_secret, str)):
            raise Reject(401, operation.message(401))
        if not self.state.check_app_credentials(app_id, app_secret):
            raise Reject(401, operation.message(401))
        return 200, {"accessToken": self.state.issue_token(), "expiresIn": self.config.token_ttl}


def _decode_body(raw: bytes) -> Any:
    """The request body's JSON value; Reject(400) saying why when it is not UTF-8 JSON text."""
    try:
        value = _DECODER.decode(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Reject(400, "body: not valid UTF-8 (rule: encoding)") from None
    except RecursionError:
        raise Reject(400, "body: JSON nested too deeply (rule: depth)") from None
    except ValueError as exc:
        raise Reject(400, f"body: not valid JSON: {_short(str(exc))} (rule: JSON syntax)") from None
    if b"\\u" in raw and not _encodable(value):  # an escaped lone surrogate: not Unicode text
        raise Reject(400, "body: a string holds a lone UTF-16 surrogate escape, not valid UTF-8 (rule: encoding)")
    return value


def _coerce(param: Parameter, raw: str) -> Any:
    """The query/path/header text as the JSON value the parameter's schema type expects (or the text)."""
    if param.kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if param.kind == "integer" and re.fullmatch(r"-?[0-9]{1,300}", raw):
        return int(raw)
    if param.kind == "number" and re.fullmatch(r"-?[0-9]{1,300}(\.[0-9]{1,300})?([eE][-+]?[0-9]{1,4})?", raw):
        number = float(raw)
        return number if math.isfinite(number) else raw
    return raw


def _with_number(template: str, number: int) -> str:
    """The spec's example message with its figure replaced by the mock's actual limit."""
    replaced, count = re.subn(r"`\d+`", f"`{number}`", template, count=1)
    if count:
        return replaced
    return re.sub(r"\d+", str(number), template, count=1)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


# -- introspection ------------------------------------------------------------------------------------


def _introspection_routes(state: MockState) -> list[Route]:
    async def conversations(request: Request) -> Response:
        return JSONResponse(state.conversations_json())

    async def webhooks(request: Request) -> Response:
        return JSONResponse(state.webhooks_json())

    async def reset(request: Request) -> Response:
        await state.reset()
        return JSONResponse({"reset": True})

    return [
        Route("/conversations", conversations, methods=["GET"]),
        Route("/webhooks", webhooks, methods=["GET"]),
        Route("/reset", reset, methods=["POST"]),
    ]


class MockApp(Starlette):
    """Starlette for lifespan, introspection and error safety; API requests skip its middleware and router.

    The API handler answers every error itself (with the spec's error body), so Starlette's layers add
    nothing on that path but time: requests outside ``/__mock__/`` go straight to it.
    """

    def __init__(self, api: ApiApp, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api = api
        # Reached only through Starlette (a non-HTTP scope, or a path Starlette's router did not match).
        self.router.default = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(_INTROSPECTION_PREFIX + "/"):
            await self.api(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(config: MockConfig | None = None, *, spec: SpecModel | None = None) -> Starlette:
    """The mock as a Starlette application. ``app.state.mock`` is its :class:`MockState`."""
    config = config if config is not None else MockConfig()
    spec = spec if spec is not None else SpecModel()
    state = MockState(config, spec)
    api = ApiApp(config, spec, state)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        state.loop = asyncio.get_running_loop()
        try:
            yield
        finally:
            await state.aclose()

    async def server_error(request: Request, exc: Exception) -> Response:
        return JSONResponse(api._error(500, "Internal Server Error"), status_code=500)

    app = MockApp(
        api,
        routes=[Mount(_INTROSPECTION_PREFIX, routes=_introspection_routes(state))],
        lifespan=lifespan,
        exception_handlers={Exception: server_error},
    )
    app.state.mock = state
    return app
