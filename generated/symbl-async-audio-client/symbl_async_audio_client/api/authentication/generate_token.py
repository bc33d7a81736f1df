from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.token_request import TokenRequest
from ...models.token_response import TokenResponse
from ...types import Response, http_status


def _get_kwargs(
    *,
    body: TokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth2/token:generate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | TokenResponse | None:
    try:
        if response.status_code == 200:
            response_200 = TokenResponse.from_dict(response.json())

            return response_200

        if response.status_code == 400:
            response_400 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_400)
            return response_400

        if response.status_code == 401:
            response_401 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_401)
            return response_401

        if response.status_code == 413:
            response_413 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_413)
            return response_413

        if response.status_code == 414:
            response_414 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_414)
            return response_414

        if response.status_code == 415:
            response_415 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_415)
            return response_415

        if response.status_code == 431:
            response_431 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_431)
            return response_431

        if response.status_code == 500:
            response_500 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_500)
            return response_500

    except errors.BODY_PARSE_ERRORS as exc:
        raise errors.InvalidResponseBody(response, exc) from exc
    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content, response=response)
    return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | TokenResponse]:
    # Parsed first: it raises UnexpectedStatus or InvalidResponseBody, whatever the status. http_status keeps a
    # status the IANA registry lacks (520, 499...) as an int, where HTTPStatus() would raise a bare ValueError.
    parsed = _parse_response(client=client, response=response)
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
) -> Response[Error | TokenResponse]:
    """Generate an access token from application credentials

     Exchanges an application's `appId` and `appSecret` for an access token, sent afterwards as
    `Authorization: Bearer <accessToken>` (or `x-api-key: <accessToken>`, reading 13). A new token
    lives 86400 seconds. While a token of the application is live, a new request returns that same
    token with its remaining lifetime in `expiresIn`; once it is near expiry, a new token (reading 14).
    Invalid credentials are `401`. This operation needs no authentication.

    Args:
        body (TokenRequest): Application credentials to exchange for an access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
) -> Error | TokenResponse | None:
    """Generate an access token from application credentials

     Exchanges an application's `appId` and `appSecret` for an access token, sent afterwards as
    `Authorization: Bearer <accessToken>` (or `x-api-key: <accessToken>`, reading 13). A new token
    lives 86400 seconds. While a token of the application is live, a new request returns that same
    token with its remaining lifetime in `expiresIn`; once it is near expiry, a new token (reading 14).
    Invalid credentials are `401`. This operation needs no authentication.

    Args:
        body (TokenRequest): Application credentials to exchange for an access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
) -> Response[Error | TokenResponse]:
    """Generate an access token from application credentials

     Exchanges an application's `appId` and `appSecret` for an access token, sent afterwards as
    `Authorization: Bearer <accessToken>` (or `x-api-key: <accessToken>`, reading 13). A new token
    lives 86400 seconds. While a token of the application is live, a new request returns that same
    token with its remaining lifetime in `expiresIn`; once it is near expiry, a new token (reading 14).
    Invalid credentials are `401`. This operation needs no authentication.

    Args:
        body (TokenRequest): Application credentials to exchange for an access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
) -> Error | TokenResponse | None:
    """Generate an access token from application credentials

     Exchanges an application's `appId` and `appSecret` for an access token, sent afterwards as
    `Authorization: Bearer <accessToken>` (or `x-api-key: <accessToken>`, reading 13). A new token
    lives 86400 seconds. While a token of the application is live, a new request returns that same
    token with its remaining lifetime in `expiresIn`; once it is near expiry, a new token (reading 14).
    Invalid credentials are `401`. This operation needs no authentication.

    Args:
        body (TokenRequest): Application credentials to exchange for an access token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
