"""The request pipeline: the raw ASGI handler of the document's paths.

Each step answers with the spec's error body when the request fails it, in this order:
route (404) -> method (405 + Allow; with CORS on, OPTIONS is a preflight: 204) -> authentication (401; the
token's account) -> path parameters (404: a value outside the schema names nothing, reading 15) -> other
parameters (400) -> Content-Type (415) -> body size (413) -> UTF-8 / JSON (400) -> body schema (400) -> the
operation's handler. Every answer to an allowed ``Origin`` carries the CORS headers (reading 19).

Parameter text is read by the spec's rule for values with several spellings (``Spec.encoding``, reading 10).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import parse_qsl, unquote_to_bytes

import jsonschema_rs
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from symbl_mock.accounts import Account
from symbl_mock.codec import Reject, decode_body, describe_error, dumps, short, with_number
from symbl_mock.config import MockConfig
from symbl_mock.faults import Fault
from symbl_mock.routing import Router
from symbl_mock.tokens import TokenStore
from symbl_spec import Operation, Parameter, Spec
from symbl_spec.encodings import Encoding

__all__ = ["ApiApp", "Call", "Handler", "error_body"]

log = logging.getLogger("symbl_mock")

_JSON = b"application/json"


@dataclass(frozen=True, slots=True)
class Call:
    """A request that passed the pipeline, as its handler sees it."""

    operation: Operation
    params: dict[str, Any]
    """Parameter values by name, converted to their schema's JSON type."""
    body: Any
    """The decoded JSON body (``None`` when the operation takes none)."""
    account: Account | None = None
    """The account the request's token acts for (``None`` for an operation that needs no token)."""


Handler = Callable[[Call], Awaitable[tuple[int, Any]]]
"""Answers a call with a status and a payload: JSON-able data, pre-encoded JSON bytes, or a Response."""


@dataclass(frozen=True, slots=True)
class _ParamPlan:
    param: Parameter
    encoding: Encoding
    kind: Any
    """The schema's own ``type``, when it has one."""


def error_body(status: int, message: str) -> dict[str, Any]:
    """The document's ``Error`` body."""
    return {"statusCode": status, "message": message}


class ApiApp:
    """Raw ASGI handler for the spec's paths (mounted under Starlette, which adds lifespan and error safety)."""

    def __init__(self, config: MockConfig, spec: Spec, tokens: TokenStore, handlers: Mapping[str, Handler]) -> None:
        self.config = config
        self.spec = spec
        self.tokens = tokens
        self.handlers = handlers
        self.router = Router(spec.operations.values())
        self._auth = {
            op.operation_id: tuple(tuple((s.header.encode("latin-1"), s.bearer) for s in alt) for alt in op.security)
            for op in spec.operations.values()
        }
        self._closed = config.reject_unknown_properties
        # Built once, not per request: each parameter's reading rule and validator, each body's validators.
        self._params: dict[str, tuple[_ParamPlan, ...]] = {
            op.operation_id: tuple(
                _ParamPlan(p, spec.encoding(p.schema_pointer), p.schema.get("type")) for p in op.parameters
            )
            for op in spec.operations.values()
        }
        self._bodies: dict[str, dict[str, jsonschema_rs.Validator | None]] = {
            op.operation_id: {
                media_type: None
                if media.schema_pointer is None
                else spec.validator(media.schema_pointer, closed=self._closed)
                for media_type, media in op.request_body.content.items()
            }
            for op in spec.operations.values()
            if op.request_body is not None
        }
        self._cors_any = "*" in config.cors_origins
        self._cors_origins = frozenset(o.encode("latin-1") for o in config.cors_origins if o != "*")
        self._skip_validation = config.has(Fault.ACCEPT_INVALID_INPUT)
        self._ignore_auth = config.has(Fault.IGNORE_AUTH)

    # -- ASGI ---------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        # Nothing is sent before the answer is decided, so any failure here can still become a clean 500.
        headers: dict[bytes, bytes] = {}
        for key, value in scope["headers"]:  # the first of each name, as Starlette reads them
            if key not in headers:
                headers[key] = value
        cors = self._cors_headers(headers.get(b"origin"))
        extra: tuple[tuple[bytes, bytes], ...] = ()
        try:
            status, payload = await self._handle(scope, receive, headers, bool(cors))
        except Reject as exc:
            status, payload, extra = exc.status, error_body(exc.status, exc.message), exc.headers
        except Exception:
            log.exception("unhandled error answering %s %s", scope.get("method"), scope.get("path"))
            status, payload = 500, error_body(500, "Internal Server Error")
        if isinstance(payload, Response):
            payload.raw_headers.extend(cors)
            await payload(scope, receive, send)
            return
        body = payload if isinstance(payload, bytes) else dumps(payload)
        response_headers = [(b"content-type", _JSON), (b"content-length", str(len(body)).encode())]
        response_headers.extend(extra)
        response_headers.extend(cors)
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})

    # -- CORS (browser clients, as Symbl's demos: the spec's reading 19) ------------------------------------

    def _cors_headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        """The CORS headers of an answer to ``origin``: none when it is absent or not allowed."""
        if origin is None:
            return []
        if self._cors_any:
            return [(b"access-control-allow-origin", b"*")]
        if origin in self._cors_origins:
            return [(b"access-control-allow-origin", origin), (b"vary", b"Origin")]
        return []

    @staticmethod
    def _preflight(allow: str, headers: Mapping[bytes, bytes], allowed_origin: bool) -> Response:
        """The answer to ``OPTIONS`` on a path of the document: 204, its methods, and to an allowed origin what a
        browser asks for (the origin's own header is added with every answer's)."""
        response = Response(status_code=204)
        methods = allow.encode()
        response.raw_headers = [(b"allow", methods)]
        if allowed_origin:
            response.raw_headers += [(b"access-control-allow-methods", methods), (b"access-control-max-age", b"600")]
            requested = headers.get(b"access-control-request-headers")
            if requested is not None:  # whatever the browser's client sets: the token headers, Content-Type
                response.raw_headers.append((b"access-control-allow-headers", requested))
        return response

    async def _handle(
        self, scope: Scope, receive: Receive, headers: Mapping[bytes, bytes], allowed_origin: bool
    ) -> tuple[int, Any]:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        try:
            path_text = raw_path.decode("ascii")
        except UnicodeDecodeError:
            raise Reject(400, "The request path is not valid: it must be ASCII (percent-encode other bytes).") from None
        found = self.router.find(path_text)
        if found is None:
            raise Reject(404, f"No operation at {scope['path']!r}: see the API's paths.")
        route, raw_params = found
        operation = route.operations.get(scope["method"])
        if operation is None:
            if scope["method"] == "OPTIONS" and (self._cors_any or self._cors_origins):
                return 204, self._preflight(route.allow, headers, allowed_origin)
            raise Reject(
                405,
                f"Method {scope['method']} is not allowed on {route.path}; allowed: {route.allow}.",
                headers=((b"allow", route.allow.encode()),),
            )
        account = None
        if operation.security:
            account = self._account(operation, headers)
            if account is None:
                raise Reject(401, operation.message(401))
        params = self._parameters(operation, raw_params, scope.get("query_string", b""), headers)
        body: Any = None
        if operation.request_body is not None:
            body = await self._body(operation, headers, receive)
        return await self.handlers[operation.operation_id](Call(operation, params, body, account))

    # -- authentication -------------------------------------------------------------------------------

    def _account(self, operation: Operation, headers: Mapping[bytes, bytes]) -> Account | None:
        """The account of the first security alternative the request satisfies (all its schemes, one account)."""
        for alternative in self._auth[operation.operation_id]:
            account: Account | None = None
            for header, bearer in alternative:  # a loop, not a set per request: this is the hot path
                found = self._token_account(header, bearer, headers)
                if found is None or (account is not None and found is not account):
                    account = None
                    break
                account = found
            if account is not None:
                return account
        return self.tokens.default if self._ignore_auth else None

    def _token_account(self, header: bytes, bearer: bool, headers: Mapping[bytes, bytes]) -> Account | None:
        raw = headers.get(header)
        if raw is None:
            return None
        try:
            value = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            return None
        scheme, space, token = value.partition(" ")
        if bearer:
            if scheme.lower() != "bearer":
                return None
            value = token.strip()
        elif space and scheme.lower() == "bearer":  # x-api-key: Bearer <t>, as symbl-rest with a prefix (reading 13)
            value = token.strip()
        return self.tokens.account_of(value) if value else None

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
        for plan in self._params[operation.operation_id]:
            param = plan.param
            raw: str | None
            if param.location == "path":
                raw = raw_path_params[param.name]
                try:
                    if "%" in raw:  # the raw path is ASCII: only percent-escapes need decoding
                        raw = unquote_to_bytes(raw).decode("utf-8")
                except UnicodeDecodeError:
                    raise Reject(400, f"{_where(param)}: not valid percent-encoded UTF-8 (rule: encoding)") from None
            elif param.location == "query":
                found = query.get(param.name)
                if found is not None and len(found) > 1 and plan.kind != "array":
                    raise Reject(400, f"{_where(param)}: given {len(found)} times, expected once (rule: single value)")
                raw = found[0] if found else None
            elif param.location == "header":
                header = headers.get(param.name.lower().encode("latin-1"))
                raw = header.decode("latin-1") if header is not None else None
            else:
                raise Reject(500, f"{param.location} parameters are not supported by the mock")
            if raw is None:
                if param.required and not self._skip_validation:
                    raise Reject(400, f"{_where(param)}: is required (rule: required)")
                continue
            value, valid = plan.encoding.read_checked(raw)
            if not valid and not self._skip_validation:
                self._refuse(operation, plan, value)
            values[param.name] = value
        return values

    @staticmethod
    def _refuse(operation: Operation, plan: _ParamPlan, value: Any) -> NoReturn:
        if plan.param.location == "path":  # a value that cannot be an ID names nothing (reading 15)
            raise Reject(404, operation.message(404))
        error = next(iter(plan.encoding.validator.iter_errors(value)))
        raise Reject(400, describe_error(error, _where(plan.param)))

    # -- body -----------------------------------------------------------------------------------------

    async def _body(self, operation: Operation, headers: Mapping[bytes, bytes], receive: Receive) -> Any:
        spec = operation.request_body
        assert spec is not None
        content_type = headers.get(b"content-type", b"").decode("latin-1").split(";", 1)[0].strip().lower()
        validators = self._bodies[operation.operation_id]
        if content_type not in validators:
            raise Reject(415, operation.message(415))
        limit = self.config.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                raise Reject(400, "header.Content-Length: not a number of bytes (rule: integer)")
            if int(declared) > limit:
                raise Reject(413, with_number(operation.message(413), limit))
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Reject(400, "body: the client disconnected before sending the whole body (rule: complete body)")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise Reject(413, with_number(operation.message(413), limit))
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
            value = decode_body(raw)
        except Reject:
            if self._skip_validation:
                return {}
            raise
        validator = validators[content_type]
        if self._skip_validation or validator is None:
            return value
        try:
            valid = validator.is_valid(value)
            error = None if valid else next(iter(validator.iter_errors(value)))
        except ValueError as exc:  # jsonschema-rs refuses values it cannot represent (depth, size)
            raise Reject(400, f"body: {short(str(exc))} (rule: depth)") from None
        if error is not None:
            raise Reject(400, describe_error(error, "body"))
        return value


def _where(param: Parameter) -> str:
    """How an error message names a parameter (``query.diarizationSpeakerCount``); built only for errors."""
    return f"{param.location}.{param.name}"
