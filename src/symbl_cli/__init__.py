"""What the ``symbl-mock`` and ``symbl-conformance`` command lines share: a parser whose errors are one line
(exit 2), argument types that say what is wrong with a value, and how a URL is judged to stay on the machine."""

from __future__ import annotations

import argparse
import ipaddress
import math
from typing import NoReturn
from urllib.parse import urlsplit

__all__ = ["OneLineParser", "is_loopback_url", "port", "positive_int", "positive_seconds", "seconds"]


def is_loopback_url(url: str) -> bool:
    """Whether the URL's host is ``localhost`` or a loopback address, decided without a name lookup.

    Not ``*.localhost``: RFC 6761 reserves them for loopback, but glibc's resolver asks DNS for them, so
    connecting to one would reach beyond the machine."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OneLineParser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit code 2, not argparse's usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number of seconds")
    return value


def seconds(text: str) -> float:
    """A duration that may be zero."""
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a number of seconds >= 0")
    return value


def positive_seconds(text: str) -> float:
    """A duration that must be above zero (a timeout, an interval)."""
    value = _finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a number of seconds > 0")
    return value
