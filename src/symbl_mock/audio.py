"""Optional audio download (``fetch_audio``): scheme and address checks, size and time limits, sniffing."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

__all__ = ["check_public_host", "fetch_and_sniff", "sniff_audio"]

_SNIFF_BYTES = 16


def sniff_audio(head: bytes) -> str | None:
    """The audio container the first bytes announce (WAV, MP3, FLAC, OGG, M4A), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head[:3] == b"ID3":
        return "mp3"
    # An MPEG audio frame header: 11 sync bits, a valid version and layer.
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x18) != 0x08:
        return "mp3" if (head[1] & 0x06) != 0 else None
    return None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_public_host(host: str, port: int) -> str | None:
    """An error message when ``host`` resolves to any non-public address (private, loopback, link-local...)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot resolve {host!r}: {exc.strerror or exc}"
    addresses = {str(info[4][0]) for info in infos}
    refused = sorted(a for a in addresses if not _is_public(a))
    if refused or not addresses:
        return f"refusing to fetch from non-public address(es) {', '.join(refused) or '(none)'} of {host!r}"
    return None


async def fetch_and_sniff(
    client: httpx.AsyncClient, url: str, *, max_bytes: int, time_limit: float, allow_private: bool
) -> str | None:
    """Download ``url`` within the limits and check that it is audio. Returns why the job fails, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"refusing to fetch {parts.scheme or 'scheme-less'} URL: only http and https are fetched"
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "invalid port in URL"
    if not allow_private:
        problem = await check_public_host(parts.hostname, port)
        if problem:
            return problem
    try:
        async with asyncio.timeout(time_limit):
            async with client.stream("GET", url, follow_redirects=False) as response:
                if response.status_code != 200:
                    return f"audio download answered HTTP {response.status_code}"
                declared = response.headers.get("content-length")
                if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                    return f"audio is larger than the limit of {max_bytes} bytes"
                head = b""
                received = 0
                async for chunk in response.aiter_bytes():
                    received += len(chunk)
                    if len(head) < _SNIFF_BYTES:
                        head += chunk[: _SNIFF_BYTES - len(head)]
                    if received > max_bytes:
                        return f"audio is larger than the limit of {max_bytes} bytes"
    except TimeoutError:
        return f"audio download took longer than {time_limit:g} s"
    except httpx.HTTPError as exc:
        return f"audio download failed: {type(exc).__name__}"
    kind = sniff_audio(head)
    if kind is None:
        return "the downloaded file is not WAV, MP3, FLAC, OGG or M4A audio"
    return None
