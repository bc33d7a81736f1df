from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.job_status import JobStatus
from ...types import Response, http_status


def _get_kwargs(
    job_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/job/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | JobStatus | None:
    try:
        if response.status_code == 200:
            response_200 = JobStatus.from_dict(response.json())

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

        if response.status_code == 404:
            response_404 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_404)
            return response_404

        if response.status_code == 414:
            response_414 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_414)
            return response_414

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | JobStatus]:
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
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | JobStatus]:
    """Get the status of a processing job

     Returns the current status of a job started by `submitAudioUrl` or `appendAudioUrl` with a token
    of the same account; an unknown job, another account's, or a value that cannot be a job ID (such as
    `undefined`) is `404` (reading 15).
    A job moves `scheduled` → `in_progress` → `completed` or `failed`, and never back. Wait for
    `completed` before reading the conversation's insights: before that they may be incomplete.

    Args:
        job_id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and
            echo them as strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | JobStatus]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Error | JobStatus | None:
    """Get the status of a processing job

     Returns the current status of a job started by `submitAudioUrl` or `appendAudioUrl` with a token
    of the same account; an unknown job, another account's, or a value that cannot be a job ID (such as
    `undefined`) is `404` (reading 15).
    A job moves `scheduled` → `in_progress` → `completed` or `failed`, and never back. Wait for
    `completed` before reading the conversation's insights: before that they may be incomplete.

    Args:
        job_id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and
            echo them as strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | JobStatus
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | JobStatus]:
    """Get the status of a processing job

     Returns the current status of a job started by `submitAudioUrl` or `appendAudioUrl` with a token
    of the same account; an unknown job, another account's, or a value that cannot be a job ID (such as
    `undefined`) is `404` (reading 15).
    A job moves `scheduled` → `in_progress` → `completed` or `failed`, and never back. Wait for
    `completed` before reading the conversation's insights: before that they may be incomplete.

    Args:
        job_id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and
            echo them as strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | JobStatus]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Error | JobStatus | None:
    """Get the status of a processing job

     Returns the current status of a job started by `submitAudioUrl` or `appendAudioUrl` with a token
    of the same account; an unknown job, another account's, or a value that cannot be a job ID (such as
    `undefined`) is `404` (reading 15).
    A job moves `scheduled` → `in_progress` → `completed` or `failed`, and never back. Wait for
    `completed` before reading the conversation's insights: before that they may be incomplete.

    Args:
        job_id (UUID): A job's ID. Lower case, as Symbl's job IDs are, since clients compare and
            echo them as strings.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | JobStatus
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
        )
    ).parsed
