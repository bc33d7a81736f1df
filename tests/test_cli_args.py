"""The argument types both command lines share: each bad value is named, with what is wrong with it."""

from __future__ import annotations

import argparse

import pytest

from symbl_cli import OneLineParser, is_loopback_url, port, positive_int, positive_seconds, seconds


@pytest.mark.parametrize(
    ("convert", "text", "expected"),
    [
        (positive_int, "3", 3),
        (port, "0", 0),
        (port, "65535", 65535),
        (seconds, "0", 0.0),
        (positive_seconds, "0.5", 0.5),
    ],
)
def test_good_values_convert(convert: object, text: str, expected: float) -> None:
    assert callable(convert)
    assert convert(text) == expected


@pytest.mark.parametrize(
    ("convert", "text", "message"),
    [
        (positive_int, "x", "is not an integer"),
        (positive_int, "0", "must be at least 1"),
        (port, "65536", "0-65535"),
        (port, "http", "is not a port number"),
        (seconds, "-1", ">= 0"),
        (seconds, "nan", "finite"),
        (seconds, "inf", "finite"),
        (positive_seconds, "0", "> 0"),
        (positive_seconds, "soon", "is not a number of seconds"),
    ],
)
def test_bad_values_say_what_is_wrong(convert: object, text: str, message: str) -> None:
    assert callable(convert)
    with pytest.raises(argparse.ArgumentTypeError, match=message) as caught:
        convert(text)
    assert repr(text) in str(caught.value)


def test_parser_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    parser = OneLineParser(prog="tool")
    parser.add_argument("--port", type=port)
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--port", "99999"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("tool: error: argument --port:")


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:8000/hook", True),
        ("http://127.0.0.1/hook", True),
        ("http://127.9.9.9/hook", True),
        ("http://[::1]:9/hook", True),
        ("http://abc.localhost/hook", False),  # glibc asks DNS for it: not decided without a lookup
        ("http://localhost.example.com/hook", False),
        ("http://10.0.0.1/hook", False),
        ("http://[::1/hook", False),  # not a URL
    ],
)
def test_loopback_is_decided_without_a_name_lookup(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback
