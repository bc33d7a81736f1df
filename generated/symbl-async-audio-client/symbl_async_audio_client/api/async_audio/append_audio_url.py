from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audio_job_created import AudioJobCreated
from ...models.audio_url_request import AudioUrlRequest
from ...models.error import Error
from ...types import UNSET, Response, Unset, http_status


def _get_kwargs(
    conversation_id: str,
    *,
    body: AudioUrlRequest,
    enable_speaker_diarization: bool | str | Unset = UNSET,
    diarization_speaker_count: int | str | Unset = UNSET,
    webhook_url: str | Unset = UNSET,
    enable_summary: bool | str | Unset = UNSET,
    detect_action_phrase_for_messages: bool | str | Unset = UNSET,
    custom_vocabulary: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_enable_speaker_diarization: bool | str | Unset
    if isinstance(enable_speaker_diarization, Unset):
        json_enable_speaker_diarization = UNSET
    else:
        json_enable_speaker_diarization = enable_speaker_diarization
    params["enableSpeakerDiarization"] = json_enable_speaker_diarization

    json_diarization_speaker_count: int | str | Unset
    if isinstance(diarization_speaker_count, Unset):
        json_diarization_speaker_count = UNSET
    else:
        json_diarization_speaker_count = diarization_speaker_count
    params["diarizationSpeakerCount"] = json_diarization_speaker_count

    params["webhookUrl"] = webhook_url

    json_enable_summary: bool | str | Unset
    if isinstance(enable_summary, Unset):
        json_enable_summary = UNSET
    else:
        json_enable_summary = enable_summary
    params["enableSummary"] = json_enable_summary

    json_detect_action_phrase_for_messages: bool | str | Unset
    if isinstance(detect_action_phrase_for_messages, Unset):
        json_detect_action_phrase_for_messages = UNSET
    else:
        json_detect_action_phrase_for_messages = detect_action_phrase_for_messages
    params["detectActionPhraseForMessages"] = json_detect_action_phrase_for_messages

    params["customVocabulary"] = custom_vocabulary

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/process/audio/url/{conversation_id}".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }
    # Only when there is one: httpx parses the URL once more for any params argument, even an empty one.
    if params:
        _kwargs["params"] = params

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AudioJobCreated | Error | None:
    try:
        if response.status_code == 201:
            response_201 = AudioJobCreated.from_dict(response.json())

            return response_201

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

        if response.status_code == 429:
            response_429 = Error.from_dict(response.json())

            if client.raise_on_error_status:
                raise errors.ErrorResponse(response, response_429)
            return response_429

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
) -> Response[AudioJobCreated | Error]:
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
    conversation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AudioUrlRequest,
    enable_speaker_diarization: bool | str | Unset = UNSET,
    diarization_speaker_count: int | str | Unset = UNSET,
    webhook_url: str | Unset = UNSET,
    enable_summary: bool | str | Unset = UNSET,
    detect_action_phrase_for_messages: bool | str | Unset = UNSET,
    custom_vocabulary: str | Unset = UNSET,
) -> Response[AudioJobCreated | Error]:
    """Append an audio URL to an existing conversation

     Appends the audio at `url` to the conversation `conversationId`, transcribes it and updates the
    conversation's insights. The conversation must have been created by `submitAudioUrl` with a token
    of the same account; an unknown conversation, another account's, or a value that cannot be a
    conversation ID is `404` (reading 15).

    When several requests are submitted for the same conversation, they are processed one at a time,
    in the order they were submitted, so that the conversation keeps the order of its audio. Jobs of
    different conversations run concurrently, up to the account's concurrent-job limit (`429` beyond
    it).

    Success is `201 Created` (reading 1 of the document description).

    Args:
        conversation_id (str): A conversation's ID (Symbl's are strings of digits, such as
            `5815170693595136`).
        enable_speaker_diarization (bool | str | Unset): A boolean option. JSON `true` or `false`
            is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        diarization_speaker_count (int | str | Unset): The number of unique speakers in the
            conversation: at least 1. The page's table types it "String";
            it is a count (reading 3 of the document description). A JSON integer is canonical;
            clients also
            send it as text (`"2"`) or, in the query string, as `2.0`: both mean 2 (reading 10). No
            source gives
            an upper bound; the bounds here (at most 9 digits) are this document's, so that every
            value it admits
            has a bounded length in a request target.
        webhook_url (str | Unset): URL to which job status updates are POSTed (the
            `jobStatusChanged` webhook): `http` or `https`, with
            a host. The empty string, as in the page's example body, means no webhook.
        enable_summary (bool | str | Unset): A boolean option. JSON `true` or `false` is
            canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        detect_action_phrase_for_messages (bool | str | Unset): A boolean option. JSON `true` or
            `false` is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        custom_vocabulary (str | Unset):
        body (AudioUrlRequest): The audio to process and the processing options, shared by
            `submitAudioUrl` and `appendAudioUrl`.
            Every property a client of this API is known to send is declared here; unknown properties
            are
            accepted and ignored (reading 12 of the document description).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AudioJobCreated | Error]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        enable_speaker_diarization=enable_speaker_diarization,
        diarization_speaker_count=diarization_speaker_count,
        webhook_url=webhook_url,
        enable_summary=enable_summary,
        detect_action_phrase_for_messages=detect_action_phrase_for_messages,
        custom_vocabulary=custom_vocabulary,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AudioUrlRequest,
    enable_speaker_diarization: bool | str | Unset = UNSET,
    diarization_speaker_count: int | str | Unset = UNSET,
    webhook_url: str | Unset = UNSET,
    enable_summary: bool | str | Unset = UNSET,
    detect_action_phrase_for_messages: bool | str | Unset = UNSET,
    custom_vocabulary: str | Unset = UNSET,
) -> AudioJobCreated | Error | None:
    """Append an audio URL to an existing conversation

     Appends the audio at `url` to the conversation `conversationId`, transcribes it and updates the
    conversation's insights. The conversation must have been created by `submitAudioUrl` with a token
    of the same account; an unknown conversation, another account's, or a value that cannot be a
    conversation ID is `404` (reading 15).

    When several requests are submitted for the same conversation, they are processed one at a time,
    in the order they were submitted, so that the conversation keeps the order of its audio. Jobs of
    different conversations run concurrently, up to the account's concurrent-job limit (`429` beyond
    it).

    Success is `201 Created` (reading 1 of the document description).

    Args:
        conversation_id (str): A conversation's ID (Symbl's are strings of digits, such as
            `5815170693595136`).
        enable_speaker_diarization (bool | str | Unset): A boolean option. JSON `true` or `false`
            is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        diarization_speaker_count (int | str | Unset): The number of unique speakers in the
            conversation: at least 1. The page's table types it "String";
            it is a count (reading 3 of the document description). A JSON integer is canonical;
            clients also
            send it as text (`"2"`) or, in the query string, as `2.0`: both mean 2 (reading 10). No
            source gives
            an upper bound; the bounds here (at most 9 digits) are this document's, so that every
            value it admits
            has a bounded length in a request target.
        webhook_url (str | Unset): URL to which job status updates are POSTed (the
            `jobStatusChanged` webhook): `http` or `https`, with
            a host. The empty string, as in the page's example body, means no webhook.
        enable_summary (bool | str | Unset): A boolean option. JSON `true` or `false` is
            canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        detect_action_phrase_for_messages (bool | str | Unset): A boolean option. JSON `true` or
            `false` is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        custom_vocabulary (str | Unset):
        body (AudioUrlRequest): The audio to process and the processing options, shared by
            `submitAudioUrl` and `appendAudioUrl`.
            Every property a client of this API is known to send is declared here; unknown properties
            are
            accepted and ignored (reading 12 of the document description).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AudioJobCreated | Error
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        body=body,
        enable_speaker_diarization=enable_speaker_diarization,
        diarization_speaker_count=diarization_speaker_count,
        webhook_url=webhook_url,
        enable_summary=enable_summary,
        detect_action_phrase_for_messages=detect_action_phrase_for_messages,
        custom_vocabulary=custom_vocabulary,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AudioUrlRequest,
    enable_speaker_diarization: bool | str | Unset = UNSET,
    diarization_speaker_count: int | str | Unset = UNSET,
    webhook_url: str | Unset = UNSET,
    enable_summary: bool | str | Unset = UNSET,
    detect_action_phrase_for_messages: bool | str | Unset = UNSET,
    custom_vocabulary: str | Unset = UNSET,
) -> Response[AudioJobCreated | Error]:
    """Append an audio URL to an existing conversation

     Appends the audio at `url` to the conversation `conversationId`, transcribes it and updates the
    conversation's insights. The conversation must have been created by `submitAudioUrl` with a token
    of the same account; an unknown conversation, another account's, or a value that cannot be a
    conversation ID is `404` (reading 15).

    When several requests are submitted for the same conversation, they are processed one at a time,
    in the order they were submitted, so that the conversation keeps the order of its audio. Jobs of
    different conversations run concurrently, up to the account's concurrent-job limit (`429` beyond
    it).

    Success is `201 Created` (reading 1 of the document description).

    Args:
        conversation_id (str): A conversation's ID (Symbl's are strings of digits, such as
            `5815170693595136`).
        enable_speaker_diarization (bool | str | Unset): A boolean option. JSON `true` or `false`
            is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        diarization_speaker_count (int | str | Unset): The number of unique speakers in the
            conversation: at least 1. The page's table types it "String";
            it is a count (reading 3 of the document description). A JSON integer is canonical;
            clients also
            send it as text (`"2"`) or, in the query string, as `2.0`: both mean 2 (reading 10). No
            source gives
            an upper bound; the bounds here (at most 9 digits) are this document's, so that every
            value it admits
            has a bounded length in a request target.
        webhook_url (str | Unset): URL to which job status updates are POSTed (the
            `jobStatusChanged` webhook): `http` or `https`, with
            a host. The empty string, as in the page's example body, means no webhook.
        enable_summary (bool | str | Unset): A boolean option. JSON `true` or `false` is
            canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        detect_action_phrase_for_messages (bool | str | Unset): A boolean option. JSON `true` or
            `false` is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        custom_vocabulary (str | Unset):
        body (AudioUrlRequest): The audio to process and the processing options, shared by
            `submitAudioUrl` and `appendAudioUrl`.
            Every property a client of this API is known to send is declared here; unknown properties
            are
            accepted and ignored (reading 12 of the document description).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AudioJobCreated | Error]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        enable_speaker_diarization=enable_speaker_diarization,
        diarization_speaker_count=diarization_speaker_count,
        webhook_url=webhook_url,
        enable_summary=enable_summary,
        detect_action_phrase_for_messages=detect_action_phrase_for_messages,
        custom_vocabulary=custom_vocabulary,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AudioUrlRequest,
    enable_speaker_diarization: bool | str | Unset = UNSET,
    diarization_speaker_count: int | str | Unset = UNSET,
    webhook_url: str | Unset = UNSET,
    enable_summary: bool | str | Unset = UNSET,
    detect_action_phrase_for_messages: bool | str | Unset = UNSET,
    custom_vocabulary: str | Unset = UNSET,
) -> AudioJobCreated | Error | None:
    """Append an audio URL to an existing conversation

     Appends the audio at `url` to the conversation `conversationId`, transcribes it and updates the
    conversation's insights. The conversation must have been created by `submitAudioUrl` with a token
    of the same account; an unknown conversation, another account's, or a value that cannot be a
    conversation ID is `404` (reading 15).

    When several requests are submitted for the same conversation, they are processed one at a time,
    in the order they were submitted, so that the conversation keeps the order of its audio. Jobs of
    different conversations run concurrently, up to the account's concurrent-job limit (`429` beyond
    it).

    Success is `201 Created` (reading 1 of the document description).

    Args:
        conversation_id (str): A conversation's ID (Symbl's are strings of digits, such as
            `5815170693595136`).
        enable_speaker_diarization (bool | str | Unset): A boolean option. JSON `true` or `false`
            is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        diarization_speaker_count (int | str | Unset): The number of unique speakers in the
            conversation: at least 1. The page's table types it "String";
            it is a count (reading 3 of the document description). A JSON integer is canonical;
            clients also
            send it as text (`"2"`) or, in the query string, as `2.0`: both mean 2 (reading 10). No
            source gives
            an upper bound; the bounds here (at most 9 digits) are this document's, so that every
            value it admits
            has a bounded length in a request target.
        webhook_url (str | Unset): URL to which job status updates are POSTed (the
            `jobStatusChanged` webhook): `http` or `https`, with
            a host. The empty string, as in the page's example body, means no webhook.
        enable_summary (bool | str | Unset): A boolean option. JSON `true` or `false` is
            canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        detect_action_phrase_for_messages (bool | str | Unset): A boolean option. JSON `true` or
            `false` is canonical; the text `true`, `True`, `false` or `False`
            means the same, as Symbl's Python clients send it (reading 10 of the document
            description).
        custom_vocabulary (str | Unset):
        body (AudioUrlRequest): The audio to process and the processing options, shared by
            `submitAudioUrl` and `appendAudioUrl`.
            Every property a client of this API is known to send is declared here; unknown properties
            are
            accepted and ignored (reading 12 of the document description).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AudioJobCreated | Error
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            body=body,
            enable_speaker_diarization=enable_speaker_diarization,
            diarization_speaker_count=diarization_speaker_count,
            webhook_url=webhook_url,
            enable_summary=enable_summary,
            detect_action_phrase_for_messages=detect_action_phrase_for_messages,
            custom_vocabulary=custom_vocabulary,
        )
    ).parsed
